//! Reading a run's validation passes: where its smoothed loss crossed the
//! target, and whether it still can.
//!
//! The crossing is interpolated between the passes either side of it:
//! without that, a run at bs = 1 would be seen up to a whole validation
//! interval late, a larger share of its steps than at bs = 128, and the
//! fitted B_crit would grow with the interval. A run that cannot reach the
//! target in its budget stops early: a too-high lr at a small bs stalls
//! above the target, and its saturated gates make every step many times
//! slower (subnormal floats in the backward pass), so spending its budget
//! would take most of a sweep's time to learn nothing.

/// A validation pass: after how many steps and tokens, and the smoothed loss.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pass {
    pub steps: usize,
    pub tokens: usize,
    pub loss: f64,
}

/// A run is judged by [`out_of_reach`] only after this share of its budget
/// (1/8): a char model's loss can sit still for a while early on (at the
/// loss of single-character frequencies, before it learns pairs), and such a
/// pause must not end it.
pub const JUDGE_AFTER_SHARE: usize = 8;

/// Whether a run whose passes so far are `passes` cannot reach `target`
/// within `budget` tokens: going on at the pace of the last half of its
/// tokens (the smoothed loss now against the pass at half the tokens), it
/// would need more than the budget, or it made no progress at all. Loss
/// curves flatten, so that pace is optimistic: a run stopped by this would
/// not have reached the target later. Never before [`JUDGE_AFTER_SHARE`].
pub fn out_of_reach(passes: &[Pass], target: f64, budget: usize) -> bool {
    let Some(now) = passes.last() else {
        return false;
    };
    if now.tokens * JUDGE_AFTER_SHARE < budget || now.loss <= target {
        return false;
    }
    let Some(half) = passes.iter().rev().find(|p| 2 * p.tokens <= now.tokens) else {
        return false;
    };
    let progress = half.loss - now.loss;
    if progress.is_nan() || progress <= 0.0 {
        return true;
    }
    let pace = progress / (now.tokens - half.tokens) as f64;
    now.tokens as f64 + (now.loss - target) / pace > budget as f64
}

/// (steps, tokens) where the smoothed loss crossed `target`: linearly
/// between the pass `before` (above the target) and `at` (at or below it),
/// rounded, and after `before` (it was not there yet). The first pass has
/// no `before`: it is its own estimate.
pub fn crossing(before: Option<Pass>, at: Pass, target: f64) -> (usize, usize) {
    let Some(before) = before.filter(|b| b.loss > target && b.steps < at.steps) else {
        return (at.steps, at.tokens);
    };
    let share = (before.loss - target) / (before.loss - at.loss);
    let between = |from: usize, to: usize| {
        let estimate = (from as f64 + share * (to - from) as f64).round() as usize;
        estimate.clamp(from + 1, to)
    };
    (
        between(before.steps, at.steps),
        between(before.tokens, at.tokens),
    )
}

#[cfg(test)]
mod tests;
