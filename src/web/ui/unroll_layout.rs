//! Pure layout maths of the unrolled-LSTM view: where each unrolled cell goes,
//! when the middle of a long window is elided, how dark each cell is shaded,
//! and which history bars are fastai's bptt/2 draws. No web types, so it is
//! unit-tested natively (`cargo test --lib ui::unroll`).

/// Windows up to this many cells are drawn at full size, so that 78 and 70
/// cells differ visibly in length; longer windows squeeze.
pub const FULL_SIZE_CELLS: usize = 40;
/// Narrowest distance between neighbouring cells (viewBox units) before the
/// middle of the window is elided instead.
pub const MIN_PITCH: f64 = 5.0;
/// Room kept for the "… 120 more …" label when cells are elided.
pub const ELISION_WIDTH: f64 = 90.0;
/// Share of a cell's pitch taken by the cell itself; the rest is the h/c arrow.
pub const CELL_SHARE: f64 = 0.7;

/// One unrolled cell that is drawn: its time step `t` (0-based) and left edge.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DrawnCell {
    pub t: usize,
    pub x: f64,
}

/// The gap standing in for cells that do not fit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Elision {
    /// How many cells the gap stands for.
    pub hidden: usize,
    pub x: f64,
    pub width: f64,
}

/// The row of unrolled cells of one window.
#[derive(Clone, Debug, PartialEq)]
pub struct CellRow {
    /// Distance from one cell's left edge to the next's.
    pub pitch: f64,
    pub cell_width: f64,
    /// The cells drawn, left to right; always the first and the last.
    pub cells: Vec<DrawnCell>,
    pub elision: Option<Elision>,
}

/// Drawn cells next to each other at one pitch: the whole row, or one side
/// of an elided gap.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CellRun {
    /// Left edge of the run's first cell.
    pub x: f64,
    /// Time step of the run's first cell.
    pub first_t: usize,
    pub count: usize,
}

impl CellRow {
    /// Right edge of the last drawn cell (the left edge when there is none).
    pub fn right(&self, left: f64) -> f64 {
        self.cells.last().map_or(left, |c| c.x + self.cell_width)
    }

    /// The row as runs of consecutive time steps. Drawn at `x + i × pitch`,
    /// a run's cells keep their own coordinates when the window grows or
    /// shrinks: only the run's offset and scale change.
    pub fn runs(&self) -> Vec<CellRun> {
        let mut runs: Vec<CellRun> = Vec::new();
        for c in &self.cells {
            match runs.last_mut() {
                Some(run) if run.first_t + run.count == c.t => run.count += 1,
                _ => runs.push(CellRun {
                    x: c.x,
                    first_t: c.t,
                    count: 1,
                }),
            }
        }
        runs
    }
}

/// Where the gradient lane's arrowheads go between `from` and `to`: every
/// `spacing` from the lane's fixed left end, so a longer window only adds
/// heads at the right instead of moving all of them.
pub fn arrowhead_positions(from: f64, to: f64, spacing: f64) -> Vec<f64> {
    (0..)
        .map(|i| from + spacing * (i as f64 + 0.5))
        .take_while(|x| *x < to)
        .collect()
}

/// Lays out `seq_len` cells in `[left, left + width)`: full size up to
/// [`FULL_SIZE_CELLS`], then narrower down to [`MIN_PITCH`], then the first
/// and last cells kept with the middle elided.
pub fn lay_out_cells(seq_len: usize, left: f64, width: f64) -> CellRow {
    let full_pitch = width / FULL_SIZE_CELLS as f64;
    let squeezed = width / seq_len.max(1) as f64;
    if squeezed >= MIN_PITCH || seq_len <= 2 {
        let pitch = full_pitch.min(squeezed);
        let cells = (0..seq_len)
            .map(|t| DrawnCell {
                t,
                x: left + t as f64 * pitch,
            })
            .collect();
        return CellRow {
            pitch,
            cell_width: pitch * CELL_SHARE,
            cells,
            elision: None,
        };
    }
    // Elide the middle: as many cells as fit at the minimum pitch, split
    // between the start and the end of the window (the two edges are what
    // the learner looks at: where the carried state enters, where the loss is).
    let pitch = MIN_PITCH;
    let fitting = (((width - ELISION_WIDTH) / pitch).floor() as usize).clamp(2, seq_len - 1);
    let head = fitting.div_ceil(2);
    let tail = fitting - head;
    let gap_x = left + head as f64 * pitch;
    let tail_x = left + width - tail as f64 * pitch;
    let mut cells: Vec<DrawnCell> = (0..head)
        .map(|t| DrawnCell {
            t,
            x: left + t as f64 * pitch,
        })
        .collect();
    cells.extend((0..tail).map(|i| DrawnCell {
        t: seq_len - tail + i,
        x: tail_x + i as f64 * pitch,
    }));
    let elision = Elision {
        hidden: seq_len - fitting,
        x: gap_x,
        width: tail_x - gap_x,
    };
    CellRow {
        pitch,
        cell_width: pitch * CELL_SHARE,
        cells,
        elision: Some(elision),
    }
}

