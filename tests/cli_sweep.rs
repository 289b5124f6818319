#![cfg(not(target_arch = "wasm32"))]
//! `batchscope sweep` run as a real process on a tiny text: the JSON lines
//! and their order, the same output on one thread or two, no progress bar
//! when stderr is not a terminal, and one-line errors for bad arguments.

mod cli_support;

use cli_support::{fails, run, stdout, temp_file};
use serde_json::Value;

/// 338 characters, 19 distinct: a tiny corpus that a hidden-16 LSTM learns in
/// a few hundred steps.
const TEXT: &str = "the cat sat on the mat. the dog sat on the log. the cat saw the dog. \
the dog saw the cat. a cat and a dog sat on a mat and a log. the mat was red and the log was \
brown. the cat ran to the log and the dog ran to the mat. then the cat sat and the dog sat. \
the end of the cat and the dog on the mat and the log. the cat sat on the mat again.";

/// `sweep` on the tiny text with small sizes, plus `extra` arguments.
fn sweep_args<'a>(corpus: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let base = [
        "sweep",
        "--corpus",
        corpus,
        "--bptt",
        "8",
        "--embed",
        "8",
        "--hidden",
        "16",
        "--max-tokens",
        "20000",
    ];
    [&base[..], extra].concat()
}

fn lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// Asserts that `line` (raw JSON text) has exactly `keys`, in this order
/// (serde_json's `Value` sorts them, so the text is read).
fn assert_keys(line: &str, keys: &[&str]) {
    let value: Value = serde_json::from_str(line).unwrap();
    let mut sorted = keys.to_vec();
    sorted.sort_unstable();
    let object = value.as_object().unwrap();
    assert!(object.keys().eq(sorted.iter()), "{line} has not {keys:?}");
    let at: Vec<usize> = keys
        .iter()
        .map(|key| line.find(&format!("\"{key}\":")).unwrap())
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "{line}: not in order {keys:?}"
    );
}

#[test]
fn target_then_runs_then_best_lr_per_bs_then_the_fit() {
    let corpus = temp_file("tiny.txt", TEXT.as_bytes());
    // Given unsorted with a repeat: the lists are sorted and deduplicated.
    let args = sweep_args(&corpus, &["--bs", "16,1,4,4", "--lrs", "0.03,0.01"]);
    let output = run(&args);
    let out = stdout(&output);
    assert!(
        output.stderr.is_empty(),
        "no progress bar without a terminal: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text: Vec<&str> = out.lines().collect();
    let lines = lines(&out);
    assert_eq!(lines.len(), 1 + 6 + 3 + 1, "{out}");

    assert_keys(text[0], &["target_loss", "pilot"]);
    let pilot = &lines[0]["pilot"];
    assert_eq!(
        (pilot["bs"].as_u64(), pilot["lr"].as_f64()),
        (Some(4), Some(0.03))
    );
    assert!(pilot["tokens"].as_u64().unwrap() <= 20_000 / 8 + 32);

    let runs = &lines[1..7];
    let order: Vec<(u64, f64)> = runs
        .iter()
        .map(|r| (r["bs"].as_u64().unwrap(), r["lr"].as_f64().unwrap()))
        .collect();
    assert_eq!(
        order,
        [
            (1, 0.01),
            (1, 0.03),
            (4, 0.01),
            (4, 0.03),
            (16, 0.01),
            (16, 0.03)
        ]
    );
    for run in &text[1..7] {
        assert_keys(
            run,
            &["bs", "lr", "reached", "steps", "tokens", "noise_scale"],
        );
    }
    // Measured from the 4th update on, wherever a batch has two halves; at
    // small bs the averaged |G|² may still be at or below 0 (all noise), and
    // then there is no estimate yet.
    for run in runs {
        let measured = &run["noise_scale"];
        match run["bs"].as_u64() {
            Some(1) => assert!(measured.is_null(), "a batch of one has no halves: {run}"),
            Some(16) => assert!(measured.as_f64().is_some_and(|b| b > 0.0), "{run}"),
            _ => assert!(
                measured.is_null() || measured.as_f64().is_some_and(|b| b > 0.0),
                "{run}"
            ),
        }
    }
    let own = &runs[3];
    assert_eq!(
        own["reached"], true,
        "the pilot's own run reaches its target"
    );

    for (i, bs) in (7..10).zip([1, 4, 16]) {
        assert_keys(text[i], &["bs", "best_lr", "steps", "tokens"]);
        assert_eq!(lines[i]["bs"], bs);
    }
    assert_keys(text[10], &["fit"]);
    assert!(text[10].starts_with("{\"fit\":{\"s_min\":"), "{out}");
    let fit = &lines[10]["fit"];
    for key in ["s_min", "e_min", "b_crit"] {
        assert!(fit[key].as_f64().unwrap() > 0.0, "{out}");
    }
}

#[test]
fn one_thread_or_two_print_the_same() {
    let corpus = temp_file("tiny.txt", TEXT.as_bytes());
    let on = |threads: &'static str| {
        let args = sweep_args(
            &corpus,
            &[
                "--bs",
                "1,2,4",
                "--lrs",
                "0.01,0.03",
                "--target-loss",
                "1.8",
                "--threads",
                threads,
            ],
        );
        stdout(&run(&args))
    };
    let one = on("1");
    assert_eq!(on("2"), one);
    assert!(
        one.starts_with("{\"target_loss\":1.8,\"pilot\":null}\n"),
        "{one}"
    );
}

