use super::*;
use crate::data::corpus::TokenLevel;

#[test]
fn classic_sentences_name_ceil_n_over_bs() {
    assert_eq!(
        classic_sentence(40, "document", 16),
        "N = 40 documents, bs = 16 → ⌈40/16⌉ = 3 batches of 16 (the last holds 8)"
    );
    assert_eq!(
        classic_sentence(40, "document", 8),
        "N = 40 documents, bs = 8 → ⌈40/8⌉ = 5 batches of 8 (all full)"
    );
    assert_eq!(
        classic_sentence(40, "document", 40),
        "N = 40 documents, bs = 40 → ⌈40/40⌉ = 1 batch of 40 (all full)"
    );
    assert_eq!(
        classic_sentence(1, "document", 64),
        "N = 1 document, bs = 64 → ⌈1/64⌉ = 1 batch, partial: bs = 64 is more than the 1 document, so the one batch holds all 1"
    );
    assert_eq!(
        classic_sentence(2104, "line", 64),
        "N = 2,104 lines, bs = 64 → ⌈2104/64⌉ = 33 batches of 64 (the last holds 56)"
    );
    assert!(classic_sentence(40, "document", 0).contains("no batches"));
}

#[test]
fn misreading_and_doubling_carry_their_numbers() {
    assert_eq!(
        classic_misreading(40, "document", 16),
        "not: 16 batches of 40/16 = 2.5 documents"
    );
    assert_eq!(
        classic_misreading(40, "line", 1),
        "not: 1 batch of 40/1 = 40 lines"
    );
    assert_eq!(
        doubling_sentence(2104, "line", 64, 26, Some(13), "70"),
        "Doubling bs to 128: 17 classic batches instead of 33, each of 128 lines; the language model makes 13 batches per epoch instead of 26, each 128 sequences × 70 tokens. Half the weight updates per epoch, each on twice the data."
    );
    assert!(doubling_sentence(2104, "line", 64, 26, Some(13), "~70")
        .contains("each 128 sequences × ~70 tokens."));
}

#[test]
fn a_text_with_lines_offers_its_lines() {
    let corpus =
        Corpus::from_documents(&["one\ntwo\nthree\n", "four\n"], TokenLevel::Char).unwrap();
    assert_eq!(classic_examples(&corpus), (4, "line"));
    let flat = Corpus::from_documents(&["no newline", "here"], TokenLevel::Char).unwrap();
    assert_eq!(classic_examples(&flat), (2, "document"));
}
