//! fastai 2's `LMDataLoader` (fastai/text/data.py):
//!
//! ```python
//! # The "-1" is to allow for final label, we throw away the end that's less than bs
//! corpus = round_multiple(sum(lens)-1, bs, round_down=True)
//! self.bl = corpus//bs #bl stands for batch length
//! self.n_batches = self.bl//(seq_len) + int(self.bl%seq_len!=0)
//! self.last_len = self.bl - (self.n_batches-1)*seq_len
//! ...
//! def create_item(self, seq):
//!     sl = self.last_len if seq//self.bs==self.n_batches-1 else self.seq_len
//!     st = (seq%self.bs)*self.bl + (seq//self.bs)*self.seq_len
//!     txt = self.chunks[st : st+sl+1]
//!     return LMTensorText(txt[:-1]),txt[1:]
//! ```
//! Items `seq = 0, 1, …` are batched bs at a time, so batch `i` holds stream
//! `j = seq % bs` at rows `[i·seq_len, i·seq_len + sl)` of a stream `bl`
//! long; its targets run one token further, so a stream's last target is
//! the next stream's first token. `shuffle_fn` shuffles the documents before
//! every epoch (`TfmdDL.get_idxs` calls it, the first epoch included).

use super::layout::{dropped_tail, Layout, Placement};
use super::{BatchError, Window};

pub(crate) fn layout(tokens: usize, bs: usize) -> Result<Layout, BatchError> {
    let corpus = (tokens - 1) / bs * bs;
    let bl = corpus / bs;
    if bl < 1 {
        return Err(BatchError::TooFewRows {
            bs,
            tokens,
            rows: bl,
            max_bs: tokens - 1,
        });
    }
    // The last target is token bs·bl; everything after it is thrown away.
    let used = bs * bl + 1;
    Ok(Layout {
        rows: bl,
        columns: bs,
        matrix_rows: bl + 1,
        placement: Placement::Strided { stride: bl },
        dropped: dropped_tail(used, tokens),
        tokens,
    })
}

/// `n_batches = ceil(bl / seq_len)` windows, the last `last_len` rows.
pub(crate) fn windows(epoch: usize, bl: usize, seq_len: usize, bs: usize) -> Vec<Window> {
    let n_batches = bl.div_ceil(seq_len);
    let last_len = bl - (n_batches - 1) * seq_len;
    (0..n_batches)
        .map(|index| Window {
            epoch,
            index,
            start: index * seq_len,
            seq_len: if index == n_batches - 1 {
                last_len
            } else {
                seq_len
            },
            width: bs,
        })
        .collect()
}
