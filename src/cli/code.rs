//! `batchscope code`: the programs of the page's "Show code" panel, for the
//! settings of a page URL — the single stepped run in PyTorch, the
//! library's own loader, the race and the sweep as PyTorch programs.

use super::stdout::print_all;
use super::Args;
use crate::data::batcher::Scheme;
use crate::page::settings::Settings;
use crate::page::show_code::{library_loader, page_sweep, pytorch, race_program, sweep_program};
use crate::training::race::{LrRule, RaceValue, RaceVariable};
use crate::training::sweep::default_validate_every;

const HELP: &str = "\
batchscope code — the page's \"Show code\" programs

USAGE:
    batchscope code --program P [--settings HASH] [OPTIONS]

OPTIONS:
    --program P       pytorch (one run, stepped as the page steps it) |
                      library (the library's own loader) |
                      race | sweep (PyTorch programs of the race and the sweep)
    --settings HASH   the page's settings, as in its URL after # (bs=64&bptt=70&…);
                      fields left out keep the page's defaults
  race:
    --runs V,V,…      the race's chips: bs=4,bs=16,… | bptt=35,… |
                      scheme=pytorch,… | hidden=carried,hidden=reset
                      (default: bs=4,bs=16,bs=64,bs=256)
    --lr-rule R       same (default) | sqrt | linear: the lr × 1, √(bs/B) or
                      bs/B, B the settings' bs
  sweep (defaults: the page's sweep):
    --bs N,N,…        batch sizes (default 1,2,4,…,128)
    --lrs X,X,…       learning rates tried at every bs (default: the settings'
                      lr × 0.25, 0.5, 1, 2, 4, 8)
    --target-loss X   the target validation loss (default: a pilot run sets it)
    --max-tokens N    training tokens a run may use (default 1000000)
";

const OPTIONS: &[&str] = &[
    "program",
    "settings",
    "runs",
    "lr-rule",
    "bs",
    "lrs",
    "target-loss",
    "max-tokens",
];

pub(crate) fn run(args: &Args) -> Result<(), String> {
    if args.flag("help") {
        print!("{HELP}");
        return Ok(());
    }
    args.only(OPTIONS)?;
    let (settings, notices) = Settings::from_hash(args.value("settings")?.unwrap_or(""));
    if let Some(notice) = notices.first() {
        return Err(format!("--settings: {notice}"));
    }
    let program = match args.value("program")? {
        Some("pytorch") => pytorch(&settings),
        Some("library") => library_loader(&settings),
        Some("race") => race(args, &settings)?,
        Some("sweep") => sweep(args, &settings)?,
        Some(other) => {
            return Err(format!(
                "--program: `{other}` is not pytorch, library, race or sweep"
            ))
        }
        None => return Err("code needs --program pytorch|library|race|sweep (try --help)".into()),
    };
    print_all(&program)
}

fn race(args: &Args, settings: &Settings) -> Result<String, String> {
    let values = match args.value("runs")? {
        None => RaceVariable::BatchSize.default_values(),
        Some(text) => text.split(',').map(race_value).collect::<Result<_, _>>()?,
    };
    let lr_rule = match args.value("lr-rule")? {
        None | Some("same") => LrRule::Same,
        Some("sqrt") => LrRule::SqrtBs,
        Some("linear") => LrRule::LinearBs,
        Some(other) => return Err(format!("--lr-rule: `{other}` is not same, sqrt or linear")),
    };
    let first = values[0].variable();
    if let Some(other) = values.iter().find(|v| v.variable() != first) {
        return Err(format!(
            "--runs: a race varies one thing, but {} and {other} differ in {first} and {}",
            values[0],
            other.variable()
        ));
    }
    Ok(race_program(settings, &values, lr_rule))
}

/// One chip as the legend writes it: `bs=4`, `bptt=35`, `scheme=pytorch`, `hidden=reset`.
fn race_value(text: &str) -> Result<RaceValue, String> {
    let bad =
        || format!("--runs: cannot read `{text}` (bs=N, bptt=N, scheme=S or hidden=carried|reset)");
    let (name, value) = text.trim().split_once('=').ok_or_else(bad)?;
    let number = || {
        value
            .parse::<usize>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(bad)
    };
    match name {
        "bs" => Ok(RaceValue::Bs(number()?)),
        "bptt" => Ok(RaceValue::Bptt(number()?)),
        "scheme" => Ok(RaceValue::Scheme(
            value
                .parse::<Scheme>()
                .map_err(|e| format!("--runs: {e}"))?,
        )),
        "hidden" if value == "carried" => Ok(RaceValue::Carry(true)),
        "hidden" if value == "reset" => Ok(RaceValue::Carry(false)),
        _ => Err(bad()),
    }
}

fn sweep(args: &Args, settings: &Settings) -> Result<String, String> {
    let mut config = page_sweep(settings);
    config.bs = args.get_list("bs", config.bs)?;
    config.bs.sort_unstable();
    config.bs.dedup();
    config.lrs = args.get_list("lrs", config.lrs)?;
    config.lrs.sort_by(f64::total_cmp);
    config.lrs.dedup();
    config.max_tokens = args.get("max-tokens", config.max_tokens)?;
    config.validate_every_tokens = default_validate_every(config.max_tokens);
    config.check()?;
    let target: Option<f64> = args.parsed("target-loss")?;
    if target.is_some_and(|t| !(t > 0.0 && t.is_finite())) {
        return Err("--target-loss must be a positive number of nats".into());
    }
    Ok(sweep_program(settings, &config, target))
}
