//! One run of a race, driven one step at a time by its worker: the trainer
//! (built like the page's stepping run, on the training part of the split),
//! its loss history, and the validation passes its schedule asks for.
//!
//! The core has no clock (`std::time` panics on wasm32): the driver passes
//! the training seconds so far to every [`RaceRun::step`].

use std::sync::Arc;

use super::history::{LossHistory, LossPoint};
use super::split::{split_validation, ValidationSplit, VALIDATION_FRACTION};
use super::stats::{run_stats, Diverged, RunStats};
use super::validation::{
    validation_loss_with, ValidationBuffers, ValidationLoss, ValidationSchedule, VALIDATION_TOKENS,
};
use super::RunConfig;
use crate::data::corpus::Corpus;
use crate::page::costs::group_digits;
use crate::training::noise_probe::NoiseProbe;
use crate::training::page_model::trainer_for;
use crate::training::trainer::Trainer;

/// A run in progress (see the module docs).
#[derive(Clone, Debug)]
pub struct RaceRun {
    pub config: RunConfig,
    trainer: Trainer,
    pub history: LossHistory,
    validation: Arc<[u32]>,
    validation_buffers: ValidationBuffers<f32>,
    schedule: ValidationSchedule,
    diverged: Option<Diverged>,
    noise: NoiseProbe,
}

impl RaceRun {
    /// A run of `config` on `split.train`, validated on `split.validation`
    /// every `every_tokens` training tokens (`validation::VALIDATE_EVERY_TOKENS`
    /// is a good default), each pass reading [`VALIDATION_TOKENS`] tokens.
    pub fn new(
        split: &ValidationSplit,
        config: RunConfig,
        every_tokens: usize,
    ) -> Result<RaceRun, String> {
        let mut trainer = trainer_for(&split.train, &config.settings)?;
        // A race draws loss curves, not the unrolled view's per-cell norms.
        trainer.set_last_loss_norms(false);
        Ok(RaceRun {
            history: LossHistory::of_bs(config.label.clone(), config.settings.bs),
            config,
            trainer,
            validation: split.validation.clone().into(),
            validation_buffers: ValidationBuffers::default(),
            schedule: ValidationSchedule::new(every_tokens),
            diverged: None,
            noise: NoiseProbe::default(),
        })
    }

    /// A run of `config` on `documents`: the text is split as every run of
    /// a race splits it ([`VALIDATION_FRACTION`] held out), and the run
    /// trains on the rest. Returns the run and the training corpus (for
    /// samples). The error is the sentence the run's card shows: why this
    /// run cannot start, in the learner's words (a bs too large for the
    /// training text names the largest bs that fits it).
    pub fn from_documents<S: AsRef<str>>(
        documents: &[S],
        config: RunConfig,
        every_tokens: usize,
    ) -> Result<(RaceRun, Corpus), String> {
        let split = split_validation(documents, config.settings.tokens, VALIDATION_FRACTION)?;
        let tokens = split.train.num_tokens();
        let run = RaceRun::new(&split, config, every_tokens).map_err(|reason| {
            format!(
                "{reason} (a race trains on {:.0}% of the text, {} tokens; the rest is held out for validation)",
                100.0 * (1.0 - VALIDATION_FRACTION),
                group_digits(tokens)
            )
        })?;
        Ok((run, split.train))
    }

    /// Trains on the next mini-batch and records it; `seconds` is the
    /// training time so far, this step included. When the schedule is due,
    /// the point also carries a validation loss. After a divergence the run
    /// stays stopped and every call returns the same [`Diverged`].
    pub fn step(&mut self, seconds: f64) -> Result<LossPoint, Diverged> {
        if let Some(diverged) = &self.diverged {
            return Err(diverged.clone());
        }
        let windows_in_epoch = self.trainer.batches().windows.len();
        if !self.config.carry {
            // A "reset" run starts every batch from zeros instead of the carried state.
            self.trainer.reset_hidden();
        }
        self.noise.before_step(&mut self.trainer);
        let report =
            match self.trainer.step() {
                Ok(report) => report,
                Err(error) => {
                    let diverged = Diverged::from_error(&error, &self.config.settings)
                        .unwrap_or_else(|| Diverged {
                            step: self.trainer.steps() + 1,
                            hint: error.to_string(),
                        });
                    self.diverged = Some(diverged.clone());
                    return Err(diverged);
                }
            };
        let measured = self.noise.after_step(&self.trainer);
        let val_loss = if self.schedule.due(report.tokens_seen) {
            self.validate().map(|v| v.loss)
        } else {
            None
        };
        let point = LossPoint {
            noise_scale: measured,
            ..LossPoint::from_report(&report, windows_in_epoch, seconds, val_loss)
        };
        self.history.push(point);
        Ok(point)
    }

    /// A validation pass with the model as it is now (bounded, see `validation`).
    pub fn validate(&mut self) -> Option<ValidationLoss> {
        let settings = &self.config.settings;
        validation_loss_with(
            &self.trainer.model,
            &self.validation,
            settings.bs,
            settings.bptt,
            self.config.carry,
            Some(VALIDATION_TOKENS),
            &mut self.validation_buffers,
        )
    }

    /// The run's live numbers (speed, memory, epoch, best validation, divergence).
    pub fn stats(&self) -> RunStats {
        RunStats {
            noise_scale: self.noise.b_simple(),
            ..run_stats(
                &self.history,
                &self.config.settings,
                self.trainer.model.config.vocab,
                self.diverged.clone(),
            )
        }
    }

    pub fn trainer(&self) -> &Trainer {
        &self.trainer
    }
}

#[cfg(test)]
mod tests;
