use super::*;
use crate::nn::rng::Rng;

const BATCH_SIZES: [f64; 8] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0];

/// Steps at each of [`BATCH_SIZES`] from the model, times `exp(noise)`.
fn points(s_min: f64, b_crit: f64, mut noise: impl FnMut() -> f64) -> Vec<(f64, f64)> {
    BATCH_SIZES
        .iter()
        .map(|&b| (b, s_min * (1.0 + b_crit / b) * noise().exp()))
        .collect()
}

fn relative_error(got: f64, want: f64) -> f64 {
    (got - want).abs() / want
}

#[test]
fn recovers_s_min_and_b_crit_from_exact_points() {
    for (s_min, b_crit) in [(50.0, 16.0), (200.0, 3.0), (10.0, 90.0), (1000.0, 0.5)] {
        let fit = fit_critical_batch(&points(s_min, b_crit, || 0.0)).unwrap();
        assert!(relative_error(fit.s_min, s_min) < 1e-6, "{fit:?}");
        assert!(relative_error(fit.b_crit, b_crit) < 1e-6, "{fit:?}");
        assert!(relative_error(fit.e_min, s_min * b_crit) < 1e-6, "{fit:?}");
    }
}

#[test]
fn recovers_them_within_a_few_percent_under_multiplicative_noise() {
    // 3% noise on each point's steps, as a run reaching its target a
    // validation early or late would give; the bend at b = 16 sits mid-range.
    let mut rng = Rng::new(7);
    for _ in 0..20 {
        let fit = fit_critical_batch(&points(50.0, 16.0, || rng.normal(0.0, 0.03))).unwrap();
        assert!(relative_error(fit.s_min, 50.0) < 0.1, "{fit:?}");
        assert!(relative_error(fit.b_crit, 16.0) < 0.2, "{fit:?}");
    }
}

#[test]
fn flat_steps_put_b_crit_at_the_lower_bound() {
    // Every bs needs the same 100 steps: every bs is past the knee.
    let flat: Vec<(f64, f64)> = BATCH_SIZES.iter().map(|&b| (b, 100.0)).collect();
    let fit = fit_critical_batch(&flat).unwrap();
    assert!(fit.b_crit <= 1.0 / B_CRIT_RANGE * 1.01, "{fit:?}");
    assert!(relative_error(fit.s_min, 100.0) < 0.01, "{fit:?}");
    assert!(fit.e_min.is_finite() && fit.e_min > 0.0);
}

#[test]
fn steps_proportional_to_one_over_bs_put_b_crit_at_the_upper_bound() {
    // Perfect scaling everywhere: 1000 examples at every bs, no knee seen.
    let ideal: Vec<(f64, f64)> = BATCH_SIZES.iter().map(|&b| (b, 1000.0 / b)).collect();
    let fit = fit_critical_batch(&ideal).unwrap();
    assert!(fit.b_crit >= 128.0 * B_CRIT_RANGE * 0.99, "{fit:?}");
    assert!(
        relative_error(fit.e_min, 1000.0) < 0.01,
        "E_min is still the examples every bs needs: {fit:?}"
    );
    assert!(fit.s_min > 0.0 && fit.s_min.is_finite());
}

#[test]
fn too_few_or_unusable_points_give_no_fit() {
    assert_eq!(fit_critical_batch(&[]), None);
    assert_eq!(fit_critical_batch(&[(4.0, 100.0)]), None);
    assert_eq!(
        fit_critical_batch(&[(4.0, 100.0), (4.0, 90.0)]),
        None,
        "one batch size twice shows no trend"
    );
    assert_eq!(
        fit_critical_batch(&[
            (4.0, 100.0),
            (8.0, 0.0),
            (f64::NAN, 3.0),
            (16.0, f64::INFINITY)
        ]),
        None
    );
    // Two points, two parameters: an exact solution. S_min·(1 + B/4) = 100
    // and S_min·(1 + B/8) = 60 give B = 16, S_min = 20.
    let two = fit_critical_batch(&[(4.0, 100.0), (8.0, 60.0)]).unwrap();
    assert!(relative_error(two.b_crit, 16.0) < 1e-6, "{two:?}");
    assert!(relative_error(two.s_min, 20.0) < 1e-6, "{two:?}");
}
