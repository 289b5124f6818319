//! fastai 1's `LanguageModelPreLoader` (fastai/text/data.py of fastai 1.x):
//!
//! ```python
//! def __len__(self):
//!     self.ite_len = self.bs*int( math.ceil( self.totalToks/(self.bptt*self.bs) ))
//! def on_epoch_begin(self, **kwargs):
//!     if self.idx is None or len(self.idx) != len(self.dataset.x.items): self.allocate_buffers()
//!     elif self.shuffle:   self.idx.shuffle()
//!     step = self.totalToks / self.bs
//!     for i in range(0,self.bs):
//!         #Compute the initial values for ro and ri
//!         while ln_rag + countTokens <= int(step * i): ...
//!         self.ri[i] = int(step * i - countTokens)
//! def fill_row(self, forward, items, idx, row, ro, ri, overlap, lengths):
//!     ... row[ibuf:ibuf+n] = rag[ri:ri+n] ...
//!     return ro, ri + ((n-overlap) if forward else -(n-overlap))
//! ```
//! Stream `j` starts at token `int(j · T/bs)` of the epoch's document order
//! and every batch reads `bptt + 1` tokens from where the last one stopped,
//! overlapping it by one (its first input is the previous last target).
//! `CircularIndex` wraps the documents round, so a stream that reaches the
//! corpus's end goes on from its start. Nothing is dropped; streams overlap.
//! Every epoch shuffles the documents, the first one included: the default
//! `DataBunch.sanity_check` (fastai/basic_data.py) reads an item before
//! training, which allocates the buffers, so `fit`'s own `on_epoch_begin`
//! (fastai/basic_train.py) takes the `elif self.shuffle` branch.

use super::layout::{Layout, Placement};
use super::Window;

pub(crate) fn layout(tokens: usize, bs: usize, bptt: usize) -> Layout {
    let n_batches = tokens.div_ceil(bptt * bs);
    // Python: `step = totalToks / bs` (a float), then `int(step * i)`.
    let step = tokens as f64 / bs as f64;
    let starts = (0..bs).map(|j| (step * j as f64) as usize).collect();
    Layout {
        rows: n_batches * bptt,
        columns: bs,
        matrix_rows: n_batches * bptt + 1,
        placement: Placement::Wrapping { starts },
        dropped: vec![],
        tokens,
    }
}

/// `ceil(T / (bptt·bs))` windows, every one exactly bptt long.
pub(crate) fn windows(epoch: usize, rows: usize, bptt: usize, bs: usize) -> Vec<Window> {
    (0..rows / bptt)
        .map(|index| Window {
            epoch,
            index,
            start: index * bptt,
            seq_len: bptt,
            width: bs,
        })
        .collect()
}
