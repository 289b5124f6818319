use super::*;
use crate::data::corpora::{HARBOUR, STORIES};

#[test]
fn one_document_is_cut_at_the_token_that_leaves_ten_percent() {
    let full = Corpus::from_documents(&[HARBOUR], TokenLevel::Char).unwrap();
    let total = full.num_tokens();
    let split = split_validation(&[HARBOUR], TokenLevel::Char, VALIDATION_FRACTION).unwrap();
    let wanted = (total as f64 / 10.0).round() as usize;
    assert_eq!(split.held_out, wanted);
    assert_eq!(
        split.cut,
        Cut::InsideDocument {
            document: 0,
            token: total - wanted
        }
    );
    assert_eq!(
        split.train.num_tokens(),
        total - wanted,
        "nothing is both trained on and held out"
    );
    let tail: String = HARBOUR.chars().skip(total - wanted).collect();
    let known: String = tail
        .chars()
        .filter(|c| split.train.id_of(&c.to_string()).is_some())
        .collect();
    assert_eq!(split.train.decode(&split.validation), known);
    assert_eq!(split.unknown, tail.chars().count() - known.chars().count());
}

#[test]
fn many_documents_hold_out_whole_trailing_documents_near_ten_percent() {
    let full = Corpus::from_documents(STORIES, TokenLevel::Char).unwrap();
    let total = full.num_tokens();
    let split = split_validation(STORIES, TokenLevel::Char, VALIDATION_FRACTION).unwrap();
    let Cut::Documents { first_held } = split.cut else {
        panic!("{:?}", split.cut)
    };
    let held_docs = &full.documents()[first_held..];
    // The held-out tail: those documents and the separators between them.
    assert_eq!(
        split.held_out,
        held_docs.iter().map(Vec::len).sum::<usize>() + held_docs.len() - 1
    );
    // Train + the one separator at the cut + held out = the whole stream.
    assert_eq!(split.train.num_tokens() + 1 + split.held_out, total);
    assert_eq!(split.train.documents().len(), first_held);
    let share = split.held_out as f64 / total as f64;
    assert!((0.05..=0.15).contains(&share), "held out {share}");
    assert_eq!(split.validation.len() + split.unknown, split.held_out);
    let expected: String = STORIES[first_held..].join(&TokenLevel::Char.separator());
    let expected: String = expected
        .chars()
        .filter(|c| split.train.id_of(&c.to_string()).is_some())
        .collect();
    assert_eq!(split.train.decode(&split.validation), expected);
}

#[test]
fn a_tiny_corpus_by_hand() {
    // 10 tokens, 20% = 2 held out: "ab" | "ab" would be 50% away from one
    // document, so the cut falls inside the only document.
    let split = split_validation(&["abababbaba"], TokenLevel::Char, 0.2).unwrap();
    assert_eq!(
        split.cut,
        Cut::InsideDocument {
            document: 0,
            token: 8
        }
    );
    assert_eq!(split.train.decode(&split.validation), "ba");
    assert_eq!((split.held_out, split.unknown), (2, 0));
    // Three documents of 4 tokens (+2 separators = 14): 30% ≈ 4 = the last document.
    let docs = ["abab", "baba", "abba"];
    let split = split_validation(&docs, TokenLevel::Char, 0.3).unwrap();
    assert_eq!(split.cut, Cut::Documents { first_held: 2 });
    assert_eq!(split.train.decode(&split.validation), "abba");
    assert_eq!(split.train.num_tokens(), 9);
}

#[test]
fn words_never_seen_in_training_are_skipped_and_counted() {
    let docs = [
        "the cat sat on the mat",
        "the mat sat",
        "the dog sat on the cat",
    ];
    let split = split_validation(&docs, TokenLevel::Word, 0.4).unwrap();
    assert_eq!(split.cut, Cut::Documents { first_held: 2 });
    assert_eq!(split.unknown, 1, "`dog`");
    assert_eq!(split.train.decode(&split.validation), "the sat on the cat");
}

#[test]
fn a_corpus_too_small_to_split_is_refused() {
    let reason = split_validation(&["abc"], TokenLevel::Char, 0.1).unwrap_err();
    assert!(reason.contains("3 tokens"), "{reason}");
}
