use super::*;

#[test]
fn any_slicing_gives_the_corpus_of_one_go() {
    let docs = ["Héllo wörld, again and\nagain!", "tiny", "ab  cd\n\nef"];
    for level in [TokenLevel::Char, TokenLevel::Word] {
        let whole = Corpus::from_documents(&docs, level).unwrap();
        for budget in [1, 2, 3, 7, 100] {
            let mut b = CorpusBuilder::new(&docs, level);
            let mut feeds = 0;
            while !b.feed(budget) {
                feeds += 1;
                assert!(b.progress() < 1.0);
            }
            assert!(budget > 40 || feeds > 1, "{budget}: fed in slices");
            let sliced = b.finish().unwrap();
            assert_eq!(
                (sliced.vocab(), sliced.documents()),
                (whole.vocab(), whole.documents()),
                "{level} by {budget}"
            );
            assert_eq!(sliced.offsets, whole.offsets, "{level} by {budget}");
        }
    }
}

#[test]
fn errors_are_the_same_as_in_one_go() {
    let mut b = CorpusBuilder::new(&["ok", "   "], TokenLevel::Word);
    while !b.feed(1) {}
    assert_eq!(
        b.finish().unwrap_err(),
        CorpusError::EmptyDocument { index: 1 }
    );
    let none: [&str; 0] = [];
    let mut b = CorpusBuilder::new(&none, TokenLevel::Char);
    assert!(b.feed(10));
    assert_eq!(b.finish().unwrap_err(), CorpusError::NoDocuments);
}
