//! The language model's loss: softmax cross-entropy over the vocabulary,
//! which also leaves its gradient in the logits.

use crate::nn::float::{Float, WithSimd};

/// Softmax cross-entropy of `logits + bias` ([n, V] + [V]) against
/// `target` [n], summed and divided by `mean_over` (n, or the whole batch's
/// count for a shard of it); turns the logits into dL/dlogits = (softmax −
/// one-hot)/mean_over in place.
pub(crate) struct SoftmaxCrossEntropy<'a, T> {
    pub logits: &'a mut [T],
    pub bias: &'a [T],
    pub target: &'a [u32],
    pub vocab: usize,
    pub mean_over: usize,
}

impl<T: Float> WithSimd for SoftmaxCrossEntropy<'_, T> {
    type Output = f64;
    #[inline(always)]
    fn run(self) -> f64 {
        let v = self.vocab;
        let n = self.mean_over;
        let inv_n = T::from_f64(1.0 / n as f64);
        let bias = &self.bias[..v];
        // The loss sum is kept in f64 so a long batch does not lose digits.
        let mut loss = 0.0f64;
        for (row, &y) in self.logits.chunks_exact_mut(v).zip(self.target) {
            let y = y as usize;
            assert!(y < v, "target id {y} outside the vocabulary of {v}");
            for (z, &b) in row.iter_mut().zip(bias) {
                *z += b;
            }
            // Stable: subtract the row's max. The exp loop is kept apart
            // from the sum so that it vectorises.
            let max = lanes_max(row);
            let target_logit = row[y] - max;
            for z in row.iter_mut() {
                *z = (*z - max).exp();
            }
            let sum = lanes_sum(row);
            loss += (sum.ln() - target_logit).to_f64();
            let scale = inv_n / sum;
            for z in row.iter_mut() {
                // A confident model's unlikely tokens underflow (see
                // flush_subnormal): their dlogits feed two products.
                *z = (*z * scale).flush_subnormal();
            }
            row[y] -= inv_n;
        }
        loss / n as f64
    }
}

/// SIMD lanes of a row's partial sums and maxima: one running value would
/// be a chain of dependent operations (~4 cycles each, V per row).
const LANES: usize = 16;

/// The largest value of `row` (not empty).
#[inline(always)]
fn lanes_max<T: Float>(row: &[T]) -> T {
    let mut lanes = [row[0]; LANES];
    let mut chunks = row.chunks_exact(LANES);
    for chunk in chunks.by_ref() {
        for (m, &z) in lanes.iter_mut().zip(chunk) {
            *m = m.max(z);
        }
    }
    let rest = chunks.remainder().iter();
    rest.chain(&lanes).fold(row[0], |m, &z| m.max(z))
}

/// The sum of `row`, in [`LANES`] partial sums.
#[inline(always)]
fn lanes_sum<T: Float>(row: &[T]) -> T {
    let mut lanes = [T::ZERO; LANES];
    let mut chunks = row.chunks_exact(LANES);
    for chunk in chunks.by_ref() {
        for (s, &z) in lanes.iter_mut().zip(chunk) {
            *s += z;
        }
    }
    let rest = chunks.remainder().iter();
    lanes.iter().chain(rest).fold(T::ZERO, |s, &z| s + z)
}
