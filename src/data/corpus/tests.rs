//! Unit tests of `corpus.rs`, kept beside it so the module stays one screenful of logic.

use super::*;

#[test]
fn char_vocab_is_sorted_and_ids_follow_it() {
    let c = Corpus::from_documents(&["hello"], TokenLevel::Char).unwrap();
    assert_eq!(c.vocab(), ["e", "h", "l", "o"]);
    assert_eq!(c.documents(), [vec![1, 0, 2, 2, 3]]);
    assert_eq!(c.num_tokens(), 5);
    assert_eq!(c.separator_id(), None);
    assert_eq!(c.decode(&c.stream(&[0])), "hello");
}

#[test]
fn documents_are_joined_by_a_separator_in_any_order() {
    let c = Corpus::from_documents(&["ab", "c"], TokenLevel::Char).unwrap();
    // '\u{2}' sorts before every printable character.
    assert_eq!(c.vocab(), ["\u{2}", "a", "b", "c"]);
    assert_eq!(c.num_tokens(), 4);
    assert_eq!(c.stream(&[0, 1]), vec![1, 2, 0, 3]);
    assert_eq!(c.stream(&[1, 0]), vec![3, 0, 1, 2]);
    assert_eq!(c.display(&c.stream(&[0, 1])), "ab␂c");
    let err = Corpus::from_documents(&["a\u{2}b", "c"], TokenLevel::Char).unwrap_err();
    assert!(matches!(
        err,
        CorpusError::ContainsSeparator { index: 0, .. }
    ));
}

#[test]
fn word_level_splits_words_punctuation_and_newlines() {
    let c = Corpus::from_documents(&["Hi, you_2!\n  bye", "ok"], TokenLevel::Word).unwrap();
    assert_eq!(
        c.vocab(),
        ["\n", "!", ",", "Hi", "bye", "ok", "xxbos", "you_2"]
    );
    let stream = c.stream(&[0, 1]);
    assert_eq!(c.decode(&stream), "Hi , you_2 !\nbye xxbos ok");
    assert_eq!(c.display(&stream[..5]), "Hi , you_2 ! ⏎");
    assert_eq!(c.encode("bye zzz Hi"), vec![4, 3]);
    assert!(Corpus::from_documents(&["a xxbos b"], TokenLevel::Word).is_err());
}

#[test]
fn offsets_point_into_each_document() {
    let c = Corpus::from_documents(&["é b", "cd"], TokenLevel::Word).unwrap();
    // stream: é b xxbos cd
    assert_eq!(c.token_location(0), Some((0, 0)));
    assert_eq!(c.token_location(1), Some((0, 3))); // 'é' is two bytes
    assert_eq!(c.token_offset(2), None);
    assert_eq!(c.token_location(3), Some((1, 0)));
    assert_eq!(c.token_offset(4), None);
}

#[test]
fn empty_input_is_a_clear_error() {
    let none: [&str; 0] = [];
    assert_eq!(
        Corpus::from_documents(&none, TokenLevel::Char).unwrap_err(),
        CorpusError::NoDocuments
    );
    // "\n" is a word token, so a document of one newline is not empty.
    assert!(Corpus::from_documents(&["a", " \n\t"], TokenLevel::Word).is_ok());
    let err = Corpus::from_documents(&["a", "  "], TokenLevel::Word).unwrap_err();
    assert_eq!(err, CorpusError::EmptyDocument { index: 1 });
    assert!(err.to_string().starts_with("document 2 has no tokens"));
    assert_eq!("word".parse::<TokenLevel>(), Ok(TokenLevel::Word));
    assert_eq!(TokenLevel::Char.to_string(), "char");
}

#[test]
fn stream_in_order_is_joined_once_and_shared_by_clones() {
    let c = Corpus::from_documents(&["ab", "c", "ba"], TokenLevel::Char).unwrap();
    let joined = c.stream_in_order();
    assert_eq!(&joined[..], c.stream(&[0, 1, 2]).as_slice());
    assert!(std::sync::Arc::ptr_eq(
        &joined,
        &c.clone().stream_in_order()
    ));
}

#[test]
fn token_location_follows_a_shuffled_document_order() {
    let c = Corpus::from_documents(&["ab", "cde"], TokenLevel::Char).unwrap();
    // Stream in order [1, 0]: c d e ␂ a b.
    assert_eq!(c.token_location_in(&[1, 0], 2), Some((1, 2)));
    assert_eq!(c.token_location_in(&[1, 0], 3), None);
    assert_eq!(c.token_location_in(&[1, 0], 5), Some((0, 1)));
    assert_eq!(c.token_location(5), Some((1, 2)));
}
