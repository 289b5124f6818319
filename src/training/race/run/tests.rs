use super::*;
use crate::data::corpus::TokenLevel;
use crate::page::settings::Settings;
use crate::training::noise_probe::{NOISE_DECAY, NOISE_EVERY};
use crate::training::noise_scale::two_size::NoiseEma;
use crate::training::race::messages::{RaceCommand, RaceEvent};
use crate::training::race::split::{split_validation, VALIDATION_FRACTION};
use crate::training::race::validation::validation_loss;
use crate::training::race::{run_config, run_configs, LrRule, RaceValue, RaceVariable};

fn setup() -> (ValidationSplit, Vec<RunConfig>) {
    let split = split_validation(
        &crate::data::corpora::STORIES[..6],
        TokenLevel::Char,
        VALIDATION_FRACTION,
    )
    .unwrap();
    let base = Settings {
        bs: 8,
        bptt: 20,
        hidden: 16,
        ..Settings::default()
    };
    let runs = run_configs(
        &base,
        &RaceVariable::BatchSize.default_values(),
        LrRule::SqrtBs,
    )
    .unwrap();
    (split, runs)
}

#[test]
fn each_step_is_the_trainers_step_with_validation_when_due() {
    let (split, runs) = setup();
    let config = runs[1].clone(); // bs = 16: 320 tokens per step
    let mut run = RaceRun::new(&split, config.clone(), 1_000).unwrap();
    let mut twin = trainer_for(&split.train, &config.settings).unwrap();
    let mut noise = NoiseEma::new(NOISE_DECAY);
    for k in 1..=8 {
        let windows = twin.batches().windows.len();
        // Every NOISE_EVERY-th step trains in two halves and measures the noise.
        twin.set_threads(if k % NOISE_EVERY == 0 { 2 } else { 1 });
        let report = twin.step().unwrap();
        let measured = twin.last_noise().map(|estimate| {
            noise.update(estimate);
            noise.b_simple()
        });
        assert_eq!(measured.is_some(), k % NOISE_EVERY == 0, "step {k}");
        let point = run.step(0.5 * k as f64).unwrap();
        // 320 tokens a step: validation after steps 4 (1,280), 7 (2,240).
        let expected_val = [4, 7].contains(&k).then(|| {
            validation_loss(
                &twin.model,
                &split.validation,
                16,
                20,
                true,
                Some(VALIDATION_TOKENS),
            )
            .unwrap()
            .loss
        });
        assert_eq!(
            point,
            LossPoint {
                noise_scale: measured.flatten(),
                ..LossPoint::from_report(&report, windows, 0.5 * k as f64, expected_val)
            },
            "step {k}"
        );
    }
    assert_eq!(run.history.points.len(), 8);
    assert_eq!((run.history.label.as_str(), run.history.bs), ("bs=16", 16));
    let stats = run.stats();
    assert_eq!(
        (stats.steps, stats.ms_per_step, stats.diverged.clone()),
        (8, 500.0, None)
    );
    assert_eq!(stats.noise_scale, noise.b_simple());
    assert!(stats.noise_scale.is_some(), "measured at steps 4 and 8");
    let best = [4, 7].map(|s| (s, run.history.points[s - 1].val_loss.unwrap()));
    let expected_best = if best[1].1 < best[0].1 {
        best[1]
    } else {
        best[0]
    };
    assert_eq!(stats.best_val_loss, Some(expected_best));
}

#[test]
fn a_reset_run_starts_every_batch_from_zeros() {
    let (split, _) = setup();
    let carry = run_configs(
        &Settings {
            bs: 8,
            bptt: 20,
            hidden: 16,
            ..Settings::default()
        },
        &RaceVariable::Carry.default_values(),
        LrRule::Same,
    )
    .unwrap();
    let mut carried = RaceRun::new(&split, carry[0].clone(), 1_000).unwrap();
    let mut reset = RaceRun::new(&split, carry[1].clone(), 1_000).unwrap();
    // Step 1 starts from zeros either way; from step 2 on only the carried run has a state.
    let (c1, r1) = (carried.step(1.0).unwrap(), reset.step(1.0).unwrap());
    assert_eq!(c1.loss, r1.loss);
    let (c2, r2) = (carried.step(2.0).unwrap(), reset.step(2.0).unwrap());
    assert_ne!(
        c2.loss, r2.loss,
        "step 2 of the reset run must not see step 1's state"
    );
    // The reset run's step 2 is a trainer's step from zeros with the same weights.
    let mut twin = trainer_for(&split.train, &carry[1].settings).unwrap();
    twin.step().unwrap();
    twin.reset_hidden();
    assert!(twin.hidden().h.iter().all(|&v| v == 0.0));
    assert_eq!(twin.step().unwrap().loss, r2.loss);
}

#[test]
fn a_run_that_cannot_start_says_why_on_its_card() {
    // 40 characters: 36 to train on, 4 held out.
    let text = ["The cat sat on the mat. The dog sat too."];
    let base = Settings {
        bs: 4,
        bptt: 5,
        hidden: 8,
        ..Settings::default()
    };
    let config = run_config(&base, RaceValue::Bs(256), LrRule::Same);
    let reason = match RaceRun::from_documents(&text, config.clone(), 1_000) {
        Err(reason) => reason,
        Ok(_) => panic!("bs = 256 cannot cut 36 tokens into streams"),
    };
    assert!(
        reason.starts_with("bs = 256 is larger than the corpus (36 tokens)")
            && reason.contains("Use bs ≤ 18.")
            && reason.ends_with("(a race trains on 90% of the text, 36 tokens; the rest is held out for validation)"),
        "{reason}"
    );
    // The race hears the worker's refusal and the card says it in words.
    let mut race = crate::training::race::Race::new(1);
    race.start(
        base.clone(),
        &[RaceValue::Bs(256), RaceValue::Bs(2)],
        LrRule::Same,
        crate::training::race::TextSize {
            tokens: 40,
            vocab: 10,
            bytes: 40,
        },
        0,
    );
    assert_eq!(race.plan(), Some((RaceVariable::BatchSize, LrRule::Same)));
    let refused = race.slots()[0].id();
    let commands = race.on_event(refused, RaceEvent::Refused(reason.clone()), 10);
    let card = race.slots()[0].run();
    assert_eq!(card.status_text(), format!("cannot train: {reason}"));
    assert!(!card.may_train() && !card.on_turn);
    // Its turn passes to the run that can train.
    assert!(race.slots()[1].run().on_turn);
    assert!(commands
        .iter()
        .any(|c| *c
            == crate::training::race::Command::Send(race.slots()[1].id(), RaceCommand::Resume)));
    // bs = 2 fits the same text and starts.
    let small = run_config(&base, RaceValue::Bs(2), LrRule::Same);
    assert!(RaceRun::from_documents(&text, small, 1_000).is_ok());
}
