#![cfg(not(target_arch = "wasm32"))]
//! `batchscope batches` run as a real process: JSON lines on success, one line
//! on stderr and a non-zero exit (never a panic) on bad input.

mod cli_support;

use cli_support::{fails, run, stdout, temp_file};
use serde_json::Value;

const TEXT: &str = "The boats came in at dusk.\nNets were hung to dry on the wall.\n"; // 62 chars

#[test]
fn json_lines_header_then_one_line_per_batch() {
    let corpus = temp_file("boats.txt", TEXT.as_bytes());
    let out = stdout(&run(&[
        "batches", "--corpus", &corpus, "--bs", "4", "--bptt", "5", "--epochs", "2",
    ]));
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let header = &lines[0];
    let keys: Vec<&str> = out
        .lines()
        .next()
        .unwrap()
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect();
    assert_eq!(
        keys,
        [
            "tokens",
            "vocab",
            "bs",
            "rows",
            "dropped",
            "batches_per_epoch"
        ]
    );
    // 62 tokens / 4 = 15 rows, 2 dropped; ⌈14/5⌉ = 3 batches.
    assert_eq!(header["tokens"], 62);
    assert_eq!(header["bs"], 4);
    assert_eq!(header["rows"], 15);
    assert_eq!(header["dropped"], 2);
    assert_eq!(header["batches_per_epoch"], 3);
    let vocab = TEXT
        .chars()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    assert_eq!(header["vocab"], vocab);
    let batches: Vec<(u64, u64, u64, u64)> = lines[1..]
        .iter()
        .map(|b| {
            (
                b["epoch"].as_u64().unwrap(),
                b["index"].as_u64().unwrap(),
                b["start"].as_u64().unwrap(),
                b["seq_len"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        batches,
        [
            (0, 0, 0, 5),
            (0, 1, 5, 5),
            (0, 2, 10, 4),
            (1, 0, 0, 5),
            (1, 1, 5, 5),
            (1, 2, 10, 4)
        ]
    );
}

#[test]
fn schemes_tokens_and_seed_are_honoured() {
    let a = temp_file(
        "a.txt",
        "one two three four five six seven eight nine ten.\n"
            .repeat(20)
            .as_bytes(),
    );
    let b = temp_file("b.txt", TEXT.as_bytes());
    let base = [
        "batches", "--corpus", &a, &b, "--bs", "3", "--bptt", "8", "--tokens", "word",
    ];
    let with = |extra: &[&str]| stdout(&run(&[&base[..], extra].concat()));
    let header: Value = serde_json::from_str(with(&[]).lines().next().unwrap()).unwrap();
    // 20 × (10 words, ".", newline), 1 separator, 18 tokens in TEXT.
    assert_eq!(header["tokens"], 20 * 12 + 1 + 18);
    let v07 = with(&["--scheme", "fastai-v0.7", "--seed", "3"]);
    assert_eq!(v07, with(&["--scheme", "fastai-v0.7", "--seed", "3"]));
    assert_ne!(v07, with(&["--scheme", "fastai-v0.7", "--seed", "4"]));
    let v07_header: Value = serde_json::from_str(v07.lines().next().unwrap()).unwrap();
    // fastai's own len() is rows // bptt - 1; the count is what epoch 0 yields.
    assert_eq!(v07_header["fastai_len"], 86 / 8 - 1);
    assert_eq!(v07_header["batches_per_epoch"], v07.lines().count() - 1);
    assert!(with(&["--scheme", "fastai-v2"]).lines().count() > 1);
}

#[test]
fn every_loader_prints_its_own_shape_and_rows() {
    // 62 tokens, bs 4, bptt 5.
    let corpus = temp_file("loaders.txt", TEXT.as_bytes());
    let batches = |scheme: &str, extra: &[&str]| {
        let base = [
            "batches", "--corpus", &corpus, "--bs", "4", "--bptt", "5", "--scheme", scheme,
        ];
        stdout(&run(&[&base[..], extra].concat()))
    };
    let shape = |scheme: &str, keys: &[&str]| -> Vec<Option<u64>> {
        let header: Value =
            serde_json::from_str(batches(scheme, &[]).lines().next().unwrap()).unwrap();
        keys.iter().map(|k| header[k].as_u64()).collect()
    };
    let keys = ["rows", "dropped", "batches_per_epoch", "blocks"];
    // fastai 2: bl = 61 // 4 = 15, ⌈15/5⌉ = 3 batches, 62 − 1 − 60 = 1 dropped.
    assert_eq!(
        shape("fastai-v2", &keys),
        [Some(15), Some(1), Some(3), None]
    );
    // fastai 1: ⌈62/20⌉ = 4 batches of 5, nothing dropped.
    assert_eq!(
        shape("fastai-v1", &keys),
        [Some(20), Some(0), Some(4), None]
    );
    // Hugging Face: 12 blocks of 5, 2 dropped, ⌈12/4⌉ = 3 batches.
    assert_eq!(
        shape("hf-blocks", &keys),
        [Some(5), Some(2), Some(3), Some(12)]
    );

    let show = batches("hf-blocks", &["--show", "0"]);
    let lines: Vec<&str> = show.lines().collect();
    assert_eq!(lines.len(), 1 + 4, "{show}");
    assert!(lines[0].contains("of 4 blocks, seq_len 4"), "{}", lines[0]);
    assert!(lines[1].starts_with("row 0 (block "), "{}", lines[1]);
    let v1_show = batches("fastai-v1", &["--show", "0"]);
    assert!(
        v1_show
            .lines()
            .nth(4)
            .unwrap()
            .starts_with("stream 3  input: "),
        "{v1_show}"
    );
    assert!(fails(&[
        "batches",
        "--corpus",
        &corpus,
        "--bs",
        "4",
        "--bptt",
        "1",
        "--scheme",
        "hf-blocks"
    ])
    .contains("Use bptt ≥ 2"));
}

#[test]
fn show_prints_one_line_per_stream_with_visible_newlines() {
    let corpus = temp_file("show.txt", TEXT.as_bytes());
    let out = stdout(&run(&[
        "batches", "--corpus", &corpus, "--bs", "4", "--bptt", "5", "--show", "2",
    ]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1 + 4, "{out}");
    assert!(
        lines[0].contains("batch 2") && lines[0].contains("seq_len 4"),
        "{}",
        lines[0]
    );
    // Streams are chars [0,15) "The boats came ", [15,30) "in at dusk.\nNet", …;
    // batch 2 reads rows 10..14 and predicts rows 11..15.
    assert_eq!(lines[1], "stream 0  input: came  target: ame·");
    assert_eq!(lines[2], "stream 1  input: .⏎Ne  target: ⏎Net");
    let msg = fails(&[
        "batches", "--corpus", &corpus, "--bs", "4", "--bptt", "5", "--show", "3",
    ]);
    assert!(msg.contains("only 3 batches"), "{msg}");
}

#[test]
fn help_lists_the_verb_and_its_options() {
    let top = stdout(&run(&["--help"]));
    assert!(top.contains("batches"));
    let verb = stdout(&run(&["batches", "--help"]));
    for option in [
        "--corpus", "--bs", "--bptt", "--scheme", "--tokens", "--seed", "--epochs", "--show",
    ] {
        assert!(verb.contains(option), "{option} missing from help");
    }
}

#[test]
fn bad_arguments_give_one_line_and_a_non_zero_exit() {
    let good = temp_file("good.txt", TEXT.as_bytes());
    let binary = temp_file("binary.bin", b"abc\0def");
    let latin1 = temp_file("latin1.txt", b"caf\xe9 au lait");
    let empty = temp_file("empty.txt", b"");
    let missing = format!("{}/no-such-file.txt", env!("CARGO_TARGET_TMPDIR"));
    let run_with = |corpus: &str, bs: &str, bptt: &str| {
        fails(&["batches", "--corpus", corpus, "--bs", bs, "--bptt", bptt])
    };

    assert!(run_with(&good, "0", "5").contains("bs = 0"));
    let too_big = run_with(&good, "100", "5");
    assert!(
        too_big.contains("bs = 100 is larger than the corpus (62 tokens)")
            && too_big.contains("bs ≤ 31"),
        "{too_big}"
    );
    assert!(run_with(&good, "40", "5").contains("leaves 1 row per stream"));
    assert!(run_with(&good, "4", "0").contains("bptt = 0"));
    assert!(run_with(&missing, "4", "5").contains("no such file"));
    assert!(run_with(&binary, "4", "5").contains("binary"));
    assert!(run_with(&latin1, "4", "5").contains("not UTF-8"));
    assert!(run_with(&empty, "4", "5").contains("empty"));
    assert!(run_with(&good, "-1", "5").contains("--bs"));
    assert!(fails(&["batches", "--bs", "4", "--bptt", "5"]).contains("--corpus"));
    assert!(fails(&["batches", "--corpus", &good, "--bptt", "5"]).contains("--bs"));
    assert!(fails(&[
        "batches", "--corpus", &good, "--bs", "4", "--bptt", "5", "--scheme", "keras"
    ])
    .contains("fastai-v0.7"));
    assert!(
        fails(&["batches", "--corpus", &good, "--bs", "4", "--bptt", "5", "--tokens", "byte"])
            .contains("[possible values: char, word]")
    );
    assert!(
        fails(&["batches", "--corpus", &good, "--bs", "4", "--bptt", "5", "--bogus"])
            .contains("unexpected argument '--bogus'")
    );
}
