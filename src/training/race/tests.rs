use super::*;

fn base() -> Settings {
    Settings {
        bs: 16,
        lr: 0.004,
        ..Settings::default()
    }
}

#[test]
fn lr_rules_scale_the_base_lr_by_bs_over_the_reference() {
    assert_eq!(LrRule::Same.lr_for(64, 0.004, 16), 0.004);
    assert_eq!(LrRule::SqrtBs.lr_for(64, 0.004, 16), 0.008);
    assert_eq!(LrRule::SqrtBs.lr_for(4, 0.004, 16), 0.002);
    assert_eq!(LrRule::LinearBs.lr_for(64, 0.004, 16), 0.016);
    assert_eq!(LrRule::LinearBs.lr_for(4, 0.004, 16), 0.001);
    assert_eq!(
        LrRule::LinearBs.lr_for(16, 0.004, 16),
        0.004,
        "the reference bs keeps the base lr"
    );
    assert_eq!(
        LrRule::LinearBs.lr_for(256, LR_RANGE.1, 1),
        LR_RANGE.1,
        "kept in the page's range"
    );
    assert_eq!(LrRule::SqrtBs.lr_for(1, LR_RANGE.0, 256), LR_RANGE.0);
}

#[test]
fn a_bs_race_changes_bs_and_lr_and_nothing_else() {
    let runs = run_configs(
        &base(),
        &RaceVariable::BatchSize.default_values(),
        LrRule::SqrtBs,
    )
    .unwrap();
    let labels: Vec<&str> = runs.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["bs=4", "bs=16", "bs=64", "bs=256"]);
    let bs_lr: Vec<(usize, f64)> = runs
        .iter()
        .map(|r| (r.settings.bs, r.settings.lr))
        .collect();
    assert_eq!(bs_lr, [(4, 0.002), (16, 0.004), (64, 0.008), (256, 0.016)]);
    for run in &runs {
        let expected = Settings {
            bs: run.settings.bs,
            lr: run.settings.lr,
            ..base()
        };
        assert_eq!(run.settings, expected);
        assert!(run.carry);
    }
}

#[test]
fn other_variables_keep_the_base_lr() {
    let bptt = run_configs(
        &base(),
        &RaceVariable::Bptt.default_values(),
        LrRule::LinearBs,
    )
    .unwrap();
    assert_eq!(
        bptt.iter()
            .map(|r| (r.settings.bptt, r.settings.lr, r.settings.bs))
            .collect::<Vec<_>>(),
        [
            (10, 0.004, 16),
            (35, 0.004, 16),
            (70, 0.004, 16),
            (140, 0.004, 16)
        ]
    );
    let scheme = run_configs(
        &base(),
        &RaceVariable::Scheme.default_values(),
        LrRule::Same,
    )
    .unwrap();
    assert_eq!(
        scheme.iter().map(|r| r.settings.scheme).collect::<Vec<_>>(),
        [Scheme::Pytorch, Scheme::FastaiV07]
    );
    assert_eq!(scheme[0].label, "scheme=pytorch");
    let carry = run_configs(&base(), &RaceVariable::Carry.default_values(), LrRule::Same).unwrap();
    assert_eq!(
        carry
            .iter()
            .map(|r| (r.label.as_str(), r.carry))
            .collect::<Vec<_>>(),
        [("hidden=carried", true), ("hidden=reset", false)]
    );
    assert!(carry.iter().all(|r| r.settings == base()));
}

#[test]
fn a_race_varies_exactly_one_thing() {
    let mixed = [RaceValue::Bs(4), RaceValue::Bptt(35)];
    let reason = run_configs(&base(), &mixed, LrRule::Same).unwrap_err();
    assert!(
        reason.contains("bs=4") && reason.contains("bptt=35"),
        "{reason}"
    );
    assert!(run_configs(&base(), &[], LrRule::Same).is_err());
    for variable in RaceVariable::ALL {
        assert_eq!(race_variable(&variable.default_values()), Ok(variable));
    }
}
