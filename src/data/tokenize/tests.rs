use super::*;

#[test]
fn interner_numbers_tokens_by_first_appearance() {
    let mut i = Interner::new();
    let ids: Vec<u32> = ["b", "é", "a", "b", "word", "é", "word"]
        .iter()
        .map(|t| i.id(t))
        .collect();
    assert_eq!(ids, [0, 1, 2, 0, 3, 1, 3]);
    assert_eq!(i.tokens(), ["b", "é", "a", "word"]);
}

#[test]
fn words_punctuation_and_newlines() {
    let t = tokenize("Hi, you_2!\n  ok", TokenLevel::Word);
    assert_eq!(
        t,
        [
            ("Hi", 0),
            (",", 2),
            ("you_2", 4),
            ("!", 9),
            ("\n", 10),
            ("ok", 13)
        ]
    );
    assert_eq!(tokenize("aé", TokenLevel::Char), [("a", 0), ("é", 1)]);
}
