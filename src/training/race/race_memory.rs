//! What a race's workers hold, all together. Each run trains in a worker of
//! its own with its own copy of the text, so a race of twelve runs holds the
//! text twelve times: the text a race trains on is capped at
//! [`RACE_TEXT_BYTES`], and a run that would take the race's workers past
//! [`RACE_BUDGET_BYTES`] is not started; its card says why.

use super::run_slot::{RunSlot, RunStatus};
use super::RunConfig;
use crate::data::corpus::Corpus;
use crate::page::costs::format_megabytes;
use crate::page::settings::Settings;
use crate::training::memory_budget::RunShape;
use crate::training::page_model::MAX_VOCAB;

/// The most text (UTF-8 bytes) one race run trains and validates on.
///
/// Why this number: a run at the page's speeds (tens of thousands of tokens
/// a second, shared with the other runs) takes minutes to see 2 MB once, so
/// a race never gets near the end of a larger text; and a worker keeps
/// ~30 bytes per character of text (`memory_budget::TEXT_BYTES_PER_TOKEN`),
/// so 2 MB costs ~60 MB per run instead of ~1 GB for the largest text the
/// page accepts.
pub const RACE_TEXT_BYTES: usize = 2 * 1024 * 1024;

/// What the race's workers may hold together: 1.25 GiB.
///
/// Why this number: the tab should stay under 4 GB. The browser takes
/// ~0.4 GB, the page ~0.7 GB with the largest text, and the stepping worker
/// up to 1.5 GiB (`memory_budget::WORKER_BUDGET_BYTES`); the race gets the
/// rest.
pub const RACE_BUDGET_BYTES: usize = 1280 * 1024 * 1024;

/// The size of the text a race trains on, as the worker will hold it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextSize {
    pub tokens: usize,
    /// Distinct tokens (at most: a capped text may use fewer).
    pub vocab: usize,
    /// UTF-8 bytes.
    pub bytes: usize,
}

impl TextSize {
    /// The size of a text of `bytes` bytes tokenised as `corpus`; while the
    /// corpus is not ready, the most it can be (a token per byte, the
    /// largest vocabulary the page trains).
    pub fn of(corpus: Option<&Corpus>, bytes: usize) -> TextSize {
        match corpus {
            Some(corpus) => TextSize {
                tokens: corpus.num_tokens(),
                vocab: corpus.vocab_size(),
                bytes,
            },
            None => TextSize {
                tokens: bytes,
                vocab: MAX_VOCAB,
                bytes,
            },
        }
    }

    /// What a race run holds of a text of this size: all of it, or its first
    /// [`RACE_TEXT_BYTES`] with the tokens in proportion.
    pub fn raced(self) -> TextSize {
        if self.bytes <= RACE_TEXT_BYTES {
            return self;
        }
        let share = RACE_TEXT_BYTES as f64 / self.bytes as f64;
        TextSize {
            tokens: (self.tokens as f64 * share).ceil() as usize,
            vocab: self.vocab,
            bytes: RACE_TEXT_BYTES,
        }
    }
}

/// The first [`RACE_TEXT_BYTES`] of `documents`: whole documents in order,
/// the last one cut at a character boundary. The text itself if shorter.
pub fn race_documents<S: AsRef<str>>(documents: &[S]) -> Vec<String> {
    let mut left = RACE_TEXT_BYTES;
    let mut kept = Vec::new();
    for document in documents {
        let text = document.as_ref();
        if left == 0 {
            break;
        }
        let mut end = text.len().min(left);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if end > 0 {
            kept.push(text[..end].to_string());
        }
        left -= end;
        if end < text.len() {
            break;
        }
    }
    kept
}

/// Bytes the worker of a race run of `settings` on `text` holds (the
/// estimate of [`RunShape::racing`]).
pub fn run_bytes(settings: &Settings, text: TextSize) -> usize {
    RunShape::racing(settings, text.tokens, text.vocab, text.bytes)
        .memory()
        .total()
}

/// Whether a slot's worker holds its run's memory: it is being built, or
/// trained and kept for samples and export. A refused or dead run holds
/// nothing.
fn holds_memory(slot: &RunSlot) -> bool {
    !matches!(
        slot.run().status,
        RunStatus::Refused(_) | RunStatus::NotStarted(_) | RunStatus::Crashed(_)
    )
}

/// Whether the run of `config` may start beside `slots` (the run's own slot,
/// when restarted, is not among them) on `text`; if not, the sentence its
/// card shows.
pub fn admit(slots: &[RunSlot], config: &RunConfig, text: TextSize) -> Result<(), String> {
    let held: Vec<usize> = slots
        .iter()
        .filter(|slot| holds_memory(slot))
        .map(|slot| run_bytes(&slot.run().config.settings, text))
        .collect();
    let this = run_bytes(&config.settings, text);
    let total = held.iter().sum::<usize>() + this;
    if total <= RACE_BUDGET_BYTES {
        return Ok(());
    }
    let runs = held.len() + 1;
    Err(format!(
        "its worker would need about {}, and the race's {runs} workers together about {}: more than the {} a race may use in this tab. Remove a run, or race with a smaller bs, bptt, hidden or layers.",
        format_megabytes(this),
        format_megabytes(total),
        format_megabytes(RACE_BUDGET_BYTES),
    ))
}

#[cfg(test)]
mod tests;
