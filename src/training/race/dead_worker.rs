//! Why a run's worker died, in words a learner can act on: never a Rust
//! source path or the panic machinery's own phrasing.

/// The longest reason shown; a panic message can quote any input.
const MAX_REASON_CHARS: usize = 160;

/// The reason for a worker that reported a panic. `report` is the panic as
/// the worker's hook printed it (`panicked at src/x.rs:12:5:\nmessage`).
/// Running out of memory is named as such, with what to lower; any other
/// panic is an internal error, its message kept without source locations.
pub fn panic_reason(report: &str) -> String {
    let message = match report.trim_start().strip_prefix("panicked at ") {
        // The first line is the location; the message follows.
        Some(rest) => rest.split_once('\n').map_or("", |(_, message)| message),
        None => report,
    };
    let words: Vec<&str> = message
        .split_whitespace()
        .filter(|word| !is_source_location(word))
        .collect();
    let message = words.join(" ");
    let lower = message.to_lowercase();
    if ["capacity overflow", "memory allocation", "out of memory"]
        .iter()
        .any(|sign| lower.contains(sign))
    {
        return "it ran out of memory: try a smaller bs, bptt, hidden size or text".into();
    }
    if message.is_empty() {
        return "its worker stopped on an internal error".into();
    }
    format!(
        "its worker stopped on an internal error ({})",
        shortened(&message)
    )
}

/// The reason for a worker silent for `silent_ms` while it should have been
/// training: a trap (out of memory, stack overflow) ends a worker without a
/// word.
pub fn silence_reason(silent_ms: u64) -> String {
    format!(
        "its worker stopped answering {} s ago (out of memory?)",
        (silent_ms as f64 / 1000.0).round()
    )
}

/// `src/a/b.rs:12:5`, `/rustc/…/alloc.rs:10`, with or without a trailing colon.
fn is_source_location(word: &str) -> bool {
    word.contains(".rs:") || word.ends_with(".rs")
}

fn shortened(message: &str) -> String {
    match message.char_indices().nth(MAX_REASON_CHARS) {
        Some((cut, _)) => format!("{}…", &message[..cut]),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests;
