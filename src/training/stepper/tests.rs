use super::*;
use crate::data::batcher::Scheme;
use crate::data::corpus::TokenLevel;

#[test]
fn a_vocabulary_over_the_cap_is_refused_with_its_size() {
    let words: Vec<String> = (0..crate::training::page_model::MAX_VOCAB + 5)
        .map(|i| format!("w{i}"))
        .collect();
    let corpus = Corpus::from_documents(&[words.join(" ")], TokenLevel::Word).unwrap();
    let settings = Settings {
        tokens: TokenLevel::Word,
        ..Settings::default()
    };
    let err = super::trainer_for(&corpus, &settings).unwrap_err();
    assert!(
        err.starts_with("the vocabulary has 10005 distinct words, more than the 10000"),
        "{err}"
    );
}

#[test]
fn back_keeps_what_fits_64_mb() {
    assert_eq!(
        back_limit(1_000_000),
        MAX_BACK,
        "a small model keeps 32 steps"
    );
    // hidden 256 × 3 layers at a 10,000-token vocabulary: ~12 MB a snapshot.
    assert_eq!(back_limit(12_000_000), 5);
    assert_eq!(back_limit(200_000_000), 1, "always one step back");
    let corpus =
        Corpus::from_documents(&crate::data::corpora::STORIES[..2], TokenLevel::Char).unwrap();
    let big = Settings {
        hidden: 256,
        layers: 3,
        ..Settings::default()
    };
    let trainer = trainer_for(&corpus, &big).unwrap();
    // Weights + Adam's two moments, f32: 3 × 4 bytes per parameter at least.
    assert!(trainer.snapshot_bytes() >= 12 * trainer.model.params.len());
    assert!(back_limit(trainer.snapshot_bytes()) * trainer.snapshot_bytes() <= BACK_BUDGET_BYTES);
}

fn setup() -> (Corpus, Settings) {
    let corpus =
        Corpus::from_documents(&crate::data::corpora::STORIES[..4], TokenLevel::Char).unwrap();
    let settings = Settings {
        bs: 8,
        bptt: 20,
        hidden: 16,
        scheme: Scheme::FastaiV07,
        ..Settings::default()
    };
    (corpus, settings)
}

#[test]
fn back_restores_the_run_so_the_next_step_repeats_exactly() {
    let (corpus, settings) = setup();
    let mut stepper = Stepper::new(&corpus, &settings).unwrap();
    stepper.step().unwrap();
    let second = stepper.step().unwrap();
    assert!(stepper.back());
    assert_eq!(stepper.steps(), 1);
    assert_eq!(stepper.step().unwrap(), second);
}

#[test]
fn reset_replays_the_same_reports_and_back_is_bounded() {
    let (corpus, settings) = setup();
    let mut stepper = Stepper::new(&corpus, &settings).unwrap();
    let first_run: Vec<StepReport> = (0..MAX_BACK + 3).map(|_| stepper.step().unwrap()).collect();
    let mut undone = 0;
    while stepper.back() {
        undone += 1;
    }
    assert_eq!(undone, MAX_BACK);
    stepper.reset();
    assert_eq!(stepper.steps(), 0);
    assert!(!stepper.can_back());
    let replay: Vec<StepReport> = (0..MAX_BACK + 3).map(|_| stepper.step().unwrap()).collect();
    assert_eq!(first_run, replay);
}

#[test]
fn settings_that_cannot_be_batched_are_refused_with_the_reason() {
    let (corpus, mut settings) = setup();
    settings.bs = corpus.num_tokens() + 1;
    let reason = Stepper::new(&corpus, &settings).err().unwrap();
    assert!(reason.contains("larger than the corpus"), "{reason}");
}
