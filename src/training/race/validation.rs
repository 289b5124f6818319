//! Validation loss: the mean cross-entropy of a model on the held-out
//! stream, read the way training reads text — cut into the run's `bs`
//! streams, windows of `bptt` rows, the hidden state carried from window to
//! window (or reset, for a run that resets it) — with no gradient and no update.
//!
//! Cheap enough for a worker to run between steps: [`validation_loss`]
//! can stop after `max_targets` target tokens. It reads the first rows of
//! every stream, and the streams start evenly spaced through the held-out
//! text, so a bounded pass reads `bs` short stretches spread over all of it —
//! the same stretches every time, so successive values of one run are
//! comparable — and costs the same whatever the run's bs and bptt (the last
//! window is cut short to fit the bound).

use serde::{Deserialize, Serialize};

use crate::nn::float::Float;
use crate::nn::lstm::LstmState;
use crate::nn::model::{Model, ModelCache};

/// Target tokens a validation pass reads by default. A forward pass costs
/// about a third of a training step's forward + backward, so validating
/// every [`VALIDATE_EVERY_TOKENS`] training tokens adds roughly
/// 4,096 / 3 / 16,384 ≈ 8% to a run's time, for every bs. Measured natively
/// (release, default settings, stories): a pass takes 9–16 ms, 6–14% of the
/// time of the 16,384 training tokens between passes, at bs = 4 to 256.
pub const VALIDATION_TOKENS: usize = 4_096;
/// Validate every this many training tokens by default: every 58 steps at
/// bs = 4, bptt = 70; every step at bs = 256.
pub const VALIDATE_EVERY_TOKENS: usize = 16_384;

/// One validation pass's result.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidationLoss {
    /// Mean cross-entropy per target token (nats).
    pub loss: f64,
    /// Targets the mean is over.
    pub tokens: usize,
    pub windows: usize,
}

/// The mean loss of `model` on `tokens` (ids of the model's vocabulary),
/// batched into `bs` streams (fewer if the text is too short for `bs`
/// streams of 2 rows), windows of `bptt` rows from row 0, hidden state from
/// zeros and carried across windows when `carry`, reset before each window
/// otherwise. Reads about `max_targets` targets (`None` = the whole stream):
/// whole rows of the bs streams until at least `max_targets` are read, so
/// `⌈max_targets / bs⌉` rows, the last window cut short. `None` when the
/// text is too short for a single (input, target) pair.
pub fn validation_loss<T: Float>(
    model: &Model<T>,
    tokens: &[u32],
    bs: usize,
    bptt: usize,
    carry: bool,
    max_targets: Option<usize>,
) -> Option<ValidationLoss> {
    let mut buffers = ValidationBuffers::default();
    validation_loss_with(model, tokens, bs, bptt, carry, max_targets, &mut buffers)
}

/// What a validation pass works in, kept by a run between its passes so a
/// pass allocates nothing: the rows it reads and the forward pass's cache.
#[derive(Clone, Debug, Default)]
pub struct ValidationBuffers<T> {
    /// Rows 0..=end of the batched stream, [rows, bs] (see `batchify`).
    columns: Vec<u32>,
    cache: ModelCache<T>,
}

/// [`validation_loss`] in `buffers`: the same numbers.
pub fn validation_loss_with<T: Float>(
    model: &Model<T>,
    tokens: &[u32],
    bs: usize,
    bptt: usize,
    carry: bool,
    max_targets: Option<usize>,
    buffers: &mut ValidationBuffers<T>,
) -> Option<ValidationLoss> {
    let bs = bs.min(tokens.len() / 2).max(1);
    let rows = tokens.len() / bs;
    if rows < 2 || bptt == 0 || max_targets == Some(0) {
        return None;
    }
    // Rows to read: every row but the last (it is only ever a target), or the bound.
    let end = max_targets.map_or(rows - 1, |max| max.div_ceil(bs).min(rows - 1));
    // Cut as the batcher cuts training text (stream j is tokens[j·rows ..]),
    // but only the rows this pass reads: a bounded pass over a large text
    // reads a few dozen of its rows.
    let columns = &mut buffers.columns;
    columns.clear();
    columns
        .extend((0..=end).flat_map(|row| (0..bs).map(move |stream| tokens[stream * rows + row])));
    let zeros = LstmState::zeros(&model.config.lstm(), bs);
    let mut hidden = zeros.clone();
    let (mut total, mut targets, mut windows, mut start) = (0.0, 0, 0, 0);
    while start < end {
        let seq_len = bptt.min(end - start);
        let input = &columns[start * bs..(start + seq_len) * bs];
        let target = &columns[(start + 1) * bs..(start + 1 + seq_len) * bs];
        let forward = model.forward_into(
            input,
            target,
            seq_len,
            bs,
            if carry { &hidden } else { &zeros },
            &mut buffers.cache,
        );
        total += forward.loss * (seq_len * bs) as f64;
        targets += seq_len * bs;
        hidden = forward.last;
        windows += 1;
        start += seq_len;
    }
    Some(ValidationLoss {
        loss: total / targets as f64,
        tokens: targets,
        windows,
    })
}

/// When a run validates: every `every_tokens` training tokens (the first
/// time once that many are seen), at most once per step.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidationSchedule {
    pub every_tokens: usize,
    next_at: usize,
}

impl ValidationSchedule {
    pub fn new(every_tokens: usize) -> Self {
        let every_tokens = every_tokens.max(1);
        ValidationSchedule {
            every_tokens,
            next_at: every_tokens,
        }
    }

    /// Whether to validate now that `tokens_seen` training tokens are seen;
    /// `true` moves the next time past `tokens_seen`.
    pub fn due(&mut self, tokens_seen: usize) -> bool {
        if tokens_seen < self.next_at {
            return false;
        }
        self.next_at = (tokens_seen / self.every_tokens + 1) * self.every_tokens;
        true
    }
}

#[cfg(test)]
mod tests;
