use super::*;
use crate::data::corpus::{Corpus, TokenLevel};
use crate::page::settings::Settings;

/// Issue 14's first case: 1,000,000 characters drawn from 9,000 CJK code
/// points (3 bytes each in UTF-8), bs 192, bptt 200, PyTorch's scheme.
fn cjk_case() -> RunShape {
    let settings = Settings {
        bs: 192,
        bptt: 200,
        scheme: Scheme::Pytorch,
        ..Settings::default()
    };
    RunShape::stepping(&settings, 1_000_000, 9_000, 3_000_000)
}

#[test]
fn the_softmax_is_counted_as_the_costs_panel_counts_it() {
    let shape = cjk_case();
    assert_eq!(shape.longest_seq_len(), 200);
    let memory = shape.memory();
    assert_eq!(memory.softmax, 192 * 200 * 9_000 * 4);
    assert_eq!(
        memory.softmax,
        step_costs(192, 200, 64, 1, EMBED, 9_000, 0).logits_bytes
    );
    assert_eq!(memory.text, 3_000_000 + 28 * 1_000_000);
    assert!(memory.total() > memory.softmax + memory.text + memory.model);
}

#[test]
fn the_cjk_case_is_refused_with_what_to_lower() {
    let shape = cjk_case();
    let reason = shape.check(WORKER_BUDGET_BYTES).unwrap_err();
    assert!(reason.starts_with("This run needs about 1,"), "{reason}");
    assert!(
        reason.contains("more than the 1,611 MB a worker may use"),
        "{reason}"
    );
    assert!(
        reason
            .contains("the softmax over 9,000 tokens for bs × seq_len = 192 × 200 takes 1,382 MB"),
        "{reason}"
    );
    // Each suggestion fits, and one more than it does not.
    let number_after = |what: &str| -> usize {
        let at = reason
            .find(what)
            .unwrap_or_else(|| panic!("{what} in {reason}"))
            + what.len();
        let digits: String = reason[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().unwrap()
    };
    let bs = number_after("bs to ");
    let bptt = number_after("bptt to ");
    for (shape, above) in [
        (
            RunShape { bs, ..shape },
            RunShape {
                bs: bs + 1,
                ..shape
            },
        ),
        (
            RunShape { bptt, ..shape },
            RunShape {
                bptt: bptt + 1,
                ..shape
            },
        ),
    ] {
        assert!(shape.check(WORKER_BUDGET_BYTES).is_ok());
        assert!(above.check(WORKER_BUDGET_BYTES).is_err());
    }
    let hidden = number_after("hidden to ");
    assert!(RunShape { hidden, ..shape }
        .check(WORKER_BUDGET_BYTES)
        .is_ok());
    // One layer is the least there is, and the text is a small part.
    assert!(!reason.contains("layers to"), "{reason}");
    assert!(!reason.contains("the text to"), "{reason}");
}

#[test]
fn the_ten_megabyte_word_case_is_refused() {
    // 9,900 distinct words, ~1.7 million of them in 10 MB, bs 256.
    let settings = Settings {
        bs: 256,
        bptt: 200,
        scheme: Scheme::Pytorch,
        tokens: TokenLevel::Word,
        ..Settings::default()
    };
    let shape = RunShape::stepping(&settings, 1_700_000, 9_900, 10_000_000);
    let reason = shape.check(WORKER_BUDGET_BYTES).unwrap_err();
    assert!(reason.contains("the softmax over 9,900 tokens"), "{reason}");
    assert!(reason.contains("bs to "), "{reason}");
}

#[test]
fn the_default_run_and_the_largest_text_at_default_settings_fit() {
    let corpus = Corpus::from_documents(crate::data::corpora::STORIES, TokenLevel::Char).unwrap();
    let settings = Settings::default();
    let bytes: usize = crate::data::corpora::STORIES.iter().map(|s| s.len()).sum();
    let shape = RunShape::stepping(&settings, corpus.num_tokens(), corpus.vocab_size(), bytes);
    assert!(shape.memory().total() < 100_000_000, "{:?}", shape.memory());
    // 32 MiB of ASCII: one token per byte.
    let max = crate::data::user_text::MAX_BYTES;
    let big = RunShape::stepping(&settings, max, 100, max);
    assert!(big.check(WORKER_BUDGET_BYTES).is_ok(), "{:?}", big.memory());
}

#[test]
fn a_huge_text_alone_names_the_text() {
    let settings = Settings::default();
    let shape = RunShape::stepping(&settings, 60_000_000, 100, 60_000_000);
    let reason = shape.check(WORKER_BUDGET_BYTES).unwrap_err();
    assert!(
        reason.contains("the text (60,000,000 tokens) takes"),
        "{reason}"
    );
    assert!(reason.contains("the text to "), "{reason}");
}

#[test]
fn fastai_v07_windows_may_run_past_bptt_and_fastai_v1_wraps_round() {
    let settings = Settings {
        bptt: 70,
        bs: 10,
        ..Settings::default()
    };
    let mut shape = RunShape::stepping(&settings, 100_000, 60, 100_000);
    shape.scheme = Scheme::FastaiV07;
    assert_eq!(shape.longest_seq_len(), 95);
    shape.scheme = Scheme::Pytorch;
    assert_eq!(shape.longest_seq_len(), 70);
    // A tiny text: PyTorch's windows are cut to the rows there are, fastai 1's are not.
    shape.tokens = 300;
    assert_eq!(shape.longest_seq_len(), 30);
    shape.scheme = Scheme::FastaiV1;
    assert_eq!(shape.longest_seq_len(), 70);
}

#[test]
fn every_window_of_an_epoch_is_within_the_estimate() {
    let corpus = Corpus::from_documents(crate::data::corpora::STORIES, TokenLevel::Char).unwrap();
    for scheme in Scheme::ALL {
        for (bs, bptt) in [(64, 70), (7, 200), (256, 2), (3, 33)] {
            let settings = Settings {
                bs,
                bptt,
                scheme,
                ..Settings::default()
            };
            let shape = RunShape::stepping(&settings, corpus.num_tokens(), corpus.vocab_size(), 0);
            let batcher =
                crate::data::batcher::LmBatcher::new(&corpus, settings.batch_config()).unwrap();
            for epoch in 0..3 {
                let windows = batcher.epoch(epoch).windows;
                assert!(windows.len() <= shape.windows(), "{scheme} {bs} {bptt}");
                let longest = windows.iter().map(|w| w.seq_len).max().unwrap();
                assert!(longest <= shape.longest_seq_len(), "{scheme} {bs} {bptt}");
                assert!(windows.iter().all(|w| w.width <= bs));
            }
        }
    }
}

#[test]
fn a_snapshot_is_what_the_trainer_says_it_is() {
    let corpus =
        Corpus::from_documents(&crate::data::corpora::STORIES[..8], TokenLevel::Char).unwrap();
    for (hidden, layers, scheme) in [(64, 1, Scheme::Pytorch), (128, 3, Scheme::FastaiV2)] {
        let settings = Settings {
            hidden,
            layers,
            scheme,
            ..Settings::default()
        };
        let trainer = crate::training::page_model::trainer_for(&corpus, &settings).unwrap();
        let shape = RunShape::stepping(&settings, corpus.num_tokens(), corpus.vocab_size(), 0);
        let real =
            trainer.snapshot_bytes() - std::mem::size_of_val(trainer.batches().document_order());
        assert!(
            real <= shape.snapshot_bytes(),
            "{real} vs {}",
            shape.snapshot_bytes()
        );
        // At most the one window the estimate adds beyond the ceiling.
        assert!(shape.snapshot_bytes() - real <= 2 * std::mem::size_of::<Window>());
    }
}

#[test]
fn a_race_run_keeps_no_snapshots_but_validates() {
    let settings = Settings::default();
    let stepping = RunShape::stepping(&settings, 100_000, 80, 100_000);
    let racing = RunShape::racing(&settings, 100_000, 80, 100_000);
    let (s, r) = (stepping.memory(), racing.memory());
    assert!(r.model < s.model, "no first state, no back copies");
    assert_eq!(r.text, s.text + 100_000, "the split's copy of the text");
    assert_eq!(r.softmax, s.softmax);
    // The validation pass's softmax: 4,096 + bs targets × 80 tokens × 4 bytes, at least.
    assert!(r.activations >= s.activations + (4_096 + 64) * 80 * 4);
}

#[test]
fn a_steps_flops_are_the_benchmarks_count() {
    // BENCHMARKS.md's step: V=65, E=32, H=128, 1 layer, bs 64, bptt 70: 2.43 GFLOP.
    let settings = Settings {
        hidden: 128,
        scheme: Scheme::Pytorch,
        ..Settings::default()
    };
    let flops = RunShape::stepping(&settings, 1_000_000, 65, 0).step_flops();
    assert!((flops / 1e9 - 2.43).abs() < 0.01, "{flops}");
}
