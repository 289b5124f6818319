//! Building a [`Corpus`] a slice at a time, so that the page can tokenise a
//! learner's tens of megabytes between frames instead of freezing for a
//! second; [`Corpus::from_documents`] is the same builder fed in one go.

use std::sync::Arc;

use super::{Corpus, CorpusError, TokenLevel};
use crate::data::tokenize::{for_each_token, Interner};

/// A corpus being tokenised; `docs` must outlive it.
pub struct CorpusBuilder<'a, S: AsRef<str>> {
    docs: &'a [S],
    level: TokenLevel,
    separator: String,
    interner: Interner<'a>,
    documents: Vec<Vec<u32>>,
    offsets: Vec<Vec<u32>>,
    /// The next byte to read: (document, byte offset in it).
    at: (usize, usize),
    error: Option<CorpusError>,
}

impl<'a, S: AsRef<str>> CorpusBuilder<'a, S> {
    pub fn new(docs: &'a [S], level: TokenLevel) -> Self {
        let error = docs.is_empty().then_some(CorpusError::NoDocuments);
        CorpusBuilder {
            docs,
            level,
            separator: level.separator(),
            interner: Interner::new(),
            documents: Vec::with_capacity(docs.len()),
            offsets: Vec::with_capacity(docs.len()),
            at: (0, 0),
            error,
        }
    }

    /// Share of the text's bytes read so far, from 0 to 1.
    pub fn progress(&self) -> f64 {
        let total: usize = self.docs.iter().map(|d| d.as_ref().len()).sum();
        let done: usize = self.docs[..self.at.0.min(self.docs.len())]
            .iter()
            .map(|d| d.as_ref().len())
            .sum::<usize>()
            + self.at.1;
        if total == 0 {
            1.0
        } else {
            done as f64 / total as f64
        }
    }

    /// Tokenises about `budget` more bytes; true once everything is read (or
    /// an error stopped it). Slices end before whitespace at word level, so
    /// no word is ever cut in two.
    pub fn feed(&mut self, budget: usize) -> bool {
        let mut left = budget.max(1);
        while self.error.is_none() && self.at.0 < self.docs.len() && left > 0 {
            let (index, start) = self.at;
            let text = self.docs[index].as_ref();
            if text.len() > u32::MAX as usize {
                self.error = Some(CorpusError::TooLarge {
                    index,
                    bytes: text.len(),
                });
                break;
            }
            if start == 0 {
                self.documents.push(Vec::new());
                self.offsets.push(Vec::new());
            }
            let end = slice_end(text, start, left, self.level);
            let (ids, at) = (
                self.documents.last_mut().expect("pushed"),
                self.offsets.last_mut().expect("pushed"),
            );
            let (interner, separator) = (&mut self.interner, self.separator.as_str());
            let mut has_separator = false;
            for_each_token(&text[start..end], self.level, |token, offset| {
                has_separator |= token == separator;
                ids.push(interner.id(token));
                at.push(start as u32 + offset);
            });
            if has_separator {
                self.error = Some(CorpusError::ContainsSeparator {
                    index,
                    separator: self.separator.clone(),
                });
                break;
            }
            left = left.saturating_sub(end - start);
            self.at = if end == text.len() {
                (index + 1, 0)
            } else {
                (index, end)
            };
            if end == text.len() && ids.is_empty() {
                self.error = Some(CorpusError::EmptyDocument { index });
            }
        }
        self.error.is_some() || self.at.0 >= self.docs.len()
    }

    /// The corpus, once [`CorpusBuilder::feed`] returned true.
    pub fn finish(self) -> Result<Corpus, CorpusError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        assert!(
            self.at.0 >= self.docs.len(),
            "finish before the whole text was fed"
        );
        let mut documents = self.documents;
        let several = self.docs.len() > 1;
        let mut vocab: Vec<String> = self
            .interner
            .tokens()
            .iter()
            .map(|t| t.to_string())
            .collect();
        if several {
            vocab.push(self.separator.clone());
        }
        vocab.sort_unstable();
        vocab.dedup();
        let id = |token: &str| {
            vocab
                .binary_search_by(|v| v.as_str().cmp(token))
                .expect("token in vocab") as u32
        };
        let renumber: Vec<u32> = self.interner.tokens().iter().map(|t| id(t)).collect();
        for ids in &mut documents {
            for t in ids.iter_mut() {
                *t = renumber[*t as usize];
            }
        }
        let separator = several.then(|| id(&self.separator));
        Ok(Corpus {
            level: self.level,
            vocab,
            documents: Arc::new(documents),
            offsets: Arc::new(self.offsets),
            separator,
            in_order: Arc::default(),
        })
    }
}

/// Where a slice of about `budget` bytes from `start` may end: at a char
/// boundary, and at word level only before whitespace (or at the end).
fn slice_end(text: &str, start: usize, budget: usize, level: TokenLevel) -> usize {
    let mut end = start.saturating_add(budget).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    if level == TokenLevel::Word {
        end = text[end..]
            .find(char::is_whitespace)
            .map_or(text.len(), |i| end + i);
    }
    end
}

#[cfg(test)]
mod tests;
