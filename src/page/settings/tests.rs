use super::*;

#[test]
fn every_field_round_trips_through_the_hash() {
    let s = Settings {
        corpus: "long-range".into(),
        tokens: TokenLevel::Word,
        bs: 128,
        bptt: 35,
        scheme: Scheme::FastaiV2,
        seed: 987_654_321_012,
        hidden: 256,
        layers: 3,
        optimizer: OptimizerKind::Sgd,
        lr: 0.25,
    };
    let (back, notices) = Settings::from_hash(&format!("#{}", s.to_hash()));
    assert_eq!(back, s);
    assert!(notices.is_empty(), "{notices:?}");
}

#[test]
fn empty_hash_is_the_defaults_without_notice() {
    assert_eq!(Settings::from_hash(""), (Settings::default(), vec![]));
    assert_eq!(Settings::from_hash("#"), (Settings::default(), vec![]));
}

#[test]
fn garbage_fields_fall_back_with_a_notice_and_good_fields_still_apply() {
    let (s, notices) =
        Settings::from_hash("#bs=-3&bptt=abc&seed=5&scheme=keras&lr=NaN&zoom=2&corpus=../etc");
    let d = Settings::default();
    assert_eq!(
        (s.bs, s.bptt, s.scheme, s.lr, s.corpus.as_str()),
        (d.bs, d.bptt, d.scheme, d.lr, d.corpus.as_str())
    );
    assert_eq!(s.seed, 5);
    assert_eq!(notices.len(), 6, "{notices:?}");
    assert!(
        notices[0].contains("bs=-3")
            && notices[0].contains("1 to 256")
            && notices[0].contains("bs=64"),
        "{}",
        notices[0]
    );
    assert!(notices.iter().any(|n| n.contains("`zoom`")));
}

#[test]
fn the_hash_takes_exactly_what_the_controls_offer_and_echoes_little() {
    let (s, notices) = Settings::from_hash("#hidden=512&layers=3");
    assert_eq!((s.hidden, s.layers), (Settings::default().hidden, 3));
    assert_eq!(
        notices,
        ["hidden=512 is not one of the page's sizes (16, 32, 64, 128, 256); using hidden=64"]
    );
    let long = "x".repeat(100_000);
    let (_, notices) = Settings::from_hash(&format!("#{long}=1&bs={long}"));
    assert!(
        notices.iter().all(|n| n.chars().count() < 120),
        "{notices:?}"
    );
    assert!(
        notices[0].contains(&format!("`{}…`", "x".repeat(40))),
        "{}",
        notices[0]
    );
}

#[test]
fn own_text_is_not_in_a_shared_link_and_says_so() {
    let (s, notices) = Settings::from_hash("corpus=own&bs=8");
    assert_eq!((s.corpus.as_str(), s.bs), ("stories", 8));
    assert!(
        notices[0].starts_with("this link was made with the sender's own text"),
        "{notices:?}"
    );
}

#[test]
fn out_of_range_numbers_are_refused() {
    let (s, notices) = Settings::from_hash("bs=257&bptt=1&layers=4&hidden=100000");
    assert_eq!((s.bs, s.bptt, s.layers, s.hidden), (64, 70, 1, 64));
    assert_eq!(notices.len(), 4);
}

#[test]
fn percent_encoded_fields_are_read_and_quoted_decoded() {
    // `%36%34` is "64"; the address bar encodes a typed space as `%20`.
    let (s, notices) = Settings::from_hash("#bs=%36%34&corpus=my%20novel&bptt=%EF%BC%97%EF%BC%90");
    assert_eq!(s.bs, 64);
    assert_eq!(notices.len(), 2, "{notices:?}");
    assert!(
        notices[0].starts_with("corpus=my novel is not"),
        "{notices:?}"
    );
    assert!(notices[1].contains("bptt=７０"), "{notices:?}");
}

#[test]
fn a_notice_says_whether_a_value_is_no_number_or_out_of_range() {
    let (_, notices) = Settings::from_hash("#bs=99999&bptt=ten&lr=1e99&=5&layers=-2&bs=2.5");
    assert_eq!(
        notices,
        vec![
            "bs=99999 is outside 1 to 256; using bs=64",
            "bptt=ten is not a number in 2 to 200; using bptt=70",
            "lr=1e99 is outside 0.000001 to 1e38; using lr=0.003",
            "ignored `=5`, which names no setting",
            "layers=-2 is outside 1 to 3; using layers=1",
            "bs=2.5 is not a whole number in 1 to 256; using bs=64",
        ]
    );
}
