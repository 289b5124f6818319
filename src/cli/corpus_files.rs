//! Reading corpus files for the CLI verbs (`batches`, `train`).
//!
//! Every problem becomes one line a learner can act on, never a panic: a
//! missing file, a binary file (NUL bytes or invalid UTF-8) or an empty file.

use std::io::ErrorKind;

/// Reads each path as one UTF-8 document (a leading byte-order mark is
/// removed, since editors add it invisibly).
pub(crate) fn read_documents(paths: &[String]) -> Result<Vec<String>, String> {
    if paths.is_empty() {
        return Err("--corpus needs at least one FILE".into());
    }
    paths.iter().map(|path| read_document(path)).collect()
}

fn read_document(path: &str) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        ErrorKind::NotFound => format!("cannot read corpus `{path}`: no such file"),
        _ => format!("cannot read corpus `{path}`: {e}"),
    })?;
    if bytes.contains(&0) {
        return Err(format!(
            "corpus `{path}` looks binary (it contains NUL bytes); give a plain-text file"
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "corpus `{path}` is not UTF-8 text (invalid byte at offset {}); give a plain-text file",
            e.utf8_error().valid_up_to()
        )
    })?;
    let text = text
        .strip_prefix('\u{FEFF}')
        .map(str::to_string)
        .unwrap_or(text);
    if text.is_empty() {
        return Err(format!(
            "corpus `{path}` is empty; give a file with some text"
        ));
    }
    Ok(text)
}
