//! The critical batch size from measured (bs, steps-to-target) points: the
//! model of McCandlish et al. 2018, `S(b) = S_min · (1 + B_crit / b)`, fitted
//! by least squares on log S.
//!
//! Why log S: the steps span orders of magnitude (thousands at bs = 1, tens
//! at bs = 256) and their noise is multiplicative (a run reaching the target
//! 10% late is 10% late at any bs), so each point should weigh by its ratio,
//! not its count of steps.
//!
//! How: for a fixed B_crit the model is linear in log S_min, whose best value
//! is closed-form, the mean of `log S_i − log(1 + B_crit / b_i)`. What is left
//! is a 1-D search over log B_crit: a dense grid finds the best basin (the
//! residual need not be unimodal with noisy points), then golden-section
//! search refines inside the grid cells either side of the best grid point.

use serde::{Deserialize, Serialize};

/// The fitted curve. `e_min = s_min · b_crit` is the fewest examples (bs ×
/// steps, each an example of bptt tokens) any batch size needs: tokens-to-
/// target is `E(b) = e_min · (1 + b / b_crit)`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fit {
    /// The fewest steps any batch size needs (the limit of a huge batch).
    pub s_min: f64,
    /// The fewest examples (bs × steps) any batch size needs (the limit of a small batch).
    pub e_min: f64,
    /// Where the curve bends: below it doubling bs halves the steps, above it
    /// doubling bs barely helps.
    pub b_crit: f64,
}

/// How far outside the measured batch sizes B_crit may go: `[smallest bs /
/// RANGE, largest bs · RANGE]`. At the edges the data show no bend: steps
/// flat in bs give B_crit at the lower end (every bs is past the knee), steps
/// ∝ 1/b give it at the upper end (no bs reaches the knee). A bound rather
/// than 0 or ∞ keeps every field finite.
pub const B_CRIT_RANGE: f64 = 1000.0;

/// Grid points over log B_crit before refinement.
pub const GRID: usize = 400;
/// Golden-section iterations: the bracket shrinks by 0.618 each, so 60 take
/// a grid cell (≈ 0.04 in log B for 8 bs values) far below f64 precision.
pub const GOLDEN_ITERATIONS: usize = 60;

/// Fits `S(b) = S_min · (1 + B_crit / b)` to `points` = (bs, steps), least
/// squares on log steps. Points that are not finite and positive are left
/// out; `None` when fewer than two distinct batch sizes remain. Never NaN:
/// B_crit is searched within [`B_CRIT_RANGE`] of the measured batch sizes.
pub fn fit_critical_batch(points: &[(f64, f64)]) -> Option<Fit> {
    let points: Vec<(f64, f64)> = points
        .iter()
        .filter(|(b, s)| b.is_finite() && s.is_finite() && *b > 0.0 && *s > 0.0)
        .map(|&(b, s)| (b, s.ln()))
        .collect();
    let smallest = points.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let largest = points.iter().map(|p| p.0).fold(0.0, f64::max);
    if points.is_empty() || smallest == largest {
        return None;
    }
    let (lo, hi) = (
        (smallest / B_CRIT_RANGE).ln(),
        (largest * B_CRIT_RANGE).ln(),
    );
    let cell = (hi - lo) / GRID as f64;
    let residual = |log_b: f64| fit_at(&points, log_b.exp()).1;
    let best_grid = (0..=GRID)
        .map(|i| lo + cell * i as f64)
        .min_by(|a, b| residual(*a).total_cmp(&residual(*b)))
        .expect("the grid has points");
    let log_b = golden_section(
        residual,
        (best_grid - cell).max(lo),
        (best_grid + cell).min(hi),
    );
    let log_b = if residual(log_b) <= residual(best_grid) {
        log_b
    } else {
        best_grid
    };
    let b_crit = log_b.exp();
    let s_min = fit_at(&points, b_crit).0.exp();
    Some(Fit {
        s_min,
        e_min: s_min * b_crit,
        b_crit,
    })
}

/// For a fixed B_crit: the best log S_min and the sum of squared residuals of log S.
fn fit_at(points: &[(f64, f64)], b_crit: f64) -> (f64, f64) {
    let shape = |b: f64| (1.0 + b_crit / b).ln();
    let log_s_min = points
        .iter()
        .map(|&(b, log_s)| log_s - shape(b))
        .sum::<f64>()
        / points.len() as f64;
    let residual = points
        .iter()
        .map(|&(b, log_s)| (log_s - log_s_min - shape(b)).powi(2))
        .sum();
    (log_s_min, residual)
}

/// The minimum of `f` on [lo, hi] by golden-section search (f unimodal there).
fn golden_section(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    let mut left = hi - ratio * (hi - lo);
    let mut right = lo + ratio * (hi - lo);
    let (mut f_left, mut f_right) = (f(left), f(right));
    for _ in 0..GOLDEN_ITERATIONS {
        if f_left <= f_right {
            hi = right;
            right = left;
            f_right = f_left;
            left = hi - ratio * (hi - lo);
            f_left = f(left);
        } else {
            lo = left;
            left = right;
            f_left = f_right;
            right = lo + ratio * (hi - lo);
            f_right = f(right);
        }
    }
    (lo + hi) / 2.0
}

#[cfg(test)]
mod tests;
