//! Runs take turns on the cores, and a run that cannot train gives its turn up.

use super::*;

#[test]
fn a_race_spawns_a_waiting_worker_per_value_and_lets_as_many_train_as_there_are_cores() {
    let (race, commands) = race_of(&BS, 2);
    let spawned: Vec<(u32, String)> = commands
        .iter()
        .filter_map(|c| match c {
            Command::Spawn(id, config) => Some((*id, config.label.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        spawned,
        [(0, "bs=4"), (1, "bs=16"), (2, "bs=64"), (3, "bs=256")].map(|(i, l)| (i, l.into()))
    );
    assert_eq!(sent(&commands, &RaceCommand::Pause), [0, 1, 2, 3]);
    assert_eq!(sent(&commands, &RaceCommand::Resume), [0, 1]);
    assert_eq!(on_turn(&race), [0, 1]);
    assert!(race
        .slots()
        .iter()
        .all(|s| s.run().status == RunStatus::Starting));
}

#[test]
fn runs_take_turns_on_the_cores() {
    let (mut race, _) = race_of(&BS, 2);
    assert!(all_started(&mut race, 10).is_empty());
    let mut turns = vec![(0, on_turn(&race))];
    let mut now = 0;
    while now < 1_000 {
        now += TICK_MS;
        let commands = race.tick(now);
        let pauses = sent(&commands, &RaceCommand::Pause);
        let resumes = sent(&commands, &RaceCommand::Resume);
        if !resumes.is_empty() {
            assert_eq!(pauses, turns.last().unwrap().1, "the last pair waits");
            assert_eq!(resumes, on_turn(&race), "t = {now}");
            turns.push((now, resumes));
        } else {
            assert!(pauses.is_empty(), "t = {now}");
        }
    }
    assert_eq!(
        turns,
        [
            (0, vec![0, 1]),
            (250, vec![2, 3]),
            (500, vec![0, 1]),
            (750, vec![2, 3]),
            (1000, vec![0, 1])
        ]
    );
}

#[test]
fn one_core_goes_round_the_runs_in_chip_order() {
    let (mut race, _) = race_of(&BS[..3], 1);
    all_started(&mut race, 0);
    let order: Vec<u32> = (1..=5)
        .flat_map(|turn| race.tick(turn * TURN_MS))
        .filter_map(|c| match c {
            Command::Send(id, RaceCommand::Resume) => Some(id),
            _ => None,
        })
        .collect();
    assert_eq!(order, [1, 2, 0, 1, 2]);
}

#[test]
fn with_a_core_for_every_run_no_one_waits() {
    let (mut race, _) = race_of(&BS[..2], 2);
    all_started(&mut race, 0);
    for now in (TICK_MS..5_000).step_by(TICK_MS as usize) {
        let commands = race.tick(now);
        assert!(sent(&commands, &RaceCommand::Pause).is_empty(), "t = {now}");
    }
    assert_eq!(on_turn(&race), [0, 1]);
}

#[test]
fn removing_a_run_on_its_turn_ends_its_worker_and_passes_the_turn() {
    let (mut race, _) = race_of(&BS[..3], 1);
    all_started(&mut race, 0);
    race.on_event(0, progress(1, 4, 30.0), 50);
    assert_eq!(on_turn(&race), [0]);
    let commands = race.remove(RaceValue::Bs(4), 100);
    assert_eq!(terminated(&commands), [0]);
    assert!(sent(&commands, &RaceCommand::Pause).is_empty());
    assert_eq!(sent(&commands, &RaceCommand::Resume), on_turn(&race));
    assert_eq!(on_turn(&race).len(), 1);
    let labels: Vec<&str> = race
        .slots()
        .iter()
        .map(|s| s.run().config.label.as_str())
        .collect();
    assert_eq!(labels, ["bs=16", "bs=64"]);
    assert!(race.on_event(0, progress(5, 9, 30.0), 120).is_empty());
    assert!(
        race.remove(RaceValue::Bs(4), 130).is_empty(),
        "already gone"
    );
}

#[test]
fn a_diverged_or_refused_run_gives_up_its_turn() {
    let (mut race, _) = race_of(&BS[..3], 1);
    all_started(&mut race, 0);
    let diverged = Diverged {
        step: 7,
        hint: "lr too high".into(),
    };
    let commands = race.on_event(
        0,
        RaceEvent::Diverged {
            diverged: diverged.clone(),
            stats: stats(7, 30.0),
        },
        10,
    );
    assert_eq!(run(&race, 0).status, RunStatus::Diverged(diverged));
    assert_eq!(sent(&commands, &RaceCommand::Pause), [0]);
    assert_eq!(sent(&commands, &RaceCommand::Resume), on_turn(&race));
    let turn = on_turn(&race)[0];
    let commands = race.on_event(turn, RaceEvent::Refused("too big".into()), 20);
    assert_eq!(
        run(&race, turn as usize).status,
        RunStatus::Refused("too big".into())
    );
    assert_eq!(sent(&commands, &RaceCommand::Resume), on_turn(&race));
    assert_eq!(on_turn(&race).len(), 1);
    assert_ne!(on_turn(&race), [turn]);
}
