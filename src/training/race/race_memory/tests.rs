use super::*;
use crate::training::race::{run_config, LrRule, Race, RaceValue};

/// The stories at char level, about: every default race fits.
const SMALL: TextSize = TextSize {
    tokens: 160_000,
    vocab: 80,
    bytes: 160_000,
};

/// A word-level text with a vocabulary near the page's cap: its softmax
/// grows with bs × bptt × vocab.
const WORDY: TextSize = TextSize {
    tokens: 2_000_000,
    vocab: 9_900,
    bytes: 10_000_000,
};

#[test]
fn a_text_over_the_cap_is_held_in_proportion() {
    let raced = WORDY.raced();
    assert_eq!(raced.bytes, RACE_TEXT_BYTES);
    assert_eq!(raced.vocab, WORDY.vocab);
    let expected = (WORDY.tokens as f64 * RACE_TEXT_BYTES as f64 / WORDY.bytes as f64).ceil();
    assert_eq!(raced.tokens, expected as usize);
    assert_eq!(SMALL.raced(), SMALL);
}

#[test]
fn documents_are_cut_at_the_cap_on_a_character_boundary() {
    // 3-byte characters, so the cap falls inside one unless rounded down.
    let long = "語".repeat(RACE_TEXT_BYTES / 3 + 10);
    let docs = vec!["ab".to_string(), long.clone(), "never reached".to_string()];
    let kept = race_documents(&docs);
    assert_eq!(kept.len(), 2);
    assert_eq!(kept[0], "ab");
    let total: usize = kept.iter().map(String::len).sum();
    assert!(
        total <= RACE_TEXT_BYTES && total > RACE_TEXT_BYTES - 3,
        "{total}"
    );
    assert!(long.starts_with(&kept[1]));
    // A short text is kept whole.
    let short = vec!["one".to_string(), "two".to_string()];
    assert_eq!(race_documents(&short), short);
}

fn bs_race(values: &[usize], text: TextSize) -> Race {
    let mut race = Race::new(2);
    let values: Vec<RaceValue> = values.iter().map(|&bs| RaceValue::Bs(bs)).collect();
    race.start(Settings::default(), &values, LrRule::Same, text, 0);
    race
}

fn refused(race: &Race) -> Vec<usize> {
    race.slots()
        .iter()
        .filter(|s| matches!(s.run().status, RunStatus::NotStarted(_)))
        .map(|s| s.run().config.settings.bs)
        .collect()
}

#[test]
fn a_default_race_on_a_small_text_starts_every_run() {
    let race = bs_race(&[4, 16, 64, 256], SMALL);
    assert!(refused(&race).is_empty());
}

#[test]
fn runs_past_the_budget_are_refused_in_chip_order_and_say_why() {
    let text = WORDY.raced();
    let one = run_bytes(
        &run_config(&Settings::default(), RaceValue::Bs(192), LrRule::Same).settings,
        text,
    );
    let fit = RACE_BUDGET_BYTES / one;
    assert!(
        (1..8).contains(&fit),
        "bs 192 on a 9,900-word vocabulary: {one} bytes a run"
    );
    let mut race = bs_race(&[192], text);
    for bs in 193..200 {
        race.add(RaceValue::Bs(bs), 0);
    }
    let refused = refused(&race);
    // Each run is a little larger than the one before, so the first `fit`
    // or fewer start and every later one is refused.
    assert!(
        !refused.is_empty() && refused.len() >= 8 - fit,
        "{refused:?}"
    );
    assert_eq!(refused, (200 - refused.len()..200).collect::<Vec<_>>());
    let status = race.slots().last().unwrap().run().status_text();
    assert!(
        status.starts_with("not started: its worker would need about"),
        "{status}"
    );
    assert!(status.contains("Remove a run"), "{status}");
}

#[test]
fn removing_a_run_makes_room_for_a_restart() {
    let text = WORDY.raced();
    let mut race = bs_race(&[192], text);
    for bs in 193..200 {
        race.add(RaceValue::Bs(bs), 0);
    }
    let last = race.slots().last().unwrap().id();
    // Still no room: the restart is refused again, and spawns nothing.
    assert!(race
        .restart(last, 0)
        .iter()
        .all(|c| !matches!(c, crate::training::race::Command::Spawn(..))));
    let started: Vec<RaceValue> = race
        .slots()
        .iter()
        .filter(|s| !matches!(s.run().status, RunStatus::NotStarted(_)))
        .map(|s| s.run().config.value)
        .collect();
    for value in started {
        race.remove(value, 0);
    }
    let last = race.slots().last().unwrap().id();
    let commands = race.restart(last, 0);
    assert!(commands
        .iter()
        .any(|c| matches!(c, crate::training::race::Command::Spawn(..))));
    assert!(matches!(
        race.slots().last().unwrap().run().status,
        RunStatus::Starting
    ));
}

#[test]
fn a_text_not_yet_tokenised_is_counted_at_its_largest() {
    let size = TextSize::of(None, 1000);
    assert_eq!(
        (size.tokens, size.vocab, size.bytes),
        (1000, MAX_VOCAB, 1000)
    );
}
