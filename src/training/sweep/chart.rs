//! What the sweep chart draws and where: two log–log panels side by side,
//! updates to the target against bs and tokens to the target against bs;
//! every reached run a point, each bs's best lr marked, the perfect-scaling
//! line through the smallest bs's best point (steps ∝ 1/b, tokens flat),
//! and the fitted curve (`S(b) = S_min·(1 + B_crit/b)`, and in tokens
//! `b·S(b)` times the tokens per example the best runs read).
//!
//! The geometry lives here, not in plotters, so that hit-tests and the
//! page's pixel tests know where a point is drawn.

use super::fit::Fit;
use super::run::RunResult;
use super::BestLr;

/// Which panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    /// Updates to the target.
    Steps,
    /// Training tokens to the target.
    Tokens,
}

impl Panel {
    pub const BOTH: [Panel; 2] = [Panel::Steps, Panel::Tokens];

    pub fn title(self) -> &'static str {
        match self {
            Panel::Steps => "updates to the target",
            Panel::Tokens => "tokens to the target",
        }
    }
}

/// One reached run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepPoint {
    pub bs: usize,
    pub lr: f64,
    pub steps: f64,
    pub tokens: f64,
    /// The best lr of its bs.
    pub best: bool,
}

impl SweepPoint {
    pub fn value(&self, panel: Panel) -> f64 {
        match panel {
            Panel::Steps => self.steps,
            Panel::Tokens => self.tokens,
        }
    }
}

/// Everything the chart draws.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepChartData {
    /// The batch sizes of the sweep (the x axis's ticks), ascending.
    pub sizes: Vec<usize>,
    pub points: Vec<SweepPoint>,
    /// The smallest bs's best point: the perfect-scaling line goes through it.
    pub perfect_from: Option<SweepPoint>,
    pub fit: Option<Fit>,
    /// Tokens per example (bs × steps) the best runs read: the fit in tokens.
    pub tokens_per_example: f64,
    /// Log-axis ends: x (bs), then y of each panel.
    pub x_range: (f64, f64),
    pub steps_range: (f64, f64),
    pub tokens_range: (f64, f64),
}

/// The chart for a sweep over `sizes` with these `results` so far, each bs's
/// `best` run and the `fit`.
pub fn sweep_chart_data(
    sizes: &[usize],
    results: &[RunResult],
    best: &[BestLr],
    fit: Option<Fit>,
) -> SweepChartData {
    let is_best = |r: &RunResult| best.iter().any(|b| b.bs == r.bs && b.best_lr == Some(r.lr));
    let points: Vec<SweepPoint> = results
        .iter()
        .filter(|r| r.reached && r.steps > 0)
        .map(|r| SweepPoint {
            bs: r.bs,
            lr: r.lr,
            steps: r.steps as f64,
            tokens: r.tokens as f64,
            best: is_best(r),
        })
        .collect();
    let best_points: Vec<&SweepPoint> = points.iter().filter(|p| p.best).collect();
    let perfect_from = best_points.iter().min_by_key(|p| p.bs).map(|p| **p);
    let tokens_per_example = if best_points.is_empty() {
        1.0
    } else {
        best_points
            .iter()
            .map(|p| p.tokens / (p.bs as f64 * p.steps))
            .sum::<f64>()
            / best_points.len() as f64
    };
    let smallest = sizes.first().copied().unwrap_or(1).max(1) as f64;
    let largest = sizes.last().copied().unwrap_or(1).max(1) as f64;
    let x_range = (smallest / 1.5, largest * 1.5);
    let mut data = SweepChartData {
        sizes: sizes.to_vec(),
        points,
        perfect_from,
        fit,
        tokens_per_example,
        x_range,
        steps_range: (1.0, 1.0),
        tokens_range: (1.0, 1.0),
    };
    data.steps_range = data.y_range(Panel::Steps, (10.0, 1_000.0));
    data.tokens_range = data.y_range(Panel::Tokens, (1e4, 1e6));
    data
}

impl SweepChartData {
    /// The y axis's ends of `panel`.
    pub fn range(&self, panel: Panel) -> (f64, f64) {
        match panel {
            Panel::Steps => self.steps_range,
            Panel::Tokens => self.tokens_range,
        }
    }

    /// The fitted curve's value at `bs` in `panel`.
    pub fn fitted(&self, panel: Panel, bs: f64) -> Option<f64> {
        let fit = self.fit?;
        let steps = fit.s_min * (1.0 + fit.b_crit / bs);
        Some(match panel {
            Panel::Steps => steps,
            Panel::Tokens => steps * bs * self.tokens_per_example,
        })
    }

