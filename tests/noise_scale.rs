#![cfg(not(target_arch = "wasm32"))]
//! The gradient noise scale against PyTorch (float64 values recorded by
//! tests/fixtures/gen_noise_fixtures.py from the same initial weights): every
//! example's loss and gradient norm, and |G|², tr Σ and B_simple to 1e-4
//! relative in f32 (1e-12 in f64); the sampled estimate within ±25% of the
//! exact values for several seeds; and `batchscope noise` as a user runs it.

use batchscope::data::corpus::{Corpus, TokenLevel};
use batchscope::nn::float::Float;
use batchscope::nn::model::{Model, ModelConfig};
use batchscope::nn::state_dict;
use batchscope::training::noise_scale::{
    default_samples, exact, sampled, ExampleGradients, LmExamples, NoiseScale,
};
use serde_json::Value;
use std::process::Command;

const CASES: [&str; 3] = ["char_h16", "char_2layers", "word_h12"];

fn fixture_path(file: &str) -> String {
    format!("{}/tests/fixtures/noise/{file}", env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture_path(&format!("{name}.json"))).expect("fixture");
    serde_json::from_str(&text).expect("fixture JSON")
}

fn corpus(case: &Value) -> Corpus {
    let level: TokenLevel = case["tokens"].as_str().unwrap().parse().unwrap();
    let corpus = Corpus::from_documents(&[case["text"].as_str().unwrap()], level).unwrap();
    let ids: Vec<u32> = case["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as u32)
        .collect();
    assert_eq!(
        corpus.stream(&[0]),
        ids,
        "our tokens differ from the generator's"
    );
    corpus
}

fn usize_of(case: &Value, key: &str) -> usize {
    case[key].as_u64().unwrap() as usize
}

fn rel(got: f64, want: f64) -> f64 {
    (got - want).abs() / want.abs()
}

/// Max relative error of every example's loss and gradient norm, and of the
/// three noise quantities, in precision T.
fn against_pytorch<T: Float>(case: &Value) -> (f64, f64) {
    let corpus = corpus(case);
    let model: Model<T> = state_dict::from_json(&case["init"].to_string()).unwrap();
    let (bs, bptt) = (usize_of(case, "bs"), usize_of(case, "bptt"));
    let mut examples = LmExamples::new(&model, &corpus, bs, bptt, 0).unwrap();
    assert_eq!(examples.examples(), usize_of(case, "examples"));
    let mut per_example: f64 = 0.0;
    for (e, (loss, norm)) in case["losses"]
        .as_array()
        .unwrap()
        .iter()
        .zip(case["grad_norms"].as_array().unwrap())
        .enumerate()
    {
        per_example = per_example.max(rel(examples.loss(e), loss.as_f64().unwrap()));
        let g = examples.gradient(e);
        let got = g.iter().map(|x| x.to_f64().powi(2)).sum::<f64>().sqrt();
        per_example = per_example.max(rel(got, norm.as_f64().unwrap()));
    }
    let noise = exact(&mut examples);
    assert_eq!(noise.examples, usize_of(case, "examples"));
    let quantities = [
        rel(noise.grad_sq, case["grad_sq"].as_f64().unwrap()),
        rel(noise.trace, case["trace"].as_f64().unwrap()),
        rel(noise.b_simple.unwrap(), case["b_simple"].as_f64().unwrap()),
    ];
    (per_example, quantities.into_iter().fold(0.0, f64::max))
}

#[test]
fn exact_noise_scale_equals_pytorch() {
    for name in CASES {
        let case = fixture(name);
        let (examples32, noise32) = against_pytorch::<f32>(&case);
        let (examples64, noise64) = against_pytorch::<f64>(&case);
        println!(
            "{name}: max rel error f32 examples {examples32:.1e}, noise {noise32:.1e}; f64 {examples64:.1e}, {noise64:.1e}"
        );
        assert!(
            examples32 < 1e-4 && noise32 < 1e-4,
            "{name} f32: {examples32:e} {noise32:e}"
        );
        assert!(
            examples64 < 1e-12 && noise64 < 1e-12,
            "{name} f64: {examples64:e} {noise64:e}"
        );
    }
}

fn worst_error(est: &NoiseScale, truth: &NoiseScale) -> f64 {
    [
        rel(est.grad_sq, truth.grad_sq),
        rel(est.trace, truth.trace),
        rel(
            est.b_simple.unwrap_or(f64::INFINITY),
            truth.b_simple.unwrap(),
        ),
    ]
    .into_iter()
    .fold(0.0, f64::max)
}

#[test]
fn default_estimate_lands_within_a_quarter_of_exact() {
    for name in CASES {
        let case = fixture(name);
        let corpus = corpus(&case);
        let model: Model<f32> = state_dict::from_json(&case["init"].to_string()).unwrap();
        let (bs, bptt) = (usize_of(&case, "bs"), usize_of(&case, "bptt"));
        let mut examples = LmExamples::new(&model, &corpus, bs, bptt, 0).unwrap();
        let truth = exact(&mut examples);
        let errors: Vec<f64> = (0..10)
            .map(|seed| {
                let batch = bs.max(2);
                let est = sampled(&mut examples, batch, default_samples(batch), seed);
                assert_eq!(est.examples, truth.examples);
                worst_error(&est, &truth)
            })
            .collect();
        println!("{name}: worst relative error of |G|², tr Σ, B_simple per seed {errors:.3?}");
        assert!(errors.iter().all(|&e| e < 0.25), "{name}: {errors:?}");
    }
}

fn batchscope(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_batchscope"))
        .args(args)
        .output()
        .expect("run batchscope");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// The fixture's initial weights as a file for --init.
fn init_file(name: &str, case: &Value) -> String {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("noise");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-init.json"));
    std::fs::write(&path, case["init"].to_string()).unwrap();
    path.to_str().unwrap().to_string()
}

fn one_line(stdout: &str) -> NoiseLine {
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one JSON line: {stdout}");
    let v: Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(v.as_object().unwrap().len(), 4, "{stdout}");
    // The documented key order (serde_json's Value would sort the keys).
    let at: Vec<usize> = ["examples", "grad_sq", "trace", "b_simple"]
        .iter()
        .map(|key| lines[0].find(&format!("\"{key}\":")).expect(key))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{stdout}");
    NoiseLine {
        examples: v["examples"].as_u64().unwrap() as usize,
        grad_sq: v["grad_sq"].as_f64().unwrap(),
        trace: v["trace"].as_f64().unwrap(),
        b_simple: v["b_simple"].as_f64().unwrap(),
    }
}

struct NoiseLine {
    examples: usize,
    grad_sq: f64,
    trace: f64,
    b_simple: f64,
}

#[test]
fn cli_exact_and_estimate_from_pytorch_weights() {
    let case = fixture("char_h16");
    let init = init_file("char_h16", &case);
    let corpus = fixture_path("char_h16.txt");
    let base = [
        "noise", "--corpus", &corpus, "--bs", "4", "--bptt", "10", "--init", &init,
    ];
    let (code, out, err) = batchscope(&[&base[..], &["--exact"]].concat());
    assert_eq!(code, 0, "{err}");
    let line = one_line(&out);
    assert_eq!(line.examples, 64);
    for (got, key) in [
        (line.grad_sq, "grad_sq"),
        (line.trace, "trace"),
        (line.b_simple, "b_simple"),
    ] {
        let want = case[key].as_f64().unwrap();
        assert!(rel(got, want) < 1e-4, "{key}: {got} vs PyTorch {want}");
    }
    // The estimate: within a quarter, and the same for the same seed.
    let (code, out, err) = batchscope(&[&base[..], &["--seed", "3"]].concat());
    assert_eq!(code, 0, "{err}");
    let est = one_line(&out);
    assert_eq!(est.examples, 64);
    assert!(
        rel(est.b_simple, case["b_simple"].as_f64().unwrap()) < 0.25,
        "{out}"
    );
    assert_eq!(batchscope(&[&base[..], &["--seed", "3"]].concat()).1, out);
    assert_ne!(batchscope(&[&base[..], &["--seed", "4"]].concat()).1, out);
}

#[test]
fn cli_seeded_model_is_trains_model() {
    // Without --init the model is Model::init(sizes, seed), as `train` makes it.
    let corpus_file = fixture_path("char_h16.txt");
    let (code, out, err) = batchscope(&[
        "noise",
        "--corpus",
        &corpus_file,
        "--bs",
        "4",
        "--bptt",
        "10",
        "--hidden",
        "16",
        "--seed",
        "7",
        "--exact",
    ]);
    assert_eq!(code, 0, "{err}");
    let line = one_line(&out);
    let text = std::fs::read_to_string(&corpus_file).unwrap();
    let corpus = Corpus::from_documents(&[text], TokenLevel::Char).unwrap();
    let config = ModelConfig {
        vocab: corpus.vocab_size(),
        embed: 32,
        hidden: 16,
        layers: 1,
    };
    let model: Model<f32> = Model::init(config, 7);
    let want = exact(&mut LmExamples::new(&model, &corpus, 4, 10, 7).unwrap());
    assert_eq!(line.examples, want.examples);
    assert!(rel(line.grad_sq, want.grad_sq) < 1e-12 && rel(line.trace, want.trace) < 1e-12);
}

#[test]
fn cli_errors_are_one_line_with_status_2() {
    let corpus = fixture_path("char_h16.txt");
    let case = fixture("word_h12");
    let word_init = init_file("word_h12", &case);
    for (args, says) in [
        (vec!["--bptt", "10"], "not provided: --bs"),
        (vec!["--bs", "4"], "not provided: --bptt"),
        (
            vec!["--bs", "4", "--bptt", "10", "--scheme", "fastai-v2"],
            "use --scheme pytorch",
        ),
        (
            vec!["--bs", "4", "--bptt", "10", "--scheme", "nope"],
            "invalid value 'nope' for '--scheme",
        ),
        (
            vec!["--bs", "4", "--bptt", "10", "--samples", "0"],
            "'--samples <N>': must be at least 1",
        ),
        (
            vec!["--bs", "4", "--bptt", "10", "--exact", "--samples", "9"],
            "'--exact' cannot be used with '--samples",
        ),
        (vec!["--bs", "400", "--bptt", "10"], "bs = 400"),
        (vec!["--bs", "4", "--bptt", "0"], "bptt = 0"),
        (
            vec!["--bs", "4", "--bptt", "10", "--init", &word_init],
            "vocabulary",
        ),
        (
            vec!["--bs", "4", "--bptt", "10", "--lr", "1"],
            "unexpected argument '--lr'",
        ),
    ] {
        let argv = [&["noise", "--corpus", &corpus][..], &args].concat();
        let (code, out, err) = batchscope(&argv);
        assert_eq!(code, 2, "{argv:?}: {err}");
        assert!(out.is_empty(), "{argv:?}: {out}");
        assert_eq!(err.lines().count(), 1, "{argv:?}: {err}");
        assert!(err.contains(says), "{argv:?}: `{err}` should say `{says}`");
    }
    let (code, out, _) = batchscope(&["noise", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("b_simple = trace / grad_sq") && out.contains("(N−B)/(B(N−1))"));
}
