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
mod tests {
    use super::*;
    use crate::data::batcher::BatchConfig;
    use crate::data::corpus::{Corpus, TokenLevel};

    fn words(scheme: Scheme, bs: usize, bptt: usize) -> ShapeWords {
        let corpus = Corpus::from_documents(&["abcdefghijk"], TokenLevel::Char).unwrap();
        shape_words(
            &LmBatcher::new(
                &corpus,
                BatchConfig {
                    bs,
                    bptt,
                    scheme,
                    seed: 0,
                },
            )
            .unwrap(),
        )
    }

    #[test]
    fn each_scheme_states_its_own_formula_with_its_numbers() {
        assert_eq!(
            words(Scheme::Pytorch, 3, 2).rows,
            "tokens / bs = 11 / 3 = 3 rows in each of the 3 columns"
        );
        assert_eq!(
            words(Scheme::Pytorch, 3, 2).dropped,
            "2 (tokens − bs × rows = 11 − 3 × 3: the tail that fills no column)"
        );
        assert!(words(Scheme::FastaiV2, 3, 2)
            .rows
            .starts_with("bl = (tokens − 1) / bs = 10 / 3 = 3 rows"));
        assert!(words(Scheme::FastaiV2, 3, 2)
            .dropped
            .starts_with("1 (tokens − 1 − bs × bl = 11 − 1 − 3 × 3"));
        // 3 streams × (4 rows + 1 target) = 15 tokens read of 11.
        assert!(
            words(Scheme::FastaiV1, 3, 2)
                .dropped
                .ends_with("so 4 are read twice"),
            "{:?}",
            words(Scheme::FastaiV1, 3, 2)
        );
        let hf = words(Scheme::HfBlocks, 2, 3);
        assert_eq!(
            (hf.rows_label, hf.rows.as_str()),
            (
                "tokens per block",
                "block_size = bptt = 3: 3 blocks, each read as 2 inputs and 2 targets"
            )
        );
        assert!(hf.dropped.starts_with("2 (per group"));
    }
}
