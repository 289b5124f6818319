use super::*;

#[test]
fn ratios_are_exact_or_marked_approximate() {
    assert_eq!(format_ratio(40, 16), "2.5");
    assert_eq!(format_ratio(40, 64), "0.625");
    assert_eq!(format_ratio(40, 128), "0.3125");
    assert_eq!(format_ratio(40, 8), "5");
    assert_eq!(format_ratio(40, 3), "≈13.33");
}

#[test]
fn misreadings_carry_their_numbers() {
    assert_eq!(lm_misreading(64), "not: 64 batches");
    assert_eq!(
        reconciliation(64, Scheme::Pytorch),
        "Both readings of 64: 64 columns, and 64 sequences in every batch."
    );
    assert!(reconciliation(64, Scheme::HfBlocks)
        .starts_with("Hugging Face's blocks take the classic reading: 64 blocks"));
}

#[test]
fn lm_sentence_writes_out_columns_rows_and_slices() {
    assert_eq!(
        lm_sentence(120_345, 64, 1_880, 70, true),
        "the token stream (120,345 tokens) is cut into bs = 64 columns of 1,880 rows; each batch = 64 sequences × ~70 tokens (one slice of every column)"
    );
    assert!(lm_sentence(100, 2, 50, 10, false).contains("× 10 tokens"));
    assert!(blocks_sentence(100, 14, 7, 4).contains(
        "14 blocks of 7 tokens; each batch = 4 blocks drawn at random (4 sequences × 6 tokens"
    ));
}
