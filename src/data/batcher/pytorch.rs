//! PyTorch's `word_language_model` (pytorch/examples, word_language_model/
//! main.py): `batchify(data, bsz)` keeps `nbatch = data.size(0) // bsz` rows
//! and views the stream as `bsz` contiguous columns; `get_batch(source, i)`
//! reads `seq_len = min(args.bptt, len(source) - 1 - i)` rows from
//! `i = 0, bptt, 2·bptt, …` (`for batch, i in enumerate(range(0,
//! train_data.size(0) - 1, args.bptt))`), the last window shorter.

use super::layout::{dropped_tail, Layout, Placement};
use super::{BatchError, Window};

/// `batchify`'s shape; fastai 0.7's `LanguageModelLoader.batchify` is the same.
pub(crate) fn layout(tokens: usize, bs: usize) -> Result<Layout, BatchError> {
    let rows = tokens / bs;
    if rows < 2 {
        return Err(BatchError::TooFewRows {
            bs,
            tokens,
            rows,
            max_bs: tokens / 2,
        });
    }
    let kept = rows * bs;
    Ok(Layout {
        rows,
        columns: bs,
        matrix_rows: rows,
        placement: Placement::Strided { stride: rows },
        dropped: dropped_tail(kept, tokens),
        tokens,
    })
}

/// `batchify(data, bs)` itself: `tokens` cut into `bs` contiguous streams of
/// `tokens.len() / bs` rows, returned time-major (`[rows, bs]`, stream `j`
/// in column `j`), the tail that fills no whole row dropped.
pub fn batchify(tokens: &[u32], bs: usize) -> Vec<u32> {
    let rows = tokens.len() / bs;
    let mut columns = vec![0u32; rows * bs];
    for (stream, chunk) in tokens[..rows * bs].chunks_exact(rows.max(1)).enumerate() {
        for (row, &id) in chunk.iter().enumerate() {
            columns[row * bs + stream] = id;
        }
    }
    columns
}

/// `range(0, rows - 1, bptt)`, each window `min(bptt, rows - 1 - i)` long.
pub(crate) fn windows(epoch: usize, rows: usize, bptt: usize, bs: usize) -> Vec<Window> {
    (0..rows - 1)
        .step_by(bptt)
        .enumerate()
        .map(|(index, start)| Window {
            epoch,
            index,
            start,
            seq_len: bptt.min(rows - 1 - start),
            width: bs,
        })
        .collect()
}