/// Each cell's gradient norm as a shade in [0, 1], in decades below the step's largest.
/// Non-finite norms and an all-zero step shade as 0 rather than poisoning
/// the whole row.
pub fn normalised_shades(norms: &[f32]) -> Vec<f32> {
    let max = norms
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0f32, f32::max);
    norms
        .iter()
        .map(|&v| {
            if max > 0.0 && v.is_finite() && v > 0.0 {
                (1.0 + (v / max).log10() / SHADE_DECADES).clamp(0.0, 1.0)
            } else {
                0.0
            }
        })
        .collect()
}

/// A gradient fades geometrically as it flows back through the cells, so the
/// shading is logarithmic: the step's largest norm is darkest, one
/// millionth of it (six decades down) is palest.
pub const SHADE_DECADES: f32 = 6.0;

/// Palest and darkest fill of a shaded cell: the gradient's own orange, so
/// "dark cell" and "gradient arrow" read as the same thing.
const SHADE_LIGHT: [f64; 3] = [254.0, 240.0, 222.0];
const SHADE_DARK: [f64; 3] = [166.0, 54.0, 3.0];

/// CSS colour of a cell whose normalised gradient norm is `shade` (0..=1).
pub fn shade_fill(shade: f32) -> String {
    let s = f64::from(shade.clamp(0.0, 1.0));
    let [r, g, b] =
        [0, 1, 2].map(|i| (SHADE_LIGHT[i] + (SHADE_DARK[i] - SHADE_LIGHT[i]) * s).round() as u8);
    format!("rgb({r},{g},{b})")
}

/// Is this window one of fastai v0.7's bptt/2 draws? Its lengths scatter
/// around bptt or bptt/2 with sd 5, so ¾·bptt separates the two.
pub fn is_half_draw(seq_len: usize, bptt: usize) -> bool {
    (seq_len as f64) < 0.75 * bptt as f64
}

/// How many steps the bar chart and the text show at most.
pub const HISTORY_BARS: usize = 200;
pub const HISTORY_TEXT_VALUES: usize = 30;

/// One bar of the seq_len history; `step` is 1-based over the whole run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HistoryBar {
    pub step: usize,
    pub seq_len: usize,
    pub x: f64,
    pub width: f64,
    pub y: f64,
    pub height: f64,
    pub half_draw: bool,
}

/// The history chart's bars and the height of its dashed bptt line.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryChart {
    pub bars: Vec<HistoryBar>,
    pub bptt_y: f64,
}

/// Bars for the last [`HISTORY_BARS`] steps in a `width` × `height` plot with
/// its baseline at `height`. Bars are at most 16 units wide so that a few
/// steps do not look like a wall; the scale leaves room above bptt for
/// fastai's draws longer than bptt.
pub fn history_chart(history: &[usize], bptt: usize, width: f64, height: f64) -> HistoryChart {
    let skipped = history.len().saturating_sub(HISTORY_BARS);
    let shown = &history[skipped..];
    let top = shown.iter().copied().max().unwrap_or(0).max(bptt).max(1) as f64 * 1.15;
    let scale = |v: usize| v as f64 / top * height;
    let pitch = (width / HISTORY_BARS as f64).max((width / shown.len().max(1) as f64).min(16.0));
    let bars = shown
        .iter()
        .enumerate()
        .map(|(i, &seq_len)| HistoryBar {
            step: skipped + i + 1,
            seq_len,
            x: i as f64 * pitch,
            width: (pitch * 0.8).max(1.0),
            y: height - scale(seq_len),
            height: scale(seq_len),
            half_draw: is_half_draw(seq_len, bptt),
        })
        .collect();
    HistoryChart {
        bars,
        bptt_y: height - scale(bptt),
    }
}

/// "seq_len per step: 78, 70, 74, 35", the last [`HISTORY_TEXT_VALUES`] at most.
pub fn history_text(history: &[usize]) -> String {
    if history.is_empty() {
        return "seq_len per step: none yet (press Step)".to_string();
    }
    let skipped = history.len().saturating_sub(HISTORY_TEXT_VALUES);
    let values: Vec<String> = history[skipped..].iter().map(|v| v.to_string()).collect();
    let lead = if skipped > 0 {
        format!(
            "seq_len per step (last {} of {}): …, ",
            values.len(),
            history.len()
        )
    } else {
        "seq_len per step: ".to_string()
    };
    lead + &values.join(", ")
}

#[cfg(test)]
mod tests;
