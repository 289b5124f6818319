//! What the loss chart plots, computed without a browser: each run's raw,
//! smoothed and validation losses (or its gradient noise scale beside its
//! batch size) as (x, y) points on the chosen x axis,
//! thinned to what the canvas can show, the axis ranges, where the plot area
//! sits on the canvas, and which point is nearest to the mouse.

use std::borrow::Borrow;

use super::chart_axes::{ChartY, XAxis, YScale};
use super::history::{format_epochs, LossHistory};

/// One run's colour, by its index in the race (Tableau 10; repeats after 8).
pub const PALETTE: [(u8, u8, u8); 8] = [
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
];

pub fn colour(run: usize) -> (u8, u8, u8) {
    PALETTE[run % PALETTE.len()]
}

/// A plotted point; `index` is the point's place in its history.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlotPoint {
    pub x: f64,
    pub y: f64,
    pub index: usize,
}

/// One run on the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartSeries {
    pub label: String,
    pub colour: (u8, u8, u8),
    /// Per-batch losses (drawn faint), thinned to min and max per bucket so spikes stay.
    pub raw: Vec<PlotPoint>,
    /// The smoothed losses (drawn solid), thinned by stride, last point kept.
    pub smoothed: Vec<PlotPoint>,
    /// Validation losses (drawn as markers), all of them.
    pub validation: Vec<PlotPoint>,
    /// A level drawn dashed across the chart: the run's bs beside its noise scale.
    pub reference: Option<f64>,
}

/// Everything the chart draws.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartData {
    pub series: Vec<ChartSeries>,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub x_axis: XAxis,
    pub y: ChartY,
    pub y_scale: YScale,
}

/// The histories on `x_axis`, smoothed with `smoothing` (see
/// `history::smooth`), each line thinned to about `max_points` points.
/// Non-finite values are left out, and on a log axis non-positive ones too.
/// The noise scale spans orders of magnitude and is always on a log axis;
/// its line is the run's running estimate, drawn as measured.
/// Ranges span every plotted value with a margin (5% linear, ×/÷ 1.05 log);
/// with nothing to plot they are 0..1 and 1..5.
pub fn chart_data<H: Borrow<LossHistory>>(
    histories: &[H],
    x_axis: XAxis,
    y: ChartY,
    y_scale: YScale,
    smoothing: f64,
    max_points: usize,
) -> ChartData {
    let y_scale = if y == ChartY::NoiseScale {
        YScale::Log
    } else {
        y_scale
    };
    let plottable = |y: f64| y.is_finite() && (y_scale == YScale::Linear || y > 0.0);
    let series: Vec<ChartSeries> = histories
        .iter()
        .enumerate()
        .map(|(run, history)| {
            let history: &LossHistory = history.borrow();
            if y == ChartY::NoiseScale {
                let noise: Vec<PlotPoint> = history
                    .points
                    .iter()
                    .enumerate()
                    .filter_map(|(i, p)| p.noise_scale.filter(|&v| plottable(v)).map(|v| (i, v)))
                    .map(|(index, v)| PlotPoint {
                        x: x_axis.value(&history.points[index]),
                        y: v,
                        index,
                    })
                    .collect();
                return ChartSeries {
                    label: history.label.clone(),
                    colour: colour(run),
                    raw: Vec::new(),
                    smoothed: thin_stride(&noise, max_points),
                    validation: Vec::new(),
                    reference: (history.bs > 0).then_some(history.bs as f64),
                };
            }
            let smoothed_values = history.smoothed(smoothing);
            let at = |index: usize, y: f64| PlotPoint {
                x: x_axis.value(&history.points[index]),
                y,
                index,
            };
            let raw: Vec<PlotPoint> = history
                .points
                .iter()
                .enumerate()
                .filter(|(_, p)| plottable(p.loss))
                .map(|(i, p)| at(i, p.loss))
                .collect();
            let smoothed: Vec<PlotPoint> = smoothed_values
                .iter()
                .enumerate()
                .filter(|(_, &y)| plottable(y))
                .map(|(i, &y)| at(i, y))
                .collect();
            let validation = history
                .points
                .iter()
                .enumerate()
                .filter_map(|(i, p)| p.val_loss.filter(|&v| plottable(v)).map(|v| at(i, v)))
                .collect();
            ChartSeries {
                label: history.label.clone(),
                colour: colour(run),
                raw: thin_min_max(&raw, max_points),
                smoothed: thin_stride(&smoothed, max_points),
                validation,
                reference: None,
            }
        })
        .collect();
    let all = || {
        series
            .iter()
            .flat_map(|s| s.raw.iter().chain(&s.smoothed).chain(&s.validation))
    };
    let span = |values: &mut dyn Iterator<Item = f64>| {
        values.fold(None, |r: Option<(f64, f64)>, v| {
            Some(r.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
        })
    };
    let x_range = match span(&mut all().map(|p| p.x)) {
        Some((lo, hi)) if hi > lo => (lo.min(0.0), hi),
        Some((_, hi)) if hi > 0.0 => (0.0, hi),
        _ => (0.0, 1.0),
    };
    let levels = series.iter().filter_map(|s| s.reference);
    let y_range = match (span(&mut all().map(|p| p.y).chain(levels)), y_scale) {
        (None, _) => (1.0, 5.0),
        (Some((lo, hi)), YScale::Log) => (lo / 1.05, hi * 1.05),
        (Some((lo, hi)), YScale::Linear) => {
            let pad = if hi > lo { (hi - lo) * 0.05 } else { 0.5 };
            (lo - pad, hi + pad)
        }
    };
    ChartData {
        series,
        x_range,
        y_range,
        x_axis,
        y,
        y_scale,
    }
}

/// At most about `max_points` points: the lowest and the highest of each bucket, in x order.
fn thin_min_max(points: &[PlotPoint], max_points: usize) -> Vec<PlotPoint> {
    let buckets = (max_points / 2).max(1);
    if points.len() <= max_points.max(2) {
        return points.to_vec();
    }
    let size = points.len().div_ceil(buckets);
    let mut out = Vec::with_capacity(2 * buckets);
    for bucket in points.chunks(size) {
        let low = bucket
            .iter()
            .min_by(|a, b| a.y.total_cmp(&b.y))
            .expect("chunks are not empty");
        let high = bucket
            .iter()
            .max_by(|a, b| a.y.total_cmp(&b.y))
            .expect("chunks are not empty");
        let (first, second) = if low.index <= high.index {
            (low, high)
        } else {
            (high, low)
        };
        out.push(*first);
        if second.index != first.index {
            out.push(*second);
        }
    }
    out
}

/// Every k-th point so that at most about `max_points` remain, the last always kept.
fn thin_stride(points: &[PlotPoint], max_points: usize) -> Vec<PlotPoint> {
    if points.len() <= max_points.max(2) {
        return points.to_vec();
    }
    let stride = points.len().div_ceil(max_points.max(2) - 1);
    let mut out: Vec<PlotPoint> = points.iter().step_by(stride).copied().collect();
    if out.last() != points.last() {
        out.extend(points.last());
    }
    out
}

/// Where the plot area sits on the canvas, in device pixels: what the axis
/// labels leave. The drawing and the hover share it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlotArea {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

/// Margin around the chart and the space of the axis labels, in CSS pixels.
pub const MARGIN_CSS: f64 = 8.0;
pub const X_LABELS_CSS: f64 = 34.0;
pub const Y_LABELS_CSS: f64 = 52.0;

impl PlotArea {
    /// The plot area of a `width × height` device-pixel canvas at `ratio` device pixels per CSS pixel.
    pub fn new(width: f64, height: f64, ratio: f64) -> PlotArea {
        let margin = (MARGIN_CSS * ratio).round();
        PlotArea {
            left: margin + (Y_LABELS_CSS * ratio).round(),
            top: margin,
            right: width - margin,
            bottom: height - margin - (X_LABELS_CSS * ratio).round(),
        }
    }

    /// Device-pixel position of a data point.
    pub fn to_pixel(&self, data: &ChartData, x: f64, y: f64) -> (f64, f64) {
        let fraction =
            |v: f64, (lo, hi): (f64, f64)| if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
        let fy = match data.y_scale {
            YScale::Linear => fraction(y, data.y_range),
            YScale::Log => fraction(y.ln(), (data.y_range.0.ln(), data.y_range.1.ln())),
        };
        (
            self.left + fraction(x, data.x_range) * (self.right - self.left),
            self.bottom - fy * (self.bottom - self.top),
        )
    }
}

/// The point under the mouse: which run, which point of its history.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Nearest {
    pub run: usize,
    pub index: usize,
    /// Whether the nearest mark was the validation marker rather than the loss line.
    pub validation: bool,
}

