use super::*;
use crate::data::batcher::Scheme;
use crate::nn::model::{Model, ModelConfig};
use crate::training::page_model::EMBED;
use crate::training::sweep::run::{train_to_target, RunResult};

const TEXT: &str = "the cat sat on the mat. the dog sat on the log. the cat saw the dog. \
the dog saw the cat. a cat and a dog sat on a mat and a log. the mat was red and the log was \
brown. the cat ran to the log and the dog ran to the mat. then the cat sat and the dog sat.";

fn page_run(bs: usize, target: Option<f64>) -> PageSweepRun {
    let settings = Settings {
        bs,
        bptt: 8,
        scheme: Scheme::Pytorch,
        hidden: 16,
        lr: 0.01,
        ..Settings::default()
    };
    PageSweepRun {
        settings,
        max_tokens: 20_000,
        budget: 20_000,
        target,
    }
}

/// Steps the page's run to its end, as its worker does between messages.
fn stepped(run: &PageSweepRun) -> RunResult {
    let mut target_run = run.start(&[TEXT]).unwrap();
    loop {
        if let Some(result) = target_run.step().unwrap() {
            return result;
        }
    }
}

#[test]
fn a_page_run_ends_where_the_clis_run_of_the_same_flags_ends() {
    for (bs, target) in [(1, Some(2.2)), (4, Some(2.2)), (2, None)] {
        let run = page_run(bs, target);
        // What `batchscope sweep --embed 32 --hidden 16 --clip 1 --seed 1 …` builds.
        let split = split_validation(&[TEXT], run.settings.tokens, VALIDATION_FRACTION).unwrap();
        let config = ModelConfig {
            vocab: split.train.vocab_size(),
            embed: EMBED,
            hidden: 16,
            layers: 1,
        };
        let model = Model::init(config, run.settings.seed);
        let cli = train_to_target(
            &split,
            &model,
            &run.config(),
            (bs, 0.01),
            run.budget,
            target,
            &|_| {},
        )
        .unwrap();
        let page = stepped(&run);
        assert_eq!(page, cli, "bs {bs}, target {target:?}");
        assert_eq!(page.reached, target.is_some(), "{page:?}");
    }
}

#[test]
fn a_run_that_ended_keeps_its_result() {
    let mut run = page_run(2, Some(100.0)).start(&[TEXT]).unwrap();
    let first = loop {
        if let Some(result) = run.step().unwrap() {
            break result;
        }
    };
    assert!(first.reached, "any pass reaches a loss of 100");
    let steps = run.steps();
    assert_eq!(run.step().unwrap(), Some(first));
    assert_eq!(run.steps(), steps, "no training after the end");
}

#[test]
fn a_bs_too_large_for_the_text_says_how_much_text_the_sweep_trains_on() {
    let reason = page_run(256, None).start(&[TEXT]).unwrap_err();
    assert!(
        reason.contains("(a sweep trains on 90% of the text, "),
        "{reason}"
    );
}
