//! The sweep as a PyTorch program: for each bs and each lr, a run from the
//! same initial weights until its smoothed validation loss reaches the
//! target; the steps and tokens each needed, the best lr per bs, and the
//! critical batch size fitted to the best steps — the computation of
//! `crate::training::sweep`, line for line, printing the lines
//! `batchscope sweep` prints.

use super::batching::{scheme_tables, HELPERS};
use super::program::{constants, opening, py_float, py_list, Common, CORPUS, RUN_MAIN, TRAINING};
use crate::page::settings::Settings;
use crate::training::page_model::CLIP;
use crate::training::race::stats::DIVERGED_FACTOR;
use crate::training::race::validation::VALIDATION_TOKENS;
use crate::training::sweep::fit::{B_CRIT_RANGE, GOLDEN_ITERATIONS, GRID};
use crate::training::sweep::passes::JUDGE_AFTER_SHARE;
use crate::training::sweep::pilot::PILOT_SHARE;
use crate::training::sweep::run::{VALIDATION_SMOOTHING, VALIDATION_STREAMS};
use crate::training::sweep::{default_validate_every, SweepConfig, VALIDATIONS_PER_BUDGET};

/// The batch sizes of the page's sweep until the learner picks their own:
/// the doublings from 1 to 128 of `batchscope sweep`'s measured example.
pub const SWEEP_BS: [usize; 8] = [1, 2, 4, 8, 16, 32, 64, 128];
/// The lrs tried at every bs, as multiples of the page's lr: doublings
/// around it, more above than below, since larger batches take larger steps.
pub const SWEEP_LR_FACTORS: [f64; 6] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0];
/// Training tokens a run of the page's sweep may use.
pub const SWEEP_MAX_TOKENS: usize = 1_000_000;

const DOC: &str = "batchscope's sweep as a PyTorch program: how batch size affects convergence.

For each bs and each lr, a run from the same initial weights until its smoothed
validation loss reaches the target; then per bs the lr that needed the fewest
steps, and the fit S(b) = S_min (1 + B_crit / b) to those steps (McCandlish et
al. 2018). Prints the JSON lines `batchscope sweep` prints.
    python3 sweep.py --corpus my_text.txt [--device cuda] [--workers 4]
On several machines: give each the same --target-loss and its own --runs,
save the lines each prints, and --combine the files.";

/// The sweep the page would run on `settings`: its batching, seed and
/// optimizer, [`SWEEP_BS`], the lrs [`SWEEP_LR_FACTORS`] × the page's lr,
/// the page's clip, [`SWEEP_MAX_TOKENS`].
pub fn page_sweep(settings: &Settings) -> SweepConfig {
    SweepConfig {
        bs: SWEEP_BS.to_vec(),
        lrs: SWEEP_LR_FACTORS.iter().map(|f| f * settings.lr).collect(),
        bptt: settings.bptt,
        scheme: settings.scheme,
        seed: settings.seed,
        optimizer: settings.optimizer,
        clip: Some(CLIP),
        max_tokens: SWEEP_MAX_TOKENS,
        validate_every_tokens: default_validate_every(SWEEP_MAX_TOKENS),
    }
}

/// The sweep program: `config` says what the runs train with (batching,
/// seed, optimizer, clip, budget, bs and lrs), `settings` the text, the
/// tokens and the model's size; `target_loss` `None` lets a pilot run set
/// the target, as `batchscope sweep` does.
pub fn sweep_program(
    settings: &Settings,
    config: &SweepConfig,
    target_loss: Option<f64>,
) -> String {
    let common = Common {
        settings,
        seed: config.seed,
        optimizer: config.optimizer,
        clip: config.clip,
        max_tokens: config.max_tokens,
    };
    let settings = constants(&[
        (
            format!("BS = {}", py_list(&config.bs, |b| b.to_string())),
            "batch sizes",
        ),
        (
            format!("LRS = {}", py_list(&config.lrs, |&lr| py_float(lr))),
            "learning rates tried at every bs",
        ),
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
