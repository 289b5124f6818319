use super::*;
use crate::data::batcher::{BatchConfig, LmBatcher, Scheme};
use crate::data::corpus::TokenLevel;

#[test]
fn the_lens_reads_each_streams_window_down_its_column() {
    // Streams "abcdefgh…" cut in 3: stream 1 starts at "h" (rows = 7).
    let corpus = Corpus::from_documents(&["abcdefghijklmnopqrstu"], TokenLevel::Char).unwrap();
    let b = LmBatcher::new(
        &corpus,
        BatchConfig {
            bs: 3,
            bptt: 2,
            scheme: Scheme::Pytorch,
            seed: 0,
        },
    )
    .unwrap();
    let e = b.epoch(0);
    let lens = lens_rows(&corpus, &e, e.windows[1]).unwrap();
    assert_eq!(lens.labels, ["stream 0", "stream 1", "stream 2"]);
    let column = |j: usize| {
        lens.rows
            .iter()
            .map(|(_, t)| t[j].clone())
            .collect::<String>()
    };
    assert_eq!(
        (column(0), column(1), column(2)),
        ("cde".into(), "jkl".into(), "qrs".into())
    );
    assert_eq!(lens.rows[0].0, "row 2");
    let (input, target) = e.sequence(&e.windows[1], 1);
    // The column is the input and, one row further, the last target.
    assert_eq!(
        corpus.decode(&input) + &corpus.decode(&target[target.len() - 1..]),
        column(1)
    );
}

#[test]
fn blocks_are_labelled_by_their_place_in_the_corpus() {
    let corpus = Corpus::from_documents(&["abcdefghijk"], TokenLevel::Char).unwrap();
    let b = LmBatcher::new(
        &corpus,
        BatchConfig {
            bs: 2,
            bptt: 3,
            scheme: Scheme::HfBlocks,
            seed: 0,
        },
    )
    .unwrap();
    let e = b.epoch_with_order(0, Some(vec![2, 0, 1]));
    let lens = lens_rows(&corpus, &e, e.windows[0]).unwrap();
    assert_eq!(lens.labels, ["block 2", "block 0"]);
    assert_eq!(
        lens.rows
            .iter()
            .map(|(_, t)| t.concat())
            .collect::<Vec<_>>(),
        ["ga", "hb", "ic"]
    );
}
