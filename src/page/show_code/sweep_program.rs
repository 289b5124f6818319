//! The sweep as a PyTorch program: for each bs and each lr, a run from the
//! same initial weights until its smoothed validation loss reaches the
//! target; the steps and tokens each needed, the best lr per bs, and the
//! critical batch size fitted to the best steps — the computation of
//! `crate::training::sweep`, line for line, printing the lines
//! `batchscope sweep` prints.

use super::batching::{scheme_tables, HELPERS};
use super::program::{constants, opening, py_float, py_list, Common, CORPUS, RUN_MAIN, TRAINING};
use crate::page::settings::Settings;
use crate::training::race::stats::DIVERGED_FACTOR;
use crate::training::race::sweep_plan::SweepPlan;
use crate::training::race::validation::VALIDATION_TOKENS;
use crate::training::sweep::fit::{B_CRIT_RANGE, GOLDEN_ITERATIONS, GRID};
use crate::training::sweep::passes::JUDGE_AFTER_SHARE;
use crate::training::sweep::pilot::PILOT_SHARE;
use crate::training::sweep::run::{VALIDATION_SMOOTHING, VALIDATION_STREAMS};
use crate::training::sweep::{SweepConfig, VALIDATIONS_PER_BUDGET};

const DOC: &str = "batchscope's sweep as a PyTorch program: how batch size affects convergence.

For each bs and each of its lrs, a run from the same initial weights until its
smoothed validation loss reaches the target; then per bs the lr that needed the
fewest steps, and the fit S(b) = S_min (1 + B_crit / b) to those steps
(McCandlish et al. 2018). Prints the JSON lines `batchscope sweep` prints.
    python3 sweep.py --corpus my_text.txt [--device cuda] [--workers 4]
On several machines: give each the same --target-loss and its own --runs,
save the lines each prints, and --combine the files.";

/// A sweep as the program trains it: its runs (per bs the lrs tried at
/// it) and what every run shares, and its target.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportedSweep {
    pub config: SweepConfig,
    /// The validation loss to reach; `None`: a pilot run sets it.
    pub target: Option<f64>,
}

impl ExportedSweep {
    /// The sweep the page's sweep panel would run: `plan`'s batch sizes,
    /// each with the lrs around its lr rule's value, its budget and target.
    pub fn of_plan(plan: &SweepPlan) -> Self {
        Self::of_batch_sizes(plan, &plan.batch_sizes())
    }

    /// `plan` at the batch sizes `bs` (sorted, no repeats) instead of its
    /// doublings.
    pub fn of_batch_sizes(plan: &SweepPlan, bs: &[usize]) -> Self {
        let config = SweepConfig {
            lrs: plan.lrs_at(bs),
            ..plan.run(plan.pilot_job(), plan.target).config()
        };
        ExportedSweep {
            config,
            target: plan.target,
        }
    }
}

/// The sweep program: `sweep.config` says which runs there are and what
/// they train with (batching, seed, optimizer, clip, budget),
/// `settings` the text, the tokens and the model's size; a target of `None`
/// lets a pilot run set it, as `batchscope sweep` does.
pub fn sweep_program(settings: &Settings, sweep: &ExportedSweep) -> String {
    let (config, target_loss) = (&sweep.config, sweep.target);
    let common = Common {
        settings,
        seed: config.seed,
        optimizer: config.optimizer,
        clip: config.clip,
        max_tokens: config.max_tokens,
    };
    let settings = constants(&[
        (
            format!("LRS = {}", py_lrs(&config.lrs)),
            "per bs, the learning rates tried at it",
        ),
        ("BS = sorted(LRS)".to_string(), "batch sizes"),
        (
            format!("BPTT, SCHEME = {}, \"{}\"", config.bptt, config.scheme),
            "the batching of every run",
        ),
        (
            format!(
                "TARGET_LOSS = {}",
                target_loss.map_or("None".into(), py_float)
            ),
            "None: a pilot run sets it",
        ),
        (
            format!("VALIDATE_EVERY_TOKENS = {}", config.validate_every_tokens),
            "a validation pass every this many training tokens",
        ),
        (
            format!("VALIDATIONS_PER_BUDGET = {VALIDATIONS_PER_BUDGET}"),
            "the same as a share of another --max-tokens",
        ),
        (
            format!(
                "VALIDATION_TOKENS, VALIDATION_STREAMS = {VALIDATION_TOKENS}, {VALIDATION_STREAMS}"
            ),
            "what a pass reads, the same for every bs",
        ),
        (
            format!("VALIDATION_SMOOTHING = {}", py_float(VALIDATION_SMOOTHING)),
            "of the validation losses",
        ),
        (
            format!("PILOT_SHARE = {PILOT_SHARE}"),
            "the pilot trains on max-tokens / this",
        ),
        (
            format!("JUDGE_AFTER_SHARE = {JUDGE_AFTER_SHARE}"),
            "a run may be given up after its budget / this",
        ),
        (
            format!("DIVERGED_FACTOR = {}", py_float(DIVERGED_FACTOR)),
            "x ln(vocabulary): worse than guessing",
        ),
        (
            format!(
                "B_CRIT_RANGE, GRID, GOLDEN_ITERATIONS = {}, {GRID}, {GOLDEN_ITERATIONS}",
                py_float(B_CRIT_RANGE)
            ),
            "the fit's search",
        ),
    ]);
    format!(
        "{opening}{settings}\n\n{CORPUS}\n\
         # ---- Batches: the scheme as its library makes them ---------------------------\n\
         {HELPERS}\n\n{tables}\n\n{TRAINING}\n{fit}\n{sweep}{RUN_MAIN}",
        opening = opening(DOC, &common),
        tables = scheme_tables(&[config.scheme]),
        fit = include_str!("python/fit.py"),
        sweep = include_str!("python/sweep.py"),
    )
}

/// Per bs its lrs as a Python dict: `{1: [0.006, 0.024], 2: [...]}`.
fn py_lrs(lrs: &[(usize, Vec<f64>)]) -> String {
    let rows: Vec<String> = lrs
        .iter()
        .map(|(bs, l)| format!("{bs}: {}", py_list(l, |&lr| py_float(lr))))
        .collect();
    format!("{{{}}}", rows.join(", "))
}