#[test]
fn an_unreached_target_gives_null_best_lrs_and_no_fit() {
    let corpus = temp_file("tiny.txt", TEXT.as_bytes());
    let mut args = sweep_args(
        &corpus,
        &["--bs", "2,4", "--lrs", "0.01", "--target-loss", "0.01"],
    );
    args[10] = "300"; // --max-tokens
    let lines = lines(&stdout(&run(&args)));
    assert!(lines[1..3].iter().all(|r| r["reached"] == false));
    assert!(lines[3..5]
        .iter()
        .all(|b| b["best_lr"].is_null() && b["steps"].is_null()));
    assert_eq!(lines[5], serde_json::json!({ "fit": null }));
}

#[test]
fn an_lr_rule_gives_each_bs_its_own_lrs() {
    let corpus = temp_file("tiny.txt", TEXT.as_bytes());
    let mut args = sweep_args(
        &corpus,
        &[
            "--bs",
            "2,8",
            "--lrs",
            "0.01,0.02",
            "--lr-rule",
            "sqrt",
            "--lr-rule-bs",
            "8",
            "--target-loss",
            "0.01",
        ],
    );
    args[10] = "300"; // --max-tokens
    let lines = lines(&stdout(&run(&args)));
    let runs: Vec<(u64, f64)> = lines[1..5]
        .iter()
        .map(|r| (r["bs"].as_u64().unwrap(), r["lr"].as_f64().unwrap()))
        .collect();
    // At bs 8 the lrs as given; at bs 2, × √(2 / 8) = ½.
    assert_eq!(runs, vec![(2, 0.005), (2, 0.01), (8, 0.01), (8, 0.02)]);
}

#[test]
fn help_explains_the_experiment_and_lists_the_options() {
    assert!(stdout(&run(&["--help"])).contains("sweep"));
    let help = stdout(&run(&["sweep", "--help"]));
    assert!(help.contains("S(b) = S_min·(1 + B_crit/b)"));
    for option in [
        "--corpus",
        "--bs",
        "--lrs",
        "--target-loss",
        "--max-tokens",
        "--threads",
        "--bptt",
        "--scheme",
        "--tokens",
        "--embed",
        "--hidden",
        "--layers",
        "--optimizer",
        "--clip",
        "--seed",
    ] {
        assert!(help.contains(option), "{option} missing from help");
    }
}

#[test]
fn bad_arguments_give_one_line_and_exit_2() {
    let corpus = temp_file("tiny.txt", TEXT.as_bytes());
    let empty = temp_file("empty.txt", b"");
    let good = ["--bs", "2,4", "--lrs", "0.01"];
    let with = |extra: &[&str]| fails(&sweep_args(&corpus, &[&good[..], extra].concat()));
    assert!(with(&["--threads", "0"]).contains("--threads"));
    assert!(with(&["--target-loss", "-1"]).contains("--target-loss"));
    assert!(with(&["--target-loss", "abc"]).contains("--target-loss"));
    assert!(with(&["--lr", "0.1"]).contains("unexpected argument '--lr'"));
    assert!(with(&["--scheme", "keras"]).contains("--scheme"));
    assert!(with(&["--optimizer", "rmsprop"]).contains("[possible values: adam, sgd]"));
    let missing = |drop: &str| {
        let mut args = sweep_args(&corpus, &good);
        let at = args.iter().position(|a| *a == drop).unwrap();
        args.drain(at..at + 2);
        fails(&args)
    };
    assert!(missing("--bptt").contains("not provided: --bptt"));
    assert!(missing("--max-tokens").contains("not provided: --max-tokens"));
    assert!(missing("--bs").contains("--bs"));
    assert!(missing("--lrs").contains("--lrs"));
    assert!(missing("--corpus").contains("--corpus"));
    let sized = |bs: &str, lrs: &str| fails(&sweep_args(&corpus, &["--bs", bs, "--lrs", lrs]));
    assert!(sized("0,2", "0.01").contains("at least 1"));
    assert!(sized("2,400", "0.01").contains("bs = 400"));
    assert!(sized("2", "0,0.01").contains("positive"));
    assert!(sized("2,x", "0.01").contains("--bs"));
    assert!(fails(&sweep_args(&empty, &good)).contains("empty"));
    let tiny = temp_file("tiny2.txt", b"abc");
    assert!(fails(&sweep_args(&tiny, &good)).contains("too few"));
}
