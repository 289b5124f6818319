#![cfg(not(target_arch = "wasm32"))]
//! The trainer as a learner uses it: it learns real English (loss well below
//! the unigram entropy), a clone replays the same future ("◀ back"), and bad
//! input fails with a clear message instead of NaN weights.

use batchscope::data::batcher::{BatchConfig, BatchError, Scheme};
use batchscope::data::corpus::{Corpus, TokenLevel};
use batchscope::nn::model::{Model, ModelConfig};
use batchscope::nn::optimizer::OptimizerConfig;
use batchscope::training::race::validation::validation_loss;
use batchscope::training::trainer::{
    loss_diverged, shown_loss, TrainError, Trainer, DIVERGED_LOSS_FACTOR,
};

fn prose() -> Corpus {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/prose.txt"
    ))
    .unwrap();
    Corpus::from_documents(&[text], TokenLevel::Char).unwrap()
}

/// Entropy (nats) of the corpus's character frequencies: the best loss of a
/// model that ignores context.
fn unigram_entropy(ids: &[u32], vocab: usize) -> f64 {
    let mut counts = vec![0usize; vocab];
    for &id in ids {
        counts[id as usize] += 1;
    }
    let n = ids.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| -(c as f64 / n) * (c as f64 / n).ln())
        .sum()
}

fn trainer(corpus: &Corpus, bs: usize, optimizer: OptimizerConfig, clip: Option<f64>) -> Trainer {
    let config = ModelConfig {
        vocab: corpus.vocab_size(),
        embed: 16,
        hidden: 64,
        layers: 1,
    };
    let batch = BatchConfig {
        bs,
        bptt: 35,
        scheme: Scheme::Pytorch,
        seed: 1,
    };
    Trainer::new(corpus, Model::init(config, 7), batch, optimizer, clip).unwrap()
}

#[test]
fn a_short_run_on_real_prose_learns_far_below_the_unigram_entropy() {
    let corpus = prose();
    let ids = corpus.stream(&[0]);
    let unigram = unigram_entropy(&ids, corpus.vocab_size());
    let mut t = trainer(&corpus, 16, OptimizerConfig::adam(0.01), Some(1.0));
    let first = t.step().unwrap().loss;
    assert!(
        (first - (corpus.vocab_size() as f64).ln()).abs() < 0.5,
        "an untrained model is near-uniform: {first}"
    );
    let mut last_epoch = Vec::new();
    while t.epoch() < 25 {
        let r = t.step().unwrap();
        if r.epoch == 24 {
            last_epoch.push(r.loss);
        }
        assert_eq!(r.cell_grad_norms.len(), r.seq_len);
    }
    let mean = last_epoch.iter().sum::<f64>() / last_epoch.len() as f64;
    assert!(
        mean < 0.7 * unigram,
        "loss {mean:.3} not well below the unigram entropy {unigram:.3}"
    );
    let held = validation_loss(&t.model, &ids, 16, 35, true, None)
        .unwrap()
        .loss;
    assert!(
        held < 0.75 * unigram,
        "evaluate {held:.3} vs unigram {unigram:.3}"
    );
}

#[test]
fn a_cloned_trainer_replays_the_same_steps() {
    let corpus = prose();
    let mut t = trainer(&corpus, 8, OptimizerConfig::adam(0.003), Some(0.25));
    for _ in 0..3 {
        t.step().unwrap();
    }
    let snapshot = t.clone();
    let ahead: Vec<_> = (0..4).map(|_| t.step().unwrap()).collect();
    let mut back = snapshot;
    let again: Vec<_> = (0..4).map(|_| back.step().unwrap()).collect();
    assert_eq!(ahead, again);
    assert_eq!(t.model, back.model);
}

#[test]
fn a_new_epoch_restarts_at_row_zero_with_zero_state() {
    let corpus = prose();
    let mut t = trainer(&corpus, 32, OptimizerConfig::sgd(0.5), Some(0.25));
    let per_epoch = t.batches().windows.len();
    let reports: Vec<_> = (0..per_epoch + 1).map(|_| t.step().unwrap()).collect();
    let last = &reports[per_epoch - 1];
    assert!(
        last.seq_len < 35,
        "the last batch of the epoch is partial here"
    );
    let next = &reports[per_epoch];
    assert_eq!((next.epoch, next.index, next.start), (1, 0, 0));
    assert_eq!(next.tokens_seen, last.tokens_seen + 35 * 32);
}

