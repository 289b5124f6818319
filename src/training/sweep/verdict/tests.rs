use super::*;

fn best(bs: usize, steps: Option<usize>) -> BestLr {
    BestLr {
        bs,
        best_lr: steps.map(|_| 0.01),
        steps,
        tokens: steps.map(|s| s * bs * 70),
    }
}

fn facts(best: &[BestLr], fit: Option<Fit>) -> SweepFacts<'_> {
    SweepFacts {
        target: Some(2.0364),
        best,
        fit,
        best_at_largest_lr: Vec::new(),
        best_at_smallest_lr: Vec::new(),
        unreached: Vec::new(),
        max_tokens: 1_000_000,
        noise_at_target: Vec::new(),
    }
}

fn fit(b_crit: f64) -> Fit {
    Fit {
        s_min: 57.08,
        e_min: 57.08 * b_crit,
        b_crit,
    }
}

#[test]
fn before_the_target_is_known_the_pilot_is_named() {
    let best = [best(1, None)];
    let mut f = facts(&best, None);
    f.target = None;
    assert!(sweep_verdict(&f).starts_with("The pilot run is choosing the target loss"));
    f.target = Some(2.0);
    assert_eq!(
        sweep_verdict(&f),
        "No run has reached the target loss 2.000 yet."
    );
}

#[test]
fn before_the_fit_the_steps_so_far_are_listed() {
    let best = [best(1, Some(1234)), best(2, Some(700)), best(4, None)];
    assert_eq!(
        sweep_verdict(&facts(&best, None)),
        "So far bs=1 reached the target loss 2.036 in 1,234 updates (86,380 tokens) and bs=2 reached the target loss 2.036 in 700 updates (98,000 tokens); the fit comes once 3 batch sizes have reached the target."
    );
}

#[test]
fn the_critical_batch_size_is_read_against_the_sizes_measured() {
    let best = [
        best(1, Some(493)),
        best(2, Some(330)),
        best(4, Some(233)),
        best(8, Some(168)),
    ];
    let within = sweep_verdict(&facts(&best, Some(fit(4.31))));
    assert!(
        within.starts_with("On this text and model, doubling bs up to ≈ 4.3 halves the updates needed; beyond it each doubling saves less and costs more tokens. bs=1 needed 493 updates (34,510 tokens), bs=8 needed 168 (94,080 tokens); the fit S(b) = S_min·(1 + B_crit/b) gives S_min ≈ 57, B_crit ≈ 4.3, E_min ≈ 246 examples."),
        "{within}"
    );
    let beyond = sweep_verdict(&facts(&best, Some(fit(24.0))));
    assert!(
        beyond.contains(
            "nearly in half up to bs=8: the critical batch size (≈ 24 by the fit) lies beyond"
        ),
        "{beyond}"
    );
    // More than 4× past the largest bs the number is an extrapolation.
    let far = sweep_verdict(&facts(&best, Some(fit(8000.0))));
    assert!(
        far.contains("the critical batch size (the fit's ≈ 8,000 extends a line that shows no bend yet) lies beyond"),
        "{far}"
    );
    let below = sweep_verdict(&facts(&best, Some(fit(0.4))));
    assert!(
        below.contains("from bs=1 on each doubling of bs saves few updates"),
        "{below}"
    );
    assert!(
        below.contains("(≈ 0.4 by the fit) is below the smallest bs tried"),
        "{below}"
    );
}

#[test]
fn untuned_lrs_and_unreached_sizes_are_named() {
    let best = [best(1, Some(90)), best(2, Some(60)), best(4, None)];
    let mut f = facts(&best, None);
    f.best_at_largest_lr = vec![1, 2];
    f.best_at_smallest_lr = vec![2];
    f.unreached = vec![4];
    let verdict = sweep_verdict(&f);
    assert!(verdict.contains(" At bs=1 and 2 the best lr was the largest tried, so a larger one may need fewer updates still"), "{verdict}");
    assert!(
        verdict.contains(" At bs=2 the best lr was the smallest tried"),
        "{verdict}"
    );
    assert!(
        verdict.ends_with(" bs=4 did not reach the target within 1,000,000 tokens."),
        "{verdict}"
    );
}

#[test]
fn fitted_numbers_keep_two_significant_digits() {
    assert_eq!(approx(3.1229), "3.1");
    assert_eq!(approx(24.4), "24");
    assert_eq!(approx(9.96), "10");
    assert_eq!(approx(107.2), "107");
    assert_eq!(approx(2886.4), "2,886");
    assert_eq!(approx(f64::NAN), "—");
}

#[test]
fn the_noise_scale_is_set_against_the_fit() {
    let best = [best(1, Some(493)), best(2, Some(330)), best(4, Some(233))];
    let mut f = facts(&best, None);
    assert!(
        !sweep_verdict(&f).contains("noise scale"),
        "nothing measured yet"
    );
    f.noise_at_target = vec![6.0, f64::NAN, 2.0, 3.0, 5.0];
    assert!(
        sweep_verdict(&f).contains(" The gradient noise scale the runs measured as they reached the target is ≈ 4.0 streams (median of 4 runs): the theory puts the critical batch size near it."),
        "{}",
        sweep_verdict(&f)
    );
    f.fit = Some(fit(7.9));
    assert!(
        sweep_verdict(&f).contains(
            "(median of 4 runs), and the fit's ≈ 7.9 agrees, as McCandlish et al. (2018) predict"
        ),
        "{}",
        sweep_verdict(&f)
    );
    f.fit = Some(fit(0.5));
    assert!(
        sweep_verdict(&f)
            .contains("; the fit's ≈ 0.5 is 8.0 times below it. The noise scale is a rough guide"),
        "{}",
        sweep_verdict(&f)
    );
    f.noise_at_target = vec![12.0];
    f.fit = Some(fit(30.0));
    assert!(
        sweep_verdict(&f).contains("≈ 12 streams (1 run); the fit's ≈ 30 is 2.5 times above it."),
        "{}",
        sweep_verdict(&f)
    );
}
