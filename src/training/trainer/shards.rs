//! Data parallelism within a step: the batch's bs streams are split into
//! contiguous shards, one per thread; each thread runs the forward and
//! backward pass of its streams (and the last loss's pass when asked), and
//! the shards' gradients are summed. Each shard's loss is its share of the
//! mean over the whole batch (`Model::forward_shard_into`), so the sums
//! are the batch's loss and gradient: the same numbers as one thread up to
//! f32 rounding (the sums over streams are added up in another order).
//! The shards are fixed by (bs, threads), so a run is the same every time.
//!
//! The threads are scoped threads started per step (tens of microseconds,
//! against milliseconds of work). On wasm32 nothing is spawned: the shards
//! run one after another on the caller's thread.

use crate::nn::float::Float;
use crate::nn::lstm::LstmState;
use crate::nn::model::{Gradients, Model, ModelCache};
use crate::training::noise_scale::two_size::{noise_weight, squared_norm, TwoSize};

/// One shard's streams and buffers, reused from step to step.
#[derive(Debug, Default)]
pub(super) struct Shard<T> {
    input: Vec<u32>,
    target: Vec<u32>,
    start: LstmState<T>,
    cache: ModelCache<T>,
    pub(super) grads: Gradients<T>,
    loss: f64,
    last: LstmState<T>,
}

/// What a sharded forward + backward gives the trainer.
pub(super) struct Sharded<T> {
    /// Mean loss over the batch.
    pub loss: f64,
    /// The final (h, c) of every stream, [layers, bs, hidden].
    pub last: LstmState<T>,
    /// The gradient noise estimate the shards give for free: each shard's
    /// mean gradient is a small batch of its streams, their sum the whole
    /// batch's (`noise_scale::TwoSize`, with a stream as the example).
    /// `None` with one shard.
    pub noise: Option<TwoSize>,
}

/// The streams of shard `k` of `shards`: as even as can be, the first
/// shards one stream longer when bs does not divide.
pub(super) fn streams(bs: usize, shards: usize, k: usize) -> std::ops::Range<usize> {
    let (size, extra) = (bs / shards, bs % shards);
    let start = k * size + k.min(extra);
    start..start + size + usize::from(k < extra)
}

