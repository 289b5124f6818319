use super::*;
use crate::training::race::history::LossPoint;

fn history(label: &str, losses: &[f64], bs: usize) -> LossHistory {
    let mut h = LossHistory::new(label);
    for (i, &loss) in losses.iter().enumerate() {
        let step = i + 1;
        h.push(LossPoint {
            step,
            tokens_seen: step * bs * 10,
            epoch: step as f64 / 10.0,
            seconds: step as f64 * bs as f64 / 100.0,
            loss,
            val_loss: None,
            noise_scale: None,
        });
    }
    h
}

#[test]
fn each_axis_reads_its_own_field_and_ranges_span_every_run() {
    let mut slow = history("bs=64", &[4.0, 3.0], 64);
    slow.set_val_loss(2, 3.5);
    let runs = [history("bs=4", &[4.0, 3.5, 3.0, 2.0], 4), slow];
    let tokens = chart_data(&runs, XAxis::Tokens, ChartY::Loss, YScale::Linear, 0.0, 100);
    assert_eq!(
        tokens.series[0].raw.iter().map(|p| p.x).collect::<Vec<_>>(),
        [40.0, 80.0, 120.0, 160.0]
    );
    assert_eq!(
        tokens.series[1].raw.iter().map(|p| p.x).collect::<Vec<_>>(),
        [640.0, 1280.0]
    );
    assert_eq!(tokens.x_range, (0.0, 1280.0));
    assert_eq!(tokens.y_range, (2.0 - 0.1, 4.0 + 0.1), "2..4 padded by 5%");
    assert_eq!(
        tokens.series[1].validation,
        [PlotPoint {
            x: 1280.0,
            y: 3.5,
            index: 1
        }]
    );
    assert_eq!(
        (tokens.series[0].colour, tokens.series[1].colour),
        (PALETTE[0], PALETTE[1])
    );
    let updates = chart_data(
        &runs,
        XAxis::Updates,
        ChartY::Loss,
        YScale::Linear,
        0.0,
        100,
    );
    assert_eq!(updates.x_range, (0.0, 4.0));
    assert_eq!(
        chart_data(&runs, XAxis::Epochs, ChartY::Loss, YScale::Linear, 0.0, 100).x_range,
        (0.0, 0.4)
    );
    assert_eq!(
        chart_data(
            &runs,
            XAxis::Seconds,
            ChartY::Loss,
            YScale::Linear,
            0.0,
            100
        )
        .x_range,
        (0.0, 1.28)
    );
}

#[test]
fn log_scale_drops_non_positive_losses_and_pads_by_a_factor() {
    let runs = [history("bs=4", &[4.0, 0.0, 1.0, f64::NAN], 4)];
    let log = chart_data(&runs, XAxis::Updates, ChartY::Loss, YScale::Log, 0.0, 100);
    assert_eq!(
        log.series[0].raw.iter().map(|p| p.y).collect::<Vec<_>>(),
        [4.0, 1.0]
    );
    assert_eq!(log.y_range, (1.0 / 1.05, 4.0 * 1.05));
    let linear = chart_data(
        &runs,
        XAxis::Updates,
        ChartY::Loss,
        YScale::Linear,
        0.0,
        100,
    );
    assert_eq!(
        linear.series[0].raw.len(),
        3,
        "0 is a loss on a linear axis; NaN never is"
    );
    let empty = chart_data(
        &[LossHistory::new("bs=4")],
        XAxis::Updates,
        ChartY::Loss,
        YScale::Log,
        0.0,
        100,
    );
    assert_eq!((empty.x_range, empty.y_range), ((0.0, 1.0), (1.0, 5.0)));
}

#[test]
fn long_histories_are_thinned_keeping_spikes_and_the_last_point() {
    let mut losses = vec![3.0; 1_000];
    losses[500] = 9.0;
    losses[501] = 0.5;
    let data = chart_data(
        &[history("bs=4", &losses, 4)],
        XAxis::Updates,
        ChartY::Loss,
        YScale::Linear,
        0.9,
        100,
    );
    let series = &data.series[0];
    assert!(series.raw.len() <= 100, "{}", series.raw.len());
    assert!(
        series.raw.iter().any(|p| p.y == 9.0) && series.raw.iter().any(|p| p.y == 0.5),
        "the spike survives"
    );
    assert!(
        series.raw.windows(2).all(|w| w[0].index < w[1].index),
        "x order kept"
    );
    assert!(series.smoothed.len() <= 101);
    assert_eq!(series.smoothed.last().unwrap().index, 999);
}

