#![cfg(not(target_arch = "wasm32"))]
//! `last_loss_grad_norms`: ‖dℓ_last/dh_t‖ of the top layer, ℓ_last = the mean
//! loss of the window's last step only. At the last cell it must equal
//! decoderᵀ(softmax − one-hot)/bs computed here by hand; earlier cells get
//! only what flows back through the recurrence, so it fades to the left edge.

use batchscope::data::batcher::{BatchConfig, Scheme};
use batchscope::data::corpus::{Corpus, TokenLevel};
use batchscope::nn::lstm::LstmState;
use batchscope::nn::model::{Model, ModelConfig};
use batchscope::nn::optimizer::OptimizerConfig;
use batchscope::training::trainer::Trainer;

const CONFIG: ModelConfig = ModelConfig {
    vocab: 11,
    embed: 5,
    hidden: 8,
    layers: 2,
};

/// Deterministic token ids in 0..vocab (no rng dependency in the test).
fn ids(n: usize, salt: u64) -> Vec<u32> {
    let mut s = salt
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 33) % CONFIG.vocab as u64) as u32
        })
        .collect()
}

/// ‖decoderᵀ · (softmax − one-hot)/bs‖ over the last step's bs rows, in f64.
fn last_step_norm_by_hand(
    model: &Model<f64>,
    input: &[u32],
    target: &[u32],
    seq_len: usize,
    bs: usize,
) -> f64 {
    let (v, h) = (CONFIG.vocab, CONFIG.hidden);
    let start = LstmState::zeros(&CONFIG.lstm(), bs);
    let (logits, _) = model.logits(input, seq_len, bs, &start);
    let w = &model.params[CONFIG.decoder_offset()..CONFIG.decoder_offset() + v * h];
    let mut sum = 0.0;
    for b in 0..bs {
        let r = (seq_len - 1) * bs + b;
        let row = &logits[r * v..(r + 1) * v];
        let max = row.iter().cloned().fold(f64::MIN, f64::max);
        let z: f64 = row.iter().map(|&x| (x - max).exp()).sum();
        let dlogit =
            |k: usize| ((row[k] - max).exp() / z - f64::from(k == target[r] as usize)) / bs as f64;
        for j in 0..h {
            let dh: f64 = (0..v).map(|k| dlogit(k) * w[k * h + j]).sum();
            sum += dh * dh;
        }
    }
    sum.sqrt()
}

#[test]
fn last_cell_matches_the_decoder_gradient_and_earlier_cells_fade() {
    let (seq_len, bs) = (30, 3);
    let model = Model::<f64>::init(CONFIG, 5);
    let (input, target) = (ids(seq_len * bs, 1), ids(seq_len * bs, 2));
    let start = LstmState::zeros(&CONFIG.lstm(), bs);
    let (_, cache) = model.forward(&input, &target, seq_len, bs, &start);
    let mut grads = model.backward(&cache);
    let (full_norms, params) = (grads.cell_grad_norms.clone(), grads.params.clone());
    model.last_loss_backward_into(&cache, &mut grads);
    let norms = &grads.last_loss_grad_norms;
    assert_eq!(norms.len(), seq_len);
    // The extra pass leaves the training gradients alone.
    assert_eq!(grads.cell_grad_norms, full_norms);
    assert_eq!(grads.params, params);
    let expected = last_step_norm_by_hand(&model, &input, &target, seq_len, bs);
    let got = norms[seq_len - 1];
    assert!(
        (got - expected).abs() <= 1e-12 * expected,
        "{got} vs {expected}"
    );
    assert!(norms.iter().all(|&n| n > 0.0 && n.is_finite()), "{norms:?}");
    assert!(norms[0] < norms[seq_len - 1], "no fading: {norms:?}");
}

#[test]
fn a_one_step_window_gives_the_full_loss_norm() {
    let bs = 4;
    let model = Model::<f64>::init(CONFIG, 9);
    let (input, target) = (ids(bs, 3), ids(bs, 4));
    let start = LstmState::zeros(&CONFIG.lstm(), bs);
    let (_, cache) = model.forward(&input, &target, 1, bs, &start);
    let mut grads = model.backward(&cache);
    model.last_loss_backward_into(&cache, &mut grads);
    let (last, full) = (grads.last_loss_grad_norms[0], grads.cell_grad_norms[0]);
    assert_eq!(grads.last_loss_grad_norms.len(), 1);
    assert!((last - full).abs() <= 1e-14 * full, "{last} vs {full}");
}

#[test]
fn the_trainer_reports_one_fading_value_per_cell() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/prose.txt"
    ))
    .unwrap();
    let corpus = Corpus::from_documents(&[text], TokenLevel::Char).unwrap();
    let config = ModelConfig {
        vocab: corpus.vocab_size(),
        embed: 16,
        hidden: 32,
        layers: 1,
    };
    let batch = BatchConfig {
        bs: 8,
        bptt: 40,
        scheme: Scheme::Pytorch,
        seed: 1,
    };
    let mut t: Trainer = Trainer::new(
        &corpus,
        Model::init(config, 7),
        batch,
        OptimizerConfig::adam(0.01),
        Some(1.0),
    )
    .unwrap();
    let r = t.step().unwrap();
    let n = &r.last_loss_grad_norms;
    assert_eq!((r.seq_len, n.len()), (40, 40));
    assert!(n.iter().all(|&x| x > 0.0 && x.is_finite()), "{n:?}");
    assert!(n[0] < n[39], "no fading: {n:?}");
    eprintln!(
        "40-cell window, step 1: first {:.3e}, middle (t=20) {:.3e}, last {:.3e}; full-loss cells {:.3e}..{:.3e}",
        n[0], n[20], n[39], r.cell_grad_norms[0], r.cell_grad_norms[39]
    );
}

#[test]
fn turning_the_extra_pass_off_empties_its_norms_and_changes_nothing_else() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/prose.txt"
    ))
    .unwrap();
    let corpus = Corpus::from_documents(&[text], TokenLevel::Char).unwrap();
    let config = ModelConfig {
        vocab: corpus.vocab_size(),
        embed: 16,
        hidden: 32,
        layers: 2,
    };
    let batch = BatchConfig {
        bs: 8,
        bptt: 30,
        scheme: Scheme::Pytorch,
        seed: 1,
    };
    let new = || -> Trainer {
        Trainer::new(
            &corpus,
            Model::init(config, 7),
            batch,
            OptimizerConfig::adam(0.01),
            Some(1.0),
        )
        .unwrap()
    };
    let (mut with, mut without) = (new(), new());
    without.set_last_loss_norms(false);
    for _ in 0..3 {
        let (a, b) = (with.step().unwrap(), without.step().unwrap());
        assert_eq!(a.last_loss_grad_norms.len(), 30);
        assert!(b.last_loss_grad_norms.is_empty());
        assert_eq!((a.loss, a.grad_norm), (b.loss, b.grad_norm));
        assert_eq!(a.cell_grad_norms, b.cell_grad_norms);
    }
    assert_eq!(with.model.params, without.model.params);
}
