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
