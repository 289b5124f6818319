use super::*;

#[test]
fn the_heading_states_the_full_shape() {
    assert_eq!(
        shape_heading(64, 78),
        "one batch = 64 sequences × 78 tokens (input) → the same shifted by one (target)"
    );
}
