use super::*;
use crate::data::corpus::TokenLevel;
use crate::nn::model::ModelConfig;
use crate::training::race::split::{split_validation, VALIDATION_FRACTION};

const TEXT: &str = "the cat sat on the mat. the dog sat on the log. the cat saw the dog. \
the dog saw the cat. a cat and a dog sat on a mat and a log. the mat was red and the log was \
brown. the cat ran to the log and the dog ran to the mat. then the cat sat and the dog sat. \
the end of the cat and the dog on the mat and the log. the cat sat on the mat again.";

fn setup(hidden: usize) -> (ValidationSplit, Model<f32>) {
    let split = split_validation(&[TEXT], TokenLevel::Char, VALIDATION_FRACTION).unwrap();
    let config = ModelConfig {
        vocab: split.train.vocab_size(),
        embed: 8,
        hidden,
        layers: 1,
    };
    (split, Model::init(config, 3))
}

fn config(bs: Vec<usize>, lrs: Vec<f64>) -> SweepConfig {
    SweepConfig {
        lrs: same_lrs(&bs, &lrs),
        bptt: 8,
        scheme: Scheme::Pytorch,
        seed: 0,
        optimizer: OptimizerKind::Adam,
        clip: Some(1.0),
        max_tokens: 40_000,
        validate_every_tokens: 1,
    }
}

/// One sweep of the tiny text toward `target` on `threads` threads.
fn sweep(bs: Vec<usize>, target: Option<f64>, threads: usize) -> Result<SweepResult, String> {
    let (split, model) = setup(16);
    run_sweep(
        &split,
        &model,
        &config(bs, vec![0.01, 0.03]),
        target,
        threads,
        &(),
    )
}

#[test]
fn steps_to_the_target_do_not_grow_with_bs() {
    // Why this holds robustly: a 4× larger batch averages 4× more of the
    // 304-token text per update (bs = 16 reads 128 of its tokens a step,
    // bs = 1 only 8), and Adam's step length is set by the lr, not by the
    // gradient's size, so a bigger batch only takes a less noisy direction.
    // Sizes 4× apart keep each comparison clear of the noise in when the
    // target is crossed: across 6 seeds (weights and batches), hidden 8 and 16, targets
    // 1.5–1.7 and both lrs, steps fell from bs 1 to 4 to 16 every time
    // (bs 8 against 16 did not: a plateau, either way by a step or two).
    let result = sweep(vec![1, 4, 16], Some(1.6), 2).unwrap();
    for lr in [0.01, 0.03] {
        let steps: Vec<usize> = result
            .runs
            .iter()
            .filter(|run| run.lr == lr)
            .map(|run| {
                assert!(run.reached, "{run:?}");
                run.steps
            })
            .collect();
        assert!(steps.windows(2).all(|w| w[0] >= w[1]), "lr {lr}: {steps:?}");
    }
    let best: Vec<usize> = result.best.iter().map(|b| b.steps.unwrap()).collect();
    assert!(best.windows(2).all(|w| w[0] >= w[1]), "{:?}", result.best);
    assert!(
        result.best.iter().all(|b| b.best_lr == Some(0.03)),
        "the larger lr is faster at this target: {:?}",
        result.best
    );
    let fit = result.fit.expect("three bs reached");
    assert!(
        [fit.s_min, fit.e_min, fit.b_crit]
            .iter()
            .all(|v| v.is_finite() && *v > 0.0),
        "{fit:?}"
    );
}

#[test]
fn the_same_results_on_one_thread_or_two() {
    let one = sweep(vec![1, 2, 4, 8], Some(1.8), 1).unwrap();
    assert_eq!(one.runs.len(), 8);
    assert_eq!(
        one.runs.iter().map(|r| (r.bs, r.lr)).collect::<Vec<_>>(),
        [1, 2, 4, 8]
            .iter()
            .flat_map(|&bs| [(bs, 0.01), (bs, 0.03)])
            .collect::<Vec<_>>(),
        "runs sorted by bs then lr"
    );
    assert_eq!(sweep(vec![1, 2, 4, 8], Some(1.8), 2).unwrap(), one);
}

#[test]
fn without_a_target_the_pilot_sets_one_that_its_own_run_reaches() {
    let result = sweep(vec![1, 4, 16], None, 2).unwrap();
    let pilot = result.pilot.expect("no target given");
    assert_eq!((pilot.bs, pilot.lr), (4, 0.03), "the upper middles");
    assert_eq!(result.target_loss, pilot.target_loss);
    assert!(pilot.tokens <= 40_000 / pilot::PILOT_SHARE + 4 * 8);
    let own = result
        .runs
        .iter()
        .find(|r| (r.bs, r.lr) == (4, 0.03))
        .unwrap();
    assert!(
        own.reached && own.tokens <= pilot.tokens,
        "{own:?} {pilot:?}"
    );
}

#[test]
fn an_unreachable_target_leaves_no_best_lr_and_no_fit() {
    let (split, model) = setup(8);
    let mut config = config(vec![2, 4], vec![0.01]);
    config.max_tokens = 4000;
    let result = run_sweep(&split, &model, &config, Some(0.01), 2, &()).unwrap();
    // 0.01 nats is far below anything a model of 8 units gets to: once its
    // pace slows, each run is stopped before its budget is spent.
    assert!(
        result.runs.iter().all(|r| !r.reached
            && r.stop == run::Stop::OutOfReach
            && (500..4000).contains(&r.tokens)),
        "{:?}",
        result.runs
    );
    assert!(result
        .best
        .iter()
        .all(|b| b.best_lr.is_none() && b.steps.is_none()));
    assert_eq!(result.fit, None);
}

#[test]
fn a_bad_config_is_one_line_before_any_training() {
    let (split, model) = setup(8);
    let run = |config: SweepConfig| run_sweep(&split, &model, &config, None, 1, &()).unwrap_err();
    assert!(run(config(vec![1, 500], vec![0.01])).contains("bs = 500"));
    assert!(run(config(vec![4, 2], vec![0.01])).contains("sorted"));
    assert!(run(config(vec![0, 2], vec![0.01])).contains("at least 1"));
    assert!(run(config(vec![2], vec![])).contains("one lr"));
    assert!(run(config(vec![2], vec![-1.0])).contains("positive"));
}
