#![cfg(not(target_arch = "wasm32"))]
//! Properties every scheme must keep, on random corpora and configs, plus the
//! statistics of fastai-v0.7's random sequence lengths.

use batchscope::batcher::{BatchConfig, EpochBatches, LmBatcher, Scheme};
use batchscope::corpus::{Corpus, TokenLevel};
use proptest::prelude::*;

fn scheme() -> impl Strategy<Value = Scheme> {
    prop_oneof![
        Just(Scheme::Pytorch),
        Just(Scheme::FastaiV07),
        Just(Scheme::FastaiV2)
    ]
}

/// 1–5 documents over a small alphabet (so tokens repeat), 1–80 chars each.
fn documents() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("[ab c\n.é]{1,80}", 1..6)
}

/// Everything a learner relies on when reading the batch matrix.
fn check_epoch(
    corpus: &Corpus,
    batcher: &LmBatcher,
    e: &EpochBatches,
) -> Result<(), TestCaseError> {
    let cfg = batcher.config();
    let (bs, rows) = (cfg.bs, batcher.rows());
    prop_assert_eq!((e.bs(), e.rows()), (bs, rows));
    prop_assert_eq!(rows, batcher.tokens() / bs);
    prop_assert_eq!(batcher.dropped(), batcher.tokens() - rows * bs);

    // Every kept token of this epoch's stream lands in exactly one (stream, row).
    let stream = corpus.stream(e.document_order());
    prop_assert_eq!(stream.len(), batcher.tokens());
    let mut seen = vec![false; rows * bs];
    for j in 0..bs {
        for row in 0..rows {
            let position = e.stream_position(j, row);
            prop_assert!(
                position < rows * bs && !seen[position],
                "position {} twice",
                position
            );
            seen[position] = true;
            prop_assert_eq!(e.token(j, row), stream[position]);
            prop_assert_eq!(e.columns()[row * bs + j], stream[position]);
        }
    }

    // Windows are contiguous from row 0 and never read past the last row.
    let mut next = 0;
    for (k, w) in e.windows.iter().enumerate() {
        prop_assert_eq!((w.epoch, w.index, w.start), (e.epoch, k, next));
        prop_assert!(w.seq_len >= 1 && w.start + w.seq_len < rows);
        // Input = rows [start, start+seq_len); target = the same shifted by one row.
        let (input, target) = (e.input(w), e.target(w));
        prop_assert_eq!(input.len(), w.seq_len * bs);
        prop_assert_eq!(target.len(), w.seq_len * bs);
        for t in 0..w.seq_len {
            for j in 0..bs {
                prop_assert_eq!(input[t * bs + j], e.token(j, w.start + t));
                prop_assert_eq!(target[t * bs + j], e.token(j, w.start + t + 1));
                if t + 1 < w.seq_len {
                    prop_assert_eq!(target[t * bs + j], input[(t + 1) * bs + j]);
                }
            }
        }
        next += w.seq_len;
    }
    prop_assert!(!e.windows.is_empty());
    prop_assert!(e.windows.len() <= batcher.batches_per_epoch());
    let last = e.windows.last().unwrap();
    let end = last.start + last.seq_len; // first row no input reaches
    match cfg.scheme {
        // Fixed windows reach the last row: every row is an input, the last one a target.
        Scheme::Pytorch | Scheme::FastaiV2 => {
            prop_assert_eq!(e.windows.len(), batcher.batches_per_epoch());
            prop_assert_eq!(end, rows - 1);
            for w in &e.windows[..e.windows.len() - 1] {
                prop_assert_eq!(w.seq_len, cfg.bptt);
            }
            prop_assert!(e.unreached_rows().is_empty());
        }
        // Random windows stop at rows/bptt - 1 batches or at the last row.
        Scheme::FastaiV07 => {
            prop_assert!(e.windows.len() == batcher.batches_per_epoch() || end == rows - 1);
            for w in &e.windows {
                prop_assert!(
                    w.seq_len >= 5 || w.start + w.seq_len == rows - 1,
                    "seq_len {} < 5",
                    w.seq_len
                );
            }
            prop_assert_eq!(e.unreached_rows(), (end + 1).min(rows)..rows);
        }
    }
    let in_order: Vec<usize> = (0..corpus.documents().len()).collect();
    let mut order = e.document_order().to_vec();
    if cfg.scheme == Scheme::FastaiV2 {
        order.sort(); // shuffled, but still a permutation
    }
    prop_assert_eq!(order, in_order);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_scheme_keeps_its_promises(
        docs in documents(),
        word in any::<bool>(),
        bs in 1usize..9,
        bptt in 1usize..14,
        scheme in scheme(),
        seed in any::<u64>(),
        epoch in 0usize..5,
    ) {
        let level = if word { TokenLevel::Word } else { TokenLevel::Char };
        let Ok(corpus) = Corpus::from_documents(&docs, level) else { return Ok(()) };
        let cfg = BatchConfig { bs, bptt, scheme, seed };
        let batcher = match LmBatcher::new(&corpus, cfg) {
            Ok(b) => b,
            Err(_) => {
                // Only too many streams for the corpus may be refused.
                prop_assert!(corpus.num_tokens() / bs < 2);
                return Ok(());
            }
        };
        let e = batcher.epoch(epoch);
        check_epoch(&corpus, &batcher, &e)?;

        // The same seed replays the same epoch, from a fresh batcher too.
        let again = LmBatcher::new(&corpus, cfg).unwrap().epoch(epoch);
        prop_assert_eq!(&again.windows, &e.windows);
        prop_assert_eq!(again.columns(), e.columns());
        prop_assert_eq!(again.document_order(), e.document_order());
    }
}

