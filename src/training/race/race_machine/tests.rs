//! The race driven as the page drives it, with a fake clock: `now` is a plain
//! count of milliseconds that the tests move by hand. Here the learner's
//! actions and the workers' reports; turns and the watchdog in `tests/`.

use super::*;
use crate::training::race::history::LossPoint;
use crate::training::race::run_slot::RunView;
use crate::training::race::stats::{Diverged, RunStats};
use crate::training::race::turns::{SILENCE_BEFORE_FIRST_REPORT_MS, SILENCE_MIN_MS};
use crate::training::race::{RaceVariable, TextSize};

mod turns;
mod watchdog;

/// A text every race of these tests fits.
const TEXT: TextSize = TextSize {
    tokens: 100_000,
    vocab: 60,
    bytes: 100_000,
};

const BS: [RaceValue; 4] = [
    RaceValue::Bs(4),
    RaceValue::Bs(16),
    RaceValue::Bs(64),
    RaceValue::Bs(256),
];

/// A race of `values` started at t = 0, `at_once` training together.
fn race_of(values: &[RaceValue], at_once: usize) -> (Race, Vec<Command>) {
    let mut race = Race::new(at_once);
    let commands = race.start(Settings::default(), values, LrRule::Same, TEXT, 0);
    (race, commands)
}

/// Every run has reported that it is built, at `now`.
fn all_started(race: &mut Race, now: u64) -> Vec<Command> {
    let ids: Vec<u32> = race.slots().iter().map(|s| s.id()).collect();
    ids.into_iter()
        .flat_map(|id| race.on_event(id, started(), now))
        .collect()
}

fn started() -> RaceEvent {
    RaceEvent::Started
}

fn stats(steps: usize, ms_per_step: f64) -> RunStats {
    RunStats {
        steps,
        tokens_per_second: 0.0,
        ms_per_step,
        activation_bytes: 0,
        epoch: 0.0,
        best_val_loss: None,
        noise_scale: None,
        diverged: None,
    }
}

/// Steps `first..=last`, each `ms_per_step` long, loss 4 − step/100.
fn progress(first: usize, last: usize, ms_per_step: f64) -> RaceEvent {
    let points = (first..=last)
        .map(|step| LossPoint {
            step,
            tokens_seen: step * 100,
            epoch: step as f64 / 1000.0,
            seconds: step as f64 * ms_per_step / 1000.0,
            loss: 4.0 - step as f64 / 100.0,
            val_loss: None,
            noise_scale: None,
        })
        .collect();
    RaceEvent::Progress {
        points,
        stats: stats(last, ms_per_step),
    }
}

/// The workers sent `message`, in order.
fn sent(commands: &[Command], message: &RaceCommand) -> Vec<u32> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Send(id, m) if m == message => Some(*id),
            _ => None,
        })
        .collect()
}

fn terminated(commands: &[Command]) -> Vec<u32> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Terminate(id) => Some(*id),
            _ => None,
        })
        .collect()
}

fn on_turn(race: &Race) -> Vec<u32> {
    race.slots()
        .iter()
        .filter(|s| s.run().on_turn)
        .map(|s| s.id())
        .collect()
}

fn run(race: &Race, index: usize) -> &RunView {
    race.slots()[index].run()
}

#[test]
fn restart_gives_a_fresh_slot_and_drops_the_old_workers_reports() {
    let (mut race, _) = race_of(&BS[..2], 2);
    all_started(&mut race, 0);
    race.on_event(1, progress(1, 20, 30.0), 100);
    race.on_event(1, RaceEvent::Sampled("The harbour".into()), 120);
    let files = Downloads {
        model_url: "blob:model".into(),
        csv_url: "blob:csv".into(),
    };
    race.files_made(1, files.clone());

    let commands = race.restart(1, 1_000);
    let config = run(&race, 1).config.clone();
    assert_eq!(
        commands,
        [
            Command::Terminate(1),
            Command::ReleaseFiles(files),
            Command::Spawn(2, config),
            Command::Send(2, RaceCommand::Pause),
            Command::Send(2, RaceCommand::Resume),
        ]
    );
    let fresh = &race.slots()[1];
    assert_eq!(fresh.id(), 2);
    assert_eq!(fresh.run().config.label, "bs=16", "the same slot");
    assert_eq!(fresh.run().status, RunStatus::Starting);
    assert_eq!(
        (fresh.run().stats.clone(), fresh.run().sample.clone()),
        (None, None)
    );
    assert!(fresh.history().points.is_empty());

    // The old worker's queued reports are dropped.
    for event in [started(), progress(21, 30, 30.0)] {
        assert!(race.on_event(1, event, 1_010).is_empty());
    }
    assert_eq!(run(&race, 1).status, RunStatus::Starting);
    assert!(race.slots()[1].history().points.is_empty());
    race.on_event(2, started(), 1_100);
    race.on_event(2, progress(1, 2, 30.0), 1_200);
    assert_eq!(run(&race, 1).status, RunStatus::Training);
    assert_eq!(race.slots()[1].history().points.len(), 2);
}

#[test]
fn chips_join_a_race_in_progress_once() {
    let mut race = Race::new(2);
    assert!(race.add(RaceValue::Bs(8), 0).is_empty(), "no race yet");
    race.start(Settings::default(), &BS[..1], LrRule::Same, TEXT, 0);
    let commands = race.add(RaceValue::Bs(8), 10);
    assert!(matches!(&commands[0], Command::Spawn(1, c) if c.label == "bs=8"));
    assert_eq!(sent(&commands, &RaceCommand::Resume), [1]);
    assert!(race.add(RaceValue::Bs(8), 20).is_empty(), "already racing");
    race.stop(30);
    assert!(
        race.add(RaceValue::Bs(32), 40).is_empty(),
        "the race is over"
    );
}

