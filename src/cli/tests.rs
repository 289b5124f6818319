use super::*;
use crate::nn::optimizer::OptimizerKind;
use training_flags::default_lr;

#[test]
fn the_declarations_are_consistent() {
    // clap's own checks: no two flags with one name, every
    // conflicts_with naming a real flag, defaults that parse.
    command().debug_assert();
}

fn help(verb: &str) -> String {
    command()
        .find_subcommand_mut(verb)
        .unwrap()
        .render_long_help()
        .to_string()
}

#[test]
fn help_shows_the_defaults_the_code_uses() {
    let train = help("train");
    for default in [
        default_lr(OptimizerKind::Adam),
        default_lr(OptimizerKind::Sgd),
    ] {
        assert!(train.contains(&default.to_string()), "{train}");
    }
    for shown in [
        "[default: 0.25]",
        "[default: adam]",
        "[default: pytorch]",
        "[default: char]",
        "[possible values: pytorch, fastai-v0.7, fastai-v1, fastai-v2, hf-blocks]",
    ] {
        assert!(train.contains(shown), "{shown} missing: {train}");
    }
    assert!(help("bench").contains("[default: 64,128,256]"));
}

#[test]
fn a_bad_command_line_is_one_line_naming_the_flag() {
    let error = |argv: &[&str]| {
        let argv: Vec<String> = argv.iter().map(|a| a.to_string()).collect();
        run(&argv).unwrap_err()
    };
    let missing = error(&["batches", "--corpus", "a.txt", "--bs", "4"]);
    assert_eq!(
        missing,
        "the following required arguments were not provided: --bptt <N> (try --help)"
    );
    let unknown = error(&["sweep", "--lr", "0.1"]);
    assert!(
        unknown.starts_with("unexpected argument '--lr' found"),
        "{unknown}"
    );
    assert!(unknown.contains("'--lrs'"), "{unknown}");
    assert!(!unknown.contains('\n'), "{unknown}");
}
