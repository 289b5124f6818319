use super::*;

pub(crate) fn plan(largest_bs: usize, lr_factors: &[f64], target: Option<f64>) -> SweepPlan {
    SweepPlan {
        base: Settings::default(),
        lr_rule: LrRule::SqrtBs,
        largest_bs,
        lr_factors: lr_factors.to_vec(),
        max_tokens: 80_000,
        target,
    }
}

#[test]
fn batch_sizes_double_from_1_up_to_the_largest() {
    assert_eq!(
        plan(128, &[1.0], None).batch_sizes(),
        [1, 2, 4, 8, 16, 32, 64, 128]
    );
    assert_eq!(plan(12, &[1.0], None).batch_sizes(), [1, 2, 4, 8]);
    assert_eq!(plan(1, &[1.0], None).batch_sizes(), [1]);
    assert_eq!(plan(10_000, &[1.0], None).batch_sizes().last(), Some(&256));
}

#[test]
fn each_bs_tries_the_lr_rules_value_times_the_grid() {
    // The page's lr 0.003 is for its bs 64; √(16/64) = ½.
    let p = plan(64, &[2.0, 0.5, 1.0], None);
    let lrs = p.lrs(16);
    let expected = [0.00075, 0.0015, 0.003];
    assert_eq!(lrs.len(), 3);
    for (lr, e) in lrs.iter().zip(expected) {
        assert!((lr - e).abs() < 1e-12, "{lrs:?}");
    }
    let jobs = p.jobs();
    assert_eq!(jobs.len(), 7 * 3);
    assert_eq!(jobs[0].0, 1);
    assert!(jobs.windows(2).all(|w| w[0].0 <= w[1].0), "bs ascending");
}

#[test]
fn the_pilot_is_the_middle_bs_at_the_middle_lr_on_an_eighth_of_the_budget() {
    let p = plan(128, &[0.5, 1.0, 2.0], None);
    let (bs, lr) = p.pilot_job();
    assert_eq!(bs, 16);
    assert_eq!(lr, p.lrs(16)[1]);
    let pilot = p.run((bs, lr), None);
    assert_eq!(
        (pilot.budget, pilot.max_tokens, pilot.target),
        (10_000, 80_000, None)
    );
    assert_eq!((pilot.settings.bs, pilot.settings.lr), (16, lr));
    let run = p.run((4, 0.01), Some(2.0));
    assert_eq!((run.budget, run.target), (80_000, Some(2.0)));
    assert_eq!(run.settings.hidden, Settings::default().hidden);
}
