//! The learner's own text (files or a paste) turned into corpus documents,
//! with every repair said out loud and every refusal explained.
//!
//! The page reads the bytes (nothing is uploaded); this module decides what
//! they are. It is plain Rust so the rules are tested natively.

use crate::data::corpus::CHAR_SEPARATOR;

/// Largest total the page accepts. The page tokenises the text and the worker
/// keeps its own copy, at about 8 + 8 bytes per character, so 32 MiB of text
/// is already ~0.5 GB of tab memory.
pub const MAX_BYTES: usize = 32 * 1024 * 1024;

/// Text ready to become a corpus: one document per file (or one for a paste).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserText {
    /// What the picker shows, e.g. `notes.txt` or `3 files (1.2 MB)`.
    pub label: String,
    pub documents: Vec<String>,
    /// Repairs made on the way (lossy decoding, skipped empty files, …).
    pub warnings: Vec<String>,
}

impl UserText {
    pub fn bytes(&self) -> usize {
        self.documents.iter().map(String::len).sum()
    }
}

/// Refuses a selection larger than [`MAX_BYTES`] before any byte is read.
pub fn check_size(total_bytes: f64) -> Result<(), String> {
    if total_bytes > MAX_BYTES as f64 {
        return Err(format!(
            "{} is more than the {} this page accepts: the page and its worker each keep the text as token ids, about 16 bytes per character. Use a part of the text.",
            megabytes(total_bytes as usize),
            megabytes(MAX_BYTES)
        ));
    }
    Ok(())
}

/// `12.3 MB` (10⁶ bytes, the way file browsers count).
pub fn megabytes(bytes: usize) -> String {
    if bytes < 100_000 {
        format!("{:.1} KB", bytes as f64 / 1e3)
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}

/// Decodes one file. UTF-8 (a BOM is dropped) or UTF-16 with a BOM; invalid
/// UTF-8 is decoded lossily with a warning; NUL bytes mean a binary file,
/// which is refused. Windows line ends become `\n` and the document
/// separator character becomes `�`, so the batcher never refuses the result.
pub fn decode(name: &str, bytes: &[u8]) -> Result<(String, Vec<String>), String> {
    let mut warnings = Vec::new();
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        utf8(name, rest, &mut warnings)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(rest, u16::from_be_bytes)
    } else {
        if bytes.contains(&0) {
            return Err(format!(
                "{name} looks like a binary file (it contains NUL bytes), not text: choose a plain-text (.txt) file"
            ));
        }
        utf8(name, bytes, &mut warnings)
    };
    let mut text = text.replace("\r\n", "\n");
    if text.contains(CHAR_SEPARATOR) {
        text = text.replace(CHAR_SEPARATOR, "\u{FFFD}");
        warnings.push(format!("{name}: the control character U+0002 (the page's document separator) was replaced by �"));
    }
    Ok((text, warnings))
}

fn utf8(name: &str, bytes: &[u8], warnings: &mut Vec<String>) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let replaced = text.matches('\u{FFFD}').count();
            warnings.push(format!(
                "{name} is not valid UTF-8: {replaced} invalid byte sequence(s) were replaced by �. Save it as UTF-8 for exact text."
            ));
            text
        }
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|p| unit([p[0], p[1]]));
    char::decode_utf16(units)
        .map(|c| c.unwrap_or('\u{FFFD}'))
        .collect()
}

/// Several decoded files as one corpus: one document each, in the given
/// order; empty files are skipped with a warning, and nothing left at all is
/// refused.
pub fn from_files(files: Vec<(String, Vec<u8>)>) -> Result<UserText, String> {
    let mut out = UserText::default();
    let (mut first_name, mut empty) = (String::new(), Vec::new());
    for (name, bytes) in files {
        let (text, warnings) = decode(&name, &bytes)?;
        out.warnings.extend(warnings);
        if text.trim().is_empty() {
            out.warnings
                .push(format!("{name} is empty and was left out"));
            empty.push(name);
        } else {
            if first_name.is_empty() {
                first_name = name;
            }
            out.documents.push(text);
        }
    }
    if out.documents.is_empty() {
        return Err(match empty.as_slice() {
            [] => "no file was chosen".to_string(),
            [name] => format!("{name} has no text: an empty corpus cannot be batched"),
            names => format!(
                "all {} files are empty: an empty corpus cannot be batched",
                names.len()
            ),
        });
    }
    out.label = match out.documents.len() {
        1 => format!("{first_name} ({})", megabytes(out.bytes())),
        n => format!("{n} files ({})", megabytes(out.bytes())),
    };
    Ok(out)
}

/// A pasted text as a one-document corpus.
pub fn from_paste(text: &str) -> Result<UserText, String> {
    if text.trim().is_empty() {
        return Err("the paste box is empty: paste some text first".into());
    }
    // The same cap as files: a paste of 60 MB would cost the tab gigabytes.
    check_size(text.len() as f64)?;
    let mut user = from_files(vec![("the pasted text".into(), text.as_bytes().to_vec())])?;
    user.label = format!("pasted text ({})", megabytes(user.bytes()));
    Ok(user)
}

#[cfg(test)]
mod tests;
