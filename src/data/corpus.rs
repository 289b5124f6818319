//! A corpus: documents turned into token ids with a reproducible vocabulary.
//!
//! The rules are deliberately tiny so that the Python fixture generator (and a
//! learner with pen and paper) can reproduce every id:
//!
//! * **char level**: one token per Unicode scalar value.
//! * **word level**: a run of letters, digits or `_` is one token (Python's
//!   `\w+`), every other visible character is its own token (punctuation),
//!   `\n` is a token (so generated text keeps its lines), other whitespace only
//!   separates tokens.
//! * **vocabulary**: the sorted unique tokens of the joined stream, compared by
//!   Unicode scalar value (Rust's `str` order equals Python's `sorted`), so id
//!   `i` is the `i`-th smallest token on every machine.
//! * **several documents** become one stream joined by a separator token, the
//!   way fastai marks the beginning of each text with `xxbos`. The separator
//!   sits *between* documents (a single document is exactly its own text, as in
//!   PyTorch's word_language_model) and is [`CHAR_SEPARATOR`] (`'\u{2}'`, ASCII
//!   "start of text") at char level, [`WORD_SEPARATOR`] (`xxbos`) at word level.
//!   A document that already contains the separator is rejected, so the marker
//!   can never be confused with text.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

mod builder;
pub use builder::CorpusBuilder;

use crate::data::tokenize::tokenize;

/// The char-level separator between documents: ASCII STX, "start of text".
pub const CHAR_SEPARATOR: char = '\u{2}';
/// The word-level separator between documents (fastai's beginning-of-stream marker).
pub const WORD_SEPARATOR: &str = "xxbos";

/// What one token (one cell of the batch matrix) is: a character or a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenLevel {
    Char,
    Word,
}

impl TokenLevel {
    /// The separator token's text at this level.
    pub fn separator(self) -> String {
        match self {
            TokenLevel::Char => CHAR_SEPARATOR.to_string(),
            TokenLevel::Word => WORD_SEPARATOR.to_string(),
        }
    }
}

impl fmt::Display for TokenLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenLevel::Char => "char",
            TokenLevel::Word => "word",
        })
    }
}

impl FromStr for TokenLevel {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "char" => Ok(TokenLevel::Char),
            "word" => Ok(TokenLevel::Word),
            other => Err(format!("unknown token level `{other}` (use char or word)")),
        }
    }
}

/// Why a set of documents cannot become a corpus.
#[derive(Debug, Clone, PartialEq)]
pub enum CorpusError {
    /// No documents at all.
    NoDocuments,
    /// Document `index` (0-based) produced no tokens.
    EmptyDocument { index: usize },
    /// Document `index` contains the separator token itself.
    ContainsSeparator { index: usize, separator: String },
    /// Document `index` is too large to index with 32-bit offsets.
    TooLarge { index: usize, bytes: usize },
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CorpusError::NoDocuments => {
                write!(f, "the corpus is empty: give at least one document with some text")
            }
            CorpusError::EmptyDocument { index } => write!(
                f,
                "document {} has no tokens: every document needs some text",
                index + 1
            ),
            CorpusError::ContainsSeparator { index, separator } => write!(
                f,
                "document {} contains {:?}, the token that separates documents; remove it so documents stay distinguishable",
                index + 1,
                separator
            ),
            CorpusError::TooLarge { index, bytes } => write!(
                f,
                "document {} is {bytes} bytes, more than the 4 GiB a corpus document may have",
                index + 1
            ),
        }
    }
}

impl std::error::Error for CorpusError {}

/// Documents as token ids over a sorted vocabulary, plus where each token came
/// from in the original text (for hovering a cell).
///
/// Cloning is cheap: the token ids are shared, so the page, its batchers and
/// every "◀ back" snapshot of a run hold one copy of a large corpus.
#[derive(Clone, Debug)]
pub struct Corpus {
    level: TokenLevel,
    vocab: Vec<String>,
    documents: Arc<Vec<Vec<u32>>>,
    /// Byte offset of each token in its document, parallel to `documents`.
    offsets: Arc<Vec<Vec<u32>>>,
    /// Id of the separator token, present only when there are ≥ 2 documents.
    separator: Option<u32>,
    /// The stream in document order, joined on first use and shared.
    in_order: Arc<OnceLock<Arc<[u32]>>>,
}

impl Corpus {
    /// Tokenises `docs` and builds the vocabulary. Fails on no documents, a
    /// document without tokens, or a document containing the separator.
    ///
    /// Memory stays at the result's 8 bytes per token (ids and offsets) plus
    /// the vocabulary: ids are given while reading and renumbered in sorted
    /// order at the end, instead of collecting every token's text first.
    pub fn from_documents<S: AsRef<str>>(
        docs: &[S],
        level: TokenLevel,
    ) -> Result<Corpus, CorpusError> {
        let mut builder = CorpusBuilder::new(docs, level);
        builder.feed(usize::MAX);
        builder.finish()
    }

    /// The stream with the documents in their given order (what PyTorch and
    /// fastai v0.7 batch every epoch), joined once and shared by every caller.
    pub fn stream_in_order(&self) -> Arc<[u32]> {
        self.in_order
            .get_or_init(|| {
                let order: Vec<usize> = (0..self.documents.len()).collect();
                join_documents(&self.documents, &order, self.separator).into()
            })
            .clone()
    }

