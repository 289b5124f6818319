#![cfg(not(target_arch = "wasm32"))]
//! batchscope against PyTorch (float64 runs recorded by
//! tests/fixtures/gen_lstm_fixtures.py): from the same initial weights, on
//! the same char-level corpus batched by our own LmBatcher (scheme pytorch),
//! every step's window, loss and gradient norm (SGD or Adam, clipping, hidden
//! carried and detached, a last partial batch, a second epoch from zero
//! state), and every gradient of the first step, with ‖dL/dh_t‖ per
//! unrolled cell (what the page shades).

use batchscope::data::batcher::{BatchConfig, Scheme};
use batchscope::data::corpus::{Corpus, TokenLevel};
use batchscope::nn::float::Float;
use batchscope::nn::lstm::LstmState;
use batchscope::nn::model::Model;
use batchscope::nn::optimizer::{OptimizerConfig, OptimizerKind};
use batchscope::nn::state_dict;
use batchscope::training::trainer::Trainer;
use serde_json::Value;

const CASES: [&str; 3] = ["l1_sgd", "l2_sgd", "l1_adam"];

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/lstm/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture file"))
        .expect("fixture JSON")
}

fn flat(v: &Value) -> Vec<f64> {
    match v {
        Value::Array(items) => items.iter().flat_map(flat).collect(),
        other => vec![other.as_f64().expect("number")],
    }
}

fn trainer<T: Float>(case: &Value) -> Trainer<T> {
    let text = case["text"].as_str().unwrap();
    let corpus = Corpus::from_documents(&[text], TokenLevel::Char).unwrap();
    let ids: Vec<u32> = flat(&case["ids"]).iter().map(|&x| x as u32).collect();
    assert_eq!(
        corpus.stream(&[0]),
        ids,
        "our char vocabulary differs from the generator's"
    );
    let model: Model<T> = state_dict::from_json(&case["init"].to_string()).unwrap();
    let batch = BatchConfig {
        bs: case["bs"].as_u64().unwrap() as usize,
        bptt: case["bptt"].as_u64().unwrap() as usize,
        scheme: Scheme::Pytorch,
        seed: 0,
    };
    let lr = case["lr"].as_f64().unwrap();
    let optimizer = match case["optimizer"].as_str().unwrap().parse().unwrap() {
        OptimizerKind::Sgd => OptimizerConfig::sgd(lr),
        OptimizerKind::Adam => OptimizerConfig::adam(lr),
    };
    Trainer::new(&corpus, model, batch, optimizer, case["clip"].as_f64()).unwrap()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

fn check_steps<T: Float>(name: &str, tol: f64) {
    let case = fixture(name);
    let mut trainer = trainer::<T>(&case);
    let steps = case["steps"].as_array().unwrap();
    for (k, want) in steps.iter().enumerate() {
        let got = trainer.step().unwrap();
        assert_eq!(
            got.epoch as u64,
            want["epoch"].as_u64().unwrap(),
            "{name} step {k}: epoch"
        );
        assert_eq!(
            got.start as u64,
            want["start"].as_u64().unwrap(),
            "{name} step {k}: start"
        );
        assert_eq!(
            got.seq_len as u64,
            want["seq_len"].as_u64().unwrap(),
            "{name} step {k}: seq_len"
        );
        let (loss, norm) = (
            want["loss"].as_f64().unwrap(),
            want["grad_norm"].as_f64().unwrap(),
        );
        assert!(
            rel(got.loss, loss) < tol,
            "{name} step {k}: loss {} vs PyTorch {loss}",
            got.loss
        );
        assert!(
            rel(got.grad_norm, norm) < tol,
            "{name} step {k}: grad norm {} vs PyTorch {norm}",
            got.grad_norm
        );
    }
}

fn check_first_step_gradients<T: Float>(name: &str, tol: f64) {
    let case = fixture(name);
    let trainer = trainer::<T>(&case);
    let (w, batches) = (trainer.next_window(), trainer.batches());
    let bs = batches.bs();
    let model = &trainer.model;
    let start = LstmState::zeros(&model.config.lstm(), bs);
    let (_, cache) = model.forward(batches.input(&w), batches.target(&w), w.seq_len, bs, &start);
    let grads = model.backward(&cache);
    let norms = flat(&case["first_step_cell_grad_norms"]);
    assert_eq!(norms.len(), w.seq_len);
    for (t, (&g, &p)) in grads.cell_grad_norms.iter().zip(&norms).enumerate() {
        assert!(
            (g.to_f64() - p).abs() / p < tol,
            "{name}: ‖dL/dh_{t}‖ = {g} vs PyTorch {p}"
        );
    }
    for (tensor, shape, offset) in model.config.tensors() {
        let want = flat(&case["first_step_grads"][&tensor]);
        let size: usize = shape.iter().product();
        assert_eq!(want.len(), size, "{name}: {tensor} size");
        let scale = want.iter().fold(0.0f64, |m, g| m.max(g.abs()));
        for (i, (&g, &p)) in grads.params[offset..offset + size]
            .iter()
            .zip(&want)
            .enumerate()
        {
            let err = (g.to_f64() - p).abs() / scale;
            assert!(err < tol, "{name}: {tensor}[{i}] = {g} vs PyTorch {p} (error {err:e} of the tensor's largest)");
        }
    }
}

#[test]
fn steps_match_pytorch_in_f32() {
    for name in CASES {
        check_steps::<f32>(name, 1e-4);
    }
}

#[test]
fn steps_match_pytorch_in_f64() {
    for name in CASES {
        check_steps::<f64>(name, 1e-10);
    }
}

#[test]
fn every_first_step_gradient_and_cell_norm_matches_loss_backward() {
    for name in CASES {
        check_first_step_gradients::<f32>(name, 1e-4);
        check_first_step_gradients::<f64>(name, 1e-10);
    }
}

#[test]
fn saved_weights_are_the_pytorch_file_again() {
    let case = fixture("l2_sgd");
    let model: Model<f64> = state_dict::from_json(&case["init"].to_string()).unwrap();
    let again: Value = serde_json::from_str(&state_dict::to_json(&model)).unwrap();
    assert_eq!(again, case["init"]);
}
