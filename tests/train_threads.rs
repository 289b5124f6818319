#![cfg(not(target_arch = "wasm32"))]
//! `Trainer::set_threads`: a step's streams split across threads give the
//! same run as one thread, to f32 rounding, and the same run every time.

use batchscope::data::batcher::{BatchConfig, Scheme};
use batchscope::data::corpus::{Corpus, TokenLevel};
use batchscope::nn::model::{Model, ModelConfig};
use batchscope::nn::optimizer::OptimizerConfig;
use batchscope::training::trainer::{StepReport, Trainer};

fn trainer(layers: usize, scheme: Scheme, threads: usize) -> Trainer {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/prose.txt"
    ))
    .unwrap();
    let corpus = Corpus::from_documents(&[text], TokenLevel::Char).unwrap();
    let config = ModelConfig {
        vocab: corpus.vocab_size(),
        embed: 16,
        hidden: 40,
        layers,
    };
    let batch = BatchConfig {
        bs: 10,
        bptt: 25,
        scheme,
        seed: 3,
    };
    let mut t = Trainer::new(
        &corpus,
        Model::init(config, 5),
        batch,
        OptimizerConfig::adam(0.01),
        Some(0.5),
    )
    .unwrap();
    t.set_threads(threads);
    t
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 2e-5 * a.abs().max(b.abs()).max(1e-3),
        "{what}: {a} vs {b}"
    );
}

fn same_report(one: &StepReport, many: &StepReport) {
    assert_eq!(
        (one.step, one.bs, one.seq_len),
        (many.step, many.bs, many.seq_len)
    );
    close(one.loss, many.loss, "loss");
    close(one.grad_norm, many.grad_norm, "grad norm");
    for (name, a, b) in [
        ("cell norm", &one.cell_grad_norms, &many.cell_grad_norms),
        (
            "last-loss norm",
            &one.last_loss_grad_norms,
            &many.last_loss_grad_norms,
        ),
    ] {
        assert_eq!(a.len(), b.len(), "{name}s");
        for (x, y) in a.iter().zip(b) {
            close(*x as f64, *y as f64, name);
        }
    }
}

#[test]
fn three_threads_train_like_one_to_f32_rounding() {
    for (layers, scheme) in [(1, Scheme::Pytorch), (2, Scheme::HfBlocks)] {
        let (mut one, mut three) = (trainer(layers, scheme, 1), trainer(layers, scheme, 3));
        for _ in 0..6 {
            let (a, b) = (one.step().unwrap(), three.step().unwrap());
            assert!(!a.last_loss_grad_norms.is_empty());
            same_report(&a, &b);
        }
        let largest = one.model.params.iter().fold(0f32, |m, p| m.max(p.abs()));
        for (p, q) in one.model.params.iter().zip(&three.model.params) {
            assert!((p - q).abs() <= 1e-4 * largest, "{p} vs {q}");
        }
        assert!(
            one.model.params != three.model.params,
            "the sums were reordered"
        );
        for (h, k) in one.hidden().h.iter().zip(&three.hidden().h) {
            assert!((h - k).abs() <= 1e-4, "carried h {h} vs {k}");
        }
    }
}

#[test]
fn a_threaded_run_is_the_same_every_time_and_without_the_last_loss_pass() {
    let (mut a, mut b) = (
        trainer(1, Scheme::Pytorch, 3),
        trainer(1, Scheme::Pytorch, 3),
    );
    b.set_last_loss_norms(false);
    for _ in 0..4 {
        let (ra, rb) = (a.step().unwrap(), b.step().unwrap());
        assert_eq!((ra.loss, ra.grad_norm), (rb.loss, rb.grad_norm));
        assert!(rb.last_loss_grad_norms.is_empty());
    }
    assert_eq!(a.model.params, b.model.params);
}

#[test]
fn more_threads_than_streams_use_one_per_stream() {
    let (mut one, mut many) = (
        trainer(1, Scheme::Pytorch, 1),
        trainer(1, Scheme::Pytorch, 64),
    );
    for _ in 0..2 {
        same_report(&one.step().unwrap(), &many.step().unwrap());
    }
}

/// The mean gradient of streams `cols` of the trainer's next batch, from
/// zero state, computed as a batch of its own.
fn half_gradient(t: &Trainer, cols: std::ops::Range<usize>) -> Vec<f32> {
    use batchscope::nn::lstm::LstmState;
    let w = t.batches().windows[0];
    let (input, target) = (t.batches().input(&w), t.batches().target(&w));
    let pick = |all: &[u32]| -> Vec<u32> {
        all.chunks_exact(w.width)
            .flat_map(|row| row[cols.clone()].to_vec())
            .collect()
    };
    let zero = LstmState::zeros(&t.model.config.lstm(), cols.len());
    let mut cache = Default::default();
    let mut grads = Default::default();
    t.model.forward_into(
        &pick(input),
        &pick(target),
        w.seq_len,
        cols.len(),
        &zero,
        &mut cache,
    );
    t.model.backward_into(&cache, &mut grads);
    grads.params
}

#[test]
fn two_shards_measure_the_gradient_noise_of_their_halves() {
    use batchscope::training::noise_scale::two_size::TwoSize;
    let mut one = trainer(1, Scheme::Pytorch, 1);
    one.step().unwrap();
    assert_eq!(one.last_noise(), None, "one thread has no halves");

    let mut two = trainer(1, Scheme::Pytorch, 2);
    let expected = TwoSize::from_halves(
        &half_gradient(&two, 0..5),
        5,
        &half_gradient(&two, 5..10),
        5,
    );
    two.step().unwrap();
    let got = two.last_noise().expect("two shards give an estimate");
    close(got.trace, expected.trace, "tr Σ");
    close(got.grad_sq, expected.grad_sq, "|G|²");
    assert!(got.trace > 0.0 && got.grad_sq.abs() < got.trace, "{got:?}");
}

#[test]
fn shards_in_turn_are_the_threads_numbers_on_one_thread() {
    let (mut threaded, mut in_turn) = (
        trainer(2, Scheme::Pytorch, 3),
        trainer(2, Scheme::Pytorch, 1),
    );
    in_turn.set_shards_in_turn(3);
    for _ in 0..4 {
        let (a, b) = (threaded.step().unwrap(), in_turn.step().unwrap());
        assert_eq!((a.loss, a.grad_norm), (b.loss, b.grad_norm));
        assert_eq!(a.cell_grad_norms, b.cell_grad_norms);
        assert_eq!(threaded.last_noise(), in_turn.last_noise());
        assert!(in_turn.last_noise().is_some());
    }
    assert_eq!(threaded.model.params, in_turn.model.params);
}
