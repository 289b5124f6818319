use super::super::{exact, Population};
use super::*;

/// 40 gradients of 6 numbers: a mean plus noise, B_simple about 8.
fn population() -> Population {
    let mut rng = Rng::new(5);
    let mu = [0.4, -0.3, 0.2, 0.0, 0.1, -0.2];
    Population(
        (0..40)
            .map(|_| {
                mu.iter()
                    .map(|m| (m + 0.7 * rng.normal(0.0, 1.0)) as f32)
                    .collect()
            })
            .collect(),
    )
}

#[test]
fn many_samples_approach_the_exact_values() {
    let mut pop = population();
    let truth = exact(&mut pop);
    let b = truth.b_simple.unwrap();
    assert!(
        (4.0..16.0).contains(&b),
        "a population with noise and signal: {b}"
    );
    for seed in 0..3 {
        let est = sampled(&mut pop, 8, 4000, seed);
        assert_eq!(est.examples, 40);
        for (what, got, want) in [
            ("|G|²", est.grad_sq, truth.grad_sq),
            ("tr Σ", est.trace, truth.trace),
            ("B_simple", est.b_simple.unwrap(), b),
        ] {
            assert!(
                (got - want).abs() < 0.05 * want,
                "seed {seed} {what}: {got} estimated, {want} exact"
            );
        }
    }
}

#[test]
fn same_seed_same_batches() {
    let mut pop = population();
    assert_eq!(sampled(&mut pop, 5, 20, 1), sampled(&mut pop, 5, 20, 1));
    assert_ne!(sampled(&mut pop, 5, 20, 1), sampled(&mut pop, 5, 20, 2));
}

#[test]
fn without_the_finite_population_factor_it_would_be_biased() {
    // Batches of 30 of 40 keep w = 10/(30·39) ≈ 0.0085 of the noise, not
    // the paper's 1/30: the corrected estimate is close to the truth…
    let mut pop = population();
    let truth = exact(&mut pop);
    let est = sampled(&mut pop, 30, 3000, 0);
    let close = |got: f64, want: f64| (got - want).abs() < 0.02 * want;
    assert!(close(est.grad_sq, truth.grad_sq), "{est:?} {truth:?}");
    assert!(close(est.trace, truth.trace), "{est:?} {truth:?}");
    // … and the same averaged norms solved with 1/B put |G|² about
    // 0.026·tr Σ ≈ 20% too low.
    let (small_sq, big_sq) = (
        est.grad_sq + est.trace,
        est.grad_sq + est.trace * noise_weight(30, Some(40)),
    );
    let naive = TwoSize::from_norms(small_sq, 1.0, big_sq, 1.0 / 30.0);
    assert!(naive.grad_sq < 0.9 * truth.grad_sq, "{naive:?} {truth:?}");
}
