//! Shared harness of the end-to-end tests: the release page served from
//! `dist/`, ChromeDriver, and helpers that read the page like a user would.

#![allow(dead_code)]

pub mod big_texts;
pub mod browser;
pub mod page;
pub mod race;
pub mod static_server;
pub mod sweep;
pub mod tab_memory;
pub mod tour;
pub mod workers;

use std::path::PathBuf;

/// A directory of this test binary's files under cargo's `target/tmp`, so
/// that the large texts the tests write are overwritten by the next run
/// rather than piling up in the system's temporary directory.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `dist/` of `trunk build --release`; the test command builds it first.
pub fn dist_dir() -> PathBuf {
    let dist = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dist");
    assert!(
        dist.join("index.html").exists(),
        "dist/index.html is missing: run `trunk build --release` first (make test does)"
    );
    dist
}
