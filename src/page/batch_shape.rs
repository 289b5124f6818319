//! A batching's shape written out with its scheme's own formula, as the page
//! shows it: how many rows each stream gets (or how long a block is) and
//! which tokens no batch reads. Pure text from core numbers.

use crate::data::batcher::{LmBatcher, Scheme};
use crate::page::costs::group_digits;

/// The rows and dropped lines of the costs panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeWords {
    /// "rows per stream", or "tokens per block" for hf-blocks.
    pub rows_label: &'static str,
    pub rows: String,
    pub dropped: String,
}

/// The words for `batcher`'s shape.
pub fn shape_words(batcher: &LmBatcher) -> ShapeWords {
    let g = group_digits;
    let cfg = batcher.config();
    let (t, bs, bptt, rows, dropped) = (
        batcher.tokens(),
        cfg.bs,
        cfg.bptt,
        batcher.rows(),
        batcher.dropped(),
    );
    let (rows_label, rows_text, dropped_text) = match cfg.scheme {
        Scheme::Pytorch | Scheme::FastaiV07 => (
            "rows per stream",
            format!("tokens / bs = {} / {bs} = {} rows in each of the {bs} columns", g(t), g(rows)),
            format!("{} (tokens − bs × rows = {} − {bs} × {}: the tail that fills no column)", g(dropped), g(t), g(rows)),
        ),
        Scheme::FastaiV2 => (
            "rows per stream",
            format!(
                "bl = (tokens − 1) / bs = {} / {bs} = {} rows in each of the {bs} columns, plus the next stream's first token as the last target",
                g(t - 1),
                g(rows)
            ),
            format!("{} (tokens − 1 − bs × bl = {} − 1 − {bs} × {}: the tail after the last target)", g(dropped), g(t), g(rows)),
        ),
        Scheme::FastaiV1 => {
            let read = bs * rows + bs;
            (
                "rows per stream",
                format!(
                    "⌈tokens / (bptt × bs)⌉ × bptt = ⌈{} / ({bptt} × {bs})⌉ × {bptt} = {} rows in each of the {bs} columns, stream j starting at token int(j × {} / {bs})",
                    g(t),
                    g(rows),
                    g(t)
                ),
                format!(
                    "0: fastai 1 wraps round instead of dropping; its streams read {} tokens of a {}-token text, so {} are read twice",
                    g(read),
                    g(t),
                    g(read.saturating_sub(t))
                ),
            )
        }
        Scheme::HfBlocks => {
            let blocks = batcher.blocks().unwrap_or(0);
            (
                "tokens per block",
                format!("block_size = bptt = {rows}: {} blocks, each read as {} inputs and {} targets", g(blocks), rows - 1, rows - 1),
                format!("{} (per group of 1,000 documents, its tokens mod {rows}: the remainder that fills no block)", g(dropped)),
            )
        }
    };
    ShapeWords {
        rows_label,
        rows: rows_text,
        dropped: dropped_text,
    }
}

#[cfg(test)]
mod tests;
