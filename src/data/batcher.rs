//! Language-model batching as five real loaders do it. Each turns the token
//! stream into columns of a picture (streams, or Hugging Face's blocks) and
//! reads them in windows of `seq_len` rows (truncated BPTT): input rows
//! `[start, start + seq_len)`, targets one row further down.
//!
//! Every scheme transcribes its library's code (see its module); the tests
//! compare the batches with fixtures made by scripts that follow the same
//! code (tests/fixtures/gen_batcher_fixtures.py, gen_loader_fixtures.py).

mod epoch_batches;
mod fastai_v07;
mod fastai_v1;
mod fastai_v2;
pub mod hf_blocks;
mod layout;
mod pytorch;
mod scheme;

pub use epoch_batches::EpochBatches;
pub use pytorch::batchify;
pub use scheme::Scheme;

use crate::data::corpus::Corpus;
use crate::nn::rng::Rng;
use layout::Layout;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// Everything that decides the batches, besides the corpus.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchConfig {
    /// Sequences per batch: parallel streams (columns), or blocks (hf-blocks).
    pub bs: usize,
    /// Truncated-BPTT length: the (nominal) rows per window; the block length
    /// for hf-blocks.
    pub bptt: usize,
    pub scheme: Scheme,
    /// Seeds every random draw (fastai-v0.7 lengths, shuffles).
    pub seed: u64,
}

/// One batch: rows `[start, start + seq_len)` of `width` columns are the
/// input, the rows one further down are the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub epoch: usize,
    pub index: usize,
    pub start: usize,
    pub seq_len: usize,
    /// Sequences in this batch: bs, but fewer in hf-blocks' last batch.
    pub width: usize,
}

/// Why a corpus and a config cannot be batched; messages name the numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum BatchError {
    ZeroBs,
    ZeroBptt,
    /// Fewer than 2 tokens: not even one (input, target) pair exists.
    TooFewTokens {
        tokens: usize,
    },
    /// More streams than tokens: some columns would be empty.
    BsLargerThanCorpus {
        bs: usize,
        tokens: usize,
        max_bs: usize,
    },
    /// Each stream would have too few rows for an (input, target) pair.
    TooFewRows {
        bs: usize,
        tokens: usize,
        rows: usize,
        max_bs: usize,
    },
    /// hf-blocks: a block of one token has no (input, target) pair.
    BlockTooShort {
        bptt: usize,
    },
    /// hf-blocks: not one block of bptt tokens fits.
    BlockLongerThanCorpus {
        bptt: usize,
        tokens: usize,
    },
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            BatchError::ZeroBs => write!(f, "bs = 0: a batch needs at least one stream (column); use bs ≥ 1"),
            BatchError::ZeroBptt => write!(f, "bptt = 0: a window needs at least one row; use bptt ≥ 1"),
            BatchError::TooFewTokens { tokens } => write!(
                f,
                "the corpus has only {tokens} token{}: a language model needs at least 2 (an input and the token after it)",
                plural(tokens)
            ),
            BatchError::BsLargerThanCorpus { bs, tokens, max_bs } => write!(
                f,
                "bs = {bs} is larger than the corpus ({tokens} tokens): each of the {bs} columns would be empty. Use bs ≤ {max_bs}."
            ),
            BatchError::TooFewRows { bs, tokens, rows, max_bs } => write!(
                f,
                "bs = {bs} leaves {rows} row{} per stream ({tokens} tokens / {bs}): a stream needs an input and its target. Use bs ≤ {max_bs}.",
                plural(rows)
            ),
            BatchError::BlockTooShort { bptt } => write!(
                f,
                "bptt = {bptt}: a Hugging Face block of {bptt} token{} has no (input, target) pair, since the model shifts the labels by one. Use bptt ≥ 2.",
                plural(bptt)
            ),
            BatchError::BlockLongerThanCorpus { bptt, tokens } => write!(
                f,
                "bptt = {bptt} is longer than the corpus ({tokens} tokens): group_texts would keep no block. Use bptt ≤ {tokens}."
            ),
        }
    }
}

impl std::error::Error for BatchError {}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A corpus prepared for one [`BatchConfig`]; hands out each epoch's batches.
#[derive(Clone, Debug)]
pub struct LmBatcher {
    cfg: BatchConfig,
    /// Shared, not copied: re-batching a large corpus for a new bs is cheap.
    corpus: Corpus,
    layout: Arc<Layout>,
}

impl LmBatcher {
    pub fn new(corpus: &Corpus, cfg: BatchConfig) -> Result<LmBatcher, BatchError> {
        let tokens = corpus.num_tokens();
        if cfg.bs == 0 {
            return Err(BatchError::ZeroBs);
        }
        if cfg.bptt == 0 {
            return Err(BatchError::ZeroBptt);
        }
        if tokens < 2 {
            return Err(BatchError::TooFewTokens { tokens });
        }
        let max_bs = match cfg.scheme {
            Scheme::Pytorch | Scheme::FastaiV07 => tokens / 2,
            Scheme::FastaiV2 => tokens - 1,
            Scheme::FastaiV1 => tokens,
            Scheme::HfBlocks => usize::MAX,
        };
        if cfg.bs > tokens && cfg.scheme != Scheme::HfBlocks {
            return Err(BatchError::BsLargerThanCorpus {
                bs: cfg.bs,
                tokens,
                max_bs,
            });
        }
        let layout = match cfg.scheme {
            Scheme::Pytorch | Scheme::FastaiV07 => pytorch::layout(tokens, cfg.bs)?,
            Scheme::FastaiV2 => fastai_v2::layout(tokens, cfg.bs)?,
            Scheme::FastaiV1 => fastai_v1::layout(tokens, cfg.bs, cfg.bptt),
            Scheme::HfBlocks => {
                let lengths: Vec<usize> = corpus.documents().iter().map(Vec::len).collect();
                hf_blocks::layout(&lengths, cfg.bptt)?
            }
        };
        Ok(LmBatcher {
            cfg,
            corpus: corpus.clone(),
            layout: Arc::new(layout),
        })
    }

