use super::*;

#[test]
fn one_is_singular_everything_else_plural() {
    assert_eq!(count(1, "sequence"), "1 sequence");
    assert_eq!(count(0, "token"), "0 tokens");
    assert_eq!(count(3, "batch"), "3 batches");
    assert_eq!(noun_for(1, "document"), "document");
}

#[test]
fn lists_read_as_a_sentence() {
    let list = |items: &[&str]| join_and(items.iter().map(|s| s.to_string()));
    assert_eq!(list(&[]), "");
    assert_eq!(list(&["bs=1"]), "bs=1");
    assert_eq!(list(&["1", "2"]), "1 and 2");
    assert_eq!(list(&["1", "2", "4"]), "1, 2 and 4");
}
