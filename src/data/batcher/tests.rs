//! Unit tests of `batcher.rs`, kept beside it so the module stays one screenful of logic.

use super::*;
use crate::data::corpus::TokenLevel;

fn corpus(text: &str) -> Corpus {
    Corpus::from_documents(&[text], TokenLevel::Char).unwrap()
}

fn cfg(bs: usize, bptt: usize, scheme: Scheme) -> BatchConfig {
    BatchConfig {
        bs,
        bptt,
        scheme,
        seed: 1,
    }
}

#[test]
fn batchify_layout_and_windows_match_pytorch_by_hand() {
    // 11 tokens, bs 3 → rows 3, 2 dropped; streams "abc" "def" "ghi".
    let c = corpus("abcdefghijk");
    let b = LmBatcher::new(&c, cfg(3, 2, Scheme::Pytorch)).unwrap();
    assert_eq!(
        (b.tokens(), b.rows(), b.dropped(), b.batches_per_epoch()),
        (11, 3, 2, 1)
    );
    let e = b.epoch(0);
    assert_eq!(c.decode(e.columns()), "adgbehcfi");
    assert_eq!(
        e.windows,
        vec![Window {
            epoch: 0,
            index: 0,
            start: 0,
            seq_len: 2,
            width: 3
        }]
    );
    assert_eq!(c.decode(e.input(&e.windows[0])), "adgbeh");
    assert_eq!(c.decode(e.target(&e.windows[0])), "behcfi");
    assert_eq!(e.token(2, 1), c.encode("h")[0]);
    assert_eq!(e.stream_position(2, 1), 7);
    assert!(e.unreached_rows().is_empty());
    assert_eq!(c.decode(&batchify(&c.stream(&[0]), 3)), "adgbehcfi");
}

#[test]
fn errors_name_the_numbers() {
    let c = corpus(&"x".repeat(120));
    let err = LmBatcher::new(&c, cfg(300, 5, Scheme::Pytorch)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "bs = 300 is larger than the corpus (120 tokens): each of the 300 columns would be empty. Use bs ≤ 60."
    );
    assert_eq!(
        LmBatcher::new(&c, cfg(0, 5, Scheme::Pytorch)).unwrap_err(),
        BatchError::ZeroBs
    );
    assert_eq!(
        LmBatcher::new(&c, cfg(4, 0, Scheme::Pytorch)).unwrap_err(),
        BatchError::ZeroBptt
    );
    let err = LmBatcher::new(&c, cfg(61, 5, Scheme::Pytorch)).unwrap_err();
    assert_eq!(
        err,
        BatchError::TooFewRows {
            bs: 61,
            tokens: 120,
            rows: 1,
            max_bs: 60
        }
    );
    assert!(err.to_string().contains("Use bs ≤ 60"));
    assert!(LmBatcher::new(&c, cfg(60, 5, Scheme::Pytorch)).is_ok());
    assert!(matches!(
        LmBatcher::new(&corpus("a"), cfg(1, 1, Scheme::Pytorch)),
        Err(BatchError::TooFewTokens { tokens: 1 })
    ));
}

#[test]
fn fastai_v07_stops_after_rows_over_bptt_minus_one_and_leaves_a_tail() {
    let c = corpus(&"abcdefghij".repeat(100)); // 1000 tokens
    let b = LmBatcher::new(&c, cfg(2, 50, Scheme::FastaiV07)).unwrap(); // rows 500
    assert_eq!(b.batches_per_epoch(), 9);
    let e = b.epoch(3);
    assert_eq!(e.windows.len(), 9);
    // ~9 × 48.75 rows read of 500: the tail is never reached.
    assert!(e.unreached_rows().len() > 20, "{:?}", e.unreached_rows());
    assert_ne!(b.epoch(3).windows, b.epoch(4).windows);
    assert_eq!(b.epoch(3).windows, e.windows);
}

#[test]
fn scheme_names_round_trip() {
    for s in Scheme::ALL {
        assert_eq!(s.to_string().parse::<Scheme>(), Ok(s));
        assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{s}\""));
    }
    assert!("fastai".parse::<Scheme>().is_err());
}

#[test]
fn stream_rows_read_one_column_of_the_input_and_target() {
    let c = Corpus::from_documents(&["abcdefghijklmn"], TokenLevel::Char).unwrap();
    let e = LmBatcher::new(
        &c,
        BatchConfig {
            bs: 3,
            bptt: 2,
            scheme: Scheme::Pytorch,
            seed: 0,
        },
    )
    .unwrap()
    .epoch(0);
    let w = e.windows[1];
    for stream in 0..3 {
        let column = |slice: &[u32]| {
            slice
                .iter()
                .skip(stream)
                .step_by(3)
                .copied()
                .collect::<Vec<_>>()
        };
        assert_eq!(
            e.stream_rows(stream, w.start..w.start + w.seq_len),
            column(e.input(&w))
        );
        assert_eq!(
            e.stream_rows(stream, w.start + 1..w.start + 1 + w.seq_len),
            column(e.target(&w))
        );
    }
    assert_eq!(
        c.decode(&e.stream_rows(1, 0..9)),
        "efgh",
        "clipped at the stream's end"
    );
}

