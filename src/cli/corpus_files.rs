//! The text a verb reads: `--corpus FILE…` and `--tokens T`, shared by
//! `batches`, `train`, `noise` and `sweep`.
//!
//! Every problem with a file becomes one line a learner can act on, never a
//! panic: a missing file, a binary file (NUL bytes or invalid UTF-8) or an
//! empty file.

use super::values::one_of;
use crate::data::corpus::{Corpus, TokenLevel};
use clap::Args;
use std::io::ErrorKind;

/// The corpus flags.
#[derive(Args, Debug)]
pub(crate) struct CorpusFlags {
    /// UTF-8 text files (several are joined by a separator token)
    #[arg(long, value_name = "FILE", num_args = 1.., required = true)]
    pub corpus: Vec<String>,
    /// tokens: characters or words
    #[arg(long = "tokens", value_name = "T", default_value_t = TokenLevel::Char,
          value_parser = one_of(&[TokenLevel::Char, TokenLevel::Word]))]
    pub level: TokenLevel,
}

impl CorpusFlags {
    /// The files, read and tokenised as one corpus.
    pub fn corpus(&self) -> Result<Corpus, String> {
        Corpus::from_documents(&self.documents()?, self.level).map_err(|e| e.to_string())
    }

    /// Each file as one document, for a verb that splits the text itself.
    pub fn documents(&self) -> Result<Vec<String>, String> {
        self.corpus.iter().map(|path| read_document(path)).collect()
    }
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
