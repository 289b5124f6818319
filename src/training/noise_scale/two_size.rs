//! The two-size estimator of McCandlish et al. 2018, appendix A, and the
//! running average of its estimates that the paper recommends for use during
//! training.
//!
//! The mean gradient G_B of a batch of B examples is the true gradient G plus
//! noise, so its squared norm is too large on average, and by an amount that
//! shrinks with B:
//!
//! ```text
//!     E|G_B|² = |G|² + tr Σ · w(B)        w(B) = 1/B (an endless supply of examples)
//! ```
//!
//! Two batch sizes give two such equations in the two unknowns |G|² and tr Σ;
//! solved with measured |G_small|², |G_big|² in place of the expectations,
//! each is an unbiased estimate (a linear function of unbiased quantities).
//! A single estimate is very noisy (the |G|² one can even be negative), so
//! one averages many, |G|² and tr Σ separately, and divides only at the end.

use crate::nn::float::Float;

/// How much of the per-example noise tr Σ survives, on average, in the mean of
/// a batch of `batch` examples: E|G_B|² = |G|² + tr Σ · w(B).
///
/// `population: None` is the paper's endless supply, w = 1/B. `Some(n)`: the
/// B examples are drawn *without replacement* from a finite set of n whose
/// mean is G and whose covariance is the population one, tr Σ = mean|g_e − G|².
/// Then w = (n − B) / (B (n − 1)). Why: write d_e = g_e − G, so Σ_e d_e = 0
/// and G_B − G = (1/B) Σ_{e∈S} d_e. Each e is in S with probability B/n, each
/// pair e ≠ f with probability B(B−1)/(n(n−1)), hence
///
/// ```text
///   E|Σ_{e∈S} d_e|² = (B/n) Σ_e |d_e|² + B(B−1)/(n(n−1)) Σ_{e≠f} d_e·d_f
/// ```
///
/// and Σ_{e≠f} d_e·d_f = |Σ_e d_e|² − Σ_e |d_e|² = −Σ_e |d_e|², so
/// E|Σ_{e∈S} d_e|² = (B/n)(n−B)/(n−1) Σ_e |d_e|² = B (n−B)/(n−1) tr Σ.
/// Dividing by B² and adding |G|² (the cross term 2 G·E[G_B − G] is zero)
/// gives the formula. A batch of all n examples has no noise left (w = 0);
/// a batch of one keeps all of it (w = 1), whatever n.
pub fn noise_weight(batch: usize, population: Option<usize>) -> f64 {
    assert!(batch >= 1, "a batch holds at least one example");
    let b = batch as f64;
    match population {
        None => 1.0 / b,
        Some(n) => {
            assert!(
                (1..=n).contains(&batch) && n >= 2,
                "a batch of {batch} drawn without replacement from {n} examples"
            );
            (n - batch) as f64 / (b * (n - 1) as f64)
        }
    }
}

/// One estimate of the two quantities B_simple is the ratio of.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TwoSize {
    /// Estimate of |G|², the squared norm of the true (mean) gradient.
    pub grad_sq: f64,
    /// Estimate of tr Σ, the summed variance of a single example's gradient.
    pub trace: f64,
}

impl TwoSize {
    /// Solves E|G_small|² = |G|² + w_small tr Σ and E|G_big|² = |G|² + w_big tr Σ
    /// for |G|² and tr Σ, with measured squared norms in place of the
    /// expectations; `w_*` from [`noise_weight`], and w_small > w_big.
    pub fn from_norms(small_sq: f64, w_small: f64, big_sq: f64, w_big: f64) -> TwoSize {
        let gap = w_small - w_big;
        assert!(
            gap > 0.0,
            "the small batch must keep more noise than the big one"
        );
        TwoSize {
            grad_sq: (w_small * big_sq - w_big * small_sq) / gap,
            trace: (small_sq - big_sq) / gap,
        }
    }

