//! One run of a sweep: a fresh model (the sweep's one initial model) trained
//! at one (bs, lr) on the training text until its smoothed validation loss
//! reaches the target, the token budget is spent, or it diverges.
//!
//! Validation as the race does it ([`crate::race::validation`]): every
//! `validate_every_tokens` training tokens a bounded pass of
//! [`VALIDATION_TOKENS`] targets over the held-out text. One difference, for
//! fairness: the race reads the validation text in the run's own bs streams,
//! the sweep in [`VALIDATION_STREAMS`] for every run. Each stream starts from
//! a zero state, so at bs = 256 a 4,096-token pass would be 16 cold tokens per
//! stream and read higher than the same model at bs = 1; one target loss must
//! mean one model quality at every bs.
//!
//! A reached run's steps and tokens are interpolated linearly between the
//! pass before the crossing (smoothed loss above the target) and the pass at
//! it: without that, a run at bs = 1 would be seen up to a whole validation
//! interval late, a larger share of its steps than at bs = 128, and the
//! fitted B_crit would grow with the interval.

use super::SweepConfig;
use crate::model::Model;
use crate::optimizer::OptimizerConfig;
use crate::race::history::smooth;
use crate::race::split::ValidationSplit;
use crate::race::stats::DIVERGED_FACTOR;
use crate::race::validation::{validation_loss, ValidationSchedule, VALIDATION_TOKENS};
use crate::trainer::{TrainError, Trainer};
use serde::{Deserialize, Serialize};

/// Streams every run's validation pass reads (see the module docs): 4,096
/// targets are then 512 rows a stream, few of them cold.
pub const VALIDATION_STREAMS: usize = 8;

/// Smoothing weight of the validation losses (`history::smooth`). Lighter
/// than the page's 0.8 for per-batch losses: a validation pass reads the same
/// 4,096 tokens each time, so it only wobbles with the model (at bs = 1 by
/// about ±0.02 nats, as much as the trend falls in two passes), and the
/// smoother's lag (w / (1 − w) = 1 pass here) delays the step at which a run
/// is seen to reach the target by the same tokens at every bs, which is a
/// larger share of the steps at small bs.
pub const VALIDATION_SMOOTHING: f64 = 0.5;

/// How one run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stop {
    /// The smoothed validation loss reached the target.
    Reached,
    /// The token budget ran out first.
    Budget,
    /// The loss became NaN or infinite, or the smoothed validation loss rose
    /// above [`DIVERGED_FACTOR`] × ln(vocabulary): worse than guessing.
    Diverged,
}

/// One run's outcome. When it reached the target, `steps` and `tokens` are
/// where its smoothed validation loss crossed it (interpolated, see the
/// module docs); when it did not, where it stopped.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    pub bs: usize,
    pub lr: f64,
    pub reached: bool,
    /// Updates to the target, or taken.
    pub steps: usize,
    /// Training tokens in those updates.
    pub tokens: usize,
    pub stop: Stop,
    /// The last smoothed validation loss, if a pass was made.
    pub val_loss: Option<f64>,
}

