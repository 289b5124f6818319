use super::*;

#[test]
fn exact_is_the_mean_and_the_spread_around_it() {
    // G = (1, 2), deviations (±1, ±2): tr Σ = 5, |G|² = 5, B_simple 1.
    let mut pop = Population(vec![
        vec![0.0, 0.0],
        vec![2.0, 4.0],
        vec![2.0, 0.0],
        vec![0.0, 4.0],
    ]);
    let got = exact(&mut pop);
    assert_eq!(got.examples, 4);
    assert!((got.grad_sq - 5.0).abs() < 1e-12, "{got:?}");
    assert!((got.trace - 5.0).abs() < 1e-12, "{got:?}");
    assert!((got.b_simple.unwrap() - 1.0).abs() < 1e-12, "{got:?}");
    // All examples alike: no noise at all.
    let got = exact(&mut Population(vec![vec![3.0, -1.0]; 5]));
    assert_eq!(
        (got.grad_sq, got.trace, got.b_simple),
        (10.0, 0.0, Some(0.0))
    );
    // Gradients that cancel: no signal, no ratio.
    let got = exact(&mut Population(vec![vec![1.0], vec![-1.0]]));
    assert_eq!((got.grad_sq, got.trace, got.b_simple), (0.0, 1.0, None));
}
