#![cfg(not(target_arch = "wasm32"))]
//! Properties every scheme must keep, on random corpora and configs, plus the
//! statistics of fastai-v0.7's random sequence lengths.

use batchscope::data::batcher::{BatchConfig, EpochBatches, LmBatcher, Scheme};
use batchscope::data::corpus::{Corpus, TokenLevel};
use proptest::prelude::*;

fn scheme() -> impl Strategy<Value = Scheme> {
    prop::sample::select(Scheme::ALL.to_vec())
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
    let tokens = batcher.tokens();
    let stream = corpus.stream(e.document_order());
    prop_assert_eq!(stream.len(), tokens);
    let (columns, rows) = (e.matrix_columns(), e.matrix_rows());

    // Every cell shows the token at its position of this epoch's stream, and
    // a column reads the stream forwards, one token per row (wrapping round
    // the corpus only in fastai-v1): no window crosses from one stream (or
    // block) into another.
    for c in 0..columns {
        for row in 0..rows {
            let position = e.stream_position(c, row);
            prop_assert_eq!(e.token(c, row), stream[position]);
            if row > 0 {
                prop_assert_eq!(position, (e.stream_position(c, row - 1) + 1) % tokens);
            }
        }
    }

    // Targets are the inputs shifted by one row; input(w) and target(w) are
    // exactly the picture's cells of the batch's columns.
    let mut used_as_input = vec![0usize; tokens];
    let mut read = vec![false; tokens];
    for (k, w) in e.windows.iter().enumerate() {
        prop_assert_eq!((w.epoch, w.index), (e.epoch, k));
        prop_assert!(w.seq_len >= 1 && w.start + w.seq_len < rows);
        prop_assert!(w.width >= 1 && w.width <= cfg.bs);
        let (input, target) = (e.input(w), e.target(w));
        prop_assert_eq!(input.len(), w.seq_len * w.width);
        prop_assert_eq!(target.len(), w.seq_len * w.width);
        for j in 0..w.width {
            let c = e.batch_column(w, j);
            for t in 0..w.seq_len {
                prop_assert_eq!(input[t * w.width + j], e.token(c, w.start + t));
                prop_assert_eq!(target[t * w.width + j], e.token(c, w.start + t + 1));
                used_as_input[e.stream_position(c, w.start + t)] += 1;
                read[e.stream_position(c, w.start + t)] = true;
                read[e.stream_position(c, w.start + t + 1)] = true;
            }
            let (seq_input, seq_target) = e.sequence(w, j);
            prop_assert_eq!(seq_input.len(), w.seq_len);
            prop_assert_eq!(
                seq_target[..w.seq_len - 1].to_vec(),
                seq_input[1..].to_vec()
            );
        }
    }
    prop_assert!(!e.windows.is_empty());

    // Each token of an epoch is an input at most once, except fastai-v1,
    // whose streams overlap by design (each reads ⌈T/(bptt·bs)⌉·bptt tokens
    // from int(j·T/bs) on, wrapping round).
    if cfg.scheme != Scheme::FastaiV1 {
        prop_assert!(used_as_input.iter().all(|&n| n <= 1));
    }
    // What no batch reads is exactly what the batcher says it drops
    // (fastai-v0.7 also leaves its never-reached tail).
    let mut dropped = vec![false; tokens];
    for range in batcher.dropped_ranges() {
        for p in range.clone() {
            dropped[p] = true;
        }
    }
    if cfg.scheme != Scheme::FastaiV07 {
        for p in 0..tokens {
            prop_assert!(
                read[p] != dropped[p],
                "position {} read {} dropped {}",
                p,
                read[p],
                dropped[p]
            );
        }
        prop_assert_eq!(e.windows.len(), batcher.batches_per_epoch());
        prop_assert!(e.unreached_rows().is_empty());
    }

    let last = e.windows.last().unwrap();
    let end = last.start + last.seq_len; // first row no input reaches
    match cfg.scheme {
        Scheme::Pytorch | Scheme::FastaiV2 | Scheme::FastaiV1 => {
            prop_assert_eq!(end, rows - 1);
            check_contiguous(e, cfg.bs)?;
            for w in &e.windows[..e.windows.len() - 1] {
                prop_assert_eq!(w.seq_len, cfg.bptt);
            }
            if cfg.scheme == Scheme::FastaiV1 {
                prop_assert_eq!(last.seq_len, cfg.bptt);
                for j in 0..cfg.bs {
                    prop_assert_eq!(
                        e.stream_position(j, 0),
                        (j as f64 * (tokens as f64 / cfg.bs as f64)) as usize
                    );
                }
            }
        }
        // Random windows stop at rows/bptt - 1 batches or at the last row.
        Scheme::FastaiV07 => {
            check_contiguous(e, cfg.bs)?;
            prop_assert!(
                Some(e.windows.len()) == batcher.fastai_v07_len()
                    || end == rows - 1
                    || e.windows.len() == 1
            );
            for w in &e.windows {
                prop_assert!(
                    w.seq_len >= 5 || w.start + w.seq_len == rows - 1,
                    "seq_len {} < 5",
                    w.seq_len
                );
            }
            prop_assert_eq!(e.unreached_rows(), (end + 1).min(rows)..rows);
        }
        // Every block once per epoch, bs at a time, the last batch the rest.
        Scheme::HfBlocks => {
            let blocks = batcher.blocks().unwrap();
            prop_assert_eq!(columns, blocks);
            let mut seen = vec![false; blocks];
            for w in &e.windows {
                prop_assert_eq!((w.start, w.seq_len), (0, cfg.bptt - 1));
                for j in 0..w.width {
                    let b = e.batch_column(w, j);
                    prop_assert!(!seen[b]);
                    seen[b] = true;
                    prop_assert_eq!(e.column_batch(b), Some(w.index));
                }
            }
            prop_assert!(seen.iter().all(|&s| s));
        }
    }
    let mut order = e.document_order().to_vec();
    order.sort(); // shuffled by fastai 1 and 2, but always a permutation
    prop_assert_eq!(order, (0..corpus.documents().len()).collect::<Vec<_>>());
    Ok(())
}

/// Stream schemes: windows of all bs streams, one after another from row 0.
fn check_contiguous(e: &EpochBatches, bs: usize) -> Result<(), TestCaseError> {
    let mut next = 0;
    for w in &e.windows {
        prop_assert_eq!((w.start, w.width), (next, bs));
        next += w.seq_len;
    }
    prop_assert_eq!(e.matrix_columns(), bs);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

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
            Err(e) => {
                // Only a corpus too small for the streams or the block is refused.
                let tokens = corpus.num_tokens();
                let refused = match scheme {
                    Scheme::Pytorch | Scheme::FastaiV07 => tokens / bs < 2,
                    Scheme::FastaiV2 => bs > tokens - 1,
                    Scheme::FastaiV1 => bs > tokens,
                    Scheme::HfBlocks => bptt < 2 || bptt > tokens,
                };
                prop_assert!(refused, "{}", e);
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
