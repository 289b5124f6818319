use super::*;
use crate::training::sweep::best_lrs;

fn run(bs: usize, lr: f64, steps: Option<usize>) -> RunResult {
    RunResult::example(bs, lr, steps)
}

fn data() -> SweepChartData {
    let sizes = [1, 2, 4, 8];
    let results = [
        run(1, 0.01, Some(900)),
        run(1, 0.02, Some(1200)),
        run(2, 0.01, Some(500)),
        run(2, 0.02, None),
        run(4, 0.01, Some(300)),
        run(8, 0.01, Some(200)),
    ];
    let best = best_lrs(&sizes, &results);
    let fit = Fit {
        s_min: 100.0,
        e_min: 800.0,
        b_crit: 8.0,
    };
    sweep_chart_data(&sizes, &results, &best, Some(fit))
}

#[test]
fn every_reached_run_is_a_point_and_each_bs_marks_its_best() {
    let d = data();
    assert_eq!(d.points.len(), 5, "the unreached run is not drawn");
    let best: Vec<(usize, f64)> = d
        .points
        .iter()
        .filter(|p| p.best)
        .map(|p| (p.bs, p.lr))
        .collect();
    assert_eq!(best, [(1, 0.01), (2, 0.01), (4, 0.01), (8, 0.01)]);
    assert_eq!(d.tokens_per_example, 70.0);
}

#[test]
fn the_perfect_line_goes_through_the_smallest_bs_and_the_fit_follows_its_formula() {
    let d = data();
    assert_eq!(d.perfect(Panel::Steps, 1.0), Some(900.0));
    assert_eq!(
        d.perfect(Panel::Steps, 4.0),
        Some(225.0),
        "4× the bs, ¼ the updates"
    );
    assert_eq!(
        d.perfect(Panel::Tokens, 4.0),
        Some(900.0 * 70.0),
        "and the same tokens"
    );
    assert_eq!(d.fitted(Panel::Steps, 8.0), Some(200.0));
    assert_eq!(d.fitted(Panel::Tokens, 8.0), Some(200.0 * 8.0 * 70.0));
    let empty = sweep_chart_data(&[1, 2], &[], &[], None);
    assert_eq!(
        (
            empty.perfect(Panel::Steps, 1.0),
            empty.fitted(Panel::Steps, 1.0)
        ),
        (None, None)
    );
    assert_eq!(empty.steps_range, (10.0, 1_000.0));
}

#[test]
fn the_axes_hold_every_point_and_the_fit() {
    let d = data();
    let layout = SweepLayout::new(CSS_WIDTH * 2.0, CSS_HEIGHT * 2.0, 2.0);
    for panel in Panel::BOTH {
        for p in &d.points {
            let pixel = layout.to_pixel(&d, panel, p.bs as f64, p.value(panel));
            assert!(layout.inside(panel, pixel), "{panel:?} {p:?} at {pixel:?}");
        }
        for (bs, v) in d.trace(50, |bs| d.fitted(panel, bs)) {
            assert!(layout.inside(panel, layout.to_pixel(&d, panel, bs, v)));
        }
    }
    // Log axes: bs 1 → 2 → 4 are equal steps to the right.
    let x = |bs: f64| layout.to_pixel(&d, Panel::Steps, bs, 100.0).0;
    assert!(((x(2.0) - x(1.0)) - (x(4.0) - x(2.0))).abs() < 1e-9);
    let (left, _, right, _) = layout.area(Panel::Steps);
    let (second, ..) = layout.area(Panel::Tokens);
    assert!(left < right && right < second, "side by side");
}

#[test]
fn log_ticks_are_one_two_five_or_powers_of_ten() {
    assert_eq!(
        log_ticks((7.0, 600.0)),
        [10.0, 20.0, 50.0, 100.0, 200.0, 500.0]
    );
    assert_eq!(
        log_ticks((3.0, 300_000.0)),
        [10.0, 100.0, 1_000.0, 10_000.0, 100_000.0]
    );
}
