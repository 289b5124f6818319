#![cfg(target_arch = "wasm32")]
//! The numeric core compiled to wasm32 with simd128 (the browser's build):
//! the SIMD128 matmul kernel and the f32 training step agree with the f64
//! reference. Runs in headless Chromium with the other wasm tests (`make test`),
//! once as the simd128 build and once with `--features relaxed-simd` (the
//! workers' fused multiply-add build).

use batchscope::data::batcher::{BatchConfig, Scheme};
use batchscope::data::corpus::{Corpus, TokenLevel};
use batchscope::nn::matmul::{f32_kernel_name, gemm, GemmScratch, MatRef};
use batchscope::nn::model::{Model, ModelConfig};
use batchscope::nn::optimizer::OptimizerConfig;
use batchscope::nn::rng::Rng;
use batchscope::training::trainer::Trainer;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A rows × cols operand; `transposed` = stored as cols × rows.
fn view<T: Copy>(data: &[T], rows: usize, cols: usize, transposed: bool) -> MatRef<'_, T> {
    if transposed {
        MatRef::new(data, cols, rows).t()
    } else {
        MatRef::new(data, rows, cols)
    }
}

// A wasm build without simd128 (`.cargo/config.toml` unread) is no build of ours.
#[cfg(not(target_feature = "simd128"))]
compile_error!("the wasm build must enable simd128");

#[wasm_bindgen_test]
fn simd128_products_match_f64_for_all_three_shapes() {
    // `--features relaxed-simd` tests the workers' other build.
    let kernel = if cfg!(feature = "relaxed-simd") {
        "relaxed SIMD"
    } else {
        "simd128"
    };
    assert_eq!(f32_kernel_name(), kernel);
    let mut rng = Rng::new(3);
    for &(m, k, n) in &[(64, 128, 512), (13, 300, 33), (5, 7, 3)] {
        let a: Vec<f64> = (0..m * k).map(|_| rng.uniform_range(-1.0, 1.0)).collect();
        let b: Vec<f64> = (0..k * n).map(|_| rng.uniform_range(-1.0, 1.0)).collect();
        let (a32, b32): (Vec<f32>, Vec<f32>) = (
            a.iter().map(|&x| x as f32).collect(),
            b.iter().map(|&x| x as f32).collect(),
        );
        let shapes = [(false, false), (false, true), (true, false)];
        for (ta, tb) in shapes {
            let mut want = vec![0.0; m * n];
            gemm(
                &mut want,
                n,
                view(&a, m, k, ta),
                view(&b, k, n, tb),
                false,
                &mut GemmScratch::default(),
            );
            let mut got = vec![0f32; m * n];
            gemm(
                &mut got,
                n,
                view(&a32, m, k, ta),
                view(&b32, k, n, tb),
                false,
                &mut GemmScratch::default(),
            );
            for (g, w) in got.iter().zip(&want) {
                assert!(
                    (*g as f64 - w).abs() < 1e-4 * (k as f64).sqrt(),
                    "{m}×{k}×{n} {ta} {tb}: {g} vs {w}"
                );
            }
        }
    }
}

#[wasm_bindgen_test]
fn f32_training_steps_match_the_f64_reference() {
    let text = "the quick brown fox jumps over the lazy dog while the cat sleeps by the warm fire at night";
    let corpus = Corpus::from_documents(&[text], TokenLevel::Char).unwrap();
    let config = ModelConfig {
        vocab: corpus.vocab_size(),
        embed: 8,
        hidden: 24,
        layers: 2,
    };
    let batch = BatchConfig {
        bs: 4,
        bptt: 9,
        scheme: Scheme::Pytorch,
        seed: 0,
    };
    let model = Model::<f64>::init(config, 5);
    let mut exact = Trainer::new(
        &corpus,
        model.clone(),
        batch,
        OptimizerConfig::adam(0.01),
        Some(0.5),
    )
    .unwrap();
    let mut fast = Trainer::new(
        &corpus,
        model.cast::<f32>(),
        batch,
        OptimizerConfig::adam(0.01),
        Some(0.5),
    )
    .unwrap();
    for _ in 0..6 {
        let (e, f) = (exact.step().unwrap(), fast.step().unwrap());
        assert!(
            (e.loss - f.loss).abs() / e.loss < 1e-4,
            "loss {} vs {}",
            f.loss,
            e.loss
        );
        assert!(
            (e.grad_norm - f.grad_norm).abs() / e.grad_norm < 1e-3,
            "grad norm {} vs {}",
            f.grad_norm,
            e.grad_norm
        );
    }
}
