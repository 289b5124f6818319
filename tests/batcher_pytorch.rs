#![cfg(not(target_arch = "wasm32"))]
//! Exact agreement with PyTorch's word_language_model `batchify`/`get_batch`,
//! on the fixtures written by tests/fixtures/gen_batcher_fixtures.py.

mod fixture_files;
use batchscope::data::batcher::{BatchConfig, LmBatcher, Scheme};
use batchscope::data::corpus::{Corpus, TokenLevel};
use fixture_files::read_fixtures;
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    name: String,
    level: TokenLevel,
    documents: Vec<String>,
    bs: usize,
    bptt: usize,
    vocab: Vec<String>,
    tokens: usize,
    rows: usize,
    dropped: usize,
    columns: Vec<u32>,
    batches: Vec<Batch>,
}

#[derive(Deserialize)]
struct Batch {
    index: usize,
    start: usize,
    seq_len: usize,
    input: Vec<u32>,
    target: Vec<u32>,
}

fn fixtures() -> Vec<Fixture> {
    read_fixtures("batcher")
}

#[test]
fn fixtures_cover_the_cases_the_issue_asks_for() {
    let all = fixtures();
    assert!(all.len() >= 5, "only {} fixtures", all.len());
    assert!(
        all.iter().any(|f| f.dropped > 0),
        "a bs that does not divide the token count"
    );
    assert!(
        all.iter()
            .any(|f| f.batches.last().unwrap().seq_len < f.bptt),
        "a last partial batch"
    );
    assert!(
        all.iter().any(|f| f.documents.len() > 1),
        "several documents"
    );
    assert!(
        all.iter().any(|f| f.level == TokenLevel::Word),
        "word level"
    );
}

#[test]
fn every_batch_matches_pytorch() {
    for f in fixtures() {
        let name = &f.name;
        let corpus = Corpus::from_documents(&f.documents, f.level).unwrap();
        assert_eq!(corpus.vocab(), f.vocab.as_slice(), "{name}: vocab");
        assert_eq!(corpus.num_tokens(), f.tokens, "{name}: tokens");
        let cfg = BatchConfig {
            bs: f.bs,
            bptt: f.bptt,
            scheme: Scheme::Pytorch,
            seed: 0,
        };
        let batcher = LmBatcher::new(&corpus, cfg).unwrap();
        assert_eq!(
            (batcher.rows(), batcher.dropped()),
            (f.rows, f.dropped),
            "{name}: rows, dropped"
        );
        assert_eq!(
            batcher.batches_per_epoch(),
            f.batches.len(),
            "{name}: batches per epoch"
        );
        // PyTorch's loader is not random: every epoch is the same.
        for epoch in [0, 3] {
            let e = batcher.epoch(epoch);
            assert_eq!(e.columns(), f.columns.as_slice(), "{name}: batchify");
            assert_eq!(
                e.windows.len(),
                f.batches.len(),
                "{name}: number of batches"
            );
            for (w, expected) in e.windows.iter().zip(&f.batches) {
                let at = format!("{name}, epoch {epoch}, batch {}", expected.index);
                assert_eq!(
                    (w.epoch, w.index, w.start, w.seq_len),
                    (epoch, expected.index, expected.start, expected.seq_len),
                    "{at}"
                );
                assert_eq!(e.input(w), expected.input.as_slice(), "{at}: input");
                assert_eq!(e.target(w), expected.target.as_slice(), "{at}: target");
            }
        }
    }
}

#[test]
fn fastai_v2_is_not_pytorch_even_with_one_document() {
    // fastai 2 keeps (T - 1) // bs rows per stream and hands each stream's last
    // target over to the next stream; PyTorch keeps T // bs. Where bs divides
    // T, fastai's streams start one token earlier per stream.
    let divides: Vec<_> = fixtures()
        .into_iter()
        .filter(|f| f.documents.len() == 1 && f.tokens % f.bs == 0 && f.bs > 1)
        .collect();
    assert!(
        !divides.is_empty(),
        "a fixture where bs divides the token count"
    );
    for f in divides {
        let corpus = Corpus::from_documents(&f.documents, f.level).unwrap();
        let cfg = BatchConfig {
            bs: f.bs,
            bptt: f.bptt,
            scheme: Scheme::FastaiV2,
            seed: 5,
        };
        let v2 = LmBatcher::new(&corpus, cfg).unwrap();
        assert_eq!(v2.rows(), f.rows - 1, "{}", f.name);
        let e = v2.epoch(2);
        assert_eq!(e.stream_position(1, 0), f.rows - 1, "{}", f.name);
        assert_ne!(
            e.input(&e.windows[0]),
            &f.batches[0].input[..],
            "{}",
            f.name
        );
    }
}
