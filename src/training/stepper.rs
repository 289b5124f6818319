//! The page's step-by-step run: one real training step per press of "Step ▶",
//! "◀ back" restores the run as it was before the last step, "jump to batch
//! k" replays. Built from the learner's [`Settings`], shared by the worker
//! and the tests.

use crate::data::corpus::Corpus;
use crate::page::settings::Settings;
use crate::training::page_model::trainer_for;
use crate::training::trainer::{shown_loss, StepReport, TrainError, Trainer};

/// How many steps "◀ back" can undo at most: each snapshot holds the whole run.
pub const MAX_BACK: usize = 32;
/// Memory the snapshots of "◀ back" may hold together: a big model keeps
/// fewer steps, never more than this.
pub const BACK_BUDGET_BYTES: usize = 64 * 1024 * 1024;

/// Steps "◀ back" keeps for snapshots of `snapshot_bytes` each: as many as
/// fit the budget, at least one, at most [`MAX_BACK`].
pub fn back_limit(snapshot_bytes: usize) -> usize {
    (BACK_BUDGET_BYTES / snapshot_bytes.max(1)).clamp(1, MAX_BACK)
}

/// A training run driven one mini-batch at a time.
pub struct Stepper {
    trainer: Trainer,
    /// The run before each of the last steps, newest last.
    before: Vec<Trainer>,
    /// The run before its first step, for reset and replay.
    initial: Trainer,
}

impl Stepper {
    pub fn new(corpus: &Corpus, settings: &Settings) -> Result<Stepper, String> {
        let trainer = trainer_for(corpus, settings)?;
        Ok(Stepper {
            initial: trainer.clone(),
            trainer,
            before: Vec::new(),
        })
    }

    /// Trains on the next mini-batch. On divergence the run is unchanged.
    pub fn step(&mut self) -> Result<StepReport, String> {
        let snapshot = self.trainer.clone();
        let report = self.trainer.step().map_err(|e| match e {
            // The CLI's wording names its flags; the page names its field.
            TrainError::Diverged { step, loss } => format!(
                "training diverged at step {step}: the loss is {}. The model was kept as it was before this step. Lower the learning rate (that starts a new run).",
                shown_loss(loss)
            ),
            e => e.to_string(),
        })?;
        if self.before.len() >= back_limit(snapshot.snapshot_bytes()) {
            self.before.remove(0);
        }
        self.before.push(snapshot);
        Ok(report)
    }

    /// Undoes the last step; false when there is nothing left to undo.
    pub fn back(&mut self) -> bool {
        match self.before.pop() {
            Some(previous) => {
                self.trainer = previous;
                true
            }
            None => false,
        }
    }

    pub fn can_back(&self) -> bool {
        !self.before.is_empty()
    }

    /// How many steps "◀ back" can still undo.
    pub fn back_remaining(&self) -> usize {
        self.before.len()
    }

    /// Back to the freshly initialised model, zero state, batch 0.
    pub fn reset(&mut self) {
        self.trainer = self.initial.clone();
        self.before.clear();
    }

    /// Steps taken so far.
    pub fn steps(&self) -> usize {
        self.trainer.steps()
    }

    pub fn trainer(&self) -> &Trainer {
        &self.trainer
    }
}

#[cfg(test)]
mod tests;
