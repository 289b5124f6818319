//! How batch size affects convergence, measured: for each bs, the fewest
//! updates that reach a target validation loss with the learning rate tuned
//! for that bs, and the critical batch size fitted to them.
//!
//! The field's answer (McCandlish et al. 2018, "An Empirical Model of
//! Large-Batch Training"; Shallue et al. 2018) is that with the lr tuned per
//! bs, the steps to a target fall in proportion to bs up to a critical batch
//! size and then flatten: `S(b) = S_min · (1 + B_crit / b)`, and the examples
//! processed `E(b) = E_min · (1 + b / B_crit)` with `E_min = S_min · B_crit`.
//! Below B_crit a bigger batch buys fewer steps for the same data; above it,
//! more data for the same steps.
//!
//! A sweep trains one run per (bs, lr) from the same initial weights on the
//! same training text ([`crate::training::race::split`] holds out the last 10%), each
//! until its smoothed validation loss reaches the target or its token budget
//! runs out, or would run out first at its pace ([`run`], [`passes`]); keeps
//! per bs the lr that needed the fewest steps; and fits the curve to those
//! points ([`fit`]). Without a given target, a short
//! pilot run sets one ([`pilot`]). The runs are independent, so they share
//! out the cores ([`pool`]) and the results do not depend on how many.
//!
//! No web imports, no clock: the CLI (`batchscope sweep`) drives it.

pub mod chart;
pub mod fit;
pub mod page_run;
pub mod passes;
pub mod pilot;
pub mod pool;
pub mod run;
pub mod verdict;

use crate::data::batcher::{BatchConfig, LmBatcher, Scheme};
use crate::nn::model::Model;
use crate::nn::optimizer::OptimizerKind;
use crate::training::race::split::ValidationSplit;
use crate::training::race::LrRule;
use fit::{fit_critical_batch, Fit};
use pilot::{pilot_target, Pilot};
use run::{train_to_target, RunResult};
use serde::{Deserialize, Serialize};

/// Validation passes a run's budget allows for by default: every
/// `max_tokens / 400` tokens. The target is reached after as few as a
/// twentieth of the budget at small bs, so this is a pass every ~2% of those
/// tokens (with the crossing interpolated between passes, see [`run`]); the
/// passes cost ~15% of the sweep's time (4,096 tokens forward each, about a
/// third of the cost of training on them, every 5,000 tokens on a 2M budget).
pub const VALIDATIONS_PER_BUDGET: usize = 400;

/// What a sweep trains (everything but the corpus and the initial model).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepConfig {
    /// Per batch size (ascending, no repeats) the learning rates tried at
    /// it (ascending, no repeats): the same at every bs ([`same_lrs`]), or
    /// following an lr rule ([`lrs_by_rule`]).
    pub lrs: Vec<(usize, Vec<f64>)>,
    pub bptt: usize,
    pub scheme: Scheme,
    /// Seeds the batches (the initial weights are the model given).
    pub seed: u64,
    pub optimizer: OptimizerKind,
    /// Max total gradient norm; `None` = no clipping.
    pub clip: Option<f64>,
    /// Training tokens a run may use before it is given up.
    pub max_tokens: usize,
    /// Validate every this many training tokens (see [`default_validate_every`]).
    pub validate_every_tokens: usize,
}

impl SweepConfig {
    /// The batching of the runs at `bs`.
    pub fn batch(&self, bs: usize) -> BatchConfig {
        BatchConfig {
            bs,
            bptt: self.bptt,
            scheme: self.scheme,
            seed: self.seed,
        }
    }

    /// The batch sizes, ascending.
    pub fn batch_sizes(&self) -> Vec<usize> {
        self.lrs.iter().map(|&(bs, _)| bs).collect()
    }

    /// Every (bs, lr) run: bs ascending, then lr ascending.
    pub fn jobs(&self) -> Vec<(usize, f64)> {
        jobs(&self.lrs)
    }

    /// Why the config cannot be swept, if it cannot.
    pub fn check(&self) -> Result<(), String> {
        let ascending = |ok: bool, what: &str| match ok {
            true => Ok(()),
            false => Err(format!(
                "a sweep's {what} must be sorted ascending without repeats"
            )),
        };
        if self.lrs.is_empty() || self.lrs.iter().any(|(_, lrs)| lrs.is_empty()) {
            return Err("a sweep needs at least one bs and one lr".into());
        }
        let bs = self.batch_sizes();
        ascending(bs.windows(2).all(|w| w[0] < w[1]), "bs")?;
        for (_, lrs) in &self.lrs {
            ascending(lrs.windows(2).all(|w| w[0] < w[1]), "lrs")?;
        }
        if bs[0] == 0 {
            return Err("bs must be at least 1".into());
        }
        if !self
            .jobs()
            .iter()
            .all(|(_, lr)| lr.is_finite() && *lr > 0.0)
        {
            return Err("every lr must be a positive number".into());
        }
        if self.max_tokens == 0 {
            return Err("the token budget must be at least 1".into());
        }
        Ok(())
    }
}

