//! Language-model batching: the token stream cut into `bs` streams (columns)
//! of `rows` tokens, read in windows of `seq_len` rows (truncated BPTT).
//!
//! `rows = tokens / bs`; stream `j` holds tokens `[j*rows, (j+1)*rows)` and the
//! `tokens - rows*bs` leftover tokens are dropped. The columns are stored
//! exactly like PyTorch's `batchify` output: `[rows, bs]`, time-major, so batch
//! input is one contiguous slice and its target is the slice one row later.
//! Hidden state flows from one window to the next down the same stream.

use crate::corpus::Corpus;
use crate::rng::Rng;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

/// Which real loader's rule decides the windows of an epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scheme {
    /// PyTorch `word_language_model`: `seq_len = min(bptt, rows-1-start)`,
    /// starts `0, bptt, 2·bptt, …`, the last shorter window kept.
    #[serde(rename = "pytorch")]
    Pytorch,
    /// fastai 0.7 `LanguageModelLoader` (fastai/nlp.py, lesson-4 IMDB): each
    /// window draws `bptt' = bptt` (p = 0.95) or `bptt/2`, then
    /// `seq_len = max(5, int(normal(bptt', 5)))` clipped to `rows-1-start`;
    /// at most `rows/bptt - 1` windows, so the tail of each stream is usually
    /// never reached. (The later fastai 0.7 `text.py` version also made the
    /// first window `bptt + 25` long to pre-allocate GPU memory; we follow
    /// `nlp.py` and the issue, which have no special first window.)
    #[serde(rename = "fastai-v0.7")]
    FastaiV07,
    /// fastai v2 `LMDataLoader`: documents shuffled before joining, every
    /// epoch; then fixed windows like PyTorch, last partial window kept.
    #[serde(rename = "fastai-v2")]
    FastaiV2,
}

impl Scheme {
    pub const ALL: [Scheme; 3] = [Scheme::Pytorch, Scheme::FastaiV07, Scheme::FastaiV2];
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scheme::Pytorch => "pytorch",
            Scheme::FastaiV07 => "fastai-v0.7",
            Scheme::FastaiV2 => "fastai-v2",
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
                format!("unknown scheme `{text}` (use pytorch, fastai-v0.7 or fastai-v2)")
            })
    }
}

/// Everything that decides the batches, besides the corpus.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchConfig {
    /// Number of parallel streams (columns) = sequences per batch.
    pub bs: usize,
    /// Truncated-BPTT length: the (nominal) rows per window.
    pub bptt: usize,
    pub scheme: Scheme,
    /// Seeds every random draw (fastai-v0.7 lengths, fastai-v2 shuffles).
    pub seed: u64,
}

/// One batch: rows `[start, start + seq_len)` of every stream are the input,
/// the rows one further down are the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub epoch: usize,
    pub index: usize,
    pub start: usize,
    pub seq_len: usize,
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
    },
    /// Each stream would have fewer than 2 rows: no (input, target) pair.
    TooFewRows {
        bs: usize,
        tokens: usize,
        rows: usize,
    },
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            BatchError::ZeroBs => write!(f, "bs = 0: a batch needs at least one stream (column); use bs ≥ 1"),
            BatchError::ZeroBptt => write!(f, "bptt = 0: a window needs at least one row; use bptt ≥ 1"),
            BatchError::TooFewTokens { tokens } => write!(
                f,
                "the corpus has only {tokens} token(s): a language model needs at least 2 (an input and the token after it)"
            ),
            BatchError::BsLargerThanCorpus { bs, tokens } => write!(
                f,
                "bs = {bs} is larger than the corpus ({tokens} tokens): each of the {bs} columns would be empty. Use bs ≤ {}.",
                tokens / 2
            ),
            BatchError::TooFewRows { bs, tokens, rows } => write!(
                f,
                "bs = {bs} leaves {rows} row(s) per stream ({tokens} tokens / {bs} = {rows}): a stream needs at least 2 rows, one input and its target. Use bs ≤ {}.",
                tokens / 2
            ),
        }
    }
}

impl std::error::Error for BatchError {}