    /// Id → token text (what a cell shows); sorted, so ids are reproducible.
    pub fn vocab(&self) -> &[String] {
        &self.vocab
    }

    pub fn vocab_size(&self) -> usize {
        self.vocab.len()
    }

    pub fn level(&self) -> TokenLevel {
        self.level
    }

    /// Token ids per document, in the order the documents were given.
    pub fn documents(&self) -> &[Vec<u32>] {
        &self.documents
    }

    /// The separator's id, or `None` for a single document (no separator needed).
    pub fn separator_id(&self) -> Option<u32> {
        self.separator
    }

    /// Tokens of the joined stream, separators included. The same for every
    /// document order.
    pub fn num_tokens(&self) -> usize {
        self.documents.iter().map(Vec::len).sum::<usize>() + self.documents.len() - 1
    }

    /// The documents joined in `order` (a permutation of document indices) with
    /// one separator between neighbours.
    pub fn stream(&self, order: &[usize]) -> Vec<u32> {
        join_documents(&self.documents, order, self.separator)
    }

    /// Ids of `text` (e.g. a sampling primer); tokens not in the vocabulary are
    /// skipped because the model has no embedding for them.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        tokenize(text, self.level)
            .into_iter()
            .filter_map(|(token, _)| self.id_of(token))
            .collect()
    }

    /// The id of one token's text, if it is in the vocabulary.
    pub fn id_of(&self, token: &str) -> Option<u32> {
        self.vocab
            .binary_search_by(|v| v.as_str().cmp(token))
            .ok()
            .map(|i| i as u32)
    }

    /// Text of `ids`: characters concatenated, or words joined by spaces (no
    /// spaces around a newline). Out-of-range ids are skipped. Separators are
    /// kept as their raw text; use [`Corpus::display`] for something visible.
    pub fn decode(&self, ids: &[u32]) -> String {
        let tokens = ids.iter().filter_map(|&id| self.vocab.get(id as usize));
        match self.level {
            TokenLevel::Char => tokens.map(String::as_str).collect(),
            TokenLevel::Word => {
                let mut text = String::new();
                let mut previous_newline = true;
                for token in tokens {
                    let newline = token == "\n";
                    if !previous_newline && !newline {
                        text.push(' ');
                    }
                    text.push_str(token);
                    previous_newline = newline;
                }
                text
            }
        }
    }

    /// A visible label for one token, so a cell or a one-line print never holds
    /// an invisible character: `⏎` newline, `␂` separator, `→` tab, `␍` carriage
    /// return, `·` space (char level), `�` other control characters.
    pub fn display_token(&self, id: u32) -> String {
        if Some(id) == self.separator {
            return "␂".into();
        }
        let Some(token) = self.vocab.get(id as usize) else {
            return "�".into();
        };
        match token.as_str() {
            "\n" => "⏎".into(),
            "\t" => "→".into(),
            "\r" => "␍".into(),
            " " if self.level == TokenLevel::Char => "·".into(),
            t if t.chars().any(char::is_control) => "�".into(),
            t => t.into(),
        }
    }

    /// [`Corpus::display_token`] of every id, concatenated (char level) or
    /// space-joined (word level): always a single line.
    pub fn display(&self, ids: &[u32]) -> String {
        let labels: Vec<String> = ids.iter().map(|&id| self.display_token(id)).collect();
        match self.level {
            TokenLevel::Char => labels.concat(),
            TokenLevel::Word => labels.join(" "),
        }
    }

    /// Byte offset, within its own document, of token `position` of the stream
    /// in document order; `None` for a separator or past the end.
    pub fn token_offset(&self, position: usize) -> Option<usize> {
        self.token_location(position).map(|(_, offset)| offset)
    }

    /// `(document index, byte offset in that document)` of token `position` of
    /// the stream in document order; `None` for a separator or past the end.
    pub fn token_location(&self, position: usize) -> Option<(usize, usize)> {
        self.token_location_in(&(0..self.offsets.len()).collect::<Vec<_>>(), position)
    }

    /// [`Corpus::token_location`] for the stream joined in `order` (fastai
    /// v2 shuffles the documents every epoch).
    pub fn token_location_in(&self, order: &[usize], position: usize) -> Option<(usize, usize)> {
        let mut first = 0; // stream position of the current document's first token
        for &doc in order {
            let offsets = &self.offsets[doc];
            if position < first {
                return None; // the separator before this document
            }
            if position < first + offsets.len() {
                return Some((doc, offsets[position - first] as usize));
            }
            first += offsets.len() + 1; // + the separator after this document
        }
        None
    }
}

/// Documents joined in `order` with `separator` between neighbours (shared by
/// [`Corpus::stream`] and the batcher, which keeps no `Corpus`).
pub(crate) fn join_documents(
    documents: &[Vec<u32>],
    order: &[usize],
    separator: Option<u32>,
) -> Vec<u32> {
    let total =
        order.iter().map(|&d| documents[d].len()).sum::<usize>() + order.len().saturating_sub(1);
    let mut stream = Vec::with_capacity(total);
    for (k, &doc) in order.iter().enumerate() {
        if k > 0 {
            stream.push(separator.expect("several documents have a separator"));
        }
        stream.extend_from_slice(&documents[doc]);
    }
    stream
}

#[cfg(test)]
mod tests;