#[test]
fn pixels_and_the_nearest_point() {
    let mut runs = [
        history("bs=4", &[4.0, 3.0, 2.0], 4),
        history("bs=16", &[4.0, 3.5, 3.0], 16),
    ];
    runs[1].set_val_loss(3, 3.25);
    let data = chart_data(
        &runs,
        XAxis::Updates,
        ChartY::Loss,
        YScale::Linear,
        0.0,
        100,
    );
    let area = PlotArea::new(700.0, 400.0, 1.0);
    assert_eq!(
        area,
        PlotArea {
            left: 60.0,
            top: 8.0,
            right: 692.0,
            bottom: 358.0
        }
    );
    // x 0..3 over 632 px; y 1.9..4.1 over 350 px.
    let (x, y) = area.to_pixel(&data, 3.0, 3.0);
    assert_eq!(x, 692.0);
    assert!((y - (358.0 - 1.1 / 2.2 * 350.0)).abs() < 1e-9);
    assert_eq!(
        nearest(&data, &area, x + 2.0, y - 1.0, 10.0),
        Some(Nearest {
            run: 1,
            index: 2,
            validation: false
        })
    );
    let (vx, vy) = area.to_pixel(&data, 3.0, 3.25);
    assert_eq!(
        nearest(&data, &area, vx, vy + 1.0, 10.0),
        Some(Nearest {
            run: 1,
            index: 2,
            validation: true
        })
    );
    assert_eq!(
        nearest(&data, &area, 100.0, 100.0, 10.0),
        None,
        "nothing within 10 px"
    );
    let log = chart_data(&runs, XAxis::Updates, ChartY::Loss, YScale::Log, 0.0, 100);
    let (_, log_y) = area.to_pixel(&log, 3.0, 3.0);
    let expected = 358.0
        - (3f64.ln() - (2.0f64 / 1.05).ln()) / ((4.0f64 * 1.05).ln() - (2.0f64 / 1.05).ln())
            * 350.0;
    assert!((log_y - expected).abs() < 1e-9);
}

#[test]
fn the_hover_text() {
    let mut h = history("bs=4", &[4.0, 2.0], 4);
    h.set_val_loss(2, 2.5);
    assert_eq!(
        describe(&h, 1, 0.5),
        "bs=4 · step 2 · 80 tokens · 0.20 epochs · 0.1 s · loss 2.000 (smoothed 2.667) · val 2.500"
    );
}

#[test]
fn the_noise_scale_is_drawn_where_measured_beside_the_runs_bs_on_a_log_axis() {
    let mut run = LossHistory::of_bs("bs=16", 16);
    for (step, noise) in [
        (1, None),
        (2, Some(3.0)),
        (3, None),
        (4, Some(40.0)),
        (5, Some(f64::NAN)),
    ] {
        run.push(LossPoint {
            noise_scale: noise,
            ..history("", &[2.0], 16).points[0]
        });
        run.points.last_mut().unwrap().step = step;
    }
    let data = chart_data(
        &[run.clone(), LossHistory::new("unknown bs")],
        XAxis::Updates,
        ChartY::NoiseScale,
        YScale::Linear,
        0.0,
        100,
    );
    assert_eq!((data.y, data.y_scale), (ChartY::NoiseScale, YScale::Log));
    let noise = &data.series[0];
    assert_eq!(
        noise.smoothed,
        vec![
            PlotPoint {
                x: 2.0,
                y: 3.0,
                index: 1
            },
            PlotPoint {
                x: 4.0,
                y: 40.0,
                index: 3
            },
        ],
        "the measured steps only, NaN left out"
    );
    assert!(noise.raw.is_empty() && noise.validation.is_empty());
    assert_eq!(
        (noise.reference, data.series[1].reference),
        (Some(16.0), None)
    );
    assert_eq!(data.y_range, (3.0 / 1.05, 40.0 * 1.05));
    // The bs line counts in the range even above every measurement.
    let mut small = run.clone();
    small.bs = 64;
    let wide = chart_data(
        &[small],
        XAxis::Updates,
        ChartY::NoiseScale,
        YScale::Log,
        0.0,
        100,
    );
    assert_eq!(wide.y_range, (3.0 / 1.05, 64.0 * 1.05));
    // Hovering finds the noise line's points, and says the value.
    let area = PlotArea::new(700.0, 400.0, 1.0);
    let (x, y) = area.to_pixel(&data, 4.0, 40.0);
    assert_eq!(
        nearest(&data, &area, x, y, 5.0),
        Some(Nearest {
            run: 0,
            index: 3,
            validation: false
        })
    );
    assert!(
        describe(&run, 3, 0.0).ends_with(" · noise scale 40.0"),
        "{}",
        describe(&run, 3, 0.0)
    );
    // On the loss axis the same runs have no reference line.
    let loss = chart_data(
        &[run],
        XAxis::Updates,
        ChartY::Loss,
        YScale::Linear,
        0.0,
        100,
    );
    assert_eq!(loss.series[0].reference, None);
}
