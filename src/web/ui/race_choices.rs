//! The race the learner has set up — its chips and its lr rule — shared by
//! the race panel, which edits it, and "Show code", which exports it as a
//! program. The root provides it as context; a panel mounted alone (a test)
//! gets a fresh one.

use leptos::prelude::*;

use crate::training::race::{LrRule, RaceValue, RaceVariable};

/// The race's chips and lr rule; `Copy`, so every closure can hold it.
#[derive(Clone, Copy)]
pub struct RaceChoices {
    /// One value per run, in chip order, all of one variable.
    pub values: RwSignal<Vec<RaceValue>>,
    pub lr_rule: RwSignal<LrRule>,
}

impl RaceChoices {
    /// A race over bs with its default chips, every run at the page's lr.
    pub fn new() -> Self {
        RaceChoices {
            values: RwSignal::new(RaceVariable::BatchSize.default_values()),
            lr_rule: RwSignal::new(LrRule::Same),
        }
    }
}

impl Default for RaceChoices {
    fn default() -> Self {
        Self::new()
    }
}

/// The choices the root provides, or fresh ones where none are provided.
pub fn use_race_choices() -> RaceChoices {
    use_context::<RaceChoices>().unwrap_or_default()
}
