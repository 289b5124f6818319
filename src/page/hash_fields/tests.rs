use super::*;

#[test]
fn fields_are_split_decoded_and_trimmed() {
    assert_eq!(
        hash_fields("#bs=8&&corpus=tiny%20stories&tour&bptt=%2070%20"),
        vec![
            ("bs".to_string(), "8".to_string()),
            ("corpus".to_string(), "tiny stories".to_string()),
            ("tour".to_string(), String::new()),
            ("bptt".to_string(), "70".to_string()),
        ]
    );
    assert_eq!(hash_fields(""), vec![]);
    assert_eq!(hash_fields("#"), vec![]);
}

#[test]
fn escapes_become_utf8_and_broken_ones_stay() {
    // Full-width digits as the address bar encodes them.
    assert_eq!(percent_decode("%EF%BC%96%EF%BC%94"), "６４");
    assert_eq!(percent_decode("%e2%9c%93"), "✓");
    assert_eq!(percent_decode("100%"), "100%");
    assert_eq!(percent_decode("%4"), "%4");
    assert_eq!(percent_decode("%zz1"), "%zz1");
    assert_eq!(percent_decode("a%2"), "a%2");
    // Bytes that are not UTF-8.
    assert_eq!(percent_decode("%FF%FEx"), "\u{FFFD}\u{FFFD}x");
    // An escaped `%` is decoded once, not twice.
    assert_eq!(percent_decode("%2541"), "%41");
}
