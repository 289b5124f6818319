//! The gradient noise scale of McCandlish et al. 2018, "An Empirical Model of
//! Large-Batch Training" (appendix A): how large a batch must be before its
//! gradient is more signal than noise.
//!
//! Over a set of N examples with gradients g_e (each of its own loss, over
//! every parameter) and mean G:
//!
//! ```text
//!     grad_sq  = |G|²
//!     trace    = tr Σ = mean_e |g_e − G|²       (Σ: covariance of one g_e)
//!     b_simple = trace / grad_sq
//! ```
//!
//! A batch of B examples has E|G_B − G|² ≈ tr Σ / B, so B_simple is the batch
//! size at which the noise in a step is as large as the signal: far below it
//! steps are mostly noise, far above it more examples barely change the step.
//!
//! [`exact`] runs over every example; [`sampled`] estimates both quantities
//! from random batches (the paper's two-size estimator, [`two_size`]); and
//! [`TwoSize`]/[`NoiseEma`] turn gradients a training step computes anyway
//! into a running estimate. [`LmExamples`] makes the examples of the LSTM
//! language model: every (stream, window) of an epoch.

mod lm_examples;
mod sampled;
pub mod two_size;

pub use lm_examples::LmExamples;
pub use sampled::{default_samples, sampled, DEFAULT_GRADIENTS};
pub use two_size::{noise_weight, NoiseEma, TwoSize};

use crate::nn::float::Float;
use serde::Serialize;

/// A set of examples whose gradients can be computed one at a time (the
/// language model's, or synthetic vectors in tests).
pub trait ExampleGradients {
    type Elem: Float;
    /// N, the number of examples.
    fn examples(&self) -> usize;
    /// g_e: the gradient of example `example`'s loss over all parameters,
    /// valid until the next call.
    fn gradient(&mut self, example: usize) -> &[Self::Elem];
}

/// The noise scale of a set of examples, exact or estimated; serialises as
/// the `batchscope noise` line.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct NoiseScale {
    /// N, the examples the quantities are over.
    pub examples: usize,
    /// |G|².
    pub grad_sq: f64,
    /// tr Σ = mean |g_e − G|².
    pub trace: f64,
    /// trace / grad_sq; `None` when the (estimated) |G|² is not positive.
    pub b_simple: Option<f64>,
}

impl NoiseScale {
    pub fn new(examples: usize, estimate: TwoSize) -> Self {
        NoiseScale {
            examples,
            grad_sq: estimate.grad_sq,
            trace: estimate.trace,
            b_simple: (estimate.grad_sq > 0.0).then(|| estimate.trace / estimate.grad_sq),
        }
    }
}

/// The noise scale over every example, one gradient at a time: memory is two
/// parameter vectors, whatever N.
///
/// Sums are kept in f64. tr Σ is computed as mean|g_e|² − |G|², in one pass;
/// the subtraction loses about log10(|G|²/tr Σ) of f64's 16 digits, nothing
/// next to the 7 that the f32 gradients carry.
pub fn exact<S: ExampleGradients>(source: &mut S) -> NoiseScale {
    let n = source.examples();
    assert!(n >= 1, "the noise scale needs at least one example");
    let mut sum: Vec<f64> = Vec::new();
    let mut sum_sq = 0.0;
    for e in 0..n {
        let g = source.gradient(e);
        if sum.is_empty() {
            sum.resize(g.len(), 0.0);
        }
        for (s, &x) in sum.iter_mut().zip(g) {
            *s += x.to_f64();
        }
        sum_sq += two_size::squared_norm(g);
    }
    let grad_sq: f64 = sum.iter().map(|s| (s / n as f64).powi(2)).sum();
    NoiseScale::new(
        n,
        TwoSize {
            grad_sq,
            trace: sum_sq / n as f64 - grad_sq,
        },
    )
}

/// Gradients given as vectors: a population in tests.
#[cfg(test)]
pub(crate) struct Population(pub Vec<Vec<f32>>);

#[cfg(test)]
impl ExampleGradients for Population {
    type Elem = f32;
    fn examples(&self) -> usize {
        self.0.len()
    }
    fn gradient(&mut self, example: usize) -> &[f32] {
        &self.0[example]
    }
}

#[cfg(test)]
mod tests;