#[test]
fn a_huge_learning_rate_stops_with_a_clear_message_and_finite_weights() {
    let corpus = prose();
    let mut t = trainer(&corpus, 16, OptimizerConfig::sgd(1e38), None);
    let mut error = None;
    for _ in 0..20 {
        let before = t.model.clone();
        match t.step() {
            Ok(_) => {}
            Err(e) => {
                assert_eq!(
                    t.model, before,
                    "a diverged step must not touch the weights"
                );
                error = Some(e);
                break;
            }
        }
    }
    let error = error.expect("lr 1e38 diverges");
    assert!(matches!(error, TrainError::Diverged { .. }));
    let message = error.to_string();
    assert!(
        message.contains("diverged") && message.contains("lower learning rate"),
        "{message}"
    );
    assert!(t.model.params.iter().all(|p| p.is_finite()));
}

#[test]
fn an_absurd_finite_loss_is_divergence_too() {
    // At bs 1 and clipped SGD with lr 1e38 the loss climbs to ~1e37 and,
    // by the accidents of rounding, may stay finite.
    let corpus = prose();
    let mut t = trainer(&corpus, 1, OptimizerConfig::sgd(1e38), Some(0.25));
    let error = (0..20)
        .find_map(|_| t.step().err())
        .expect("lr 1e38 diverges");
    let TrainError::Diverged { loss, .. } = error else {
        panic!("{error}")
    };
    let chance = (corpus.vocab_size() as f64).ln();
    assert!(loss > DIVERGED_LOSS_FACTOR * chance, "{loss}");
    assert!(loss_diverged(loss, corpus.vocab_size()));
    assert!(!loss_diverged(
        0.9 * DIVERGED_LOSS_FACTOR * chance,
        corpus.vocab_size()
    ));
    assert!(loss_diverged(f64::NAN, corpus.vocab_size()));
    assert_eq!(
        [2.1673e37, 412.46, f64::INFINITY, f64::NAN].map(shown_loss),
        ["2.17e37", "412.5", "inf", "NaN"]
    );
}

#[test]
fn bs_zero_and_a_foreign_vocabulary_are_errors() {
    let corpus = prose();
    let config = ModelConfig {
        vocab: corpus.vocab_size(),
        embed: 4,
        hidden: 8,
        layers: 1,
    };
    let batch = BatchConfig {
        bs: 0,
        bptt: 10,
        scheme: Scheme::Pytorch,
        seed: 0,
    };
    let err = Trainer::new(
        &corpus,
        Model::<f32>::init(config, 1),
        batch,
        OptimizerConfig::adam(0.01),
        None,
    )
    .unwrap_err();
    assert_eq!(err, TrainError::Batch(BatchError::ZeroBs));
    assert!(err.to_string().contains("bs = 0"));
    let other = ModelConfig { vocab: 3, ..config };
    let err = Trainer::new(
        &corpus,
        Model::<f32>::init(other, 1),
        BatchConfig { bs: 4, ..batch },
        OptimizerConfig::adam(0.01),
        None,
    )
    .unwrap_err();
    assert!(err.to_string().contains("3 tokens"), "{err}");
}

#[test]
fn a_trainer_can_move_to_a_worker_thread() {
    fn send_and_sync<T: Send + Sync + Clone + 'static>() {}
    send_and_sync::<Trainer>();
    send_and_sync::<batchscope::training::trainer::StepReport>();
}

#[test]
fn every_batching_scheme_trains_through_whole_epochs() {
    let corpus = prose();
    for scheme in Scheme::ALL {
        let config = ModelConfig {
            vocab: corpus.vocab_size(),
            embed: 8,
            hidden: 16,
            layers: 2,
        };
        let batch = BatchConfig {
            bs: 8,
            bptt: 30,
            scheme,
            seed: 3,
        };
        let mut t: Trainer = Trainer::new(
            &corpus,
            Model::init(config, 2),
            batch,
            OptimizerConfig::adam(0.01),
            Some(0.5),
        )
        .unwrap();
        let mut tokens = 0;
        while t.epoch() < 2 {
            let w = t.next_window();
            let r = t.step().unwrap();
            assert_eq!(
                (r.epoch, r.start, r.seq_len),
                (w.epoch, w.start, w.seq_len),
                "{scheme}"
            );
            assert!(r.loss.is_finite() && r.grad_norm.is_finite(), "{scheme}");
            tokens += r.seq_len * r.bs;
            assert_eq!(r.tokens_seen, tokens, "{scheme}");
        }
    }
}
