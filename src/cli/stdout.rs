//! Printing a verb's finished output.

use std::io::{self, Write};

/// Writes `text` to stdout. A closed pipe (`| head`) is the reader's
/// choice, not an error; any other failure is one line.
pub(crate) fn print_all(text: &str) -> Result<(), String> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(format!("cannot write output: {e}")),
        _ => Ok(()),
    }
}
