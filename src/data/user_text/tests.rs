use super::*;

fn file(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    (name.to_string(), bytes.to_vec())
}

#[test]
fn utf8_with_and_without_bom_and_windows_line_ends() {
    assert_eq!(
        decode("a", b"\xEF\xBB\xBFhi\r\nthere").unwrap(),
        ("hi\nthere".to_string(), vec![])
    );
    assert_eq!(decode("a", "é ✓".as_bytes()).unwrap().0, "é ✓");
}

#[test]
fn utf16_with_a_bom() {
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("hé".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain("hé".encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    assert_eq!(decode("le", &le).unwrap().0, "hé");
    assert_eq!(decode("be", &be).unwrap().0, "hé");
}

#[test]
fn invalid_utf8_is_decoded_lossily_with_a_counted_warning() {
    let (text, warnings) = decode("latin1.txt", b"caf\xE9 cr\xE8me").unwrap();
    assert_eq!(text, "caf\u{FFFD} cr\u{FFFD}me");
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].starts_with("latin1.txt is not valid UTF-8: 2 invalid"),
        "{}",
        warnings[0]
    );
}

#[test]
fn nul_bytes_are_refused_as_binary() {
    let err = decode("photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap_err();
    assert!(
        err.starts_with("photo.png looks like a binary file"),
        "{err}"
    );
}

#[test]
fn the_separator_character_is_replaced_so_the_corpus_accepts_the_text() {
    let (text, warnings) = decode("x", b"a\x02b").unwrap();
    assert_eq!(text, "a\u{FFFD}b");
    assert_eq!(warnings.len(), 1);
    let user = from_files(vec![file("x", b"a\x02b"), file("y", b"c")]).unwrap();
    crate::data::corpus::Corpus::from_documents(
        &user.documents,
        crate::data::corpus::TokenLevel::Char,
    )
    .unwrap();
}

#[test]
fn files_become_documents_in_order_and_empty_ones_are_skipped() {
    let user = from_files(vec![
        file("a.txt", b"one"),
        file("b.txt", b""),
        file("c.txt", b"three"),
    ])
    .unwrap();
    assert_eq!(user.documents, ["one", "three"]);
    assert_eq!(user.warnings, ["b.txt is empty and was left out"]);
    assert_eq!(user.label, "2 files (0.0 KB)");
    assert_eq!(
        from_files(vec![file("solo.txt", &[b'x'; 160_000])])
            .unwrap()
            .label,
        "solo.txt (0.2 MB)"
    );
}

#[test]
fn nothing_but_empty_text_is_refused() {
    assert_eq!(
        from_files(vec![file("e.txt", b"  \n")]).unwrap_err(),
        "e.txt has no text: an empty corpus cannot be batched"
    );
    assert_eq!(
        from_files(vec![file("a", b""), file("b", b"")]).unwrap_err(),
        "all 2 files are empty: an empty corpus cannot be batched"
    );
    assert_eq!(
        from_paste(" \n ").unwrap_err(),
        "the paste box is empty: paste some text first"
    );
    assert_eq!(from_paste("Hello").unwrap().label, "pasted text (0.0 KB)");
}

#[test]
fn size_limit_names_both_sizes() {
    assert!(check_size(MAX_BYTES as f64).is_ok());
    let err = check_size(50e6).unwrap_err();
    assert!(
        err.starts_with("50.0 MB is more than the 33.6 MB this page accepts"),
        "{err}"
    );
}

#[test]
fn a_paste_obeys_the_file_cap() {
    let huge = "a".repeat(MAX_BYTES + 1);
    let err = from_paste(&huge).unwrap_err();
    assert!(err.contains("MB"), "{err}");
    assert!(from_paste("hello world. the cat sat.").is_ok());
}
