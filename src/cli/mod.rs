//! The CLI's verbs. Each verb is a module with `run(&Args) -> Result<(), String>`;
//! errors are one line for the user, never a panic.

mod args;
mod batches;
mod bench;
mod corpus_files;
mod cpu_time;
mod initial_model;
mod noise;
mod sample;
mod stdout;
// Native only, like its progress bar (see Cargo.toml); the CLI never runs in wasm.
#[cfg(not(target_arch = "wasm32"))]
mod sweep;
mod train;
mod training_flags;
mod vocab_file;

pub use args::Args;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub const HELP: &str = "\
batchscope — see mini-batching and truncated BPTT

USAGE:
    batchscope <VERB> [OPTIONS]
    batchscope --help | --version

VERBS:
    batches    how a corpus becomes language-model batches (JSON lines)
    bench      training-step speed of the LSTM (tokens/s, GFLOP/s)
    noise      gradient noise scale B_simple: the batch size where noise = signal
    sample     generate text from a trained model
    sweep      steps to a target loss per batch size; the critical batch size
    train      train the LSTM language model (JSON line per step)

Run `batchscope <VERB> --help` for a verb's options.
";

/// Parses `argv` (without the program name) and runs the chosen verb.
pub fn run(argv: &[String]) -> Result<(), String> {
    let args = Args::parse(argv)?;
    match args.verb.as_deref() {
        None if args.flag("version") => {
            println!("batchscope {VERSION}");
            Ok(())
        }
        None => {
            print!("{HELP}");
            Ok(())
        }
        Some("batches") => batches::run(&args),
        Some("bench") => bench::run(&args),
        Some("noise") => noise::run(&args),
        Some("sample") => sample::run(&args),
        #[cfg(not(target_arch = "wasm32"))]
        Some("sweep") => sweep::run(&args),
        Some("train") => train::run(&args),
        Some(verb) => Err(format!("unknown verb `{verb}` (try --help)")),
    }
}
