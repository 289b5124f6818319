//! The CLI's verbs. Each verb is a module with `run(&Args) -> Result<(), String>`;
//! errors are one line for the user, never a panic.

mod args;
mod batches;
mod corpus_files;

pub use args::Args;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub const HELP: &str = "\
batchscope — see mini-batching and truncated BPTT

USAGE:
    batchscope <VERB> [OPTIONS]
    batchscope --help | --version

VERBS:
    batches    how a corpus becomes language-model batches (JSON lines)

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
        Some(verb) => Err(format!("unknown verb `{verb}` (try --help)")),
    }
}
