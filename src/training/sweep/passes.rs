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
mod tests {
    use super::*;

    fn seen(steps: usize, loss: f64) -> Pass {
        Pass {
            steps,
            tokens: steps * 70,
            loss,
        }
    }

    #[test]
    fn the_crossing_is_interpolated_between_the_two_passes() {
        // 2.0 at step 100, 1.0 at step 200: 1.75 is a quarter of the way.
        assert_eq!(
            crossing(Some(seen(100, 2.0)), seen(200, 1.0), 1.75),
            (125, 8750)
        );
        // Reached exactly at the second pass.
        assert_eq!(
            crossing(Some(seen(100, 2.0)), seen(200, 1.0), 1.0),
            (200, 14000)
        );
        // Just below the first pass's loss: still after the first pass.
        assert_eq!(
            crossing(Some(seen(100, 2.0)), seen(200, 1.0), 2.0 - 1e-9),
            (101, 7001)
        );
        // The first pass is at or below the target: no earlier point to use.
        assert_eq!(crossing(None, seen(50, 1.0), 1.5), (50, 3500));
    }

    /// Passes every 1,000 tokens with these smoothed losses.
    fn passes(losses: &[f64]) -> Vec<Pass> {
        losses
            .iter()
            .enumerate()
            .map(|(i, &loss)| Pass {
                steps: i + 1,
                tokens: 1000 * (i + 1),
                loss,
            })
            .collect()
    }

    #[test]
    fn a_run_is_out_of_reach_only_when_even_its_recent_pace_misses_the_budget() {
        // Loss 3.0 → 2.0 over passes 1..=8 (8,000 tokens), 2.5 at pass 4:
        // 0.5 per 4,000 tokens; 1.0 more to a target of 1.0 is 8,000 tokens.
        let falling = passes(&[3.0, 2.9, 2.8, 2.5, 2.4, 2.2, 2.1, 2.0]);
        assert!(!out_of_reach(&falling, 1.0, 16_000), "8,000 + 8,000 fits");
        assert!(
            out_of_reach(&falling, 1.0, 15_000),
            "8,000 + 8,000 does not"
        );
        let flat = passes(&[3.0, 2.9, 2.8, 2.5, 2.5, 2.6, 2.5, 2.5]);
        assert!(
            out_of_reach(&flat, 1.0, 60_000),
            "no progress in the last half"
        );
        assert!(
            !out_of_reach(&flat, 1.0, 65_000),
            "not judged before an eighth of the budget (8,000 of 65,000)"
        );
        assert!(!out_of_reach(&flat, 2.5, 60_000), "at the target");
        assert!(!out_of_reach(&[], 1.0, 100));
    }
}
