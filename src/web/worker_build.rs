//! Which build of the web workers this engine runs.
//!
//! Each worker (the step worker `worker`, the race's `race_worker`) is built
//! twice by Trunk: with simd128 only, which every current engine runs, and
//! with the cargo feature `relaxed-simd` (bins `worker_relaxed`,
//! `race_worker_relaxed`), whose matrix products use `f32x4.relaxed_madd`,
//! one fused multiply-add where the CPU has one. A module holding a single
//! relaxed-SIMD instruction fails to validate as a whole in an engine
//! without relaxed SIMD, so the page first asks the engine to validate
//! [`RELAXED_SIMD_PROBE`], a tiny module with one such instruction, and only
//! then loads the relaxed build.

use std::cell::OnceCell;

/// A whole wasm module whose one function returns
/// `f32x4.relaxed_madd(0, 0, 0)`: valid exactly where the engine has
/// relaxed SIMD (checked in Chromium by `tests/web_worker_build.rs`).
#[rustfmt::skip]
pub const RELAXED_SIMD_PROBE: [u8; 82] = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b,       // types: () -> v128
    0x03, 0x02, 0x01, 0x00,                         // functions: one, of type 0
    0x0a, 0x3d, 0x01, 0x3b, 0x00,                   // code: one body of 59 bytes, no locals
    0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // v128.const 0
    0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // v128.const 0
    0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // v128.const 0
    0xfd, 0x85, 0x02,                               // f32x4.relaxed_madd (0xfd 261)
    0x0b,                                           // end
];

/// The two builds of the workers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerBuild {
    /// Products with `f32x4.relaxed_madd` (fused multiply-adds).
    RelaxedSimd,
    /// Products with simd128's separate multiplies and adds.
    Simd128,
}

thread_local! {
    static THIS_ENGINE: OnceCell<WorkerBuild> = const { OnceCell::new() };
}

impl WorkerBuild {
    /// The build for an engine that does (or does not) validate the probe.
    pub fn from_probe(relaxed_simd_validates: bool) -> WorkerBuild {
        if relaxed_simd_validates {
            WorkerBuild::RelaxedSimd
        } else {
            WorkerBuild::Simd128
        }
    }

    /// The build this engine runs: the probe is validated once per page.
    pub fn of_this_engine() -> WorkerBuild {
        THIS_ENGINE
            .with(|build| *build.get_or_init(|| Self::from_probe(validates(&RELAXED_SIMD_PROBE))))
    }

    /// The script of worker `bin` (`"race_worker"`, `"worker"`) in this build.
    pub fn script(self, bin: &str) -> String {
        format!("./{bin}{}.js", self.suffix())
    }

    /// The wasm module that script loads (Trunk's and wasm-bindgen's naming).
    pub fn wasm(self, bin: &str) -> String {
        format!("./{bin}{}_bg.wasm", self.suffix())
    }

    /// What the page says of the build its workers run.
    pub fn describe(self) -> &'static str {
        match self {
            WorkerBuild::RelaxedSimd => "relaxed SIMD (fused multiply-add)",
            WorkerBuild::Simd128 => "SIMD128",
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            WorkerBuild::RelaxedSimd => "_relaxed",
            WorkerBuild::Simd128 => "",
        }
    }
}

/// Whether this engine validates `module` (compiles nothing, runs nothing).
pub fn validates(module: &[u8]) -> bool {
    let bytes = js_sys::Uint8Array::from(module);
    js_sys::WebAssembly::validate(&bytes).unwrap_or(false)
}

#[cfg(test)]
mod tests;
