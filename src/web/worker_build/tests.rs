use super::*;

/// The probe's sections, walked by their declared sizes: each ends where
/// the next begins and the last at the module's end; the code section's
/// single body ends with the relaxed instruction and `end`.
#[test]
fn the_probe_is_one_well_formed_function_ending_in_relaxed_madd() {
    let probe = &RELAXED_SIMD_PROBE;
    assert_eq!(&probe[..8], b"\0asm\x01\0\0\0");
    let mut at = 8;
    let mut ids = Vec::new();
    while at < probe.len() {
        let (id, size) = (probe[at], probe[at + 1] as usize);
        assert!(size < 0x80, "sizes are one-byte LEB128 here");
        ids.push(id);
        if id == 0x0a {
            let body = &probe[at + 2..at + 2 + size];
            assert_eq!(body[0], 1, "one body");
            assert_eq!(
                body[1] as usize,
                body.len() - 2,
                "the body fills the section"
            );
            assert_eq!(&body[body.len() - 4..], &[0xfd, 0x85, 0x02, 0x0b]);
        }
        at += 2 + size;
    }
    assert_eq!(at, probe.len());
    assert_eq!(ids, [0x01, 0x03, 0x0a], "types, functions, code");
}

#[test]
fn each_build_names_its_files_and_says_what_it_is() {
    let relaxed = WorkerBuild::from_probe(true);
    let plain = WorkerBuild::from_probe(false);
    assert_eq!(relaxed, WorkerBuild::RelaxedSimd);
    assert_eq!(relaxed.script("race_worker"), "./race_worker_relaxed.js");
    assert_eq!(relaxed.wasm("worker"), "./worker_relaxed_bg.wasm");
    assert_eq!(plain.script("race_worker"), "./race_worker.js");
    assert_eq!(plain.wasm("worker"), "./worker_bg.wasm");
    assert!(relaxed.describe().contains("fused multiply-add"));
    assert_eq!(plain.describe(), "SIMD128");
}
