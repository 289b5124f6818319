#![cfg(not(target_arch = "wasm32"))]
//! `batchscope train` and `batchscope sample` as a user runs them: the JSON
//! lines, several bs values, --init from a PyTorch file (and its errors),
//! --save then sample, divergence and bs 0.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn batchscope(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_batchscope"))
        .args(args)
        .output()
        .expect("run batchscope");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn fixture(path: &str) -> String {
    format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn temp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-train");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// `batchscope train` for one step from the init file `init`: (success, stderr).
fn train_one_step_from(corpus: &str, init: &std::path::Path) -> (bool, String) {
    let (ok, _, err) = batchscope(&[
        "train",
        "--corpus",
        corpus,
        "--bs",
        "4",
        "--bptt",
        "7",
        "--steps",
        "1",
        "--init",
        init.to_str().unwrap(),
    ]);
    (ok, err)
}

/// The `init` weights and the text of a PyTorch fixture, as files.
fn pytorch_case(name: &str) -> (Value, String, String) {
    let case: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture(&format!("lstm/{name}.json"))).unwrap(),
    )
    .unwrap();
    let init = temp(&format!("{name}-init.json"));
    std::fs::write(&init, case["init"].to_string()).unwrap();
    let corpus = temp(&format!("{name}.txt"));
    std::fs::write(&corpus, case["text"].as_str().unwrap()).unwrap();
    (
        case,
        init.to_string_lossy().into(),
        corpus.to_string_lossy().into(),
    )
}

#[test]
fn train_from_pytorch_init_prints_pytorchs_losses_as_json_lines() {
    let (case, init, corpus) = pytorch_case("l2_sgd");
    let (bs, bptt, lr, clip) = (
        case["bs"].to_string(),
        case["bptt"].to_string(),
        case["lr"].to_string(),
        case["clip"].to_string(),
    );
    let (ok, out, err) = batchscope(&[
        "train",
        "--corpus",
        &corpus,
        "--bs",
        &bs,
        "--bptt",
        &bptt,
        "--optimizer",
        "sgd",
        "--lr",
        &lr,
        "--clip",
        &clip,
        "--epochs",
        "2",
        "--init",
        &init,
    ]);
    assert!(ok, "{err}");
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let want = case["steps"].as_array().unwrap();
    assert_eq!(lines.len(), want.len());
    for (k, (line, want)) in lines.iter().zip(want).enumerate() {
        let keys: Vec<&str> = line
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), 8, "{line}");
        for key in [
            "bs",
            "step",
            "start",
            "seq_len",
            "loss",
            "grad_norm",
            "tokens_seen",
            "ms",
        ] {
            assert!(line.get(key).is_some(), "missing {key} in {line}");
        }
        assert_eq!(line["step"], k + 1);
        assert_eq!(line["start"], want["start"]);
        let (got, pt) = (
            line["loss"].as_f64().unwrap(),
            want["loss"].as_f64().unwrap(),
        );
        assert!(
            (got - pt).abs() / pt < 1e-4,
            "step {k}: {got} vs PyTorch {pt}"
        );
    }
}

#[test]
fn several_bs_values_make_one_tagged_run_each_and_save_then_sample_works() {
    let prose = fixture("prose.txt");
    let save = temp("run.json");
    let save = save.to_str().unwrap();
    let (ok, out, err) = batchscope(&[
        "train", "--corpus", &prose, "--bs", "4,8", "--bptt", "20", "--hidden", "16", "--embed",
        "8", "--steps", "3", "--save", save,
    ]);
    assert!(ok, "{err}");
    let tags: Vec<u64> = out
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["bs"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(tags, [4, 4, 4, 8, 8, 8]);
    let model = save.replace("run.json", "run-bs8.json");
    let sample = || {
        batchscope(&[
            "sample",
            "--model",
            &model,
            "--primer",
            "The ",
            "--len",
            "40",
            "--temperature",
            "0.8",
        ])
    };
    let (ok, text, err) = sample();
    assert!(ok, "{err}");
    assert!(
        text.starts_with("The ") && text.trim_end().chars().count() >= 20,
        "{text}"
    );
    let (_, again, _) = sample();
    assert_eq!(text, again, "sampling is seeded");
}

#[test]
fn an_init_file_with_a_wrong_name_or_shape_is_a_clear_error() {
    let (case, _, corpus) = pytorch_case("l1_sgd");
    let mut renamed = case["init"].clone();
    let weight = renamed
        .as_object_mut()
        .unwrap()
        .remove("rnn.weight_hh_l0")
        .unwrap();
    renamed
        .as_object_mut()
        .unwrap()
        .insert("lstm.weight_hh_l0".into(), weight);
    let bad = temp("renamed.json");
    std::fs::write(&bad, renamed.to_string()).unwrap();
    let (ok, err) = train_one_step_from(&corpus, &bad);
    assert!(!ok);
    assert!(err.contains("rnn.weight_hh_l0"), "{err}");

    let mut reshaped = case["init"].clone();
    let rows = reshaped["decoder.weight"].as_array_mut().unwrap();
    for row in rows.iter_mut() {
        row.as_array_mut().unwrap().pop();
    }
    let bad = temp("reshaped.json");
    std::fs::write(&bad, reshaped.to_string()).unwrap();
    let (ok, err) = train_one_step_from(&corpus, &bad);
    assert!(!ok);
    assert!(
        err.contains("decoder.weight") && err.contains("[23, 7]") && err.contains("[23, 8]"),
        "{err}"
    );

    let (ok, _, err) = batchscope(&[
        "train",
        "--corpus",
        &fixture("prose.txt"),
        "--bs",
        "4",
        "--bptt",
        "7",
        "--steps",
        "1",
        "--init",
        &temp("l1_sgd-init.json").to_string_lossy(),
    ]);
    assert!(!ok);
    assert!(err.contains("vocabulary"), "{err}");
}

#[test]
fn divergence_and_bs_zero_stop_with_one_clear_line() {
    let prose = fixture("prose.txt");
    let (ok, out, err) = batchscope(&[
        "train",
        "--corpus",
        &prose,
        "--bs",
        "8",
        "--bptt",
        "20",
        "--hidden",
        "16",
        "--optimizer",
        "sgd",
        "--lr",
        "1e38",
        "--clip",
        "0",
        "--steps",
        "30",
    ]);
    assert!(!ok);
    assert!(err.contains("diverged") && err.contains("--lr"), "{err}");
    assert!(
        out.lines()
            .all(|l| !l.contains("NaN") && !l.contains("null")),
        "{out}"
    );
    let (ok, _, err) = batchscope(&[
        "train", "--corpus", &prose, "--bs", "0", "--bptt", "20", "--steps", "1",
    ]);
    assert!(!ok);
    assert!(err.contains("bs = 0"), "{err}");
}
