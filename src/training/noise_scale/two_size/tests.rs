use super::*;
use crate::nn::rng::Rng;

/// Every subset of `batch` of `population`'s indices (n choose batch of them).
fn subsets(n: usize, batch: usize) -> Vec<Vec<usize>> {
    (0u32..1 << n)
        .filter(|mask| mask.count_ones() as usize == batch)
        .map(|mask| (0..n).filter(|i| mask & (1 << i) != 0).collect())
        .collect()
}

#[test]
fn finite_population_weight_is_exact_over_every_subset() {
    // Six 3-d "gradients": |G|² and tr Σ by hand, then E|G_B|² as the plain
    // average over all C(6, B) batches, for every B.
    let g = [
        [1.0, 2.0, 0.0],
        [3.0, -1.0, 2.0],
        [0.0, 0.0, 1.0],
        [-2.0, 4.0, 1.0],
        [1.0, 1.0, -3.0],
        [3.0, 0.0, 5.0],
    ];
    let n = g.len();
    let mean: Vec<f64> = (0..3)
        .map(|k| g.iter().map(|e| e[k]).sum::<f64>() / 6.0)
        .collect();
    let grad_sq: f64 = mean.iter().map(|m| m * m).sum();
    let trace = g
        .iter()
        .map(|e| (0..3).map(|k| (e[k] - mean[k]).powi(2)).sum::<f64>())
        .sum::<f64>()
        / 6.0;
    for batch in 1..=n {
        let all = subsets(n, batch);
        let expected_sq = all
            .iter()
            .map(|s| {
                (0..3)
                    .map(|k| (s.iter().map(|&e| g[e][k]).sum::<f64>() / batch as f64).powi(2))
                    .sum::<f64>()
            })
            .sum::<f64>()
            / all.len() as f64;
        let formula = grad_sq + trace * noise_weight(batch, Some(n));
        assert!(
            (expected_sq - formula).abs() < 1e-12,
            "B = {batch}: {expected_sq} over all subsets, {formula} by the formula"
        );
    }
    // The endpoints, and the paper's 1/B without a finite population.
    assert_eq!(noise_weight(1, Some(6)), 1.0);
    assert_eq!(noise_weight(6, Some(6)), 0.0);
    assert_eq!(noise_weight(4, None), 0.25);
}

#[test]
fn two_exact_expectations_give_back_both_unknowns() {
    let (grad_sq, trace) = (0.7, 12.5);
    let (w1, w8) = (noise_weight(1, Some(40)), noise_weight(8, Some(40)));
    let est = TwoSize::from_norms(grad_sq + trace * w1, w1, grad_sq + trace * w8, w8);
    assert!((est.grad_sq - grad_sq).abs() < 1e-12, "{est:?}");
    assert!((est.trace - trace).abs() < 1e-12, "{est:?}");
}

/// Synthetic per-example gradients g = μ + σ ⊙ z, z standard normal, so
/// |G|² = |μ|² and tr Σ = Σ σ²: a mean over `size` of them.
struct Synthetic {
    mu: Vec<f64>,
    sigma: Vec<f64>,
    rng: Rng,
}

impl Synthetic {
    fn new() -> Self {
        let mu = vec![0.3, -0.2, 0.1, 0.0, 0.25, -0.05, 0.0, 0.15];
        let sigma = vec![1.0, 0.5, 0.2, 0.8, 0.1, 0.3, 0.6, 0.4];
        Synthetic {
            mu,
            sigma,
            rng: Rng::new(11),
        }
    }

    fn grad_sq(&self) -> f64 {
        self.mu.iter().map(|m| m * m).sum()
    }

    fn trace(&self) -> f64 {
        self.sigma.iter().map(|s| s * s).sum()
    }

    fn batch_mean(&mut self, size: usize) -> Vec<f32> {
        let mut sum = vec![0.0; self.mu.len()];
        for _ in 0..size {
            for (k, s) in sum.iter_mut().enumerate() {
                *s += self.mu[k] + self.sigma[k] * self.rng.normal(0.0, 1.0);
            }
        }
        sum.iter().map(|s| (s / size as f64) as f32).collect()
    }
}

fn assert_near(what: &str, got: f64, want: f64, rel: f64) {
    assert!(
        (got - want).abs() <= rel * want.abs(),
        "{what}: {got}, expected {want} ± {:.0}%",
        rel * 100.0
    );
}

#[test]
fn training_estimates_average_to_the_true_gradient_and_noise() {
    // |G|² = 0.2675, tr Σ = 2.55: B_simple ≈ 9.5, between the batch sizes.
    let mut synth = Synthetic::new();
    let draws = 20_000;
    let (mut from_gradients, mut from_halves) = (TwoSize::default(), TwoSize::default());
    let mut ema = NoiseEma::new(0.999);
    for _ in 0..draws {
        // One half of 4, the other of 4: the whole batch of 8 is their mean.
        let (a, b) = (synth.batch_mean(4), synth.batch_mean(4));
        let whole: Vec<f32> = a.iter().zip(&b).map(|(x, y)| (x + y) / 2.0).collect();
        let est = TwoSize::from_gradients(&a, 4, &whole, 8);
        from_gradients.grad_sq += est.grad_sq / draws as f64;
        from_gradients.trace += est.trace / draws as f64;
        // Halves of 3 and 5: an odd split is weighted by size.
        let (a, b) = (synth.batch_mean(3), synth.batch_mean(5));
        let est = TwoSize::from_halves(&a, 3, &b, 5);
        from_halves.grad_sq += est.grad_sq / draws as f64;
        from_halves.trace += est.trace / draws as f64;
        ema.update(est);
    }
    let (grad_sq, trace) = (synth.grad_sq(), synth.trace());
    assert_near("from_gradients |G|²", from_gradients.grad_sq, grad_sq, 0.05);
    assert_near("from_gradients tr Σ", from_gradients.trace, trace, 0.05);
    assert_near("from_halves |G|²", from_halves.grad_sq, grad_sq, 0.05);
    assert_near("from_halves tr Σ", from_halves.trace, trace, 0.05);
    // The moving average remembers ~1000 steps: within 15% of the truth.
    assert_near(
        "ema B_simple",
        ema.b_simple().unwrap(),
        trace / grad_sq,
        0.15,
    );
}

#[test]
fn moving_average_is_bias_corrected_and_divides_the_averages() {
    let mut ema = NoiseEma::new(0.9);
    assert_eq!(ema.average(), None);
    assert_eq!(ema.b_simple(), None);
    ema.update(TwoSize {
        grad_sq: 2.0,
        trace: 10.0,
    });
    // One update: the average is that estimate, not 10% of it.
    let avg = ema.average().unwrap();
    assert!((avg.grad_sq - 2.0).abs() < 1e-12 && (avg.trace - 10.0).abs() < 1e-12);
    assert!((ema.b_simple().unwrap() - 5.0).abs() < 1e-12);
    // A negative |G|² estimate enters its average like any other; the
    // ratio is that of the two (uncorrected, equally weighted) averages.
    ema.update(TwoSize {
        grad_sq: -1.0,
        trace: 30.0,
    });
    let want = (0.9 * 0.1 * 10.0 + 0.1 * 30.0) / (0.9 * 0.1 * 2.0 - 0.1);
    assert!((ema.b_simple().unwrap() - want).abs() < 1e-9);
    ema.update(TwoSize {
        grad_sq: -5.0,
        trace: 1.0,
    });
    assert_eq!(ema.b_simple(), None, "no ratio while the averaged |G|² ≤ 0");
}
