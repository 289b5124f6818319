use super::*;

#[test]
fn one_run_trains_per_core() {
    assert_eq!(training_slots(2), 2);
    assert_eq!(training_slots(8), 8);
    assert_eq!(training_slots(1), 1);
    assert_eq!(training_slots(0), 1, "an unknown count still trains");
}

#[test]
fn with_enough_slots_every_run_trains_every_turn() {
    assert_eq!(on_turn(&[7, 8], 3, 5), vec![7, 8]);
    assert!(on_turn(&[], 1, 0).is_empty());
}

#[test]
fn runs_take_equal_turns() {
    for (runs, slots) in [(4usize, 1usize), (4, 2), (3, 2), (5, 3), (6, 4)] {
        let ids: Vec<u32> = (10..10 + runs as u32).collect();
        let mut turns_of = vec![0usize; runs];
        for turn in 0..runs {
            let chosen = on_turn(&ids, slots, turn);
            assert_eq!(
                chosen.len(),
                slots,
                "{runs} runs, {slots} slots, turn {turn}"
            );
            let mut distinct = chosen.clone();
            distinct.dedup();
            assert_eq!(
                distinct.len(),
                slots,
                "no run twice in one turn: {chosen:?}"
            );
            for id in chosen {
                turns_of[(id - 10) as usize] += 1;
            }
        }
        assert!(
            turns_of.iter().all(|&t| t == slots),
            "{runs} runs, {slots} slots: {turns_of:?}"
        );
    }
}

#[test]
fn one_slot_goes_round_in_chip_order() {
    let order: Vec<u32> = (0..6)
        .flat_map(|turn| on_turn(&[4, 16, 64, 256], 1, turn))
        .collect();
    assert_eq!(order, vec![4, 16, 64, 256, 4, 16]);
}

#[test]
fn a_run_may_be_silent_for_four_of_its_slowest_steps() {
    assert_eq!(
        silence_limit_ms(None),
        SILENCE_BEFORE_FIRST_REPORT_MS,
        "before its first report"
    );
    assert_eq!(silence_limit_ms(Some(30.0)), SILENCE_MIN_MS);
    assert_eq!(
        silence_limit_ms(Some(10_000.0)),
        40_000.0,
        "a 10 s step is not a crash"
    );
    assert_eq!(
        silence_limit_ms(Some(f64::NAN)),
        SILENCE_BEFORE_FIRST_REPORT_MS
    );
}
