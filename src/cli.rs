//! The CLI's verbs. The command line is declared once, with clap's derive:
//! each verb's options are a struct in its own module, the flag groups that
//! several verbs share are structs flattened into them, and the help, the
//! defaults and the checks all come from those declarations. Each verb is
//! `run(&its options) -> Result<(), String>`; errors are one line for the
//! user, never a panic.
//!
//! Native only (see src/lib.rs): clap and indicatif are not built for wasm32.

mod batches;
mod batching_flags;
mod bench;
mod code;
mod corpus_files;
mod cpu_time;
mod initial_model;
mod lr_rule_flag;
mod noise;
mod sample;
mod stdout;
mod sweep;
mod train;
mod training_flags;
mod values;
mod vocab_file;

use clap::error::ErrorKind;
use clap::{Command, CommandFactory, FromArgMatches, Parser, Subcommand};

/// batchscope — see mini-batching and truncated BPTT
#[derive(Parser, Debug)]
#[command(
    name = "batchscope",
    version,
    subcommand_value_name = "VERB",
    subcommand_help_heading = "Verbs",
    after_help = "Run `batchscope <VERB> --help` for a verb's options."
)]
struct Cli {
    #[command(subcommand)]
    verb: Option<Verb>,
}

#[derive(Subcommand, Debug)]
enum Verb {
    /// how a corpus becomes language-model batches (JSON lines)
    #[command(after_help = batches::OUTPUT)]
    Batches(batches::BatchesArgs),
    /// training-step speed of the LSTM (tokens/s, GFLOP/s)
    Bench(bench::BenchArgs),
    /// the page's "Show code" programs: one run, the library's loader, the
    /// race and the sweep in PyTorch
    Code(code::CodeArgs),
    /// gradient noise scale B_simple: the batch size where noise = signal
    /// (McCandlish et al. 2018)
    #[command(after_help = noise::DEFINITION)]
    Noise(noise::NoiseArgs),
    /// generate text with a trained model (prints the primer, then the text)
    Sample(sample::SampleArgs),
    /// steps to a target loss per batch size; the critical batch size
    #[command(after_help = sweep::EXPLANATION)]
    Sweep(sweep::SweepArgs),
    /// train the LSTM language model (JSON line per step)
    #[command(after_help = train::OUTPUT)]
    Train(train::TrainArgs),
}

/// Parses `argv` (without the program name) and runs the chosen verb. Help
/// and the version go to stdout and succeed; a bad command line is one line
/// naming the flag and what is wrong with it.
pub fn run(argv: &[String]) -> Result<(), String> {
    let program = std::iter::once("batchscope".to_string());
    let parsed = command()
        .try_get_matches_from(program.chain(argv.iter().cloned()))
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            print!("{}", e.render());
            return Ok(());
        }
        Err(e) => return Err(one_line(&e.render().to_string())),
    };
    match &cli.verb {
        None => {
            print!("{}", command().render_help());
            Ok(())
        }
        Some(Verb::Batches(args)) => batches::run(args),
        Some(Verb::Bench(args)) => bench::run(args),
        Some(Verb::Code(args)) => code::run(args),
        Some(Verb::Noise(args)) => noise::run(args),
        Some(Verb::Sample(args)) => sample::run(args),
        Some(Verb::Sweep(args)) => sweep::run(args),
        Some(Verb::Train(args)) => train::run(args),
    }
}

/// The command line as declared, where a value may be negative (`--bs -1`),
/// so that it is refused by the flag's own check, which names the flag.
fn command() -> Command {
    Cli::command().mut_subcommands(|verb| {
        verb.mut_args(|arg| {
            let takes_value = arg.get_action().takes_values();
            arg.allow_negative_numbers(takes_value)
        })
    })
}

/// clap's error without its usage block, on one line: the message, then
/// its details (the missing flags, the possible values, a tip) in order.
fn one_line(rendered: &str) -> String {
    let mut lines = rendered
        .lines()
        .map(str::trim)
        .take_while(|line| !line.starts_with("Usage:") && !line.starts_with("For more information"))
        .filter(|line| !line.is_empty());
    let head = lines.next().unwrap_or_default();
    let head = head.strip_prefix("error: ").unwrap_or(head);
    let details: Vec<&str> = lines.collect();
    match (details.is_empty(), head.ends_with(':')) {
        (true, _) => format!("{head} (try --help)"),
        // "… not provided: --bs <N>, --bptt <N>"
        (false, true) => format!("{head} {} (try --help)", details.join(", ")),
        (false, false) => format!("{head}; {} (try --help)", details.join("; ")),
    }
}

#[cfg(test)]
mod tests;