/// The plotted point nearest to device pixel (`px`, `py`), raw and
/// validation points of every run (the noise scale's line when it is
/// shown), within `radius` pixels.
pub fn nearest(
    data: &ChartData,
    area: &PlotArea,
    px: f64,
    py: f64,
    radius: f64,
) -> Option<Nearest> {
    let mut best: Option<(f64, Nearest)> = None;
    for (run, series) in data.series.iter().enumerate() {
        let line = match data.y {
            ChartY::Loss => &series.raw,
            ChartY::NoiseScale => &series.smoothed,
        };
        let marks = line
            .iter()
            .map(|p| (p, false))
            .chain(series.validation.iter().map(|p| (p, true)));
        for (p, validation) in marks {
            let (x, y) = area.to_pixel(data, p.x, p.y);
            let distance = (x - px).hypot(y - py);
            if distance <= radius && best.is_none_or(|(d, _)| distance < d) {
                best = Some((
                    distance,
                    Nearest {
                        run,
                        index: p.index,
                        validation,
                    },
                ));
            }
        }
    }
    best.map(|(_, n)| n)
}

/// The hover read-out for a point of `history`, e.g.
/// `bs=4 · step 120 · 33600 tokens · 1.25 epochs · 12.3 s · loss 2.345 (smoothed 2.401) · val 2.500`.
pub fn describe(history: &LossHistory, index: usize, smoothing: f64) -> String {
    let p = &history.points[index];
    let smoothed = history.smoothed(smoothing)[index];
    let val = p
        .val_loss
        .map(|v| format!(" · val {v:.3}"))
        .unwrap_or_default();
    let noise = p
        .noise_scale
        .map(|v| format!(" · noise scale {v:.1}"))
        .unwrap_or_default();
    format!(
        "{} · step {} · {} tokens · {} · {:.1} s · loss {:.3} (smoothed {:.3}){val}{noise}",
        history.label,
        p.step,
        p.tokens_seen,
        format_epochs(p.epoch),
        p.seconds,
        p.loss,
        smoothed
    )
}

#[cfg(test)]
mod tests;
