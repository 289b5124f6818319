//! Question 1, "does bs = 64 mean 64 batches?": bs = 64, then 128. The
//! columns double, the rows per column halve, the batches per epoch halve,
//! each batch doubles; the classic reading beside it; both reconciled.

use super::{Caption, Setup};
use crate::data::batcher::Scheme;
use crate::page::costs::group_digits;
use crate::page::words::{count, noun_for};

/// The bs the scene starts at, and the one it doubles to.
pub const FIRST_BS: usize = 64;
pub const DOUBLED_BS: usize = 2 * FIRST_BS;

/// Fixed windows (PyTorch's loader), so that "each batch" has one size and
/// doubling bs doubles exactly it; question 3 is where seq_len varies.
const AT_FIRST: Setup = Setup {
    bs: Some(FIRST_BS),
    bptt: Some(70),
    scheme: Some(Scheme::Pytorch),
    ..Setup::NONE
};
const DOUBLED: Setup = Setup {
    bs: Some(DOUBLED_BS),
    ..AT_FIRST
};

pub const CAPTIONS: [Caption; 5] = [
    Caption {
        panel: "bs-meaning",
        spots: &["[data-testid=bs-lm]", "[data-testid=bs-lm-batches]"],
        setup: AT_FIRST,
    },
    Caption {
        panel: "corpus-matrix",
        spots: &[
            "[data-testid=matrix-column-labels]",
            "[data-testid=matrix-caption]",
        ],
        setup: AT_FIRST,
    },
    Caption {
        panel: "costs-panel",
        spots: &[
            "[data-testid=tokens-per-batch]",
            "[data-testid=batches-per-epoch]",
            "[data-testid=rows-per-stream]",
        ],
        setup: DOUBLED,
    },
    Caption {
        panel: "bs-meaning",
        spots: &["[data-testid=bs-classic]"],
        setup: DOUBLED,
    },
    Caption {
        panel: "bs-meaning",
        spots: &[
            "[data-testid=bs-reconciliation]",
            "[data-testid=bs-lm-batches]",
            "[data-testid=bs-classic-sentence]",
        ],
        setup: DOUBLED,
    },
];

/// What the batch panels show for one bs.
#[derive(Clone, Debug, PartialEq)]
pub struct BsFacts {
    pub bs: usize,
    /// Tokens in the stream.
    pub tokens: usize,
    /// Rows of each column (stream).
    pub rows: usize,
    /// Batches (weight updates) per epoch.
    pub batches: usize,
    /// Rows of the shown batch, and the first of them.
    pub seq_len: usize,
    pub start: usize,
    /// The classic reading: the corpus's examples (lines or documents).
    pub examples: usize,
    pub example_noun: &'static str,
}

impl BsFacts {
    /// bs × seq_len.
    pub fn tokens_per_batch(&self) -> usize {
        self.bs * self.seq_len
    }

    /// ⌈examples / bs⌉: the classic batches.
    pub fn classic_batches(&self) -> usize {
        self.examples.div_ceil(self.bs.max(1))
    }
}

/// Caption `index` with the panels showing `now`; `first` is what they
/// showed at [`FIRST_BS`] (for the comparison once bs is doubled).
pub fn caption(index: usize, now: &BsFacts, first: Option<&BsFacts>) -> String {
    let g = group_digits;
    let bs = now.bs;
    match index {
        0 => format!(
            "bs = {bs} is the number of sequences in one batch, never the number of batches. \
             The language model cuts its stream of {} tokens into {bs} columns of {} rows, and one batch \
             is one slice of every column: {bs} sequences × {} tokens. This text makes {} per epoch.",
            g(now.tokens),
            g(now.rows),
            now.seq_len,
            count_grouped(now.batches, "batch"),
        ),
        1 => format!(
            "Here are the {bs} columns side by side, numbered from stream 0 across the top; each holds {} \
             consecutive rows of the text, read downwards. The lit band, rows {}–{} of every column, is \
             batch 1: {bs} × {} = {} tokens.",
            g(now.rows),
            now.start,
            now.start + now.seq_len - 1,
            now.seq_len,
            g(now.tokens_per_batch()),
        ),
        2 => match first {
            Some(f) => format!(
                "Now bs = {bs}. The columns double ({} → {bs}), the rows per column halve ({} → {}), \
                 the batches per epoch halve ({} → {}), and each batch doubles ({} → {} tokens). \
                 A bigger bs is a bigger batch, and fewer of them.",
                f.bs,
                g(f.rows),
                g(now.rows),
                g(f.batches),
                g(now.batches),
                g(f.tokens_per_batch()),
                g(now.tokens_per_batch()),
            ),
            None => format!(
                "Now bs = {bs}: {bs} columns of {} rows, {} per epoch, {} tokens in each.",
                g(now.rows),
                count_grouped(now.batches, "batch"),
                g(now.tokens_per_batch()),
            ),
        },
        3 => format!(
            "The classic reading, on the same text: each of its {} is one example, and bs = {bs} puts {bs} \
             of them in a batch: ⌈{}/{bs}⌉ = {}. There too, doubling bs doubles each batch and halves \
             how many there are.",
            count_grouped(now.examples, now.example_noun),
            now.examples,
            count_grouped(now.classic_batches(), "batch"),
        ),
        _ => format!(
            "Both readings, reconciled: bs = {bs} is always the number of examples in one batch. A classic \
             example is a {noun}; a language-model example is one column's slice of {} tokens, so {bs} \
             columns and {bs} sequences per batch are the same number. \"bs = {bs} halves the batch\" mixes \
             up the batches per epoch (fewer: {}) with the batch itself (bigger: {} tokens).",
            now.seq_len,
            g(now.batches),
            g(now.tokens_per_batch()),
            noun = now.example_noun,
        ),
    }
}

/// `count` with thousands grouped: "1,869 rows".
fn count_grouped(n: usize, noun: &str) -> String {
    if n < 1000 {
        count(n, noun)
    } else {
        format!("{} {}", group_digits(n), noun_for(n, noun))
    }
}
