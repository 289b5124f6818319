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

use super::run::{train_to_target, Stop};
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
    let bs = upper_middle(&config.bs).ok_or("a sweep needs at least one bs")?;
    let lr = upper_middle(&config.lrs).ok_or("a sweep needs at least one lr")?;
    let budget = (config.max_tokens / PILOT_SHARE).max(1);
    let run = train_to_target(split, model, config, (bs, lr), budget, None, on_tokens)?;
    match (run.stop, run.val_loss) {
        (Stop::Budget, Some(target_loss)) => Ok(Pilot {
            bs,
            lr,
            tokens: run.tokens,
            target_loss,
        }),
        (Stop::Diverged, _) => Err(format!(
            "the pilot run (bs {bs}, lr {lr}) that sets the default target diverged at step {}; give --target-loss, or lrs whose middle is lower",
            run.steps
        )),
        _ => Err(format!(
            "the pilot run (bs {bs}, lr {lr}, {budget} tokens = max-tokens / {PILOT_SHARE}) made no validation pass; give --target-loss or a larger --max-tokens"
        )),
    }
}

/// The element at len / 2 of a sorted list (the middle, or the upper of two).
fn upper_middle<T: Copy>(sorted: &[T]) -> Option<T> {
    sorted.get(sorted.len() / 2).copied()
}
