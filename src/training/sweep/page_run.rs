//! One run of the page's sweep as its worker trains it: the page's settings
//! (with this run's bs and lr), the page's model and clipping, the race's
//! held-out split, and the sweep's own rule for "reached" ([`TargetRun`]),
//! so a run on the page ends where `batchscope sweep` with the same flags
//! would end it.

use serde::{Deserialize, Serialize};

use super::run::TargetRun;
use super::{default_validate_every, SweepConfig};
use crate::page::costs::group_digits;
use crate::page::settings::Settings;
use crate::training::page_model::{model_for, CLIP};
use crate::training::race::split::{split_validation, VALIDATION_FRACTION};

/// What a worker needs to train one sweep run (or the pilot).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageSweepRun {
    /// The page's settings with this run's bs and lr put in.
    pub settings: Settings,
    /// The token budget of every run of the sweep: it sets how often runs
    /// validate ([`default_validate_every`]), the pilot's included.
    pub max_tokens: usize,
    /// The tokens this run may train on: `max_tokens`, or the pilot's share.
    pub budget: usize,
    /// The validation loss to reach; `None` for the pilot, which trains to
    /// its budget and whose last loss becomes the target.
    pub target: Option<f64>,
}

impl PageSweepRun {
    /// The sweep's configuration for this run, as `batchscope sweep` would
    /// build it from the same flags (`--clip` = the page's clip).
    pub fn config(&self) -> SweepConfig {
        let s = &self.settings;
        SweepConfig {
            lrs: vec![(s.bs, vec![s.lr])],
            bptt: s.bptt,
            scheme: s.scheme,
            seed: s.seed,
            optimizer: s.optimizer,
            clip: Some(CLIP),
            max_tokens: self.max_tokens,
            validate_every_tokens: default_validate_every(self.max_tokens),
        }
    }

    /// The run on `documents` (the whole text: the last 10% is held out as a
    /// race holds it out). The error is the sentence the page shows for a
    /// run that cannot start.
    pub fn start<S: AsRef<str>>(&self, documents: &[S]) -> Result<TargetRun, String> {
        let split = split_validation(documents, self.settings.tokens, VALIDATION_FRACTION)?;
        let model = model_for(&split.train, &self.settings)?;
        let job = (self.settings.bs, self.settings.lr);
        TargetRun::new(
            &split,
            &model,
            &self.config(),
            job,
            self.budget,
            self.target,
        )
        .map_err(|reason| {
            format!(
                "{reason} (a sweep trains on {:.0}% of the text, {} tokens)",
                100.0 * (1.0 - VALIDATION_FRACTION),
                group_digits(split.train.num_tokens())
            )
        })
    }
}

#[cfg(test)]
mod tests;
