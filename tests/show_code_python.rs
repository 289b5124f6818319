#![cfg(not(target_arch = "wasm32"))]
//! Every program "Show code" exports is Python that compiles: each is written
//! for many settings (every scheme, both token levels, both optimizers, every
//! race variable and lr rule, sweeps with and without a target) and compiled
//! by `python3 -W error -m py_compile` — syntax only, so no PyTorch is needed;
//! `-W error` also refuses invalid escapes in string literals.
//!
//! Then `tests/python/undefined_names.py` reads each race, sweep and single
//! run program's symbol tables: every global name it reads must be defined,
//! so a misspelt constant fails here rather than in a learner's run.
//! Whether the programs compute what the page computes is checked under
//! PyTorch by `tests/python/check_exported_programs.py` (see the README).

use std::path::PathBuf;
use std::process::Command;

use batchscope::data::batcher::Scheme;
use batchscope::data::corpus::TokenLevel;
use batchscope::nn::optimizer::OptimizerKind;
use batchscope::page::settings::Settings;
use batchscope::page::show_code::{
    library_loader, pytorch, race_program, sweep_program, ExportedSweep,
};
use batchscope::training::race::sweep_plan::{
    SweepPlan, DEFAULT_LR_GRID, DEFAULT_MAX_TOKENS, LR_GRIDS,
};
use batchscope::training::race::{LrRule, RaceVariable};
use batchscope::training::sweep::same_lrs;

/// Settings that together reach every branch of the generators.
fn settings() -> Vec<Settings> {
    let mut all = Vec::new();
    for scheme in Scheme::ALL {
        for tokens in [TokenLevel::Char, TokenLevel::Word] {
            all.push(Settings {
                scheme,
                tokens,
                ..Settings::default()
            });
        }
    }
    all.push(Settings {
        optimizer: OptimizerKind::Sgd,
        lr: 20.0,
        hidden: 256,
        layers: 3,
        bs: 1,
        bptt: 2,
        seed: 12345,
        corpus: "long-range".into(),
        ..Settings::default()
    });
    all.push(Settings {
        lr: 1e-6,
        corpus: "own".into(),
        ..Settings::default()
    });
    all
}

/// Every exported program for every settings, as (file name, text).
fn programs() -> Vec<(String, String)> {
    let mut all = Vec::new();
    for (i, s) in settings().iter().enumerate() {
        all.push((format!("pytorch_{i}.py"), pytorch(s)));
        all.push((format!("library_{i}.py"), library_loader(s)));
        for variable in RaceVariable::ALL {
            for (r, rule) in [LrRule::Same, LrRule::SqrtBs, LrRule::LinearBs]
                .into_iter()
                .enumerate()
            {
                let values = match variable {
                    RaceVariable::Scheme => variable.choices(),
                    _ => variable.default_values(),
                };
                all.push((
                    format!("race_{i}_{variable}_{r}.py"),
                    race_program(s, &values, rule),
                ));
            }
        }
        for (r, rule) in [LrRule::Same, LrRule::SqrtBs].into_iter().enumerate() {
            let plan = SweepPlan {
                base: s.clone(),
                lr_rule: rule,
                largest_bs: 128,
                lr_factors: LR_GRIDS[DEFAULT_LR_GRID].0.to_vec(),
                max_tokens: DEFAULT_MAX_TOKENS,
                target: None,
            };
            let sweep = ExportedSweep::of_plan(&plan);
            all.push((format!("sweep_{i}_{r}.py"), sweep_program(s, &sweep)));
        }
        let mut config = ExportedSweep::of_plan(&SweepPlan {
            base: s.clone(),
            lr_rule: LrRule::Same,
            largest_bs: 4,
            lr_factors: vec![1.0],
            max_tokens: DEFAULT_MAX_TOKENS,
            target: None,
        })
        .config;
        config.lrs = same_lrs(&[3, 5], &[0.1]);
        config.clip = None;
        all.push((
            format!("sweep_{i}_target.py"),
            sweep_program(
                s,
                &ExportedSweep {
                    config,
                    target: Some(1.25),
                },
            ),
        ));
    }
    all
}

#[test]
fn every_exported_program_compiles_in_python() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("exported_programs");
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (name, text) in programs() {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        files.push(path);
    }
    // Library loaders are snippets that need fastai or transformers to run,
    // but must still be valid Python.
    let output = Command::new("python3")
        .args(["-W", "error", "-m", "py_compile"])
        .args(&files)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "python3 is needed to check that the exported programs compile ({e}); \
                 install it (Debian: apt-get install python3; `make test` does)"
            )
        });
    assert!(
        output.status.success(),
        "python3 -m py_compile refused an exported program:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(files.len() > 100, "{} programs", files.len());
    let programs: Vec<&PathBuf> = files
        .iter()
        .filter(|f| !f.to_string_lossy().contains("library_"))
        .collect();
    let output = Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/python/undefined_names.py"
        ))
        .args(&programs)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "exported programs read names they never define:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
