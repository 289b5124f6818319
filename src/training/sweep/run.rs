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
use crate::training::noise_probe::NoiseProbe;
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
    /// The run's running gradient noise scale where it stopped (near the
    /// target for a reached run), once measured (see `noise_probe`).
    #[serde(default)]
    pub noise_scale: Option<f64>,
}

#[cfg(test)]
impl RunResult {
    /// For tests: a run of `bs` and `lr` that reached the target after
    /// `steps` updates of bs × 70 tokens, or (`None`) spent its budget after 3.
    pub(crate) fn example(bs: usize, lr: f64, steps: Option<usize>) -> RunResult {
        let (stop, taken) = match steps {
            Some(steps) => (Stop::Reached, steps),
            None => (Stop::Budget, 3),
        };
        RunResult {
            bs,
            lr,
            reached: steps.is_some(),
            steps: taken,
            tokens: taken * bs * 70,
            stop,
            val_loss: Some(2.0),
            noise_scale: Some(bs as f64 * 2.0),
        }
    }
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
    job: (usize, f64),
    budget: usize,
    target: Option<f64>,
    on_tokens: &dyn Fn(usize),
) -> Result<RunResult, String> {
    let mut run = TargetRun::new(split, model, config, job, budget, target)?;
    loop {
        let before = run.tokens_seen();
        let ended = run.step()?;
        if run.tokens_seen() > before {
            on_tokens(run.tokens_seen() - before);
        }
        if let Some(result) = ended {
            return Ok(result);
        }
    }
}

/// One run of [`train_to_target`], a step at a time: the CLI loops over it,
/// a page worker steps it in slices between its messages. Both read
/// "reached" the same way, so the page and the CLI agree.
#[derive(Clone, Debug)]
pub struct TargetRun {
    bs: usize,
    lr: f64,
    trainer: Trainer,
    /// The held-out stream, in `trainer`'s vocabulary.
    validation: Vec<u32>,
    bptt: usize,
    carry: bool,
    /// The loss of guessing uniformly: ln(vocabulary).
    chance: f64,
    budget: usize,
    target: Option<f64>,
    schedule: ValidationSchedule,
    val_losses: Vec<f64>,
    passes: Vec<Pass>,
    noise: NoiseProbe,
    /// Set once the run has ended.
    result: Option<RunResult>,
}

impl TargetRun {
    /// The run of [`train_to_target`], before its first step.
    pub fn new(
        split: &ValidationSplit,
        model: &Model<f32>,
        config: &SweepConfig,
        (bs, lr): (usize, f64),
        budget: usize,
        target: Option<f64>,
    ) -> Result<TargetRun, String> {
        let optimizer = OptimizerConfig::new(config.optimizer, lr);
        let mut trainer = Trainer::new(
            &split.train,
            model.clone(),
            config.batch(bs),
            optimizer,
            config.clip,
        )
        .map_err(|e| e.to_string())?;
        // Only the page's stepped run draws the last loss's per-cell norms.
        trainer.set_last_loss_norms(false);
        Ok(TargetRun {
            bs,
            lr,
            trainer,
            validation: split.validation.clone(),
            bptt: config.bptt,
            carry: config.scheme.carries_state(),
            chance: (model.config.vocab.max(2) as f64).ln(),
            budget,
            target,
            schedule: ValidationSchedule::new(config.validate_every_tokens),
            val_losses: Vec::new(),
            passes: Vec::new(),
            noise: NoiseProbe::default(),
            result: None,
        })
    }

    /// Trains one step, and validates when the schedule is due. Returns the
    /// result once the run has ended (the budget was spent before this step,
    /// or this step's pass reached the target, diverged or found it out of
    /// reach), and the same result on every later call. Errors are a
    /// trainer's failures other than divergence.
    pub fn step(&mut self) -> Result<Option<RunResult>, String> {
        if self.result.is_some() {
            return Ok(self.result);
        }
        if let Some(stop) = self.train_step()? {
            self.result = Some(self.finish(stop));
        }
        Ok(self.result)
    }

    /// Updates so far.
    pub fn steps(&self) -> usize {
        self.trainer.steps()
    }

    /// Training tokens so far.
    pub fn tokens_seen(&self) -> usize {
        self.trainer.tokens_seen()
    }

    /// The last smoothed validation loss, if a pass was made.
    pub fn val_loss(&self) -> Option<f64> {
        self.passes.last().map(|pass| pass.loss)
    }

    /// One step and its pass; `Some` when the run stops here.
    fn train_step(&mut self) -> Result<Option<Stop>, String> {
        if self.trainer.tokens_seen() >= self.budget {
            return Ok(Some(Stop::Budget));
        }
        self.noise.before_step(&mut self.trainer);
        let report = match self.trainer.step() {
            Ok(report) => report,
            Err(TrainError::Diverged { .. }) => return Ok(Some(Stop::Diverged)),
            Err(e) => return Err(format!("bs {}, lr {}: {e}", self.bs, self.lr)),
        };
        self.noise.after_step(&self.trainer);
        if !self.schedule.due(report.tokens_seen) {
            return Ok(None);
        }
        let Some(pass) = validation_loss(
            &self.trainer.model,
            &self.validation,
            VALIDATION_STREAMS,
            self.bptt,
            self.carry,
            Some(VALIDATION_TOKENS),
        ) else {
            return Ok(None);
        };
        self.val_losses.push(pass.loss);
        let loss = *smooth(self.val_losses.iter().copied(), VALIDATION_SMOOTHING)
            .last()
            .expect("one loss was just pushed");
        let pass = Pass {
            steps: report.step,
            tokens: report.tokens_seen,
            loss,
        };
        self.passes.push(pass);
        Ok(if self.target.is_some_and(|target| loss <= target) {
            Some(Stop::Reached)
        } else if !loss.is_finite() || loss > DIVERGED_FACTOR * self.chance {
            Some(Stop::Diverged)
        } else if self
            .target
            .is_some_and(|target| out_of_reach(&self.passes, target, self.budget))
        {
            Some(Stop::OutOfReach)
        } else {
            None
        })
    }

    /// The result of a run that stopped with `stop`: where a reached run
    /// crossed the target, or where it stopped.
    fn finish(&self, stop: Stop) -> RunResult {
        let crossed = match (stop, self.target, self.passes.as_slice()) {
            (Stop::Reached, Some(target), [.., before, at]) => {
                Some(crossing(Some(*before), *at, target))
            }
            (Stop::Reached, Some(target), [at]) => Some(crossing(None, *at, target)),
            _ => None,
        };
        let (steps, tokens) = crossed.unwrap_or((self.steps(), self.tokens_seen()));
        RunResult {
            bs: self.bs,
            lr: self.lr,
            reached: stop == Stop::Reached,
            steps,
            tokens,
            stop,
            val_loss: self.val_loss(),
            noise_scale: self.noise.b_simple(),
        }
    }
}