#[test]
fn pause_holds_every_run_and_resume_lets_them_go_on() {
    let (mut race, _) = race_of(&BS[..3], 2);
    race.on_event(0, started(), 10);
    race.on_event(1, started(), 10);
    let commands = race.pause(100);
    assert_eq!(sent(&commands, &RaceCommand::Pause), [0, 1]);
    let statuses: Vec<RunStatus> = race
        .slots()
        .iter()
        .map(|s| s.run().status.clone())
        .collect();
    assert_eq!(
        statuses,
        [RunStatus::Paused, RunStatus::Paused, RunStatus::Starting]
    );
    assert!(on_turn(&race).is_empty());
    // Nothing trains, and nothing is sampled, while paused.
    for now in (150..10_000).step_by(50) {
        assert_eq!(race.tick(now), [], "t = {now}");
    }
    // Run 2 finishes loading during the pause: it waits too.
    race.on_event(2, started(), 10_000);
    assert_eq!(run(&race, 2).status, RunStatus::Paused);

    let commands = race.resume(10_050);
    assert_eq!(sent(&commands, &RaceCommand::Resume), on_turn(&race));
    assert_eq!(on_turn(&race).len(), 2);
    assert!(race
        .slots()
        .iter()
        .all(|s| s.run().status == RunStatus::Training));
}

#[test]
fn stop_ends_training_but_keeps_what_the_runs_made() {
    let (mut race, _) = race_of(&BS[..2], 1);
    race.on_event(0, started(), 0);
    race.on_event(0, progress(1, 3, 30.0), 10);
    let commands = race.stop(20);
    assert_eq!(sent(&commands, &RaceCommand::Stop), [0, 1]);
    assert_eq!(sent(&commands, &RaceCommand::Pause), [0]);
    assert!(!race.racing() && !race.paused());
    assert!(on_turn(&race).is_empty());
    assert!(race
        .slots()
        .iter()
        .all(|s| s.run().status == RunStatus::Stopped));
    // Run 1 was still loading: its late Started leaves it stopped.
    race.on_event(1, started(), 30);
    assert_eq!(run(&race, 1).status, RunStatus::Stopped);
    assert_eq!(race.slots()[0].history().points.len(), 3);
    assert!(race.pause(40).is_empty(), "nothing to pause");
}

#[test]
fn training_runs_are_asked_for_samples_every_few_seconds() {
    let (mut race, _) = race_of(&BS[..3], 1);
    race.on_event(0, started(), 0);
    race.on_event(1, started(), 0);
    race.set_temperature(0.5);
    let sample = RaceCommand::Sample {
        temperature: 0.5,
        len: SAMPLE_LEN,
    };
    let mut asked = Vec::new();
    for now in (TICK_MS..=2 * SAMPLE_EVERY_MS).step_by(TICK_MS as usize) {
        for id in sent(&race.tick(now), &sample) {
            asked.push((now, id));
        }
    }
    // Run 2 is still loading; run 1 waits its turn but can still write.
    assert_eq!(
        asked,
        [(50, 0), (50, 1), (3_050, 0), (3_050, 1)],
        "every {SAMPLE_EVERY_MS} ms"
    );
    race.on_event(1, RaceEvent::Sampled("The fog".into()), 3_100);
    assert_eq!(run(&race, 1).sample.as_deref(), Some("The fog"));
}

#[test]
fn exported_files_are_made_by_the_page_and_replaced_files_released() {
    let (mut race, _) = race_of(&BS[..1], 1);
    race.on_event(0, started(), 0);
    assert_eq!(race.export(0), [Command::Send(0, RaceCommand::Export)]);
    let exported = RaceEvent::Exported {
        model_json: "{}".into(),
        csv: "step\n".into(),
    };
    assert_eq!(
        race.on_event(0, exported, 10),
        [Command::MakeFiles {
            id: 0,
            model_json: "{}".into(),
            csv: "step\n".into()
        }]
    );
    let files = |n: &str| Downloads {
        model_url: format!("blob:model{n}"),
        csv_url: format!("blob:csv{n}"),
    };
    assert!(race.files_made(0, files("1")).is_empty());
    assert_eq!(run(&race, 0).downloads, Some(files("1")));
    assert_eq!(
        race.files_made(0, files("2")),
        [Command::ReleaseFiles(files("1"))]
    );
    assert_eq!(
        race.files_made(9, files("3")),
        [Command::ReleaseFiles(files("3"))],
        "files of a run that is gone"
    );
    assert!(race.export(9).is_empty());
}

#[test]
fn a_new_race_ends_the_last_one() {
    let (mut race, _) = race_of(&BS[..2], 2);
    race.files_made(
        0,
        Downloads {
            model_url: "m".into(),
            csv_url: "c".into(),
        },
    );
    let values = RaceVariable::Bptt.default_values();
    let commands = race.start(Settings::default(), &values, LrRule::Same, TEXT, 100);
    assert_eq!(terminated(&commands), [0, 1]);
    assert!(commands.contains(&Command::ReleaseFiles(Downloads {
        model_url: "m".into(),
        csv_url: "c".into()
    })));
    let ids: Vec<u32> = race.slots().iter().map(|s| s.id()).collect();
    assert_eq!(ids, [2, 3, 4, 5]);
    assert!(race.on_event(0, started(), 110).is_empty());
}
