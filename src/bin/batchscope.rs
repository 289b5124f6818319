//! The `batchscope` command line: the same core as the page, for scripts,
//! tests and comparisons with PyTorch.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if let Err(message) = batchscope::cli::run(&argv) {
        eprintln!("batchscope: {message}");
        std::process::exit(2);
    }
}

/// `cargo test --target wasm32-unknown-unknown` builds every binary next to
/// the tests; the CLI itself is native only (see src/lib.rs).
#[cfg(target_arch = "wasm32")]
fn main() {}
