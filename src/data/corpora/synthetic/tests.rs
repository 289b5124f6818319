use super::*;

/// (opening digit, filler, closing digit) for every line.
fn records(text: &str) -> Vec<(char, &str, char)> {
    text.lines()
        .map(|line| {
            let b = line.as_bytes();
            assert_eq!(b[0], b'<', "{line}");
            assert_eq!(b[2], b'>', "{line}");
            let close = line.rfind("</").expect("closing tag");
            assert!(line.ends_with('>'), "{line}");
            assert_eq!(close + 4, line.len(), "{line}");
            (b[1] as char, &line[3..close], b[close + 2] as char)
        })
        .collect()
}

#[test]
fn same_seed_same_text_other_seed_other_text() {
    assert_eq!(long_range(5, 5_000), long_range(5, 5_000));
    assert_ne!(long_range(5, 5_000), long_range(6, 5_000));
}

#[test]
fn closing_digit_repeats_opening_digit() {
    let text = long_range(11, 50_000);
    let recs = records(&text);
    assert!(recs.len() > 300);
    for (open, _, close) in &recs {
        assert!(open.is_ascii_digit());
        assert_eq!(open, close);
    }
    // All ten digits occur, so the closing digit cannot be guessed from a
    // skewed prior.
    for d in '0'..='9' {
        assert!(recs.iter().any(|r| r.0 == d), "digit {d} never used");
    }
}

#[test]
fn gaps_lie_in_the_advertised_range_and_cover_it() {
    let (lo, hi) = long_range_gap_range();
    let text = long_range(3, 80_000);
    let gaps: Vec<usize> = records(&text).iter().map(|r| r.1.len()).collect();
    assert!(gaps.iter().all(|g| (lo..=hi).contains(g)), "{gaps:?}");
    assert!(gaps.iter().any(|&g| g < lo + 10));
    assert!(gaps.iter().any(|&g| g > hi - 10));
}

#[test]
fn filler_is_words_and_single_spaces_only() {
    for (_, filler, _) in records(&long_range(9, 20_000)) {
        assert!(
            !filler.starts_with(' ') && !filler.ends_with(' '),
            "{filler:?}"
        );
        for word in filler.split(' ') {
            assert!(
                WORDS.contains(&word),
                "unexpected word {word:?} in {filler:?}"
            );
        }
    }
}

#[test]
fn length_is_close_to_the_request() {
    for bytes in [1usize, 1_000, 120_000] {
        let n = long_range(1, bytes).len();
        assert!(
            n >= bytes && n < bytes + GAP_MAX + 16,
            "asked {bytes}, got {n}"
        );
    }
    assert_eq!(long_range(1, 0), "");
}
