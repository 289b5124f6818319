//! A worker that falls silent on its turn, or reports a panic, is dead: its
//! card says why in plain words and the race goes on with the others.

use super::*;

#[test]
fn a_worker_silent_on_its_turn_is_dead_after_the_limit_and_not_before() {
    // Two cores, two runs: both always on their turn; run 1 keeps talking.
    let (mut race, _) = race_of(&BS[..2], 2);
    all_started(&mut race, 0);
    let silent_since = 1_000;
    race.on_event(0, progress(1, 10, 30.0), silent_since);
    // 30 ms steps: the limit is the floor, 15 s after the last report.
    let limit = SILENCE_MIN_MS as u64;
    let mut now = silent_since;
    while now < silent_since + limit {
        now += TICK_MS;
        race.on_event(1, progress(1, 1, 30.0), now);
        let commands = race.tick(now);
        assert!(
            terminated(&commands).is_empty(),
            "declared dead at t = {now}"
        );
        assert_eq!(run(&race, 0).status, RunStatus::Training);
    }
    let commands = race.tick(silent_since + limit + 1);
    assert_eq!(terminated(&commands), [0]);
    assert_eq!(
        run(&race, 0).status,
        RunStatus::Crashed("its worker stopped answering 15 s ago (out of memory?)".into())
    );
    assert!(!run(&race, 0).on_turn);
    assert_eq!(on_turn(&race), [1], "the race goes on");
    assert_eq!(run(&race, 1).status, RunStatus::Training);
}

#[test]
fn the_limit_grows_with_a_slow_step_and_is_long_before_the_first_report() {
    // Loading: no report yet.
    let (mut race, _) = race_of(&BS[..1], 1);
    let before = SILENCE_BEFORE_FIRST_REPORT_MS as u64;
    assert!(terminated(&race.tick(before)).is_empty());
    assert_eq!(terminated(&race.tick(before + 1)), [0]);

    // 10 s steps: four of them, 40 s.
    let (mut race, _) = race_of(&BS[..1], 1);
    all_started(&mut race, 0);
    race.on_event(0, progress(1, 1, 10_000.0), 10_000);
    assert!(terminated(&race.tick(50_000)).is_empty());
    assert_eq!(terminated(&race.tick(50_001)), [0]);
}

#[test]
fn a_run_waiting_its_turn_or_paused_may_be_silent() {
    let (mut race, _) = race_of(&BS[..2], 1);
    all_started(&mut race, 0);
    race.on_event(0, progress(1, 5, 30.0), 100);
    race.pause(200);
    for now in (250..200_000).step_by(250) {
        assert!(terminated(&race.tick(now)).is_empty(), "t = {now}");
    }
    // Resumed, run 0's silence counts from its new turn.
    let commands = race.resume(200_000);
    assert_eq!(sent(&commands, &RaceCommand::Resume), on_turn(&race));
    assert!(terminated(&race.tick(200_100)).is_empty());
}

#[test]
fn a_panic_is_told_in_plain_words_and_the_others_go_on() {
    let (mut race, _) = race_of(&BS[..3], 1);
    all_started(&mut race, 0);
    assert_eq!(on_turn(&race), [0]);
    let report = "panicked at src/nn/lstm/buffers.rs:88:21:\ncapacity overflow";
    let commands = race.on_event(0, RaceEvent::Crashed(report.into()), 500);
    assert_eq!(terminated(&commands), [0]);
    assert_eq!(
        sent(&commands, &RaceCommand::Resume),
        [1],
        "the turn passes on"
    );
    assert!(sent(&commands, &RaceCommand::Pause).is_empty());
    let RunStatus::Crashed(reason) = &run(&race, 0).status else {
        panic!("{:?}", run(&race, 0).status)
    };
    assert_eq!(
        reason,
        "it ran out of memory: try a smaller bs, bptt, hidden size or text"
    );
    // A dead worker's late words change nothing.
    assert!(race.on_event(0, progress(1, 3, 30.0), 600).is_empty());
    assert!(race.slots()[0].history().points.is_empty());
    // Nor does it get turns, samples or a Stop.
    for now in (750..5_000).step_by(250) {
        let commands = race.tick(now);
        assert!(commands.iter().all(|c| !matches!(c, Command::Send(0, _))));
    }
    assert!(race
        .stop(5_000)
        .iter()
        .all(|c| !matches!(c, Command::Send(0, _))));
}

#[test]
fn restarting_a_dead_run_ends_no_worker_twice() {
    let (mut race, _) = race_of(&BS[..1], 1);
    all_started(&mut race, 0);
    race.on_event(
        0,
        RaceEvent::Crashed("panicked at a.rs:1:1:\noops".into()),
        10,
    );
    let commands = race.restart(0, 20);
    assert!(terminated(&commands).is_empty());
    assert_eq!(sent(&commands, &RaceCommand::Resume), [1]);
}