fn long_corpus(tokens: usize) -> Corpus {
    let text: String = (0..tokens)
        .map(|i| (b'a' + (i * 7 % 26) as u8) as char)
        .collect();
    Corpus::from_documents(&[text], TokenLevel::Char).unwrap()
}

#[test]
fn fastai_v07_lengths_have_the_documented_distribution() {
    // bs 1 and 700k rows: ~10 000 windows per epoch, so clipping at the end
    // of the stream touches at most one window and cannot bias the statistics.
    let bptt = 70;
    let corpus = long_corpus(700_000);
    let batcher = LmBatcher::new(
        &corpus,
        BatchConfig {
            bs: 1,
            bptt,
            scheme: Scheme::FastaiV07,
            seed: 2024,
        },
    )
    .unwrap();
    assert_eq!(batcher.batches_per_epoch(), 9_999);
    let lengths: Vec<usize> = (0..3)
        .flat_map(|epoch| batcher.epoch(epoch).windows)
        .map(|w| w.seq_len)
        .collect();
    assert!(lengths.len() >= 29_000, "{} windows", lengths.len());
    assert!(lengths.iter().all(|&l| l >= 5));
    let n = lengths.len() as f64;
    // bptt/2 = 35 and bptt = 70 are 7 σ apart: below 52.5 means the short branch.
    let short = lengths.iter().filter(|&&l| (l as f64) < 52.5).count() as f64 / n;
    assert!(
        (0.045..0.055).contains(&short),
        "short-branch share {short}"
    );
    // E[seq_len] = 0.975·bptt, minus 0.5 because int() truncates N(μ, 5) down.
    let mean = lengths.iter().sum::<usize>() as f64 / n;
    let expected = 0.975 * bptt as f64 - 0.5;
    assert!(
        (mean - expected).abs() < 0.3,
        "mean {mean}, expected ≈ {expected}"
    );
}

#[test]
fn fastai_v07_small_bptt_still_draws_at_least_five() {
    // bptt 4: normal(4, 5) is often below 5, so the max(5, ·) floor matters.
    let corpus = long_corpus(20_000);
    let batcher = LmBatcher::new(
        &corpus,
        BatchConfig {
            bs: 2,
            bptt: 4,
            scheme: Scheme::FastaiV07,
            seed: 1,
        },
    )
    .unwrap();
    let e = batcher.epoch(0);
    let fives = e.windows.iter().filter(|w| w.seq_len == 5).count();
    // Mean length ≈ 6 > bptt, so the epoch hits the last row and that final
    // window alone may be clipped below 5.
    let rows = batcher.rows();
    assert!(e
        .windows
        .iter()
        .all(|w| w.seq_len >= 5 || w.start + w.seq_len == rows - 1));
    assert!(e.windows[..e.windows.len() - 1]
        .iter()
        .all(|w| w.seq_len >= 5));
    assert!(
        fives > e.windows.len() / 2,
        "{fives} of {}",
        e.windows.len()
    );
}

#[test]
fn seeds_and_epochs_change_random_schemes_only() {
    let docs: Vec<String> = (0..12)
        .map(|i| format!("document {i} says hello.\n"))
        .collect();
    let corpus = Corpus::from_documents(&docs, TokenLevel::Char).unwrap();
    let make = |scheme, seed| {
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

    let v2 = make(Scheme::FastaiV2, 7);
    assert_ne!(
        v2.epoch(0).document_order(),
        v2.epoch(1).document_order(),
        "reshuffled each epoch"
    );
    assert_ne!(
        v2.epoch(0).columns(),
        make(Scheme::FastaiV2, 8).epoch(0).columns(),
        "seed matters"
    );
    assert_eq!(
        v2.epoch(1).columns(),
        make(Scheme::FastaiV2, 7).epoch(1).columns(),
        "seed replays"
    );

    let v07 = make(Scheme::FastaiV07, 7);
    assert_ne!(
        v07.epoch(0).windows,
        make(Scheme::FastaiV07, 8).epoch(0).windows
    );
    assert_eq!(
        v07.epoch(1).windows,
        make(Scheme::FastaiV07, 7).epoch(1).windows
    );

    let pt = make(Scheme::Pytorch, 7);
    assert_eq!(
        pt.epoch(0)
            .windows
            .iter()
            .map(|w| w.start)
            .collect::<Vec<_>>(),
        make(Scheme::Pytorch, 8)
            .epoch(5)
            .windows
            .iter()
            .map(|w| w.start)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        pt.epoch(0).columns(),
        make(Scheme::Pytorch, 8).epoch(5).columns()
    );
}