    /// The perfect-scaling line's value at `bs` in `panel`: as many updates
    /// fewer as bs is larger, and so the same tokens.
    pub fn perfect(&self, panel: Panel, bs: f64) -> Option<f64> {
        let from = self.perfect_from?;
        Some(match panel {
            Panel::Steps => from.steps * from.bs as f64 / bs,
            Panel::Tokens => from.tokens,
        })
    }

    /// `(bs, value)` along a line of `panel` across the x axis, `samples` of
    /// them evenly spaced in log bs (`line` gives the value at a bs).
    pub fn trace(&self, samples: usize, line: impl Fn(f64) -> Option<f64>) -> Vec<(f64, f64)> {
        let (lo, hi) = (self.x_range.0.ln(), self.x_range.1.ln());
        (0..samples.max(2))
            .filter_map(|i| {
                let bs = (lo + (hi - lo) * i as f64 / (samples.max(2) - 1) as f64).exp();
                Some((bs, line(bs)?))
            })
            .collect()
    }

    /// Ends of a log axis holding the points and the fit (and `empty` when
    /// there is nothing yet), padded by a factor of 1.5 either side.
    fn y_range(&self, panel: Panel, empty: (f64, f64)) -> (f64, f64) {
        let fitted = self.trace(16, |bs| self.fitted(panel, bs));
        let values: Vec<f64> = self
            .points
            .iter()
            .map(|p| p.value(panel))
            .chain(fitted.into_iter().map(|(_, v)| v))
            .filter(|v| v.is_finite() && *v > 0.0)
            .collect();
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(0.0, f64::max);
        if values.is_empty() {
            return empty;
        }
        (lo / 1.5, hi * 1.5)
    }
}

/// CSS size of the chart's canvas.
pub const CSS_WIDTH: f64 = 720.0;
pub const CSS_HEIGHT: f64 = 300.0;
/// Space for a panel's title above it, its tick labels left of and below it
/// (CSS pixels), and between the two panels.
const TITLE_CSS: f64 = 24.0;
const Y_LABELS_CSS: f64 = 52.0;
const X_LABELS_CSS: f64 = 40.0;
const GAP_CSS: f64 = 16.0;
const RIGHT_CSS: f64 = 10.0;

/// Where each panel's plot area lies on a canvas, in device pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepLayout {
    pub ratio: f64,
    /// (left, top, right, bottom) of the steps panel, then the tokens panel.
    pub areas: [(f64, f64, f64, f64); 2],
}

impl SweepLayout {
    /// The layout of a canvas of `width × height` device pixels at `ratio`
    /// device pixels per CSS pixel.
    pub fn new(width: f64, height: f64, ratio: f64) -> SweepLayout {
        let panel_width = (width - (2.0 * Y_LABELS_CSS + GAP_CSS + RIGHT_CSS) * ratio) / 2.0;
        let (top, bottom) = (TITLE_CSS * ratio, height - X_LABELS_CSS * ratio);
        let left = Y_LABELS_CSS * ratio;
        let second = left + panel_width + (GAP_CSS + Y_LABELS_CSS) * ratio;
        SweepLayout {
            ratio,
            areas: [
                (left, top, left + panel_width, bottom),
                (second, top, second + panel_width, bottom),
            ],
        }
    }

    pub fn area(&self, panel: Panel) -> (f64, f64, f64, f64) {
        self.areas[panel as usize]
    }

    /// The device pixel of (`bs`, `value`) in `panel`.
    pub fn to_pixel(&self, data: &SweepChartData, panel: Panel, bs: f64, value: f64) -> (f64, f64) {
        let (left, top, right, bottom) = self.area(panel);
        let share = |v: f64, (lo, hi): (f64, f64)| (v.ln() - lo.ln()) / (hi.ln() - lo.ln());
        (
            left + share(bs, data.x_range) * (right - left),
            bottom - share(value, data.range(panel)) * (bottom - top),
        )
    }

    /// Whether a device pixel lies inside `panel`'s plot area.
    pub fn inside(&self, panel: Panel, (x, y): (f64, f64)) -> bool {
        let (left, top, right, bottom) = self.area(panel);
        (left..=right).contains(&x) && (top..=bottom).contains(&y)
    }
}

/// Tick values of a log axis from `lo` to `hi`: 1, 2, 5 × powers of ten
/// (only the powers of ten when the axis spans more than two decades).
pub fn log_ticks((lo, hi): (f64, f64)) -> Vec<f64> {
    let steps: &[f64] = if hi / lo > 1_000.0 {
        &[1.0]
    } else {
        &[1.0, 2.0, 5.0]
    };
    let mut ticks = Vec::new();
    let mut decade = 10f64.powf(lo.log10().floor());
    while decade <= hi {
        for &step in steps {
            let tick = decade * step;
            if tick >= lo && tick <= hi {
                ticks.push(tick);
            }
        }
        decade *= 10.0;
    }
    ticks
}

#[cfg(test)]
mod tests;
