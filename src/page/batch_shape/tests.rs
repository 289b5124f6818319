use super::*;
use crate::data::batcher::BatchConfig;
use crate::data::corpus::{Corpus, TokenLevel};

fn words(scheme: Scheme, bs: usize, bptt: usize) -> ShapeWords {
    let corpus = Corpus::from_documents(&["abcdefghijk"], TokenLevel::Char).unwrap();
    shape_words(
        &LmBatcher::new(
            &corpus,
            BatchConfig {
                bs,
                bptt,
                scheme,
                seed: 0,
            },
        )
        .unwrap(),
    )
}

#[test]
fn each_scheme_states_its_own_formula_with_its_numbers() {
    assert_eq!(
        words(Scheme::Pytorch, 3, 2).rows,
        "tokens / bs = 11 / 3 = 3 rows in each of the 3 columns"
    );
    assert_eq!(
        words(Scheme::Pytorch, 3, 2).dropped,
        "2 (tokens − bs × rows = 11 − 3 × 3: the tail that fills no column)"
    );
    assert!(words(Scheme::FastaiV2, 3, 2)
        .rows
        .starts_with("bl = (tokens − 1) / bs = 10 / 3 = 3 rows"));
    assert!(words(Scheme::FastaiV2, 3, 2)
        .dropped
        .starts_with("1 (tokens − 1 − bs × bl = 11 − 1 − 3 × 3"));
    // 3 streams × (4 rows + 1 target) = 15 tokens read of 11.
    assert!(
        words(Scheme::FastaiV1, 3, 2)
            .dropped
            .ends_with("so 4 are read twice"),
        "{:?}",
        words(Scheme::FastaiV1, 3, 2)
    );
    let hf = words(Scheme::HfBlocks, 2, 3);
    assert_eq!(
        (hf.rows_label, hf.rows.as_str()),
        (
            "tokens per block",
            "block_size = bptt = 3: 3 blocks, each read as 2 inputs and 2 targets"
        )
    );
    assert!(hf.dropped.starts_with("2 (per group"));
}
