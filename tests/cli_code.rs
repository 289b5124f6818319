#![cfg(not(target_arch = "wasm32"))]
//! `batchscope code` run as a real process: the page's "Show code" programs
//! for the settings of a page URL, one-line errors for bad input.

mod cli_support;

use cli_support::{fails, run, stdout};

#[test]
fn each_program_for_the_settings_of_a_url() {
    let settings = "bs=16&bptt=35&scheme=pytorch&lr=0.01";
    let single = stdout(&run(&[
        "code",
        "--program",
        "pytorch",
        "--settings",
        settings,
    ]));
    assert!(single.contains("bs, bptt = 16, 35"), "{single}");
    let library = stdout(&run(&[
        "code",
        "--program",
        "library",
        "--settings",
        settings,
    ]));
    assert!(library.contains("batchify(corpus.train, 16)"), "{library}");
    let race = stdout(&run(&[
        "code",
        "--program",
        "race",
        "--settings",
        settings,
        "--runs",
        "bs=4,bs=64",
        "--lr-rule",
        "sqrt",
    ]));
    assert!(
        race.contains(r#"{"label": "bs=4", "bs": 4, "lr": 0.005, "bptt": 35, "scheme": "pytorch", "carry": True},"#)
            && race.contains(r#"{"label": "bs=64", "bs": 64, "lr": 0.02,"#),
        "{race}"
    );
    let reset = stdout(&run(&[
        "code",
        "--program",
        "race",
        "--runs",
        "hidden=reset",
    ]));
    assert!(reset.contains(r#""carry": False}"#), "{reset}");
    let sweep = stdout(&run(&[
        "code",
        "--program",
        "sweep",
        "--settings",
        settings,
        "--bs",
        "8,2",
        "--lrs",
        "0.03,0.01",
        "--target-loss",
        "1.5",
        "--max-tokens",
        "40000",
    ]));
    for needle in [
        "LRS = {2: [0.01, 0.03], 8: [0.01, 0.03]}",
        "TARGET_LOSS = 1.5",
        "MAX_TOKENS = 40000",
        "VALIDATE_EVERY_TOKENS = 100 ",
    ] {
        assert!(sweep.contains(needle), "missing {needle:?} in\n{sweep}");
    }
    // The page's default sweep: bs 1 to 128, each at the lr rule's value
    // (here the page's lr 0.003 at every bs) × 2, 8, 32.
    let default_sweep = stdout(&run(&["code", "--program", "sweep"]));
    assert!(
        default_sweep.contains("LRS = {1: [0.006, 0.024, 0.096], 2: [0.006, 0.024, 0.096], ")
            && default_sweep.contains("128: [0.006, 0.024, 0.096]}"),
        "{default_sweep}"
    );
    // The sweep panel's fields as flags: lrs around √(bs / 64) × 0.003.
    let sqrt_sweep = stdout(&run(&[
        "code",
        "--program",
        "sweep",
        "--lr-rule",
        "sqrt",
        "--largest-bs",
        "16",
        "--lr-factors",
        "1,4",
    ]));
    assert!(
        sqrt_sweep.contains("LRS = {1: [0.000375, 0.0015], 2: [")
            && sqrt_sweep.contains("16: [0.0015, 0.006]}"),
        "{sqrt_sweep}"
    );
}

#[test]
fn bad_input_is_one_line() {
    assert!(fails(&["code"]).contains("--program"));
    assert!(fails(&["code", "--program", "keras"]).contains("keras"));
    assert!(
        fails(&["code", "--program", "race", "--runs", "bs=4,bptt=5"]).contains("varies one thing")
    );
    assert!(fails(&["code", "--program", "race", "--runs", "bs=0"]).contains("bs=N"));
    assert!(fails(&["code", "--program", "race", "--runs", "scheme=keras"]).contains("scheme"));
    assert!(fails(&["code", "--program", "race", "--lr-rule", "cubic"]).contains("sqrt"));
    assert!(fails(&["code", "--program", "sweep", "--bs", "0,2"]).contains("at least 1"));
    assert!(fails(&["code", "--program", "sweep", "--target-loss", "-1"]).contains("positive"));
    assert!(fails(&["code", "--program", "pytorch", "--settings", "bs=-3"]).contains("--settings"));
    assert!(fails(&["code", "--program", "pytorch", "--wat", "1"]).contains("--wat"));
}
