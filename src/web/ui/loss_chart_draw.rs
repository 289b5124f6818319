//! Draws the loss chart: per run, the per-batch losses faint, the smoothed
//! loss solid, the validation losses as markers joined by a dashed line, all
//! in the run's colour, on a linear or logarithmic loss axis; or each run's
//! noise scale solid and its bs as a dashed level.
//!
//! Generic over plotters' `DrawingBackend`; the plot area is the one
//! `race::chart_data::PlotArea` computes, so hovering finds what was drawn.

use plotters::coord::ranged1d::{AsRangedCoord, Ranged, ValueFormatter};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::training::race::chart_axes::{ChartY, YScale};
use crate::training::race::chart_data::{
    ChartData, PlotPoint, MARGIN_CSS, X_LABELS_CSS, Y_LABELS_CSS,
};

pub const BACKGROUND: RGBColor = RGBColor(255, 255, 255);
const AXIS: RGBColor = RGBColor(90, 90, 90);

/// Draws `data` filling `area`, at `ratio` device pixels per CSS pixel.
pub fn draw_loss_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    ratio: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&BACKGROUND)?;
    let (y0, y1) = data.y_range;
    match data.y_scale {
        YScale::Linear => plot(area, data, ratio, y0..y1),
        YScale::Log => plot(area, data, ratio, (y0..y1).log_scale()),
    }
}

fn plot<DB, Y>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    ratio: f64,
    y_spec: Y,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>
where
    DB: DrawingBackend,
    Y: AsRangedCoord<Value = f64>,
    Y::CoordDescType: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let px = |css: f64| (css * ratio).round() as u32;
    let mut chart = ChartBuilder::on(area)
        .margin(px(MARGIN_CSS))
        .x_label_area_size(px(X_LABELS_CSS))
        .y_label_area_size(px(Y_LABELS_CSS))
        .build_cartesian_2d(data.x_range.0..data.x_range.1, y_spec)?;
    let font = ("sans-serif", 12.0 * ratio).into_font().color(&AXIS);
    let x_label = |v: &f64| short_number(*v);
    let y_label = |v: &f64| match data.y {
        ChartY::Loss => format!("{v:.2}"),
        ChartY::NoiseScale => short_number(*v),
    };
    chart
        .configure_mesh()
        .light_line_style(RGBColor(238, 238, 238))
        .bold_line_style(RGBColor(220, 220, 220))
        .axis_style(AXIS)
        .label_style(font.clone())
        .axis_desc_style(font)
        .x_labels(8)
        .y_labels(6)
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .x_desc(data.x_axis.caption())
        .y_desc(data.y.caption())
        .draw()?;
    let width = |css: f64| (css * ratio).round().max(1.0) as u32;
    let xy = |points: &[PlotPoint]| points.iter().map(|p| (p.x, p.y)).collect::<Vec<_>>();
    for series in &data.series {
        let (r, g, b) = series.colour;
        let colour = RGBColor(r, g, b);
        chart.draw_series(LineSeries::new(
            xy(&series.raw),
            colour.mix(0.25).stroke_width(width(1.0)),
        ))?;
        chart.draw_series(LineSeries::new(
            xy(&series.smoothed),
            colour.stroke_width(width(2.0)),
        ))?;
        if series.validation.len() > 1 {
            let (dash, gap) = (width(5.0), width(4.0));
            chart.draw_series(DashedLineSeries::new(
                xy(&series.validation),
                dash,
                gap,
                colour.stroke_width(width(1.0)),
            ))?;
        }
        if let Some(level) = series.reference {
            let (dash, gap) = (width(8.0), width(5.0));
            chart.draw_series(DashedLineSeries::new(
                [(data.x_range.0, level), (data.x_range.1, level)],
                dash,
                gap,
                colour.stroke_width(width(1.5)),
            ))?;
        }
        let radius = width(3.5) as i32;
        chart.draw_series(
            series
                .validation
                .iter()
                .map(|p| Circle::new((p.x, p.y), radius, colour.filled())),
        )?;
        chart.draw_series(
            series
                .validation
                .iter()
                .map(|p| Circle::new((p.x, p.y), radius, BACKGROUND.stroke_width(width(1.0)))),
        )?;
    }
    Ok(())
}

/// Axis numbers a person reads at a glance: 950, 12k, 1.5M, 0.25.
pub fn short_number(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{}M", trim(v / 1e6))
    } else if a >= 1e4 {
        format!("{}k", trim(v / 1e3))
    } else if a >= 100.0 || v == v.round() {
        format!("{v:.0}")
    } else {
        trim(v)
    }
}

/// Up to two decimals, trailing zeros dropped.
fn trim(v: f64) -> String {
    let text = format!("{v:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}
