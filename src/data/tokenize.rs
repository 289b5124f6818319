//! Splitting text into tokens (the rules are in `corpus.rs`'s module docs) and
//! giving each distinct token a provisional id while reading.
//!
//! Both run over every byte of a learner's file, tens of megabytes in the
//! page, so they allocate nothing per token: tokens are visited as borrowed
//! slices, single-byte tokens (all of ASCII, i.e. nearly every token of an
//! English text at char level) are looked up in a table, and only the rest go
//! through a hash map with a cheap hash (SipHash's DoS resistance buys nothing
//! for a learner's own text).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::data::corpus::TokenLevel;

/// Calls `visit(token, byte_offset)` for every token of `text`, in order.
pub(crate) fn for_each_token<'a>(
    text: &'a str,
    level: TokenLevel,
    mut visit: impl FnMut(&'a str, u32),
) {
    match level {
        TokenLevel::Char => {
            for (i, c) in text.char_indices() {
                visit(&text[i..i + c.len_utf8()], i as u32);
            }
        }
        TokenLevel::Word => {
            let is_word = |c: char| c.is_alphanumeric() || c == '_';
            let mut word_start: Option<usize> = None;
            for (i, c) in text.char_indices() {
                if is_word(c) {
                    word_start.get_or_insert(i);
                    continue;
                }
                if let Some(start) = word_start.take() {
                    visit(&text[start..i], start as u32);
                }
                if c == '\n' || !c.is_whitespace() {
                    visit(&text[i..i + c.len_utf8()], i as u32);
                }
            }
            if let Some(start) = word_start {
                visit(&text[start..], start as u32);
            }
        }
    }
}

/// Tokens of `text` with their byte offsets, collected.
pub(crate) fn tokenize(text: &str, level: TokenLevel) -> Vec<(&str, u32)> {
    let mut tokens = Vec::new();
    for_each_token(text, level, |t, o| tokens.push((t, o)));
    tokens
}

/// Provisional ids in order of first appearance; the corpus later renumbers
/// them in sorted order.
#[derive(Default)]
pub(crate) struct Interner<'a> {
    /// Id of each single-byte token, `u32::MAX` when not seen yet.
    bytes: Vec<u32>,
    others: HashMap<&'a str, u32, BuildHasherDefault<Fnv>>,
    tokens: Vec<&'a str>,
}

impl<'a> Interner<'a> {
    pub fn new() -> Self {
        Interner {
            bytes: vec![u32::MAX; 128],
            ..Default::default()
        }
    }

    /// The provisional id of `token`, new if it was not seen before.
    pub fn id(&mut self, token: &'a str) -> u32 {
        let next = self.tokens.len() as u32;
        let id = match token.as_bytes() {
            &[b] if b < 128 => {
                let slot = &mut self.bytes[b as usize];
                if *slot == u32::MAX {
                    *slot = next;
                }
                *slot
            }
            _ => *self.others.entry(token).or_insert(next),
        };
        if id == next {
            self.tokens.push(token);
        }
        id
    }

    /// The distinct tokens, indexed by provisional id.
    pub fn tokens(&self) -> &[&'a str] {
        &self.tokens
    }
}

/// 64-bit FNV-1a.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests;
