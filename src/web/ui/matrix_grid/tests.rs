use super::*;
use crate::data::batcher::{BatchConfig, LmBatcher, Scheme};
use crate::data::corpus::{Corpus, TokenLevel};

#[test]
fn rows_are_lit_consumed_unreached_or_waiting() {
    let w = Some(Window {
        epoch: 0,
        index: 1,
        start: 10,
        seq_len: 5,
        width: 4,
    });
    let unreached = 90..100;
    assert_eq!(row_state(3, w, &unreached), CellState::Consumed);
    assert_eq!(row_state(12, w, &unreached), CellState::Lit);
    assert_eq!(row_state(15, w, &unreached), CellState::Waiting);
    assert_eq!(row_state(95, w, &unreached), CellState::Unreached);
    assert_eq!(row_state(3, None, &unreached), CellState::Waiting);
}

#[test]
fn labels_thin_out_to_keep_their_distance() {
    assert_eq!(labelled_columns(4, 940.0, 34.0), [0, 1, 2, 3]);
    assert_eq!(
        labelled_columns(64, 940.0, 34.0),
        (0..64).step_by(4).collect::<Vec<_>>()
    );
    assert_eq!(
        labelled_columns(64, 350.0, 34.0),
        (0..64).step_by(8).collect::<Vec<_>>()
    );
    assert!(labelled_columns(0, 940.0, 34.0).is_empty());
}

#[test]
fn blocks_lie_as_rows_and_light_where_the_sampler_put_them() {
    // 11 tokens, blocks of 3: "abc" "def" "ghi"; batches of 2 in order [2, 0 | 1].
    let corpus = Corpus::from_documents(&["abcdefghijk"], TokenLevel::Char).unwrap();
    let batcher = LmBatcher::new(
        &corpus,
        BatchConfig {
            bs: 2,
            bptt: 3,
            scheme: Scheme::HfBlocks,
            seed: 0,
        },
    )
    .unwrap();
    let epoch = batcher.epoch_with_order(0, Some(vec![2, 0, 1]));
    let grid = MatrixGrid::new(&epoch);
    assert_eq!((grid.columns(), grid.rows()), (3, 3));
    assert_eq!(
        corpus.decode(&[grid.token(1, 2)]),
        "h",
        "row 2 is block 2, x 1 its second token"
    );
    let second = epoch.windows[1];
    assert_eq!(grid.state(0, 1, Some(second), &(3..3)), CellState::Lit);
    assert_eq!(
        grid.state(2, 1, Some(second), &(3..3)),
        CellState::Waiting,
        "the last token is only a target"
    );
    assert_eq!(grid.state(0, 0, Some(second), &(3..3)), CellState::Consumed);
    let first = epoch.windows[0];
    let lit: Vec<_> = grid
        .outlines(first, 0..3)
        .into_iter()
        .filter(|o| !o.target)
        .map(|o| o.rows.start)
        .collect();
    assert_eq!(lit, [0, 2]);
    assert_eq!(grid.focus(first), 0..1);
}
