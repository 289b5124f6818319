//! The noise scale estimated from random batches instead of every example:
//! McCandlish et al.'s two-size estimator (appendix A), for a finite set of
//! examples drawn without replacement.
//!
//! Each sample draws `batch` distinct examples and computes their gradients
//! one by one. That gives both sizes at once: the big batch is their mean
//! (|G_big|², weight w(batch)), and every single example is a small batch of
//! one (mean |g_e|², weight w(1) = 1). Using all `batch` singles rather than
//! one costs nothing extra and averages away more noise; the small batches
//! lying inside the big one leaves both estimates unbiased. The squared norms
//! are averaged over the samples and the two equations solved once (the
//! paper's "average, then divide": solving is linear, so this equals
//! averaging the per-sample |G|² and tr Σ estimates).
//!
//! Why the big batch is the training batch size: that is the batch the
//! learner is asking about, and the estimator's |G|² part (the hard one, since
//! tr Σ ≫ |G|² below B_simple) improves with the number of distinct pairs in
//! a batch, B(B−1)/2, so bigger batches are also the better use of a gradient.

use super::two_size::{noise_weight, squared_norm, TwoSize};
use super::{ExampleGradients, NoiseScale};
use crate::nn::float::Float;
use crate::nn::rng::Rng;

/// Gradients the default estimate spends, whatever the batch size.
pub const DEFAULT_GRADIENTS: usize = 2048;

/// Random batches of `batch` to average when the caller has no reason to
/// choose: about [`DEFAULT_GRADIENTS`] gradients, at least 4 batches.
///
/// Why a fixed budget rather than a fixed count: the hard part is |G|², whose
/// per-batch estimate is the mean of the batch's B(B−1) pairwise products
/// g_e·g_f; its variance falls like 1/(B(B−1)) while a batch costs B
/// gradients, so big batches need few samples and batches of 2 many. On the
/// committed fixtures (B = 2 to 4, B_simple 2 to 14) this lands within ±14%
/// of the exact values for 30 seeds out of 30 (tests/noise_scale.rs checks
/// ±25%). The count needed grows with B_simple², so a model whose noise scale
/// is far above the batch size may want more (--samples).
pub fn default_samples(batch: usize) -> usize {
    DEFAULT_GRADIENTS.div_ceil(batch.max(1)).max(4)
}

/// `Rng::derive` purpose of the batch draws, apart from weights and batches.
const SAMPLING: u64 = 0x4015e;

/// Estimates the noise scale of `source`'s examples from `samples` random
/// batches of `batch` examples (2 ≤ batch < N; a batch of all N would make
/// the estimate exact, so use [`super::exact`]). Costs samples × batch
/// gradients; the same seed gives the same batches.
pub fn sampled<S: ExampleGradients>(
    source: &mut S,
    batch: usize,
    samples: usize,
    seed: u64,
) -> NoiseScale {
    let n = source.examples();
    assert!(
        (2..n).contains(&batch),
        "batches of 2 to N − 1 = {} examples, not {batch}",
        n.saturating_sub(1)
    );
    assert!(samples >= 1, "at least one sample");
    let mut rng = Rng::derive(seed, SAMPLING);
    let mut order: Vec<usize> = (0..n).collect();
    let mut batch_sum: Vec<f64> = Vec::new();
    let (mut singles_sq, mut big_sq) = (0.0, 0.0);
    for _ in 0..samples {
        // A partial Fisher–Yates shuffle: order[..batch] is a uniform draw
        // without replacement, whatever order the last sample left.
        for k in 0..batch {
            let pick = k + rng.below((n - k) as u64) as usize;
            order.swap(k, pick);
        }
        batch_sum.iter_mut().for_each(|s| *s = 0.0);
        for &e in &order[..batch] {
            let g = source.gradient(e);
            if batch_sum.is_empty() {
                batch_sum.resize(g.len(), 0.0);
            }
            for (s, &x) in batch_sum.iter_mut().zip(g) {
                *s += x.to_f64();
            }
            singles_sq += squared_norm(g) / batch as f64;
        }
        big_sq += batch_sum
            .iter()
            .map(|s| (s / batch as f64).powi(2))
            .sum::<f64>();
    }
    let samples = samples as f64;
    NoiseScale::new(
        n,
        TwoSize::from_norms(
            singles_sq / samples,
            noise_weight(1, Some(n)),
            big_sq / samples,
            noise_weight(batch, Some(n)),
        ),
    )
}

#[cfg(test)]
mod tests;
