#![cfg(target_arch = "wasm32")]
//! The page's choice of worker build in a real engine (headless Chromium,
//! which has relaxed SIMD): the probe module validates, so the relaxed
//! build is chosen; byte strings that are not such a module do not
//! validate, so an engine never loads a module it cannot run on the
//! strength of a broken probe.

use batchscope::web::worker_build::{validates, WorkerBuild, RELAXED_SIMD_PROBE};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn chromium_validates_the_relaxed_simd_probe_and_gets_the_relaxed_build() {
    assert!(validates(&RELAXED_SIMD_PROBE));
    assert_eq!(WorkerBuild::of_this_engine(), WorkerBuild::RelaxedSimd);
    assert_eq!(
        WorkerBuild::of_this_engine().script("race_worker"),
        "./race_worker_relaxed.js"
    );
}

#[wasm_bindgen_test]
fn byte_strings_that_are_not_the_probe_do_not_validate() {
    let probe = RELAXED_SIMD_PROBE;
    // Cut short: the code section ends before its body does.
    assert!(!validates(&probe[..probe.len() - 1]));
    // The relaxed instruction replaced by an opcode no proposal defines (0xfd 0x1fff).
    let mut unknown = probe;
    let at = probe.len() - 4;
    unknown[at..at + 3].copy_from_slice(&[0xfd, 0xff, 0x3f]);
    assert!(!validates(&unknown));
    // Not a module at all.
    assert!(!validates(b"relaxed"));
    assert!(!validates(&[]));
}