/// Forward and backward through the batch (`input`, `target`: [seq_len,
/// bs] time-major; `start`: [layers, bs, hidden]) in `shards.len()`
/// shards, on as many threads if `threaded`, else one after another on
/// this thread. The summed gradients (params, per-cell norms and, with
/// `last_loss`, the last loss's per-cell norms) end up in `shards[0].grads`.
/// Needs bs ≥ shards.len().
#[allow(clippy::too_many_arguments)]
pub(super) fn forward_backward<T: Float>(
    model: &Model<T>,
    input: &[u32],
    target: &[u32],
    seq_len: usize,
    bs: usize,
    start: &LstmState<T>,
    last_loss: bool,
    shards: &mut [Shard<T>],
    threaded: bool,
) -> Sharded<T> {
    let count = shards.len();
    assert!(count >= 1 && bs >= count, "{count} shards of {bs} streams");
    let (layers, hidden) = (model.config.layers, model.config.hidden);
    for (k, shard) in shards.iter_mut().enumerate() {
        let own = streams(bs, count, k);
        gather_columns(&mut shard.input, input, seq_len, bs, own.clone());
        gather_columns(&mut shard.target, target, seq_len, bs, own.clone());
        for (part, whole) in [
            (&mut shard.start.h, &start.h),
            (&mut shard.start.c, &start.c),
        ] {
            gather_columns(
                part,
                whole,
                layers,
                bs * hidden,
                own.start * hidden..own.end * hidden,
            );
        }
    }
    let work = |shard: &mut Shard<T>| {
        let shard_bs = shard.input.len() / seq_len.max(1);
        let forward = model.forward_shard_into(
            &shard.input,
            &shard.target,
            seq_len,
            shard_bs,
            &shard.start,
            seq_len * bs,
            &mut shard.cache,
        );
        model.backward_into(&shard.cache, &mut shard.grads);
        if last_loss {
            model.last_loss_backward_into(&shard.cache, &mut shard.grads);
        } else {
            shard.grads.last_loss_grad_norms.clear();
        }
        shard.loss = forward.loss;
        shard.last = forward.last;
    };
    run_each(shards, threaded, work);
    let mut last = LstmState::zeros(&model.config.lstm(), bs);
    for (k, shard) in shards.iter().enumerate() {
        let own = streams(bs, count, k);
        let cols = own.start * hidden..own.end * hidden;
        scatter_columns(
            &mut last.h,
            &shard.last.h,
            layers,
            bs * hidden,
            cols.clone(),
        );
        scatter_columns(&mut last.c, &shard.last.c, layers, bs * hidden, cols);
    }
    let loss = shards.iter().map(|s| s.loss).sum();
    // A shard's gradient is its streams' share of the batch's mean: scaled
    // by bs / size, the mean gradient of its own streams.
    let (mut small_sq, mut w_small) = (0.0, 0.0);
    for (k, shard) in shards.iter().enumerate() {
        let size = streams(bs, count, k).len();
        let scale = bs as f64 / size as f64;
        small_sq += scale * scale * squared_norm(&shard.grads.params) / count as f64;
        w_small += noise_weight(size, None) / count as f64;
    }
    let (first, rest) = shards.split_first_mut().expect("at least one shard");
    let total = &mut first.grads;
    for shard in rest.iter() {
        for (sum, &g) in total.params.iter_mut().zip(&shard.grads.params) {
            *sum += g;
        }
    }
    // Norms over all streams: the root of the shards' summed squares.
    let combine = |norms: &mut [T], of: &dyn Fn(&Shard<T>) -> &[T]| {
        for (t, norm) in norms.iter_mut().enumerate() {
            let squares = rest.iter().fold(*norm * *norm, |s, shard| {
                let n = of(shard)[t];
                s + n * n
            });
            *norm = squares.sqrt();
        }
    };
    combine(&mut total.cell_grad_norms, &|s| &s.grads.cell_grad_norms);
    combine(&mut total.last_loss_grad_norms, &|s| {
        &s.grads.last_loss_grad_norms
    });
    let noise = (count >= 2).then(|| {
        TwoSize::from_norms(
            small_sq,
            w_small,
            squared_norm(&total.params),
            noise_weight(bs, None),
        )
    });
    Sharded { loss, last, noise }
}

/// `part` = columns `cols` of every one of `rows` rows of `whole` (rows of
/// `width` values).
fn gather_columns<V: Copy>(
    part: &mut Vec<V>,
    whole: &[V],
    rows: usize,
    width: usize,
    cols: std::ops::Range<usize>,
) {
    part.clear();
    for row in whole.chunks_exact(width).take(rows) {
        part.extend_from_slice(&row[cols.clone()]);
    }
}

/// The inverse of [`gather_columns`].
fn scatter_columns<V: Copy>(
    whole: &mut [V],
    part: &[V],
    rows: usize,
    width: usize,
    cols: std::ops::Range<usize>,
) {
    let part_rows = part.chunks_exact(cols.len());
    for (row, from) in whole.chunks_exact_mut(width).take(rows).zip(part_rows) {
        row[cols.clone()].copy_from_slice(from);
    }
}

/// `work` on every shard: if `threaded`, the first on this thread and the
/// others on scoped threads (natively; std panics if the system cannot
/// start a thread); else, and always on wasm32, which has no threads, all
/// here one after another.
fn run_each<S: Send>(shards: &mut [S], threaded: bool, work: impl Fn(&mut S) + Sync) {
    #[cfg(not(target_arch = "wasm32"))]
    if let (true, Some((first, rest))) = (threaded, shards.split_first_mut()) {
        std::thread::scope(|scope| {
            let work = &work;
            for shard in rest.iter_mut() {
                scope.spawn(move || work(shard));
            }
            work(first);
        });
        return;
    }
    let _ = threaded;
    shards.iter_mut().for_each(work);
}

#[cfg(test)]
mod tests;
