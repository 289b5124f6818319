//! What a loss chart draws, read where it lives and never copied: a plain
//! list of histories, or the runs of a race (whose curves grow with every
//! report, so copying them for each frame would cost more than drawing).

use leptos::prelude::*;

use crate::training::race::history::LossHistory;
use crate::training::race::Race;

/// The curves of a chart, one per run, in order.
#[derive(Clone, Copy)]
pub enum Curves {
    List(Signal<Vec<LossHistory>>),
    /// The race's runs, in chip order.
    Race(RwSignal<Race>),
}

impl Curves {
    /// Subscribes the running effect to every change of the curves.
    pub fn track(&self) {
        match self {
            Curves::List(list) => list.track(),
            Curves::Race(race) => race.track(),
        }
    }

    /// Reads the curves without subscribing; `None` once they are gone.
    pub fn try_with_untracked<T>(&self, read: impl FnOnce(&[&LossHistory]) -> T) -> Option<T> {
        match self {
            Curves::List(list) => {
                list.try_with_untracked(|list| read(&list.iter().collect::<Vec<_>>()))
            }
            Curves::Race(race) => race.try_with_untracked(|race| read(&histories(race))),
        }
    }

    /// Reads the curves and subscribes.
    pub fn with<T>(&self, read: impl FnOnce(&[&LossHistory]) -> T) -> T {
        match self {
            Curves::List(list) => list.with(|list| read(&list.iter().collect::<Vec<_>>())),
            Curves::Race(race) => race.with(|race| read(&histories(race))),
        }
    }
}

fn histories(race: &Race) -> Vec<&LossHistory> {
    race.slots().iter().map(|slot| slot.history()).collect()
}

impl From<Signal<Vec<LossHistory>>> for Curves {
    fn from(list: Signal<Vec<LossHistory>>) -> Curves {
        Curves::List(list)
    }
}

impl From<RwSignal<Vec<LossHistory>>> for Curves {
    fn from(list: RwSignal<Vec<LossHistory>>) -> Curves {
        Curves::List(list.into())
    }
}

impl From<RwSignal<Race>> for Curves {
    fn from(race: RwSignal<Race>) -> Curves {
        Curves::Race(race)
    }
}