    pub fn config(&self) -> BatchConfig {
        self.cfg
    }

    /// Tokens in the joined stream (separators included), before dropping.
    pub fn tokens(&self) -> usize {
        self.layout.tokens
    }

    /// Rows per stream as the library counts them: `T // bs` (PyTorch,
    /// fastai 0.7), `bl` (fastai 2), `n_batches · bptt` (fastai 1), the block
    /// length (hf-blocks).
    pub fn rows(&self) -> usize {
        self.layout.rows
    }

    /// Tokens of the stream that no batch of an epoch reads.
    pub fn dropped(&self) -> usize {
        self.layout.dropped_tokens()
    }

    /// Where the dropped tokens sit in the stream.
    pub fn dropped_ranges(&self) -> &[Range<usize>] {
        &self.layout.dropped
    }

    /// Hugging Face blocks in the corpus (`None` for stream schemes).
    pub fn blocks(&self) -> Option<usize> {
        (self.cfg.scheme == Scheme::HfBlocks).then_some(self.layout.columns)
    }

    /// Batches of a typical epoch. Every scheme but fastai 0.7 yields the
    /// same number each epoch; fastai 0.7's random lengths decide it per
    /// epoch (see [`EpochBatches::windows`]), and this is epoch 0's count.
    pub fn batches_per_epoch(&self) -> usize {
        match self.cfg.scheme {
            Scheme::FastaiV07 => self.epoch(0).windows.len(),
            _ => self.windows(0, &mut Rng::new(0)).len(),
        }
    }

    /// fastai 0.7's own `len()` (`rows // bptt - 1`): the most batches an
    /// epoch may yield, often more than it does yield.
    pub fn fastai_v07_len(&self) -> Option<usize> {
        (self.cfg.scheme == Scheme::FastaiV07)
            .then(|| fastai_v07::fastai_len(self.layout.rows, self.cfg.bptt))
    }

    /// The batches of `epoch`: a pure function of (corpus, config, epoch),
    /// with its own random stream `Rng::derive(seed, epoch)`, so epoch 7
    /// replays without computing epochs 0–6, in the page, the worker and the CLI.
    pub fn epoch(&self, epoch: usize) -> EpochBatches {
        let mut rng = Rng::derive(self.cfg.seed, epoch as u64);
        let order = match self.cfg.scheme {
            Scheme::FastaiV1 | Scheme::FastaiV2 => {
                Some(shuffled(self.corpus.documents().len(), &mut rng))
            }
            Scheme::HfBlocks => Some(shuffled(self.layout.columns, &mut rng)),
            _ => None,
        };
        self.epoch_in_order(epoch, order, &mut rng)
    }

    /// The batches of `epoch` with the documents (fastai 1 and 2) or the
    /// blocks (hf-blocks) in `order`, `None` = as given. Tests hand in the
    /// orders a library drew, since its random generator is not ours.
    pub fn epoch_with_order(&self, epoch: usize, order: Option<Vec<usize>>) -> EpochBatches {
        self.epoch_in_order(epoch, order, &mut Rng::derive(self.cfg.seed, epoch as u64))
    }

    fn epoch_in_order(
        &self,
        epoch: usize,
        order: Option<Vec<usize>>,
        rng: &mut Rng,
    ) -> EpochBatches {
        let windows = self.windows(epoch, rng);
        let (stream, document_order, block_order) = match (self.cfg.scheme, order) {
            (Scheme::HfBlocks, order) => {
                let order = order.unwrap_or_else(|| (0..self.layout.columns).collect());
                (
                    self.corpus.stream_in_order(),
                    identity(self.corpus.documents().len()),
                    Some(order),
                )
            }
            (_, Some(order)) => (self.corpus.stream(&order).into(), order, None),
            (_, None) => (
                self.corpus.stream_in_order(),
                identity(self.corpus.documents().len()),
                None,
            ),
        };
        EpochBatches::new(
            epoch,
            windows,
            self.cfg.bs,
            self.layout.clone(),
            stream,
            document_order,
            block_order,
        )
    }

    fn windows(&self, epoch: usize, rng: &mut Rng) -> Vec<Window> {
        let (bs, bptt, rows) = (self.cfg.bs, self.cfg.bptt, self.layout.rows);
        match self.cfg.scheme {
            Scheme::Pytorch => pytorch::windows(epoch, rows, bptt, bs),
            Scheme::FastaiV07 => fastai_v07::windows(epoch, rows, bptt, bs, rng),
            Scheme::FastaiV1 => fastai_v1::windows(epoch, rows, bptt, bs),
            Scheme::FastaiV2 => fastai_v2::windows(epoch, rows, bptt, bs),
            Scheme::HfBlocks => hf_blocks::windows(epoch, self.layout.columns, bptt, bs),
        }
    }
}

fn identity(n: usize) -> Vec<usize> {
    (0..n).collect()
}

fn shuffled(n: usize, rng: &mut Rng) -> Vec<usize> {
    let mut order = identity(n);
    rng.shuffle(&mut order);
    order
}

#[cfg(test)]
mod tests;
