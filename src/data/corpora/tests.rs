use super::*;

#[test]
fn every_story_is_ascii_prose_of_at_least_2_kb() {
    assert_eq!(STORIES.len(), 40);
    for (i, s) in STORIES.iter().enumerate() {
        assert!(
            s.len() >= 2_000,
            "story {} is only {} bytes",
            i + 1,
            s.len()
        );
        assert!(s.is_ascii(), "story {} is not ASCII", i + 1);
        assert!(s.contains("\n\n"), "story {} has no paragraphs", i + 1);
    }
    assert_eq!(HARBOUR, STORIES[0]);
}

#[test]
fn stories_total_at_least_110_kb() {
    let total: usize = STORIES.iter().map(|s| s.len()).sum();
    assert!(total >= 110_000, "only {total} bytes");
}

#[test]
fn documents_by_id() {
    let stories = documents("stories").unwrap();
    assert_eq!(stories.len(), 40);
    assert_eq!(stories[0], HARBOUR);
    assert!(documents("nope").is_none());
    assert!(documents("").is_none());
}

#[test]
fn every_embedded_corpus_resolves_and_default_is_listed() {
    assert_eq!(EMBEDDED[0].id, DEFAULT_ID);
    for c in EMBEDDED {
        let docs = documents(c.id).unwrap_or_else(|| panic!("{} has no documents", c.id));
        assert!(
            !docs.is_empty() && docs.iter().all(|d| !d.is_empty()),
            "{}",
            c.id
        );
        assert!(
            !c.name.is_empty() && !c.explanation.contains('\n'),
            "{}",
            c.id
        );
    }
}

#[test]
fn long_range_documents_hold_whole_records_and_are_stable() {
    let docs = documents("long-range").unwrap();
    assert_eq!(docs.len(), LONG_RANGE_DOCS);
    assert!(
        docs.iter().all(|d| d.len() > 2_000),
        "a document is too short"
    );
    let total: usize = docs.iter().map(|d| d.len()).sum();
    assert!(
        (LONG_RANGE_BYTES..LONG_RANGE_BYTES + 500).contains(&total),
        "{total}"
    );
    for d in &docs {
        assert!(d.starts_with('<') && d.ends_with(">\n"), "{d:?}");
    }
    assert_eq!(docs, documents("long-range").unwrap());
}

#[test]
fn split_keeps_text_and_respects_part_count() {
    let text = "a\nbb\nccc\ndddd\n";
    for parts in 1..6 {
        let docs = split_at_lines(text, parts);
        assert!(docs.len() <= parts);
        assert_eq!(docs.concat(), text);
    }
    assert!(split_at_lines("", 3).is_empty());
}
