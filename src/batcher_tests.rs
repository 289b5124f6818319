//! Unit tests of `batcher.rs`, kept beside it so the module stays one screenful of logic.

use super::*;
use crate::corpus::TokenLevel;

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
            seq_len: 2
        }]
    );
    assert_eq!(c.decode(e.input(&e.windows[0])), "adgbeh");
    assert_eq!(c.decode(e.target(&e.windows[0])), "behcfi");
    assert_eq!(e.token(2, 1), c.encode("h")[0]);
    assert_eq!(e.stream_position(2, 1), 7);
    assert!(e.unreached_rows().is_empty());
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
            rows: 1
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
        c.decode(e.stream_rows(1, 0..9)),
        "efgh",
        "clipped at the stream's end"
    );
}
