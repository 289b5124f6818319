//! fastai 0.7's `LanguageModelLoader` (fastai/nlp.py, the 2018 course's
//! lesson 4): PyTorch's `batchify` columns, read in windows of random length.
//!
//! ```python
//! def __iter__(self):
//!     self.i,self.iter = 0,0
//!     while self.i < self.n-1 and self.iter<len(self):
//!         bptt = self.bptt if np.random.random() < 0.95 else self.bptt / 2.
//!         seq_len = max(5, int(np.random.normal(bptt, 5)))
//!         res = self.get_batch(self.i, seq_len)
//!         self.i += seq_len
//!         self.iter += 1
//!         yield res
//! def __len__(self): return self.n // self.bptt - 1
//! ```
//! (The later fastai 0.7 `text.py` also made the first window `bptt + 25`
//! long to pre-allocate GPU memory; we follow `nlp.py`, which has no special
//! first window.) `get_batch` clips the window to `n - 1 - i`.

use super::Window;
use crate::nn::rng::Rng;

/// fastai's `len()`: the most windows an epoch may yield. An epoch may end
/// sooner: with a small bptt, `seq_len ≥ 5` reaches the last row first.
pub(crate) fn fastai_len(rows: usize, bptt: usize) -> usize {
    (rows / bptt).saturating_sub(1)
}

/// The windows `__iter__` yields for one epoch's draws. Where fastai's
/// `len()` is 0 (rows < 2·bptt) fastai yields nothing; we yield one window
/// so that a tiny text still trains.
pub(crate) fn windows(
    epoch: usize,
    rows: usize,
    bptt: usize,
    bs: usize,
    rng: &mut Rng,
) -> Vec<Window> {
    let most = fastai_len(rows, bptt).max(1);
    let mut windows = Vec::with_capacity(most);
    let mut start = 0;
    while start < rows - 1 && windows.len() < most {
        let seq_len = seq_len_draw(rng, bptt).min(rows - 1 - start);
        windows.push(Window {
            epoch,
            index: windows.len(),
            start,
            seq_len,
            width: bs,
        });
        start += seq_len;
    }
    windows
}

/// `bptt' = bptt if random() < 0.95 else bptt / 2.`, then
/// `max(5, int(normal(bptt', 5)))`; `as i64` truncates toward zero like
/// Python's `int()`.
fn seq_len_draw(rng: &mut Rng, bptt: usize) -> usize {
    let bptt_prime = if rng.uniform() < 0.95 {
        bptt as f64
    } else {
        bptt as f64 / 2.0
    };
    (rng.normal(bptt_prime, 5.0) as i64).max(5) as usize
}
