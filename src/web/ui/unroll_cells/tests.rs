use super::num;

#[test]
fn attribute_numbers_have_two_decimals_like_the_format_they_replace() {
    for v in [
        0.0,
        3.5,
        160.0,
        -4.25,
        728.0 / 78.0,
        12.345,
        0.004,
        899.999,
        204.0 - 9.0,
    ] {
        assert_eq!(num(v), format!("{v:.2}"), "{v}");
    }
}
