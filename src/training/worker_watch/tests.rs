use super::*;

#[test]
fn requests_are_owed_until_their_last_answer() {
    let mut watch = WorkerWatch::default();
    watch.sent(0.0, false); // Load
    watch.sent(1.0, true); // ReplayTo(2): three answers
    assert_eq!(watch.pending(), 2);
    assert!(watch.stepping());
    watch.answered(5.0, true);
    watch.answered(6.0, false);
    watch.answered(7.0, false);
    assert_eq!(watch.pending(), 1);
    assert!(watch.stepping());
    watch.answered(8.0, true);
    assert_eq!(watch.pending(), 0);
    assert!(!watch.stepping());
}

#[test]
fn silence_counts_only_while_answers_are_owed_and_past_the_limit() {
    let mut watch = WorkerWatch::default();
    assert_eq!(watch.tick(1e9), None, "an idle worker is never silent");
    watch.sent(1_000.0, true);
    assert_eq!(watch.tick(1_000.0 + SILENCE_FLOOR_MS), None);
    assert_eq!(
        watch.tick(1_000.0 + SILENCE_FLOOR_MS + 500.0),
        Some(Death::Silent { seconds: 61 })
    );
    // Slow steps seen raise the limit: a 20 s step allows 80 s of silence.
    watch.answered(21_000.0, true);
    watch.sent(30_000.0, true);
    assert_eq!(watch.silence_limit_ms(), 80_000.0);
    assert_eq!(watch.tick(30_000.0 + 79_000.0), None);
    assert!(watch.tick(30_000.0 + 81_000.0).is_some());
    // A run whose longest step is 300 GFLOP waits 300 s at 1 GFLOP/s.
    watch.expect_steps_of(300e9);
    assert_eq!(watch.silence_limit_ms(), 300_000.0);
    assert_eq!(watch.tick(30_000.0 + 299_000.0), None);
}

#[test]
fn a_death_restarts_in_words_and_forgets_what_was_owed() {
    let mut watch = WorkerWatch::default();
    watch.sent(0.0, true);
    let order = watch.died(&Death::Failed("Uncaught RuntimeError: unreachable".into()));
    assert_eq!(
        order,
        Order::Restart {
            message: "The training worker ran out of memory and was restarted: the run starts again from batch 1 with fresh weights. Press Step to go on.".into()
        }
    );
    assert_eq!(watch.pending(), 0);
    assert!(!watch.stepping());
}

#[test]
fn a_panic_is_named_without_its_source_path() {
    let mut watch = WorkerWatch::default();
    let Order::Restart { message } = watch.died(&Death::Panicked(
        "capacity overflow at library/alloc/src/raw_vec.rs:25:5".into(),
    )) else {
        panic!("restart expected")
    };
    assert!(
        message
            .starts_with("The training worker stopped on an internal error (“capacity overflow”)"),
        "{message}"
    );
    assert!(!message.contains(".rs"), "{message}");
    let long = "x".repeat(500);
    let Order::Restart { message } = watch.died(&Death::Panicked(long)) else {
        panic!("restart expected")
    };
    assert!(message.len() < 300, "{message}");
}

#[test]
fn a_worker_that_dies_before_answering_anything_is_given_up_on() {
    let mut watch = WorkerWatch::default();
    let failed = Death::Failed("Uncaught NetworkError: worker.js".into());
    assert!(matches!(watch.died(&failed), Order::Restart { .. }));
    // One answer in between starts the count again.
    watch.sent(0.0, false);
    watch.answered(1.0, true);
    assert!(matches!(watch.died(&failed), Order::Restart { .. }));
    assert!(matches!(watch.died(&failed), Order::Restart { .. }));
    let Order::GiveUp { message } = watch.died(&failed) else {
        panic!("give up expected")
    };
    assert_eq!(
        message,
        "The training worker could not start (stopped on an error (“Uncaught NetworkError: worker.js”)), so the page stopped trying. Press Step or Reset, or change a setting, to try once more."
    );
    // The learner's next request loads the run again, once.
    assert!(watch.revive());
    assert!(!watch.revive());
    // Dying again before any answer gives up at once: one try per request.
    assert!(matches!(watch.died(&failed), Order::GiveUp { .. }));
    assert!(watch.revive());
    // An answer makes the worker healthy again.
    watch.sent(0.0, false);
    watch.answered(1.0, true);
    assert!(matches!(watch.died(&failed), Order::Restart { .. }));
    assert!(!watch.revive());
}

#[test]
fn a_replaced_worker_owes_nothing() {
    let mut watch = WorkerWatch::default();
    watch.sent(0.0, true);
    watch.sent(0.0, true);
    watch.replaced();
    assert_eq!(watch.pending(), 0);
    assert_eq!(watch.tick(1e9), None);
}