/// A corpus prepared for one [`BatchConfig`]; hands out each epoch's batches.
#[derive(Clone, Debug)]
pub struct LmBatcher {
    cfg: BatchConfig,
    /// Shared, not copied: re-batching a large corpus for a new bs is cheap.
    corpus: Corpus,
    tokens: usize,
    rows: usize,
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
        if cfg.bs > tokens {
            return Err(BatchError::BsLargerThanCorpus { bs: cfg.bs, tokens });
        }
        let rows = tokens / cfg.bs;
        if rows < 2 {
            return Err(BatchError::TooFewRows {
                bs: cfg.bs,
                tokens,
                rows,
            });
        }
        Ok(LmBatcher {
            cfg,
            corpus: corpus.clone(),
            tokens,
            rows,
        })
    }

    pub fn config(&self) -> BatchConfig {
        self.cfg
    }

    /// Tokens in the joined stream (separators included), before dropping.
    pub fn tokens(&self) -> usize {
        self.tokens
    }

    /// Rows per stream: `tokens / bs`.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Leftover tokens at the end of the stream that fit in no column.
    pub fn dropped(&self) -> usize {
        self.tokens - self.rows * self.cfg.bs
    }

    /// Windows per epoch. PyTorch/fastai-v2: `⌈(rows-1)/bptt⌉`. fastai-v0.7:
    /// its `len()`, `rows/bptt - 1`, raised to 1 (fastai itself would give an
    /// empty epoch when `rows < 2·bptt`); an epoch may end sooner if its
    /// random lengths reach the last row first.
    pub fn batches_per_epoch(&self) -> usize {
        match self.cfg.scheme {
            Scheme::Pytorch | Scheme::FastaiV2 => (self.rows - 1).div_ceil(self.cfg.bptt),
            Scheme::FastaiV07 => (self.rows / self.cfg.bptt).saturating_sub(1).max(1),
        }
    }

    /// The batches of `epoch`: a pure function of (corpus, config, epoch), with
    /// its own random stream `Rng::derive(seed, epoch)`, so epoch 7 replays
    /// without computing epochs 0–6, in the page, the worker and the CLI.
    pub fn epoch(&self, epoch: usize) -> EpochBatches {
        let (bs, rows, bptt) = (self.cfg.bs, self.rows, self.cfg.bptt);
        let mut rng = Rng::derive(self.cfg.seed, epoch as u64);
        let mut document_order: Vec<usize> = (0..self.corpus.documents().len()).collect();
        let stream = if self.cfg.scheme == Scheme::FastaiV2 {
            rng.shuffle(&mut document_order);
            self.corpus.stream(&document_order).into()
        } else {
            self.corpus.stream_in_order()
        };
        let mut windows = Vec::with_capacity(self.batches_per_epoch());
        let mut start = 0;
        while start < rows - 1 && windows.len() < self.batches_per_epoch() {
            let wanted = match self.cfg.scheme {
                Scheme::Pytorch | Scheme::FastaiV2 => bptt,
                Scheme::FastaiV07 => fastai_v07_seq_len(&mut rng, bptt),
            };
            let seq_len = wanted.min(rows - 1 - start);
            windows.push(Window {
                epoch,
                index: windows.len(),
                start,
                seq_len,
            });
            start += seq_len;
        }
        EpochBatches {
            epoch,
            windows,
            bs,
            rows,
            stream,
            columns: OnceLock::new(),
            document_order,
        }
    }
}

/// fastai 0.7's draw: `bptt' = bptt if random() < 0.95 else bptt / 2.`, then
/// `max(5, int(normal(bptt', 5)))`; `as i64` truncates toward zero like
/// Python's `int()`.
fn fastai_v07_seq_len(rng: &mut Rng, bptt: usize) -> usize {
    let bptt_prime = if rng.uniform() < 0.95 {
        bptt as f64
    } else {
        bptt as f64 / 2.0
    };
    (rng.normal(bptt_prime, 5.0) as i64).max(5) as usize
}

/// One epoch's columns and windows. Input and target are slices into the
/// columns, so reading a batch allocates nothing.
///
/// The columns (the stream transposed) are built on the first read of a
/// batch: the page only looks up single cells, which the joined stream
/// answers directly, so dragging bs over a 10 MB corpus never transposes it.
#[derive(Clone, Debug)]
pub struct EpochBatches {
    pub epoch: usize,
    pub windows: Vec<Window>,
    bs: usize,
    rows: usize,
    /// This epoch's joined stream: stream `j` is `stream[j*rows ..][..rows]`.
    stream: Arc<[u32]>,
    /// `[rows, bs]` time-major: `columns[row * bs + stream]`.
    columns: OnceLock<Arc<[u32]>>,
    document_order: Vec<usize>,
}

impl EpochBatches {
    pub fn bs(&self) -> usize {
        self.bs
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    /// `[rows, bs]` time-major, exactly PyTorch's `batchify` output.
    pub fn columns(&self) -> &[u32] {
        self.columns.get_or_init(|| {
            let (bs, rows) = (self.bs, self.rows);
            let mut columns = vec![0u32; rows * bs];
            for (j, chunk) in self.stream[..rows * bs].chunks_exact(rows).enumerate() {
                for (row, &id) in chunk.iter().enumerate() {
                    columns[row * bs + j] = id;
                }
            }
            columns.into()
        })
    }

    /// The window's input, `[seq_len, bs]` time-major.
    pub fn input(&self, w: &Window) -> &[u32] {
        &self.columns()[w.start * self.bs..(w.start + w.seq_len) * self.bs]
    }

    /// The window's target: the input shifted down by one row, `[seq_len, bs]`.
    pub fn target(&self, w: &Window) -> &[u32] {
        &self.columns()[(w.start + 1) * self.bs..(w.start + 1 + w.seq_len) * self.bs]
    }

    /// The token at (`stream`, `row`).
    pub fn token(&self, stream: usize, row: usize) -> u32 {
        self.stream[self.stream_position(stream, row)]
    }

    /// Rows `rows` of one stream: a slice of the joined stream, so showing a
    /// few streams of a batch never transposes the whole corpus.
    pub fn stream_rows(&self, stream: usize, rows: Range<usize>) -> &[u32] {
        let first = self.stream_position(stream, 0);
        let end = rows.end.min(self.rows);
        &self.stream[first + rows.start.min(end)..first + end]
    }

    /// Index of (`stream`, `row`) in this epoch's joined token stream.
    pub fn stream_position(&self, stream: usize, row: usize) -> usize {
        stream * self.rows + row
    }

    /// The document order joined this epoch (shuffled only by fastai-v2);
    /// `Corpus::stream(order)` rebuilds this epoch's token stream.
    pub fn document_order(&self) -> &[usize] {
        &self.document_order
    }

    /// Rows that no window touches this epoch, neither as input nor as target:
    /// fastai-v0.7's never-reached tail. Empty for PyTorch and fastai-v2, whose
    /// last target row is the last row. (The last row is never an *input* in
    /// any scheme: it is only ever predicted.)
    pub fn unreached_rows(&self) -> Range<usize> {
        let reached = self.windows.last().map_or(0, |w| w.start + w.seq_len + 1);
        reached.min(self.rows)..self.rows
    }
}

#[cfg(test)]
#[path = "batcher_tests.rs"]
mod tests;
