//! The `batchscope` command line: the same core as the page, for scripts,
//! tests and comparisons with PyTorch.

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if let Err(message) = batchscope::cli::run(&argv) {
        eprintln!("batchscope: {message}");
        std::process::exit(2);
    }
}
