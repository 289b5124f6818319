//! One run of a sweep: a fresh model (the sweep's one initial model) trained
//! at one (bs, lr) on the training text until its smoothed validation loss
//! reaches the target, the token budget is spent, it diverges, or the target
//! is out of its reach.
//!
//! Validation as the race does it ([`crate::training::race::validation`]): every
//! `validate_every_tokens` training tokens a bounded pass of
//! [`VALIDATION_TOKENS`] targets over the held-out text. One difference, for
//! fairness: the race reads the validation text in the run's own bs streams,
//! the sweep in [`VALIDATION_STREAMS`] for every run. Each stream starts from
//! a zero state, so at bs = 256 a 4,096-token pass would be 16 cold tokens per
//! stream and read higher than the same model at bs = 1; one target loss must
//! mean one model quality at every bs.
//!
//! A reached run's steps and tokens are interpolated between the passes
//! either side of the crossing, and a run that cannot reach the target in
//! its budget stops early ([`super::passes`]).

use super::passes::{crossing, out_of_reach, Pass};
use super::SweepConfig;
use crate::nn::model::Model;
use crate::nn::optimizer::OptimizerConfig;
use crate::training::race::history::smooth;
use crate::training::race::split::ValidationSplit;
use crate::training::race::stats::DIVERGED_FACTOR;
use crate::training::race::validation::{validation_loss, ValidationSchedule, VALIDATION_TOKENS};
use crate::training::trainer::{TrainError, Trainer};
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
#[serde(rename_all = "snake_case")]
pub enum Stop {
    /// The smoothed validation loss reached the target.
    Reached,
    /// The token budget ran out first.
    Budget,
    /// Even at its pace over the last half of its tokens, it would not reach
    /// the target within the budget (see `passes::out_of_reach`).
    OutOfReach,
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
/// validation loss is at or below `target`, or out of its reach (`None`:
/// neither, the run spends its budget). `on_tokens` is
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
    trainer.set_last_loss_norms(false);
    let chance = (model.config.vocab.max(2) as f64).ln();
    let mut schedule = ValidationSchedule::new(config.validate_every_tokens);
    let mut val_losses = Vec::new();
    let mut passes: Vec<Pass> = Vec::new();
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
        let pass = Pass {
            steps: report.step,
            tokens: report.tokens_seen,
            loss,
        };
        let before = passes.last().copied();
        passes.push(pass);
        if let Some(target) = target.filter(|&target| loss <= target) {
            crossed = Some(crossing(before, pass, target));
            break Stop::Reached;
        }
        if !loss.is_finite() || loss > DIVERGED_FACTOR * chance {
            break Stop::Diverged;
        }
        if target.is_some_and(|target| out_of_reach(&passes, target, budget)) {
            break Stop::OutOfReach;
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
        val_loss: passes.last().map(|pass| pass.loss),
    })
}
