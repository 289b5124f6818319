use super::*;
use crate::training::race::history::LossPoint;

/// A run of `steps` steps reading `tokens_per_step` tokens each, its loss
/// 4 − `drop_per_step` × step.
fn run(label: &str, steps: usize, tokens_per_step: usize, drop_per_step: f64) -> LossHistory {
    let mut h = LossHistory::new(label);
    for step in 1..=steps {
        h.push(LossPoint {
            step,
            tokens_seen: step * tokens_per_step,
            epoch: 0.0,
            seconds: step as f64,
            loss: 4.0 - drop_per_step * step as f64,
            val_loss: None,
            noise_scale: None,
        });
    }
    h
}

/// bs=4 (40 tokens a step) gains 0.01 a step over 100 steps; bs=64 (640 a
/// step) gains 0.02 a step over 20: the large batch leads at update 20,
/// the small one at 4,000 tokens.
fn bs_runs() -> (LossHistory, LossHistory) {
    (run("bs=4", 100, 40, 0.01), run("bs=64", 20, 640, 0.02))
}

#[test]
fn a_bs_race_with_the_same_lr_says_who_leads_and_why_it_is_not_fair() {
    let (small, large) = bs_runs();
    let verdict = race_verdict(
        RaceVariable::BatchSize,
        LrRule::Same,
        &[("bs=4", &small), ("bs=64", &large)],
        0.0,
    );
    assert_eq!(
        verdict,
        "So far, per update bs=64 is ahead at update 20 (loss 3.60 against 3.80 for bs=4), \
         and per token bs=4 is ahead at 4,000 tokens (loss 3.00 against 3.88 for bs=64). \
         With the same lr for every bs, a small batch takes more, noisier steps per token, so it \
         wins per token and a large batch wins per update: that compares step sizes as much as \
         batch sizes; the fair comparison tunes the lr for each bs, as a sweep does."
    );
}

#[test]
fn the_linear_rule_is_explained_with_the_critical_batch_size() {
    let (small, large) = bs_runs();
    let verdict = race_verdict(
        RaceVariable::BatchSize,
        LrRule::LinearBs,
        &[("bs=4", &small), ("bs=64", &large)],
        0.0,
    );
    assert!(
        verdict.contains("linear scaling rule keeps the step per token equal")
            || verdict.contains("(the linear scaling rule) keeps the step per token equal"),
        "{verdict}"
    );
    assert!(verdict.contains("critical batch size"), "{verdict}");
    assert!(verdict.contains("tunes the lr for each bs"), "{verdict}");
}

#[test]
fn the_verdict_updates_as_results_arrive() {
    // Before bs=64 has read 4,000 tokens, the token count compared is its own.
    let small = run("bs=4", 100, 40, 0.01);
    let early = run("bs=64", 5, 640, 0.02);
    let verdict = race_verdict(
        RaceVariable::BatchSize,
        LrRule::Same,
        &[("bs=4", &small), ("bs=64", &early)],
        0.0,
    );
    assert!(
        verdict.starts_with("So far, per update bs=64 is ahead at update 5 (loss 3.90 against 3.95 for bs=4), and per token bs=4 is ahead at 3,200 tokens (loss 3.20 against 3.90 for bs=64)."),
        "{verdict}"
    );
}

#[test]
fn other_races_get_one_sentence_per_token() {
    let carried = run("hidden=carried", 10, 100, 0.05);
    let reset = run("hidden=reset", 10, 100, 0.03);
    assert_eq!(
        race_verdict(
            RaceVariable::Carry,
            LrRule::Same,
            &[("hidden=carried", &carried), ("hidden=reset", &reset)],
            0.0,
        ),
        "Per token, hidden=carried is ahead at 1,000 tokens (loss 3.50 against 3.70 for hidden=reset): \
         a carried state lets the model use text from before the window; a reset one sees only bptt tokens back."
    );
}

#[test]
fn one_run_or_a_diverged_one() {
    let (small, _) = bs_runs();
    let empty = LossHistory::new("bs=64");
    assert_eq!(
        race_verdict(
            RaceVariable::BatchSize,
            LrRule::Same,
            &[("bs=4", &small), ("bs=64", &empty)],
            0.0
        ),
        "The verdict comes once two runs have reported."
    );
    let mut diverged = run("bs=64", 3, 640, 0.0);
    diverged.points[2].loss = f64::NAN;
    let verdict = race_verdict(
        RaceVariable::Bptt,
        LrRule::Same,
        &[("bs=4", &small), ("bs=64", &diverged)],
        0.0,
    );
    assert!(
        verdict.starts_with("Per token, bs=4 is ahead at 1,920 tokens (loss 3.52; bs=64 diverged)"),
        "{verdict}"
    );
}
