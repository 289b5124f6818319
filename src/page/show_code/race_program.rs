//! The race as a PyTorch program: every run of the race the learner set up
//! (the page's settings with one value changed, the lr after the race's lr
//! rule), trained on the same 90% of the text and validated on the same
//! 10%, printing its losses against updates and tokens.

use super::batching::{scheme_tables, HELPERS};
use super::program::{constants, opening, py_float, py_str, Common, CORPUS, RUN_MAIN, TRAINING};
use crate::page::settings::Settings;
use crate::training::page_model::CLIP;
use crate::training::race::history::DEFAULT_SMOOTHING;
use crate::training::race::validation::{VALIDATE_EVERY_TOKENS, VALIDATION_TOKENS};
use crate::training::race::{run_config, LrRule, RaceValue, RaceVariable};

/// Training tokens per run in the exported race: the page's race runs until
/// it is stopped, a program needs an end (`--max-tokens` changes it). A
/// million tokens is the native sweep's usual budget, where the runs' curves
/// have long separated.
pub const RACE_MAX_TOKENS: usize = 1_000_000;

const DOC: &str = "batchscope's race as a PyTorch program: runs that differ in one thing, trained
side by side on the same 90% of the text and validated on the other 10%.

Prints a JSON line per run at every validation pass (updates, tokens, seconds,
the smoothed training loss, the validation loss), then one summary per run.
    python3 race.py --corpus my_text.txt [--device cuda] [--workers 4]";

/// How the lr follows bs, in words for the program's comment.
fn rule_text(rule: LrRule, reference_bs: usize) -> String {
    match rule {
        LrRule::Same => "the same lr for every bs".into(),
        LrRule::SqrtBs => format!("lr × √(bs / {reference_bs})"),
        LrRule::LinearBs => format!("lr × bs / {reference_bs}"),
    }
}

/// The race program for the runs `values` over the page's settings `base`
/// with the lr following `lr_rule` (as `run_config` makes each run).
pub fn race_program(base: &Settings, values: &[RaceValue], lr_rule: LrRule) -> String {
    let runs: Vec<_> = values
        .iter()
        .map(|&value| run_config(base, value, lr_rule))
        .collect();
    let rows: String = runs
        .iter()
        .map(|run| {
            let s = &run.settings;
            format!(
                "    {{\"label\": {}, \"bs\": {}, \"lr\": {}, \"bptt\": {}, \"scheme\": \"{}\", \"carry\": {}}},\n",
                py_str(&run.label),
                s.bs,
                py_float(s.lr),
                s.bptt,
                s.scheme,
                if run.carry { "True" } else { "False" },
            )
        })
        .collect();
    let schemes: Vec<_> = runs.iter().map(|run| run.settings.scheme).collect();
    let common = Common {
        settings: base,
        seed: base.seed,
        optimizer: base.optimizer,
        clip: Some(CLIP),
        max_tokens: RACE_MAX_TOKENS,
    };
    let settings = constants(&[
        (
            format!("VALIDATE_EVERY_TOKENS = {VALIDATE_EVERY_TOKENS}"),
            "a validation pass every this many training tokens",
        ),
        (
            format!("VALIDATION_TOKENS = {VALIDATION_TOKENS}"),
            "targets a pass reads, in the run's bs streams",
        ),
        (
            format!("SMOOTHING = {}", py_float(DEFAULT_SMOOTHING)),
            "of the training loss (a debiased moving average)",
        ),
    ]);
    let rule = match values.first().map(|v| v.variable()) {
        Some(RaceVariable::BatchSize) => rule_text(lr_rule, base.bs),
        _ => format!("the page's {} for every run", base.lr),
    };
    format!(
        "{opening}# One run per chip: the page's settings with one value changed; lr: {rule}.\n\
         RUNS = [\n{rows}]\n{settings}\n\n{CORPUS}\n\
         # ---- Batches: each scheme as its library makes them --------------------------\n\
         {HELPERS}\n\n{tables}\n\n{TRAINING}\n{race}{RUN_MAIN}",
        opening = opening(DOC, &common),
        tables = scheme_tables(&schemes),
        race = include_str!("python/race.py"),
    )
}
