use super::*;

/// What the worker's panic hook sends: `PanicHookInfo`'s text, the
/// location line first.
fn report_of(message: &str) -> String {
    format!("panicked at src/training/trainer.rs:212:9:\n{message}")
}

#[test]
fn a_panic_is_told_without_its_source_path() {
    let reason = panic_reason(&report_of("already borrowed: BorrowMutError"));
    assert_eq!(
        reason,
        "its worker stopped on an internal error (already borrowed: BorrowMutError)"
    );
    let quoted = panic_reason(
        "panicked at src/nn/lstm.rs:40:13:\nindex out of bounds at /rustc/abc/library/core/src/slice/index.rs:12:5",
    );
    assert_eq!(
        quoted,
        "its worker stopped on an internal error (index out of bounds at)"
    );
    for reason in [reason, quoted] {
        assert!(
            !reason.contains(".rs") && !reason.contains("panicked"),
            "{reason}"
        );
    }
}

#[test]
fn running_out_of_memory_says_what_to_lower() {
    for message in [
        "capacity overflow",
        "memory allocation of 3221225472 bytes failed",
    ] {
        assert_eq!(
            panic_reason(&report_of(message)),
            "it ran out of memory: try a smaller bs, bptt, hidden size or text"
        );
    }
}

#[test]
fn a_report_without_a_message_or_with_a_huge_one_stays_short() {
    assert_eq!(
        panic_reason("panicked at src/x.rs:1:1:\n"),
        "its worker stopped on an internal error"
    );
    let huge = panic_reason(&format!(
        "panicked at src/x.rs:1:1:\n{}",
        "k".repeat(100_000)
    ));
    assert!(huge.chars().count() < 250, "{} chars", huge.chars().count());
    assert!(huge.ends_with("…)"));
}

#[test]
fn silence_is_counted_in_whole_seconds() {
    assert_eq!(
        silence_reason(15_400),
        "its worker stopped answering 15 s ago (out of memory?)"
    );
}