fn letters(bs: usize, bptt: usize, scheme: Scheme, text: &str) -> (Corpus, LmBatcher) {
    let c = corpus(text);
    let b = LmBatcher::new(&c, cfg(bs, bptt, scheme)).unwrap();
    (c, b)
}

/// Each sequence of a batch as "input→target" text.
fn batch_text(c: &Corpus, e: &EpochBatches, index: usize) -> Vec<String> {
    let w = e.windows[index];
    (0..w.width)
        .map(|j| {
            let (input, target) = e.sequence(&w, j);
            format!("{}→{}", c.decode(&input), c.decode(&target))
        })
        .collect()
}

#[test]
fn fastai_v2_hands_each_streams_last_target_to_the_next_stream() {
    // T = 11: corpus = round_down(10, 3) = 9, bl = 3; streams start at 0, 3, 6.
    let (c, b) = letters(3, 2, Scheme::FastaiV2, "abcdefghijk");
    assert_eq!((b.rows(), b.dropped(), b.batches_per_epoch()), (3, 1, 2));
    let e = b.epoch(0);
    assert_eq!(batch_text(&c, &e, 0), ["ab→bc", "de→ef", "gh→hi"]);
    // The last batch is bl − seq_len = 1 row; "c"'s target is stream 1's "d".
    assert_eq!(batch_text(&c, &e, 1), ["c→d", "f→g", "i→j"]);
    assert_eq!(b.dropped_ranges().to_vec(), vec![(10..11)]);
}

#[test]
fn fastai_v1_streams_start_at_j_t_over_bs_and_wrap_round() {
    // T = 10, bs 3, bptt 2: ceil(10/6) = 2 batches; starts int(j·10/3) = 0, 3, 6.
    let (c, b) = letters(3, 2, Scheme::FastaiV1, "abcdefghij");
    assert_eq!((b.rows(), b.dropped(), b.batches_per_epoch()), (4, 0, 2));
    let e = b.epoch(0);
    assert_eq!(batch_text(&c, &e, 0), ["ab→bc", "de→ef", "gh→hi"]);
    // One token of overlap; stream 2 runs off the end and wraps to "a".
    assert_eq!(batch_text(&c, &e, 1), ["cd→de", "fg→gh", "ij→ja"]);
}

#[test]
fn hf_blocks_are_shuffled_whole_and_start_from_zeros() {
    // T = 11, L = 3: blocks "abc" "def" "ghi", "jk" dropped; bs 2 → 2 batches.
    let (c, b) = letters(2, 3, Scheme::HfBlocks, "abcdefghijk");
    assert_eq!(
        (b.rows(), b.dropped(), b.batches_per_epoch(), b.blocks()),
        (3, 2, 2, Some(3))
    );
    let e = b.epoch_with_order(0, Some(vec![2, 0, 1]));
    assert_eq!(batch_text(&c, &e, 0), ["gh→hi", "ab→bc"]);
    assert_eq!(
        batch_text(&c, &e, 1),
        ["de→ef"],
        "the last batch holds the rest"
    );
    assert_eq!(c.decode(e.input(&e.windows[0])), "gahb");
    assert_eq!(
        (e.column_batch(0), e.column_batch(1), e.column_batch(2)),
        (Some(0), Some(1), Some(0))
    );
    assert!(!Scheme::HfBlocks.carries_state());
    assert_eq!(
        LmBatcher::new(&c, cfg(2, 1, Scheme::HfBlocks)).unwrap_err(),
        BatchError::BlockTooShort { bptt: 1 }
    );
    assert!(LmBatcher::new(&c, cfg(2, 12, Scheme::HfBlocks))
        .unwrap_err()
        .to_string()
        .contains("Use bptt ≤ 11"));
}

#[test]
fn hf_blocks_drop_a_remainder_per_thousand_documents() {
    // 1,001 one-letter documents: group 0 = 1,000 letters + 999 separators =
    // 1,999 tokens → 666 blocks of 3, 1 dropped; group 1 = separator + letter.
    let docs: Vec<String> = (0..1001)
        .map(|i| ((b'a' + (i % 26) as u8) as char).to_string())
        .collect();
    let c = Corpus::from_documents(&docs, TokenLevel::Char).unwrap();
    let b = LmBatcher::new(&c, cfg(8, 3, Scheme::HfBlocks)).unwrap();
    assert_eq!(b.blocks(), Some(666));
    assert_eq!(b.dropped_ranges(), [1998..1999, 1999..2001]);
}
