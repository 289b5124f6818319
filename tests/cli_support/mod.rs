//! Running `batchscope` as a user does, for the CLI tests: its output on
//! success, and the one-line error (exit 2, no panic, nothing on stdout) on
//! bad input.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Writes `bytes` to `name` in this test binary's own temporary folder.
/// Tests running in parallel write the same names: each writes a file of
/// its own and renames it into place, so no process reads a half-written one.
pub fn temp_file(name: &str, bytes: &[u8]) -> String {
    static WRITES: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(env!("CARGO_CRATE_NAME"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let write = WRITES.fetch_add(1, Ordering::Relaxed);
    let partial = dir.join(format!("{name}.{}-{write}", std::process::id()));
    std::fs::write(&partial, bytes).unwrap();
    std::fs::rename(&partial, &path).unwrap();
    path.to_string_lossy().into_owned()
}

pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_batchscope"))
        .args(args)
        .output()
        .unwrap()
}

/// Asserts success and returns stdout.
pub fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Asserts a clean failure and returns the message.
pub fn fails(args: &[&str]) -> String {
    let output = run(args);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!output.status.success(), "{args:?} should fail");
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    assert_eq!(
        stderr.lines().count(),
        1,
        "{args:?}: not one line: {stderr:?}"
    );
    assert!(stderr.starts_with("batchscope: "), "{stderr}");
    assert!(output.stdout.is_empty(), "{args:?} printed to stdout");
    stderr
}
