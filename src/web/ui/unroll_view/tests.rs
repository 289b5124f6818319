use super::*;

#[test]
fn the_rule_names_the_draw_and_the_shared_weights() {
    let w = Window {
        epoch: 0,
        index: 2,
        start: 140,
        seq_len: 78,
        width: 64,
    };
    let v07 = rule_sentence(Scheme::FastaiV07, 70, w);
    assert!(
        v07.contains("N(bptt, 5)")
            && v07.contains("one time in twenty")
            && v07.contains("never under 5"),
        "{v07}"
    );
    assert!(
        v07.contains("rows 140–217")
            && v07.contains("All 78 cells share one set of weights")
            && v07.contains("left edge"),
        "{v07}"
    );
    let hf = rule_sentence(
        Scheme::HfBlocks,
        70,
        Window {
            start: 0,
            seq_len: 69,
            ..w
        },
    );
    assert!(
        hf.contains("predicts the last 69") && hf.contains("every block starts from zeros"),
        "{hf}"
    );
}
