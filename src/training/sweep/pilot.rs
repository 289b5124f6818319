//! The default target loss, from a short pilot run.
//!
//! The pilot is the sweep's own run at the middle bs and the middle lr (the
//! upper middle of each sorted list), stopped after `max_tokens /`
//! [`PILOT_SHARE`] tokens; the target is its smoothed validation loss at its
//! last validation. Why this run: it is one of the sweep's runs, trained and
//! validated identically, so it reaches the target by construction, within an
//! eighth of the budget. Under the model tokens-to-target grows at most in
//! proportion to bs (E(b) = E_min·(1 + b/B_crit)), so with the budget 8× the
//! pilot's, every bs up to 8× the middle one can reach it at a well-tuned lr —
//! for 8 doubling sizes, all of them.

use super::run::{train_to_target, RunResult, Stop};
use super::SweepConfig;
use crate::nn::model::Model;
use crate::training::race::split::ValidationSplit;
use serde::{Deserialize, Serialize};

/// The pilot trains on this share of the sweep's budget per run.
pub const PILOT_SHARE: usize = 8;

/// The pilot run and the target it gives.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pilot {
    pub bs: usize,
    pub lr: f64,
    pub tokens: usize,
    pub target_loss: f64,
}

/// Runs the pilot of `config` (see the module docs). Fails, asking for a
/// target, when the pilot diverges or measures no validation loss.
pub fn pilot_target(
    split: &ValidationSplit,
    model: &Model<f32>,
    config: &SweepConfig,
    on_tokens: &dyn Fn(usize),
) -> Result<Pilot, String> {
    let sizes = config.batch_sizes();
    let bs = upper_middle(&sizes).ok_or("a sweep needs at least one bs")?;
    let lrs = &config.lrs[sizes.len() / 2].1;
    let lr = upper_middle(lrs).ok_or("a sweep needs at least one lr")?;
    let budget = pilot_budget(config.max_tokens);
    let run = train_to_target(split, model, config, (bs, lr), budget, None, on_tokens)?;
    pilot_from_run(&run).map_err(|failure| match failure {
        PilotFailure::Diverged { step } => format!(
            "the pilot run (bs {bs}, lr {lr}) that sets the default target diverged at step {step}; give --target-loss, or lrs whose middle is lower"
        ),
        PilotFailure::NoValidation => format!(
            "the pilot run (bs {bs}, lr {lr}, {budget} tokens = max-tokens / {PILOT_SHARE}) made no validation pass; give --target-loss or a larger --max-tokens"
        ),
    })
}

/// The tokens a pilot trains on when each run may use `max_tokens`.
pub fn pilot_budget(max_tokens: usize) -> usize {
    (max_tokens / PILOT_SHARE).max(1)
}

/// Why a pilot run gives no target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PilotFailure {
    /// Its loss blew up at this step: the middle lr is too high.
    Diverged { step: usize },
    /// Its budget ended before its first validation pass.
    NoValidation,
}

/// The target a pilot `run` (trained to its budget without a target) gives:
/// its last smoothed validation loss.
pub fn pilot_from_run(run: &RunResult) -> Result<Pilot, PilotFailure> {
    match (run.stop, run.val_loss) {
        (Stop::Budget, Some(target_loss)) => Ok(Pilot {
            bs: run.bs,
            lr: run.lr,
            tokens: run.tokens,
            target_loss,
        }),
        (Stop::Diverged, _) => Err(PilotFailure::Diverged { step: run.steps }),
        _ => Err(PilotFailure::NoValidation),
    }
}

/// The element at len / 2 of a sorted list (the middle, or the upper of two).
pub fn upper_middle<T: Copy>(sorted: &[T]) -> Option<T> {
    sorted.get(sorted.len() / 2).copied()
}