/// Every (bs, lr) of a per-bs table of lrs, in the table's order.
pub fn jobs(lrs: &[(usize, Vec<f64>)]) -> Vec<(usize, f64)> {
    lrs.iter()
        .flat_map(|(bs, lrs)| lrs.iter().map(move |&lr| (*bs, lr)))
        .collect()
}

/// The lrs `lrs` (ascending) at every bs of `bs` (ascending).
pub fn same_lrs(bs: &[usize], lrs: &[f64]) -> Vec<(usize, Vec<f64>)> {
    bs.iter().map(|&b| (b, lrs.to_vec())).collect()
}

/// Per bs of `bs` (ascending), `lrs` (ascending) — chosen for
/// `reference_bs` — as `rule` carries each to that bs (e.g. × √(bs /
/// reference_bs)); the page's sweep panel builds its grid this way.
pub fn lrs_by_rule(
    bs: &[usize],
    lrs: &[f64],
    rule: LrRule,
    reference_bs: usize,
) -> Vec<(usize, Vec<f64>)> {
    bs.iter()
        .map(|&b| {
            let scale = rule.scale(b, reference_bs);
            (b, lrs.iter().map(|lr| lr * scale).collect())
        })
        .collect()
}

/// `max_tokens /` [`VALIDATIONS_PER_BUDGET`], at least 1.
pub fn default_validate_every(max_tokens: usize) -> usize {
    (max_tokens / VALIDATIONS_PER_BUDGET).max(1)
}

/// The best lr of one bs: the reached run with the fewest steps (the lower
/// lr on a tie), or all `None` when no run of this bs reached the target.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BestLr {
    pub bs: usize,
    pub best_lr: Option<f64>,
    pub steps: Option<usize>,
    pub tokens: Option<usize>,
}

/// Where a sweep's events go: a progress bar, or nowhere.
pub trait SweepObserver: Sync {
    /// The target is known (given, or set by the pilot): the runs start.
    fn target(&self, _target_loss: f64) {}
    /// A run (or the pilot) trained a step of `tokens` tokens.
    fn trained(&self, _tokens: usize) {}
    /// A run finished; `budget_left` of its `max_tokens` were not needed.
    fn finished(&self, _run: &RunResult, _budget_left: usize) {}
}

/// Observes nothing.
impl SweepObserver for () {}

/// A finished sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepResult {
    pub target_loss: f64,
    /// The run that set the target, when none was given.
    pub pilot: Option<Pilot>,
    /// One per (bs, lr), sorted by bs then lr.
    pub runs: Vec<RunResult>,
    /// One per bs, ascending.
    pub best: Vec<BestLr>,
    /// The curve through the best runs; `None` with fewer than 2 bs reached.
    pub fit: Option<Fit>,
}

/// Runs the sweep of `config` on `split` from `model` (see the module docs)
/// on up to `threads` threads, toward `target_loss` or, when `None`, the
/// pilot's target. Errors are one line: a bs the training text is too short
/// for, a pilot that failed.
pub fn run_sweep(
    split: &ValidationSplit,
    model: &Model<f32>,
    config: &SweepConfig,
    target_loss: Option<f64>,
    threads: usize,
    observer: &dyn SweepObserver,
) -> Result<SweepResult, String> {
    config.check()?;
    // Fail on a bs the text is too short for now, not after the pilot.
    for bs in config.batch_sizes() {
        LmBatcher::new(&split.train, config.batch(bs)).map_err(|e| e.to_string())?;
    }
    let trained = |tokens| observer.trained(tokens);
    let (target_loss, pilot) = match target_loss {
        Some(target) => (target, None),
        None => {
            let pilot = pilot_target(split, model, config, &trained)?;
            (pilot.target_loss, Some(pilot))
        }
    };
    observer.target(target_loss);
    let jobs = config.jobs();
    let runs = pool::parallel_map(&jobs, threads, |&job| {
        let run = train_to_target(
            split,
            model,
            config,
            job,
            config.max_tokens,
            Some(target_loss),
            &trained,
        )?;
        observer.finished(&run, config.max_tokens.saturating_sub(run.tokens));
        Ok::<_, String>(run)
    })
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    let best = best_lrs(&config.batch_sizes(), &runs);
    let points: Vec<(f64, f64)> = best
        .iter()
        .filter_map(|b| Some((b.bs as f64, b.steps? as f64)))
        .collect();
    Ok(SweepResult {
        target_loss,
        pilot,
        fit: fit_critical_batch(&points),
        runs,
        best,
    })
}

/// Per bs in `bs`, its best reached run among `runs`.
pub fn best_lrs(bs: &[usize], runs: &[RunResult]) -> Vec<BestLr> {
    bs.iter()
        .map(|&bs| {
            let best = runs
                .iter()
                .filter(|run| run.bs == bs && run.reached)
                .min_by(|a, b| a.steps.cmp(&b.steps).then(a.lr.total_cmp(&b.lr)));
            BestLr {
                bs,
                best_lr: best.map(|run| run.lr),
                steps: best.map(|run| run.steps),
                tokens: best.map(|run| run.tokens),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
