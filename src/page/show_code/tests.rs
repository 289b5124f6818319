use super::*;
use crate::data::batcher::Scheme;
use crate::page::show_code::{race_program, sweep_program, ExportedSweep};
use crate::training::race::sweep_plan::{SweepPlan, DEFAULT_LR_GRID, LR_GRIDS};
use crate::training::race::LrRule;
use crate::training::sweep::same_lrs;

#[test]
fn pytorch_program_carries_the_settings() {
    let s = Settings {
        bs: 16,
        bptt: 35,
        scheme: Scheme::Pytorch,
        hidden: 128,
        layers: 2,
        seed: 7,
        ..Settings::default()
    };
    let code = pytorch(&s);
    for needle in [
        "bs, bptt = 16, 35",
        "RNNModel(len(vocab), 32, 128, 2)",
        "torch.manual_seed(7)",
        "yield get_batch(source, i, bptt)",
        "clip_grad_norm_(model.parameters(), 1)",
        "torch.optim.Adam(model.parameters(), lr=0.003)",
        "def repackage_hidden",
        "CARRY = True",
    ] {
        assert!(code.contains(needle), "missing {needle:?} in\n{code}");
    }
    assert!(!code.contains("np.random.normal") && !code.contains("permutation"));
}

#[test]
fn each_scheme_gets_its_rule_and_its_library() {
    let v07 = Settings {
        scheme: Scheme::FastaiV07,
        bptt: 70,
        ..Settings::default()
    };
    assert!(pytorch(&v07).contains("bptt_ = bptt if np.random.random() < 0.95 else bptt / 2."));
    assert!(library_loader(&v07).contains("bs=64, bptt=70"));
    let v2 = Settings {
        scheme: Scheme::FastaiV2,
        tokens: TokenLevel::Word,
        optimizer: OptimizerKind::Sgd,
        lr: 20.0,
        ..Settings::default()
    };
    let code = pytorch(&v2);
    assert!(
        code.contains("bl = (len(data) - 1) // bs")
            && code.contains("SEP = \"xxbos\"")
            && code.contains("torch.optim.SGD(model.parameters(), lr=20)")
    );
    assert!(library_loader(&v2)
        .contains("TextDataLoaders.from_folder(path, is_lm=True, bs=64, seq_len=70)"));
    let v1 = Settings {
        scheme: Scheme::FastaiV1,
        ..Settings::default()
    };
    assert!(pytorch(&v1).contains("starts = [int(step * j) for j in range(bs)]"));
    assert!(library_loader(&v1).contains("TextLMDataBunch.from_folder(path, bs=64, bptt=70)"));
    let hf = Settings {
        scheme: Scheme::HfBlocks,
        ..Settings::default()
    };
    assert!(pytorch(&hf).contains("CARRY = False"));
    assert!(
        library_loader(&hf).contains("per_device_train_batch_size=64")
            && library_loader(&hf).contains("block_size = 70")
    );
    for scheme in Scheme::ALL {
        let s = Settings {
            scheme,
            ..Settings::default()
        };
        assert!(
            library_loader(&s).contains("Where this page differs: it tokenises by character"),
            "{scheme}"
        );
        assert!(
            !library_loader(&s).contains("the same"),
            "{scheme}: never claims to be the same"
        );
    }
}

