use super::*;

#[test]
fn one_is_singular_everything_else_plural() {
    assert_eq!(count(1, "sequence"), "1 sequence");
    assert_eq!(count(0, "token"), "0 tokens");
    assert_eq!(count(3, "batch"), "3 batches");
    assert_eq!(noun_for(1, "document"), "document");
}
