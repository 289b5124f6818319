//! Hugging Face's causal-LM recipe (transformers, examples/pytorch/
//! language-modeling/run_clm.py, `group_texts`) trained by `Trainer`:
//!
//! ```python
//! def group_texts(examples):
//!     concatenated_examples = {k: list(chain(*examples[k])) for k in examples.keys()}
//!     total_length = len(concatenated_examples[list(examples.keys())[0]])
//!     total_length = (total_length // block_size) * block_size
//!     result = {
//!         k: [t[i : i + block_size] for i in range(0, total_length, block_size)]
//!         for k, t in concatenated_examples.items()
//!     }
//!     result["labels"] = result["input_ids"].copy()
//!     return result
//! lm_datasets = tokenized_datasets.map(group_texts, batched=True, ...)
//! ```
//! `Dataset.map(batched=True)` hands `group_texts` 1,000 documents at a time,
//! so each group of 1,000 loses its own remainder. The `Trainer` draws the
//! blocks with a `RandomSampler` (a new order every epoch) and batches them
//! bs at a time, the last batch holding the rest. The model shifts the
//! labels (`logits[..., :-1, :]` against `labels[..., 1:]`), so a block of L
//! tokens trains L − 1 cells: input `block[0:L-1]`, target `block[1:L]`.
//! Every batch starts from a zero hidden state.

use super::layout::{Layout, Placement};
use super::{BatchError, Window};

/// Documents per call of `group_texts` (`Dataset.map`'s default batch_size).
pub const MAP_BATCH: usize = 1000;

/// `documents` are the token counts of the documents in corpus order; every
/// document after the first also carries the separator before it.
pub(crate) fn layout(documents: &[usize], block_len: usize) -> Result<Layout, BatchError> {
    let tokens = documents.iter().sum::<usize>() + documents.len() - 1;
    if block_len < 2 {
        return Err(BatchError::BlockTooShort { bptt: block_len });
    }
    let (mut groups, mut dropped) = (Vec::new(), Vec::new());
    let (mut blocks, mut position) = (0, 0);
    for (g, group) in documents.chunks(MAP_BATCH).enumerate() {
        let separators = if g == 0 { group.len() - 1 } else { group.len() };
        let length = group.iter().sum::<usize>() + separators;
        let kept = length / block_len;
        if kept > 0 {
            groups.push((blocks, position));
        }
        if length % block_len > 0 {
            dropped.push(position + kept * block_len..position + length);
        }
        blocks += kept;
        position += length;
    }
    if blocks == 0 {
        return Err(BatchError::BlockLongerThanCorpus {
            bptt: block_len,
            tokens,
        });
    }
    Ok(Layout {
        rows: block_len,
        columns: blocks,
        matrix_rows: block_len,
        placement: Placement::Blocks {
            block_len,
            groups: groups.into(),
        },
        dropped,
        tokens,
    })
}

/// Batches of bs blocks (the last one holds the rest), each from row 0.
pub(crate) fn windows(epoch: usize, blocks: usize, block_len: usize, bs: usize) -> Vec<Window> {
    (0..blocks.div_ceil(bs))
        .map(|index| Window {
            epoch,
            index,
            start: 0,
            seq_len: block_len - 1,
            width: bs.min(blocks - index * bs),
        })
        .collect()
}
