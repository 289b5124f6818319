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
