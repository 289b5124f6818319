//! Draws the sweep chart (`training::sweep::chart`): per panel, a log grid
//! with the batch sizes as x ticks, the perfect-scaling line dashed, the
//! fitted curve solid, every reached run as a small dot and each bs's best
//! lr as a large one, and on the updates panel the fitted critical batch
//! size as a labelled vertical line.
//!
//! Generic over plotters' `DrawingBackend`, drawn in device pixels at the
//! places `SweepLayout` computes, so tests know where each mark is.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::loss_chart_draw::{short_number, BACKGROUND};
use crate::training::sweep::chart::{log_ticks, Panel, SweepChartData, SweepLayout};
use crate::training::sweep::verdict::approx;

/// Each bs's best lr.
pub const BEST: RGBColor = RGBColor(31, 119, 180);
/// Every other reached run.
pub const OTHER_RUN: RGBColor = RGBColor(150, 185, 215);
/// The fitted curve and the critical batch size.
pub const FIT: RGBColor = RGBColor(230, 110, 0);
/// The perfect-scaling line.
pub const PERFECT: RGBColor = RGBColor(120, 120, 120);
const AXIS: RGBColor = RGBColor(90, 90, 90);
const GRID: RGBColor = RGBColor(232, 232, 232);

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Draws `data` on `area` laid out as `layout`.
pub fn draw_sweep_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &SweepChartData,
    layout: &SweepLayout,
) -> DrawResult<DB> {
    area.fill(&BACKGROUND)?;
    for panel in Panel::BOTH {
        draw_axes(area, data, layout, panel)?;
        draw_lines(area, data, layout, panel)?;
        draw_points(area, data, layout, panel)?;
    }
    Ok(())
}

fn pixel((x, y): (f64, f64)) -> (i32, i32) {
    (x.round() as i32, y.round() as i32)
}

fn draw_axes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &SweepChartData,
    layout: &SweepLayout,
    panel: Panel,
) -> DrawResult<DB> {
    let ratio = layout.ratio;
    let (left, top, right, bottom) = layout.area(panel);
    let font = ("sans-serif", 12.0 * ratio).into_font().color(&AXIS);
    let (y_lo, _) = data.range(panel);
    for &bs in &data.sizes {
        let (x, _) = layout.to_pixel(data, panel, bs as f64, y_lo);
        area.draw(&PathElement::new(
            vec![pixel((x, top)), pixel((x, bottom))],
            GRID,
        ))?;
        let at = pixel((x, bottom + 4.0 * ratio));
        area.draw(&Text::new(
            bs.to_string(),
            at,
            font.pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    for tick in log_ticks(data.range(panel)) {
        let (_, y) = layout.to_pixel(data, panel, data.x_range.0, tick);
        area.draw(&PathElement::new(
            vec![pixel((left, y)), pixel((right, y))],
            GRID,
        ))?;
        let at = pixel((left - 6.0 * ratio, y));
        let label = font.pos(Pos::new(HPos::Right, VPos::Center));
        area.draw(&Text::new(short_number(tick), at, label))?;
    }
    area.draw(&Rectangle::new(
        [pixel((left, top)), pixel((right, bottom))],
        AXIS,
    ))?;
    let title = font.pos(Pos::new(HPos::Left, VPos::Bottom));
    area.draw(&Text::new(
        panel.title(),
        pixel((left, top - 6.0 * ratio)),
        title,
    ))?;
    let caption = font.pos(Pos::new(HPos::Center, VPos::Bottom));
    let under = pixel(((left + right) / 2.0, bottom + 38.0 * ratio));
    area.draw(&Text::new("bs (log scale)", under, caption))
}

/// The runs of consecutive samples of a line that fall inside the panel.
fn inside_runs(
    layout: &SweepLayout,
    data: &SweepChartData,
    panel: Panel,
    samples: Vec<(f64, f64)>,
) -> Vec<Vec<(i32, i32)>> {
    let mut runs: Vec<Vec<(i32, i32)>> = vec![Vec::new()];
    for (bs, value) in samples {
        let at = layout.to_pixel(data, panel, bs, value);
        if layout.inside(panel, at) {
            runs.last_mut().expect("never empty").push(pixel(at));
        } else if !runs.last().expect("never empty").is_empty() {
            runs.push(Vec::new());
        }
    }
    runs.retain(|run| run.len() > 1);
    runs
}

fn draw_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &SweepChartData,
    layout: &SweepLayout,
    panel: Panel,
) -> DrawResult<DB> {
    let width = |css: f64| (css * layout.ratio).round().max(1.0) as u32;
    let perfect = data.trace(96, |bs| data.perfect(panel, bs));
    for run in inside_runs(layout, data, panel, perfect) {
        let (dash, gap) = (width(6.0), width(4.0));
        area.draw(&DashedPathElement::new(
            run,
            dash,
            gap,
            PERFECT.stroke_width(width(1.5)),
        ))?;
    }
    let fitted = data.trace(96, |bs| data.fitted(panel, bs));
    for run in inside_runs(layout, data, panel, fitted) {
        area.draw(&PathElement::new(run, FIT.stroke_width(width(2.0))))?;
    }
    let Some(fit) = data.fit.filter(|_| panel == Panel::Steps) else {
        return Ok(());
    };
    let (_, top, _, bottom) = layout.area(panel);
    let (x, _) = layout.to_pixel(data, panel, fit.b_crit, data.range(panel).0);
    if !layout.inside(panel, (x, bottom)) {
        return Ok(()); // B_crit lies off the measured sizes: the verdict says so
    }
    let line = vec![pixel((x, top)), pixel((x, bottom))];
    area.draw(&DashedPathElement::new(
        line,
        width(2.0),
        width(3.0),
        FIT.stroke_width(width(1.0)),
    ))?;
    let font = ("sans-serif", 12.0 * layout.ratio).into_font().color(&FIT);
    let label = format!("B_crit ≈ {}", approx(fit.b_crit));
    let at = pixel((x + 4.0 * layout.ratio, top + 4.0 * layout.ratio));
    area.draw(&Text::new(
        label,
        at,
        font.pos(Pos::new(HPos::Left, VPos::Top)),
    ))
}

fn draw_points<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &SweepChartData,
    layout: &SweepLayout,
    panel: Panel,
) -> DrawResult<DB> {
    let radius = |css: f64| (css * layout.ratio).round() as i32;
    // The best runs last, on top.
    for best in [false, true] {
        for point in data.points.iter().filter(|p| p.best == best) {
            let at = pixel(layout.to_pixel(data, panel, point.bs as f64, point.value(panel)));
            if best {
                area.draw(&Circle::new(at, radius(5.0), BEST.filled()))?;
                let ring = BACKGROUND.stroke_width(radius(1.0).max(1) as u32);
                area.draw(&Circle::new(at, radius(5.0), ring))?;
            } else {
                area.draw(&Circle::new(at, radius(3.5), OTHER_RUN.filled()))?;
            }
        }
    }
    Ok(())
}
