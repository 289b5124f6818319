use super::*;

#[test]
fn the_costs_of_the_default_settings_by_hand() {
    // bs 64, seq_len 70, H 64, 1 layer, E 32, V 65, 26 batches.
    let c = step_costs(64, 70, 64, 1, 32, 65, 26);
    assert_eq!(c.tokens_per_batch, 4_480);
    assert_eq!(c.batches_per_epoch, 26);
    assert_eq!(c.lstm_bytes, 4_480 * 64 * 7 * 4);
    assert_eq!(c.lstm_bytes, 8_028_160);
    assert_eq!(c.embedding_bytes, 4_480 * 32 * 4);
    assert_eq!(c.logits_bytes, 4_480 * 65 * 4);
    assert_eq!(c.activation_bytes, 8_028_160 + 573_440 + 1_164_800);
}

#[test]
fn layers_multiply_only_the_lstm_part() {
    let one = step_costs(8, 10, 16, 1, 4, 20, 3);
    let three = step_costs(8, 10, 16, 3, 4, 20, 3);
    assert_eq!(three.lstm_bytes, 3 * one.lstm_bytes);
    assert_eq!(three.embedding_bytes, one.embedding_bytes);
    assert_eq!(three.logits_bytes, one.logits_bytes);
}

#[test]
fn doubling_bs_or_seq_len_doubles_tokens_and_memory() {
    let base = step_costs(64, 70, 128, 2, 32, 80, 10);
    for doubled in [
        step_costs(128, 70, 128, 2, 32, 80, 10),
        step_costs(64, 140, 128, 2, 32, 80, 10),
    ] {
        assert_eq!(doubled.tokens_per_batch, 2 * base.tokens_per_batch);
        assert_eq!(doubled.activation_bytes, 2 * base.activation_bytes);
    }
}

#[test]
fn digits_are_grouped_in_threes() {
    assert_eq!(group_digits(0), "0");
    assert_eq!(group_digits(999), "999");
    assert_eq!(group_digits(1_000), "1,000");
    assert_eq!(group_digits(120_345), "120,345");
    assert_eq!(group_digits(1_234_567), "1,234,567");
}

#[test]
fn megabytes_keep_two_significant_figures_or_more() {
    assert_eq!(format_megabytes(45_000), "0.045 MB");
    assert_eq!(format_megabytes(450_000), "0.45 MB");
    assert_eq!(format_megabytes(4_900_000), "4.9 MB");
    assert_eq!(format_megabytes(9_766_400), "9.8 MB");
    assert_eq!(format_megabytes(57_300_000), "57 MB");
    assert_eq!(format_megabytes(1_234_400_000), "1,234 MB");
}

#[test]
fn losses_show_three_decimals_or_a_dash() {
    assert_eq!(format_loss(None), "—");
    assert_eq!(format_loss(Some(2.4567)), "2.457");
    assert_eq!(format_loss(Some(f64::NAN)), "NaN");
}