    /// From two gradients a training step has anyway: `small`, the mean
    /// gradient of `b_small` of its examples, and `big`, that of all `b_big`
    /// (e.g. half the streams of a batch and the whole batch). Examples are
    /// taken as drawn from an endless supply (w = 1/B), as in the paper;
    /// `small` may be part of `big`, which leaves the estimate unbiased.
    pub fn from_gradients<T: Float>(
        small: &[T],
        b_small: usize,
        big: &[T],
        b_big: usize,
    ) -> TwoSize {
        assert_eq!(small.len(), big.len(), "two gradients of one model");
        assert!(b_small < b_big, "the small batch must be smaller");
        TwoSize::from_norms(
            squared_norm(small),
            noise_weight(b_small, None),
            squared_norm(big),
            noise_weight(b_big, None),
        )
    }

    /// From the mean gradients of the two halves of one batch (`size_a` and
    /// `size_b` examples, e.g. streams 0..B/2 and B/2..B of a window): both
    /// halves serve as small batches, and their weighted mean is the whole
    /// batch's gradient (exactly, when every example has the same number of
    /// tokens, as the streams of one window do), so one pass per half gives
    /// the estimate and the training gradient together.
    pub fn from_halves<T: Float>(
        half_a: &[T],
        size_a: usize,
        half_b: &[T],
        size_b: usize,
    ) -> TwoSize {
        assert_eq!(half_a.len(), half_b.len(), "two gradients of one model");
        assert!(size_a >= 1 && size_b >= 1, "each half holds an example");
        let whole = size_a + size_b;
        let (share_a, share_b) = (size_a as f64 / whole as f64, size_b as f64 / whole as f64);
        let whole_sq: f64 = half_a
            .iter()
            .zip(half_b)
            .map(|(&a, &b)| {
                let g = share_a * a.to_f64() + share_b * b.to_f64();
                g * g
            })
            .sum();
        // The mean of the two halves' |G_half|² has expectation
        // |G|² + tr Σ · (1/size_a + 1/size_b) / 2.
        let small_sq = (squared_norm(half_a) + squared_norm(half_b)) / 2.0;
        let w_small = (noise_weight(size_a, None) + noise_weight(size_b, None)) / 2.0;
        TwoSize::from_norms(small_sq, w_small, whole_sq, noise_weight(whole, None))
    }
}

/// Σ x², summed in f64.
pub fn squared_norm<T: Float>(x: &[T]) -> f64 {
    x.iter().map(|&v| v.to_f64() * v.to_f64()).sum()
}

/// B_simple during training: exponential moving averages of the |G|² and
/// tr Σ estimates, kept apart, and their ratio. The ratio of one step's
/// estimates would be useless: the |G|² estimate is noisy enough to cross
/// zero. Both averages start at zero and are divided by the weight they have
/// gathered (as Adam corrects its moments), so the first steps are not
/// pulled towards zero; the ratio would not need it, the two values do.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NoiseEma {
    /// Weight of the past at each update, e.g. 0.99 ≈ the last 100 steps.
    decay: f64,
    grad_sq: f64,
    trace: f64,
    /// 1 − decay^updates: the total weight of the estimates seen.
    gathered: f64,
}

impl NoiseEma {
    pub fn new(decay: f64) -> Self {
        assert!((0.0..1.0).contains(&decay), "decay in [0, 1)");
        NoiseEma {
            decay,
            grad_sq: 0.0,
            trace: 0.0,
            gathered: 0.0,
        }
    }

    pub fn update(&mut self, estimate: TwoSize) {
        let fresh = 1.0 - self.decay;
        self.grad_sq = self.decay * self.grad_sq + fresh * estimate.grad_sq;
        self.trace = self.decay * self.trace + fresh * estimate.trace;
        self.gathered = self.decay * self.gathered + fresh;
    }

    /// The averaged estimates; `None` before the first update.
    pub fn average(&self) -> Option<TwoSize> {
        (self.gathered > 0.0).then(|| TwoSize {
            grad_sq: self.grad_sq / self.gathered,
            trace: self.trace / self.gathered,
        })
    }

    /// tr Σ / |G|² of the averages; `None` until the averaged |G|² is positive.
    pub fn b_simple(&self) -> Option<f64> {
        (self.grad_sq > 0.0).then(|| self.trace / self.grad_sq)
    }
}

#[cfg(test)]
mod tests;
