//! Which real loader's rule turns the token stream into batches.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// One library's language-model loader, followed exactly (see each variant's
/// module for the file and function it transcribes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scheme {
    /// PyTorch `word_language_model` (`batchify`/`get_batch`): `rows = T // bs`,
    /// `seq_len = min(bptt, rows-1-start)`, starts `0, bptt, 2·bptt, …`.
    #[serde(rename = "pytorch")]
    Pytorch,
    /// fastai 0.7 `LanguageModelLoader` (fastai/nlp.py): PyTorch's columns,
    /// random `seq_len ≈ N(bptt, 5)` (`bptt/2` one time in twenty, ≥ 5), at
    /// most `rows // bptt - 1` windows.
    #[serde(rename = "fastai-v0.7")]
    FastaiV07,
    /// fastai 1.x `LanguageModelPreLoader`: streams start at `int(j·T/bs)`,
    /// every batch exactly bptt long with one token of overlap, wrapping round.
    #[serde(rename = "fastai-v1")]
    FastaiV1,
    /// fastai 2.x `LMDataLoader`: `bl = round_down(T-1, bs) / bs` rows per
    /// stream, a stream's last target is the next stream's first token.
    #[serde(rename = "fastai-v2")]
    FastaiV2,
    /// Hugging Face `group_texts` (run_clm.py) + `Trainer`: blocks of `bptt`
    /// tokens, shuffled every epoch, no hidden state carried.
    #[serde(rename = "hf-blocks")]
    HfBlocks,
}

impl Scheme {
    pub const ALL: [Scheme; 5] = [
        Scheme::Pytorch,
        Scheme::FastaiV07,
        Scheme::FastaiV1,
        Scheme::FastaiV2,
        Scheme::HfBlocks,
    ];

    /// Whether the final (h, c) of a batch starts the next batch of the same
    /// stream. Hugging Face's blocks are independent sequences: every batch
    /// starts from zeros.
    pub fn carries_state(self) -> bool {
        self != Scheme::HfBlocks
    }

    /// Whether each epoch reads the text in a new random order (documents
    /// for fastai 1 and 2, blocks for Hugging Face).
    pub fn shuffles(self) -> bool {
        matches!(self, Scheme::FastaiV1 | Scheme::FastaiV2 | Scheme::HfBlocks)
    }

    /// Whether seq_len varies from batch to batch by a random draw.
    pub fn draws_seq_len(self) -> bool {
        self == Scheme::FastaiV07
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scheme::Pytorch => "pytorch",
            Scheme::FastaiV07 => "fastai-v0.7",
            Scheme::FastaiV1 => "fastai-v1",
            Scheme::FastaiV2 => "fastai-v2",
            Scheme::HfBlocks => "hf-blocks",
        })
    }
}

impl FromStr for Scheme {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        Scheme::ALL
            .into_iter()
            .find(|s| s.to_string() == text)
            .ok_or_else(|| {
                format!(
                    "unknown scheme `{text}` (use pytorch, fastai-v0.7, fastai-v1, fastai-v2 or hf-blocks)"
                )
            })
    }
}
