use super::*;

#[test]
fn fast_functions_match_std_to_a_few_ulp() {
    let mut x = -30.0f32;
    while x < 30.0 {
        let e = fast_exp(x);
        let want = (x as f64).exp();
        assert!(
            ((e as f64 - want) / want).abs() < 4e-7,
            "exp({x}) = {e} vs {want}"
        );
        let t = fast_tanh(x);
        assert!(t.abs() <= 1.0, "tanh({x}) = {t}");
        let want = (x as f64).tanh();
        let err = (t as f64 - want).abs() / want.abs().max(1e-30);
        assert!(err < 4e-7, "tanh({x}) = {t} vs {want}");
        x += 0.0137;
    }
    assert!(fast_exp(f32::NAN).is_nan());
    assert!(fast_tanh(f32::NAN).is_nan());
    assert_eq!(fast_tanh(1e-30), 1e-30);
    assert!((fast_tanh(100.0) - 1.0).abs() == 0.0);
    assert!(fast_exp(-200.0) >= 0.0 && fast_exp(200.0).is_finite());
}

#[test]
fn subnormals_flush_to_zero_and_nothing_else_moves() {
    let tiny = f32::MIN_POSITIVE;
    for x in [tiny / 2.0, -tiny / 3.0, f32::from_bits(1), -0.0, 0.0] {
        assert_eq!(x.flush_subnormal(), 0.0, "{x:e}");
    }
    for x in [tiny, -tiny, 1e-30, -2.5, f32::INFINITY, f32::MAX] {
        assert_eq!(x.flush_subnormal(), x);
    }
    assert!(f32::NAN.flush_subnormal().is_nan());
    // A closed gate is exactly 0, not 1/(1 + e^88.37) ≈ 3.8e-39.
    assert_eq!((-100f32).sigmoid(), 0.0);
    assert_eq!(
        (-80f32).sigmoid(),
        (-80f64).exp() as f32 / (1.0 + (-80f64).exp()) as f32
    );
    assert_eq!(1e-300f64.flush_subnormal(), 1e-300);
}