#[test]
fn python_sees_no_unbalanced_braces() {
    // format! escapes: the f-string's {{…}} must come out single.
    let code = pytorch(&Settings::default());
    assert!(
        code.contains(r#"print(f"batch {batch + 1}: seq_len {x.size(0)}"#),
        "{code}"
    );
    assert!(
        code.contains("index = {t: i for i, t in enumerate(vocab)}"),
        "{code}"
    );
}

#[test]
fn race_program_lists_each_run_with_its_lr_after_the_rule() {
    use crate::training::race::{LrRule, RaceValue};
    let base = Settings::default(); // bs 64, lr 0.003, fastai-v0.7, bptt 70
    let values = [4, 16, 256].map(RaceValue::Bs);
    let code = race_program(&base, &values, LrRule::SqrtBs);
    for needle in [
        "lr: lr × √(bs / 64).",
        r#"{"label": "bs=4", "bs": 4, "lr": 0.00075, "bptt": 70, "scheme": "fastai-v0.7", "carry": True},"#,
        r#"{"label": "bs=16", "bs": 16, "lr": 0.0015, "bptt": 70"#,
        r#"{"label": "bs=256", "bs": 256, "lr": 0.006, "bptt": 70"#,
        "BATCHES = {\"fastai-v0.7\": fastai_v07_batches}",
        "CARRIES = {\"fastai-v0.7\": True}",
        "VALIDATE_EVERY_TOKENS = 16384",
        "SMOOTHING = 0.8",
        "MAX_TOKENS = 1000000",
        "EMBED, HIDDEN, LAYERS = 32, 64, 1",
        "CLIP = 1.0",
        "torch.multiprocessing",
        "--device",
    ] {
        assert!(code.contains(needle), "missing {needle:?} in\n{code}");
    }
    assert!(
        !code.contains("def pytorch_batches"),
        "only the schemes raced"
    );
}

#[test]
fn race_programs_of_the_other_variables() {
    use crate::training::race::{LrRule, RaceValue};
    let base = Settings::default();
    let schemes = race_program(
        &base,
        &[Scheme::Pytorch, Scheme::HfBlocks].map(RaceValue::Scheme),
        LrRule::LinearBs,
    );
    assert!(schemes.contains("lr: the page's 0.003 for every run."));
    assert!(schemes
        .contains("BATCHES = {\"pytorch\": pytorch_batches, \"hf-blocks\": hf_blocks_batches}"));
    assert!(schemes.contains("CARRIES = {\"pytorch\": True, \"hf-blocks\": False}"));
    let carry = race_program(&base, &[true, false].map(RaceValue::Carry), LrRule::Same);
    assert!(carry.contains(r#"{"label": "hidden=reset", "bs": 64, "lr": 0.003, "bptt": 70, "scheme": "fastai-v0.7", "carry": False}"#));
    let bptt = race_program(&base, &[10, 140].map(RaceValue::Bptt), LrRule::Same);
    assert!(bptt.contains(r#""bs": 64, "lr": 0.003, "bptt": 140,"#));
}

/// The sweep panel's default plan on `s`, with the lr rule `rule`.
fn default_plan(s: &Settings, rule: LrRule) -> SweepPlan {
    SweepPlan {
        base: s.clone(),
        lr_rule: rule,
        largest_bs: 128,
        lr_factors: LR_GRIDS[DEFAULT_LR_GRID].0.to_vec(),
        max_tokens: 1_000_000,
        target: None,
    }
}

#[test]
fn sweep_program_is_the_sweep_panels_plan() {
    let s = Settings {
        bs: 16,
        lr: 0.01,
        bptt: 35,
        scheme: Scheme::Pytorch,
        hidden: 128,
        tokens: TokenLevel::Word,
        seed: 4,
        ..Settings::default()
    };
    let plan = default_plan(&s, LrRule::SqrtBs);
    let sweep = ExportedSweep::of_plan(&plan);
    assert_eq!(
        sweep.config.batch_sizes(),
        vec![1, 2, 4, 8, 16, 32, 64, 128]
    );
    // Per bs the lr rule's value there × 2, 8, 32: √(bs / 16) × 0.01 × f.
    for (bs, lrs) in &sweep.config.lrs {
        assert_eq!(lrs, &plan.lrs(*bs));
        let centre = 0.01 * (*bs as f64 / 16.0).sqrt();
        for (lr, f) in lrs.iter().zip([2.0, 8.0, 32.0]) {
            assert!((lr / (centre * f) - 1.0).abs() < 1e-12, "bs {bs}: {lr}");
        }
    }
    // The pilot: the middle bs at the middle of its lrs, as the page's.
    let (pilot_bs, pilot_lr) = plan.pilot_job();
    let (bs, lrs) = &sweep.config.lrs[sweep.config.lrs.len() / 2];
    assert_eq!((*bs, lrs[lrs.len() / 2]), (pilot_bs, pilot_lr));
    assert_eq!(sweep.config.validate_every_tokens, 2500);
    let code = sweep_program(&s, &sweep);
    let row = |bs: usize| {
        let lrs: Vec<String> = plan.lrs(bs).iter().map(|lr| format!("{lr:?}")).collect();
        format!("{bs}: [{}]", lrs.join(", "))
    };
    for needle in [
        format!("LRS = {{{}, {}, ", row(1), row(2)),
        format!("{}}}", row(128)),
        "BS = sorted(LRS)".into(),
        "BPTT, SCHEME = 35, \"pytorch\"".into(),
        "TARGET_LOSS = None".into(),
        "VALIDATE_EVERY_TOKENS = 2500".into(),
        "VALIDATION_TOKENS, VALIDATION_STREAMS = 4096, 8".into(),
        "VALIDATION_SMOOTHING = 0.5".into(),
        "PILOT_SHARE = 8".into(),
        "B_CRIT_RANGE, GRID, GOLDEN_ITERATIONS = 1000.0, 400, 60".into(),
        "LEVEL = \"word\"".into(),
        "SEED = 4".into(),
        "EMBED, HIDDEN, LAYERS = 32, 128, 1".into(),
        "MAX_TOKENS = 1000000".into(),
        "def fit_critical_batch(points):".into(),
        "def pilot_target():".into(),
        "for lr in LRS[bs]".into(),
        "--combine".into(),
    ] {
        assert!(code.contains(&needle), "missing {needle:?} in\n{code}");
    }
    let config = sweep.config;
    let mut mine = config.clone();
    mine.lrs = same_lrs(&[2, 8], &[0.1]);
    mine.clip = None;
    mine.max_tokens = 5000;
    mine.validate_every_tokens = 12;
    let code = sweep_program(
        &s,
        &ExportedSweep {
            config: mine,
            target: Some(1.25),
        },
    );
    for needle in [
        "LRS = {2: [0.1], 8: [0.1]}",
        "TARGET_LOSS = 1.25",
        "CLIP = None",
        "MAX_TOKENS = 5000",
        "VALIDATE_EVERY_TOKENS = 12",
    ] {
        assert!(code.contains(needle), "missing {needle:?} in\n{code}");
    }
}
