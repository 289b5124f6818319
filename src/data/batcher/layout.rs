//! Where every token of an epoch goes: the shape a scheme gives the corpus
//! (rows, dropped tokens, the columns of the picture) and the rule that maps
//! a cell (column, row) of the picture to a position in the epoch's stream.

use std::ops::Range;
use std::sync::Arc;

/// How the columns of the picture sit in the epoch's token stream.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Placement {
    /// Column `c` starts at `c · stride` (PyTorch, fastai 0.7, fastai 2).
    Strided { stride: usize },
    /// Column `c` starts at `starts[c]` and wraps round to the stream's start
    /// at its end (fastai 1).
    Wrapping { starts: Arc<[usize]> },
    /// Hugging Face blocks of `block_len`, cut group by group (`datasets.map`
    /// hands `group_texts` 1,000 documents at a time): `groups[g]` is
    /// (first block of the group, its first token's position).
    Blocks {
        block_len: usize,
        groups: Arc<[(usize, usize)]>,
    },
}

impl Placement {
    /// Position in the epoch's stream of column `column`'s first row.
    pub(crate) fn start(&self, column: usize) -> usize {
        match self {
            Placement::Strided { stride } => column * stride,
            Placement::Wrapping { starts } => starts[column],
            Placement::Blocks { block_len, groups } => {
                let g = groups.partition_point(|&(first, _)| first <= column) - 1;
                let (first, position) = groups[g];
                position + (column - first) * block_len
            }
        }
    }
}

/// What a scheme makes of a corpus at one (bs, bptt), fixed for a run.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Layout {
    /// Rows per stream as the library counts them: `T // bs` (PyTorch,
    /// fastai 0.7), `bl` (fastai 2), `n_batches · bptt` (fastai 1), the
    /// block length (Hugging Face).
    pub rows: usize,
    /// Columns of the picture: the bs streams, or every block (Hugging Face).
    pub columns: usize,
    /// Rows of the picture: every row read as input plus the last target row.
    pub matrix_rows: usize,
    pub placement: Placement,
    /// Positions of the stream that no batch reads, as input or target.
    pub dropped: Vec<Range<usize>>,
    /// Tokens in the stream, so positions past the end wrap (fastai 1).
    pub tokens: usize,
}

impl Layout {
    /// Position in the epoch's stream of the cell (`column`, `row`).
    pub(crate) fn position(&self, column: usize, row: usize) -> usize {
        let p = self.placement.start(column) + row;
        if p >= self.tokens {
            p % self.tokens
        } else {
            p
        }
    }

    pub(crate) fn dropped_tokens(&self) -> usize {
        self.dropped.iter().map(|r| r.len()).sum()
    }
}

/// The stream's tail from `kept` on, which no batch reads (none if empty).
pub(crate) fn dropped_tail(kept: usize, tokens: usize) -> Vec<Range<usize>> {
    (kept < tokens)
        .then_some(kept..tokens)
        .into_iter()
        .collect()
}