/// Trains `model` (cloned) at `bs` and `lr` with `config`'s batching and
/// optimizer on `split.train` for at most `budget` tokens (the step that
/// crosses the budget is the last), stopping early when the smoothed
/// validation loss is at or below `target` (`None`: never). `on_tokens` is
/// told each step's tokens, for a progress bar. Errors are the trainer's
/// refusals to start (e.g. bs too large for the text).
pub fn train_to_target(
    split: &ValidationSplit,
    model: &Model<f32>,
    config: &SweepConfig,
    (bs, lr): (usize, f64),
    budget: usize,
    target: Option<f64>,
    on_tokens: &dyn Fn(usize),
) -> Result<RunResult, String> {
    let optimizer = OptimizerConfig::new(config.optimizer, lr);
    let mut trainer = Trainer::new(
        &split.train,
        model.clone(),
        config.batch(bs),
        optimizer,
        config.clip,
    )
    .map_err(|e| e.to_string())?;
    let chance = (model.config.vocab.max(2) as f64).ln();
    let mut schedule = ValidationSchedule::new(config.validate_every_tokens);
    let mut val_losses = Vec::new();
    // The last pass: (steps, tokens, smoothed loss).
    let mut last: Option<Seen> = None;
    let mut crossed = None;
    let stop = loop {
        if trainer.tokens_seen() >= budget {
            break Stop::Budget;
        }
        let report = match trainer.step() {
            Ok(report) => report,
            Err(TrainError::Diverged { .. }) => break Stop::Diverged,
            Err(e) => return Err(format!("bs {bs}, lr {lr}: {e}")),
        };
        on_tokens(report.seq_len * report.bs);
        if !schedule.due(report.tokens_seen) {
            continue;
        }
        let Some(pass) = validation_loss(
            &trainer.model,
            &split.validation,
            VALIDATION_STREAMS,
            config.bptt,
            config.scheme.carries_state(),
            Some(VALIDATION_TOKENS),
        ) else {
            continue;
        };
        val_losses.push(pass.loss);
        let loss = *smooth(val_losses.iter().copied(), VALIDATION_SMOOTHING)
            .last()
            .expect("one loss was just pushed");
        let seen = Seen {
            steps: report.step,
            tokens: report.tokens_seen,
            loss,
        };
        let before = last.replace(seen);
        if let Some(target) = target.filter(|&target| loss <= target) {
            crossed = Some(crossing(before, seen, target));
            break Stop::Reached;
        }
        if !loss.is_finite() || loss > DIVERGED_FACTOR * chance {
            break Stop::Diverged;
        }
    };
    let (steps, tokens) = crossed.unwrap_or((trainer.steps(), trainer.tokens_seen()));
    Ok(RunResult {
        bs,
        lr,
        reached: stop == Stop::Reached,
        steps,
        tokens,
        stop,
        val_loss: last.map(|seen| seen.loss),
    })
}

/// A validation pass: after how many steps and tokens, and the smoothed loss.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Seen {
    steps: usize,
    tokens: usize,
    loss: f64,
}

/// (steps, tokens) where the smoothed loss crossed `target`: linearly
/// between the pass `before` (above the target) and `at` (at or below it),
/// rounded, and after `before` (it was not there yet). The first pass has
/// no `before`: it is its own estimate.
fn crossing(before: Option<Seen>, at: Seen, target: f64) -> (usize, usize) {
    let Some(before) = before.filter(|b| b.loss > target && b.steps < at.steps) else {
        return (at.steps, at.tokens);
    };
    let share = (before.loss - target) / (before.loss - at.loss);
    let between = |from: usize, to: usize| {
        let estimate = (from as f64 + share * (to - from) as f64).round() as usize;
        estimate.clamp(from + 1, to)
    };
    (
        between(before.steps, at.steps),
        between(before.tokens, at.tokens),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(steps: usize, loss: f64) -> Seen {
        Seen {
            steps,
            tokens: steps * 70,
            loss,
        }
    }

    #[test]
    fn the_crossing_is_interpolated_between_the_two_passes() {
        // 2.0 at step 100, 1.0 at step 200: 1.75 is a quarter of the way.
        assert_eq!(
            crossing(Some(seen(100, 2.0)), seen(200, 1.0), 1.75),
            (125, 8750)
        );
        // Reached exactly at the second pass.
        assert_eq!(
            crossing(Some(seen(100, 2.0)), seen(200, 1.0), 1.0),
            (200, 14000)
        );
        // Just below the first pass's loss: still after the first pass.
        assert_eq!(
            crossing(Some(seen(100, 2.0)), seen(200, 1.0), 2.0 - 1e-9),
            (101, 7001)
        );
        // The first pass is at or below the target: no earlier point to use.
        assert_eq!(crossing(None, seen(50, 1.0), 1.5), (50, 3500));
    }
}
