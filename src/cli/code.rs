//! `batchscope code`: the programs of the page's "Show code" panel, for the
//! settings of a page URL — the single stepped run in PyTorch, the
//! library's own loader, the race and the sweep as PyTorch programs.

use super::lr_rule_flag::Rule;
use super::stdout::print_all;
use super::values::{at_least_one, positive};
use crate::data::batcher::Scheme;
use crate::page::settings::Settings;
use crate::page::show_code::{library_loader, pytorch, race_program, sweep_program, ExportedSweep};
use crate::training::race::sweep_plan::{
    SweepPlan, DEFAULT_LARGEST_BS, DEFAULT_LR_GRID, DEFAULT_MAX_TOKENS, LR_GRIDS,
};
use crate::training::race::{race_variable, RaceValue, RaceVariable};
use crate::training::sweep::same_lrs;
use clap::{Args, ValueEnum};

/// Which program.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Program {
    /// one run, stepped as the page steps it
    Pytorch,
    /// the library's own loader
    Library,
    /// the race as a PyTorch program
    Race,
    /// the sweep as a PyTorch program
    Sweep,
}

/// The options of `code`.
#[derive(Args, Debug)]
pub(crate) struct CodeArgs {
    /// which program
    #[arg(long, value_enum, value_name = "P")]
    program: Program,
    /// the page's settings, as in its URL after # (bs=64&bptt=70&…); fields
    /// left out keep the page's defaults
    #[arg(long, value_name = "HASH")]
    settings: Option<String>,
    /// race: its chips, bs=N… | bptt=N… | scheme=S… | hidden=carried,hidden=reset
    /// [default: bs=4,bs=16,bs=64,bs=256]
    #[arg(long, value_name = "V,V,…", value_delimiter = ',', value_parser = race_value)]
    runs: Vec<RaceValue>,
    /// race and sweep: how the lr follows bs
    #[arg(long, value_enum, value_name = "R", default_value_t = Rule::Same)]
    lr_rule: Rule,
    /// sweep: batch sizes [default: 1, 2, 4, … up to --largest-bs]
    #[arg(long, value_name = "N,N,…", value_delimiter = ',', value_parser = at_least_one)]
    bs: Vec<usize>,
    /// sweep: the largest of the default batch sizes, as the page's "bs up to"
    #[arg(long, value_name = "N", default_value_t = DEFAULT_LARGEST_BS, value_parser = at_least_one)]
    largest_bs: usize,
    /// sweep: each bs's lrs as factors of the lr rule's value there, as the
    /// page's "lrs per bs" [default: 2,8,32]
    #[arg(long, value_name = "X,X,…", value_delimiter = ',', value_parser = positive)]
    lr_factors: Vec<f64>,
    /// sweep: the same learning rates at every bs, instead of the lr rule's
    /// value × --lr-factors
    #[arg(long, value_name = "X,X,…", value_delimiter = ',', value_parser = positive)]
    lrs: Vec<f64>,
    /// sweep: the target validation loss [default: a pilot run sets it]
    #[arg(long, value_name = "X", value_parser = positive)]
    target_loss: Option<f64>,
    /// sweep: training tokens a run may use
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_TOKENS, value_parser = at_least_one)]
    max_tokens: usize,
}

/// One chip as the race's legend writes it: `bs=4`, `bptt=35`,
/// `scheme=pytorch`, `hidden=reset`.
fn race_value(text: &str) -> Result<RaceValue, String> {
    let bad = || format!("`{text}` is not bs=N, bptt=N, scheme=S or hidden=carried|reset");
    let (name, value) = text.trim().split_once('=').ok_or_else(bad)?;
    let number = || {
        value
            .parse::<usize>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(bad)
    };
    match (name, value) {
        ("bs", _) => Ok(RaceValue::Bs(number()?)),
        ("bptt", _) => Ok(RaceValue::Bptt(number()?)),
        ("scheme", _) => Ok(RaceValue::Scheme(value.parse::<Scheme>()?)),
        ("hidden", "carried") => Ok(RaceValue::Carry(true)),
        ("hidden", "reset") => Ok(RaceValue::Carry(false)),
        _ => Err(bad()),
    }
}

pub(crate) fn run(args: &CodeArgs) -> Result<(), String> {
    let (settings, notices) = Settings::from_hash(args.settings.as_deref().unwrap_or(""));
    if let Some(notice) = notices.first() {
        return Err(format!("--settings: {notice}"));
    }
    let program = match args.program {
        Program::Pytorch => pytorch(&settings),
        Program::Library => library_loader(&settings),
        Program::Race => race(args, &settings)?,
        Program::Sweep => sweep(args, &settings)?,
    };
    print_all(&program)
}

fn race(args: &CodeArgs, settings: &Settings) -> Result<String, String> {
    let values = match args.runs.is_empty() {
        true => RaceVariable::BatchSize.default_values(),
        false => args.runs.clone(),
    };
    race_variable(&values).map_err(|e| format!("--runs: {e}"))?;
    Ok(race_program(settings, &values, args.lr_rule.into()))
}

/// The page's sweep with the sweep panel's fields given as flags.
fn sweep(args: &CodeArgs, settings: &Settings) -> Result<String, String> {
    let plan = SweepPlan {
        base: settings.clone(),
        lr_rule: args.lr_rule.into(),
        largest_bs: args.largest_bs,
        lr_factors: match args.lr_factors.is_empty() {
            true => LR_GRIDS[DEFAULT_LR_GRID].0.to_vec(),
            false => args.lr_factors.clone(),
        },
        max_tokens: args.max_tokens,
        target: args.target_loss,
    };
    let mut bs = match args.bs.is_empty() {
        true => plan.batch_sizes(),
        false => args.bs.clone(),
    };
    bs.sort_unstable();
    bs.dedup();
    let mut sweep = ExportedSweep::of_batch_sizes(&plan, &bs);
    if !args.lrs.is_empty() {
        let mut lrs = args.lrs.clone();
        lrs.sort_by(f64::total_cmp);
        lrs.dedup();
        sweep.config.lrs = same_lrs(&bs, &lrs);
    }
    sweep.config.check()?;
    Ok(sweep_program(settings, &sweep))
}
