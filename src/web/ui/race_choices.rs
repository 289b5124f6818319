//! The race the learner has set up — its chips, its lr rule and the chart's
//! x axis — shared by the race panel, which edits it, "Show code", which
//! exports it as a program, and the page's URL, which carries it in a link
//! (`page::race_link`). The root provides it as context; a panel mounted
//! alone (a test) gets a fresh one.

use leptos::prelude::*;

use crate::page::race_link::RaceLink;
use crate::training::race::chart_axes::XAxis;
use crate::training::race::{LrRule, RaceValue};

/// The race's chips, lr rule and x axis; `Copy`, so every closure can hold it.
#[derive(Clone, Copy)]
pub struct RaceChoices {
    /// One value per run, in chip order, all of one variable.
    pub values: RwSignal<Vec<RaceValue>>,
    pub lr_rule: RwSignal<LrRule>,
    pub x_axis: RwSignal<XAxis>,
}

impl RaceChoices {
    /// The race `link` sets up.
    pub fn new(link: &RaceLink) -> Self {
        RaceChoices {
            values: RwSignal::new(link.values.clone()),
            lr_rule: RwSignal::new(link.lr_rule),
            x_axis: RwSignal::new(link.x_axis),
        }
    }

    /// The choices as a link (tracked: an effect that reads it follows them).
    pub fn link(&self) -> RaceLink {
        RaceLink {
            values: self.values.get(),
            lr_rule: self.lr_rule.get(),
            x_axis: self.x_axis.get(),
        }
    }

    /// Sets up the race of a link pasted into the tab; only what differs is set.
    pub fn apply(&self, link: &RaceLink) {
        if self.values.with_untracked(|v| *v != link.values) {
            self.values.set(link.values.clone());
        }
        if self.lr_rule.get_untracked() != link.lr_rule {
            self.lr_rule.set(link.lr_rule);
        }
        if self.x_axis.get_untracked() != link.x_axis {
            self.x_axis.set(link.x_axis);
        }
    }
}

impl Default for RaceChoices {
    /// A race over bs with its default chips, every run at the page's lr.
    fn default() -> Self {
        Self::new(&RaceLink::default())
    }
}

/// The choices the root provides, or fresh ones where none are provided.
pub fn use_race_choices() -> RaceChoices {
    use_context::<RaceChoices>().unwrap_or_default()
}
