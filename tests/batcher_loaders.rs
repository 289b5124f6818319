#![cfg(not(target_arch = "wasm32"))]
//! Exact agreement with fastai 1's `LanguageModelPreLoader`, fastai 2's
//! `LMDataLoader` and Hugging Face's `group_texts` + `Trainer`, on the
//! fixtures written by tests/fixtures/gen_loader_fixtures.py, which follows
//! each library's code line by line. The libraries' random orders are not
//! ours, so each epoch's document (or block) order is handed in.

mod fixture_files;
use batchscope::data::batcher::{BatchConfig, LmBatcher, Scheme};
use batchscope::data::corpus::{Corpus, TokenLevel};
use fixture_files::read_fixtures;
use serde::Deserialize;
use std::collections::BTreeSet;

#[derive(Deserialize)]
struct Fixture {
    name: String,
    scheme: Scheme,
    level: TokenLevel,
    documents: Vec<String>,
    bs: usize,
    bptt: usize,
    vocab: Vec<String>,
    tokens: usize,
    rows: usize,
    dropped: usize,
    batches_per_epoch: usize,
    epochs: Vec<Epoch>,
}

#[derive(Deserialize)]
struct Epoch {
    order: Vec<usize>,
    batches: Vec<Batch>,
}

#[derive(Deserialize)]
struct Batch {
    index: usize,
    seq_len: usize,
    width: usize,
    /// Batch-first, as the libraries return it: `[width][seq_len]`.
    input: Vec<Vec<u32>>,
    target: Vec<Vec<u32>>,
    positions: Vec<Vec<usize>>,
}

fn fixtures() -> Vec<Fixture> {
    read_fixtures("loaders")
}

#[test]
fn fixtures_cover_every_new_scheme_with_several_documents_and_unicode() {
    let all = fixtures();
    for scheme in [Scheme::FastaiV1, Scheme::FastaiV2, Scheme::HfBlocks] {
        let of: Vec<&Fixture> = all.iter().filter(|f| f.scheme == scheme).collect();
        assert!(of.len() >= 5, "{scheme}: {} fixtures", of.len());
        assert!(
            of.iter().any(|f| f.documents.len() > 2),
            "{scheme}: several documents"
        );
        assert!(
            of.iter().any(|f| f.documents.iter().any(|d| !d.is_ascii())),
            "{scheme}: Unicode"
        );
        assert!(
            of.iter().any(|f| f.level == TokenLevel::Word),
            "{scheme}: word level"
        );
        assert!(
            of.iter().all(|f| f.epochs.len() >= 2),
            "{scheme}: two epochs each"
        );
    }
    assert!(
        all.iter()
            .any(|f| f.scheme == Scheme::HfBlocks
                && f.epochs[0].batches.last().unwrap().width < f.bs),
        "a smaller last batch"
    );
    assert!(all
        .iter()
        .any(|f| f.scheme == Scheme::FastaiV2 && f.dropped > 0));
    assert!(
        all.iter().any(|f| f.scheme == Scheme::FastaiV1
            && f.epochs[0].batches[0]
                .positions
                .iter()
                .flatten()
                .any(|&p| p == 0)
            && f.bs > 1),
        "a stream that wraps round"
    );
}

#[test]
fn every_batch_equals_the_librarys() {
    for f in fixtures() {
        let corpus = Corpus::from_documents(&f.documents, f.level).unwrap();
        assert_eq!(corpus.vocab(), f.vocab.as_slice(), "{}: vocabulary", f.name);
        let cfg = BatchConfig {
            bs: f.bs,
            bptt: f.bptt,
            scheme: f.scheme,
            seed: 0,
        };
        let batcher = LmBatcher::new(&corpus, cfg).unwrap_or_else(|e| panic!("{}: {e}", f.name));
        assert_eq!(
            (
                batcher.tokens(),
                batcher.rows(),
                batcher.dropped(),
                batcher.batches_per_epoch()
            ),
            (f.tokens, f.rows, f.dropped, f.batches_per_epoch),
            "{}: tokens, rows, dropped, batches",
            f.name
        );
        for (k, expected) in f.epochs.iter().enumerate() {
            let e = batcher.epoch_with_order(k, Some(expected.order.clone()));
            assert_eq!(
                e.windows.len(),
                expected.batches.len(),
                "{} epoch {k}: batches",
                f.name
            );
            for (w, b) in e.windows.iter().zip(&expected.batches) {
                let at = format!("{} epoch {k} batch {}", f.name, b.index);
                assert_eq!(
                    (w.index, w.seq_len, w.width),
                    (b.index, b.seq_len, b.width),
                    "{at}: shape"
                );
                for j in 0..w.width {
                    let (input, target) = e.sequence(w, j);
                    assert_eq!(input, b.input[j], "{at} row {j}: input");
                    assert_eq!(target, b.target[j], "{at} row {j}: target");
                    let column = e.batch_column(w, j);
                    let positions: Vec<usize> = (0..w.seq_len)
                        .map(|t| e.stream_position(column, w.start + t))
                        .collect();
                    assert_eq!(positions, b.positions[j], "{at} row {j}: positions");
                }
                // The tensor the model trains on is the same rows, time-major.
                let time_major = |rows: &[Vec<u32>]| -> Vec<u32> {
                    (0..w.seq_len)
                        .flat_map(|t| rows.iter().map(move |r| r[t]))
                        .collect()
                };
                assert_eq!(
                    e.input(w),
                    time_major(&b.input).as_slice(),
                    "{at}: input tensor"
                );
                assert_eq!(
                    e.target(w),
                    time_major(&b.target).as_slice(),
                    "{at}: target tensor"
                );
            }
        }
    }
}

#[test]
fn another_seed_draws_another_order_and_the_same_seed_the_same() {
    let docs: Vec<String> = (0..12)
        .map(|i| format!("document {i} says hello.\n"))
        .collect();
    let corpus = Corpus::from_documents(&docs, TokenLevel::Char).unwrap();
    for scheme in [Scheme::FastaiV1, Scheme::FastaiV2, Scheme::HfBlocks] {
        let make = |seed| {
            LmBatcher::new(
                &corpus,
                BatchConfig {
                    bs: 3,
                    bptt: 6,
                    scheme,
                    seed,
                },
            )
            .unwrap()
        };
        let input = |b: &LmBatcher, epoch| {
            let e = b.epoch(epoch);
            e.input(&e.windows[0]).to_vec()
        };
        assert_eq!(
            input(&make(7), 1),
            input(&make(7), 1),
            "{scheme}: same seed, same batches"
        );
        assert_ne!(
            input(&make(7), 1),
            input(&make(8), 1),
            "{scheme}: another seed, another shuffle"
        );
        assert_ne!(
            input(&make(7), 0),
            input(&make(7), 1),
            "{scheme}: a new order every epoch"
        );
        let orders: BTreeSet<Vec<usize>> = (0..4)
            .map(|k| make(7).epoch(k).document_order().to_vec())
            .collect();
        assert_eq!(
            orders.len() > 1,
            scheme != Scheme::HfBlocks,
            "{scheme}: documents shuffled only by fastai"
        );
    }
}
