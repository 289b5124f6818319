use super::*;

#[test]
fn adam_first_step_moves_each_weight_by_about_lr() {
    // With bias correction, step 1 is lr · g/|g| (up to eps).
    let mut p = vec![1.0f64, -2.0, 3.0];
    let g = vec![0.5, -4.0, 1e-3];
    let mut adam = Optimizer::new(OptimizerConfig::adam(0.01), 3);
    adam.step(&mut p, &g);
    assert!((p[0] - 0.99).abs() < 1e-9 && (p[1] + 1.99).abs() < 1e-9 && (p[2] - 2.99).abs() < 1e-6);
}

#[test]
fn sgd_momentum_and_clipping_follow_torch() {
    let mut p = vec![0.0f64];
    let mut sgd = Optimizer::new(
        OptimizerConfig {
            momentum: 0.9,
            ..OptimizerConfig::sgd(0.1)
        },
        1,
    );
    sgd.step(&mut p, &[1.0]);
    sgd.step(&mut p, &[1.0]);
    assert!((p[0] + 0.29).abs() < 1e-12, "{}", p[0]);
    let mut g = vec![3.0f64, 4.0];
    assert_eq!(clip_grad_norm(&mut g, 1.0), 5.0);
    assert!((g[0] - 3.0 / (5.0 + 1e-6)).abs() < 1e-12);
    let mut small = vec![0.3f64, 0.4];
    clip_grad_norm(&mut small, 1.0);
    assert_eq!(small, vec![0.3, 0.4]);
}
