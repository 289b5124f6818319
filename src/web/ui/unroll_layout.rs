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
mod tests {
    use super::*;

    fn ts(row: &CellRow) -> Vec<usize> {
        row.cells.iter().map(|c| c.t).collect()
    }

    #[test]
    fn up_to_forty_cells_are_full_size_so_lengths_compare() {
        let short = lay_out_cells(35, 100.0, 800.0);
        let full = lay_out_cells(40, 100.0, 800.0);
        assert_eq!((short.pitch, full.pitch), (20.0, 20.0));
        assert_eq!(short.cell_width, 14.0);
        assert_eq!(ts(&short), (0..35).collect::<Vec<_>>());
        assert_eq!(short.cells[3].x, 160.0);
        assert_eq!(short.right(100.0), 100.0 + 34.0 * 20.0 + 14.0);
        assert!(short.elision.is_none() && full.elision.is_none());
    }

    #[test]
    fn a_row_splits_into_runs_of_consecutive_cells() {
        let whole = lay_out_cells(78, 0.0, 780.0);
        assert_eq!(
            whole.runs(),
            vec![CellRun {
                x: 0.0,
                first_t: 0,
                count: 78
            }]
        );
        let elided = lay_out_cells(400, 0.0, 780.0);
        let runs = elided.runs();
        assert_eq!(runs.len(), 2);
        assert_eq!((runs[0].first_t, runs[0].x), (0, 0.0));
        assert_eq!(
            runs[1].first_t + runs[1].count,
            400,
            "the last run ends with the last cell"
        );
        assert_eq!(runs[0].count + runs[1].count, elided.cells.len());
        assert_eq!(runs[1].x, elided.cells[runs[0].count].x);
        assert!(lay_out_cells(0, 0.0, 780.0).runs().is_empty());
    }

    #[test]
    fn arrowheads_keep_their_places_as_the_lane_grows() {
        let short = arrowhead_positions(10.0, 100.0, 20.0);
        assert_eq!(short, vec![20.0, 40.0, 60.0, 80.0]);
        let long = arrowhead_positions(10.0, 150.0, 20.0);
        assert_eq!(
            &long[..4],
            &short[..],
            "the same heads, and more at the right"
        );
        assert_eq!(long.len(), 7);
        assert!(arrowhead_positions(10.0, 15.0, 20.0).is_empty());
    }

    #[test]
    fn longer_windows_squeeze_down_to_the_minimum_pitch() {
        let row = lay_out_cells(78, 0.0, 780.0);
        assert_eq!(row.pitch, 10.0);
        assert_eq!(row.cells.len(), 78);
        assert_eq!(row.cells[77].x, 770.0);
        let tight = lay_out_cells(156, 0.0, 780.0); // exactly MIN_PITCH
        assert_eq!((tight.pitch, tight.cells.len()), (5.0, 156));
        assert!(tight.elision.is_none());
    }

    #[test]
    fn very_long_windows_keep_both_ends_and_elide_the_middle() {
        let row = lay_out_cells(180, 0.0, 700.0);
        // (700 - 90) / 5 = 122 cells fit: 61 from the start, 61 from the end.
        assert_eq!(row.pitch, MIN_PITCH);
        assert_eq!(row.cells.len(), 122);
        assert_eq!(ts(&row)[..2], [0, 1]);
        assert_eq!(ts(&row)[60..62], [60, 119]);
        assert_eq!(*ts(&row).last().unwrap(), 179);
        let gap = row.elision.unwrap();
        assert_eq!(gap.hidden, 58);
        assert_eq!(
            row.cells.len() + gap.hidden,
            180,
            "drawn + elided = seq_len"
        );
        assert_eq!(gap.x, 305.0);
        assert_eq!(gap.x + gap.width, row.cells[61].x);
        assert_eq!(row.right(0.0), 700.0 - MIN_PITCH + row.cell_width);
    }

    #[test]
    fn degenerate_windows_still_lay_out() {
        assert!(lay_out_cells(0, 0.0, 700.0).cells.is_empty());
        assert_eq!(lay_out_cells(0, 10.0, 700.0).right(10.0), 10.0);
        assert_eq!(ts(&lay_out_cells(1, 0.0, 700.0)), [0]);
        // Narrower than two minimum pitches: still first and last, nothing elided.
        assert_eq!(ts(&lay_out_cells(2, 0.0, 4.0)), [0, 1]);
        let tiny = lay_out_cells(50, 0.0, 60.0);
        assert_eq!(tiny.cells.len() + tiny.elision.unwrap().hidden, 50);
        assert_eq!(ts(&tiny), [0, 49]);
    }

    #[test]
    fn shades_are_decades_below_the_step_maximum() {
        assert_eq!(normalised_shades(&[1.0, 1e3, 1e6]), [0.0, 0.5, 1.0]);
        assert_eq!(
            normalised_shades(&[1e-9, 1.0]),
            [0.0, 1.0],
            "more than six decades down is palest"
        );
        assert_eq!(normalised_shades(&[0.0, 0.0]), [0.0, 0.0]);
        assert_eq!(
            normalised_shades(&[f32::NAN, 2.0, f32::INFINITY]),
            [0.0, 1.0, 0.0]
        );
        assert!(normalised_shades(&[]).is_empty());
    }

    #[test]
    fn shade_fill_runs_from_pale_to_dark_orange() {
        assert_eq!(shade_fill(0.0), "rgb(254,240,222)");
        assert_eq!(shade_fill(1.0), "rgb(166,54,3)");
        assert_eq!(shade_fill(0.5), "rgb(210,147,113)");
        assert_eq!(shade_fill(7.0), shade_fill(1.0));
    }

    #[test]
    fn half_draws_are_shorter_than_three_quarters_of_bptt() {
        assert!(is_half_draw(35, 70));
        assert!(is_half_draw(52, 70)); // 52 < 52.5
        assert!(!is_half_draw(53, 70));
        assert!(!is_half_draw(78, 70));
    }

    #[test]
    fn history_bars_mark_half_draws_and_scale_to_the_longest() {
        let chart = history_chart(&[78, 70, 74, 35], 70, 800.0, 100.0);
        let lens: Vec<_> = chart
            .bars
            .iter()
            .map(|b| (b.step, b.seq_len, b.half_draw))
            .collect();
        assert_eq!(
            lens,
            [
                (1, 78, false),
                (2, 70, false),
                (3, 74, false),
                (4, 35, true)
            ]
        );
        // Top of the scale = 78 × 1.15; a 16-unit pitch for few bars.
        let top = 78.0 * 1.15;
        assert!((chart.bars[0].height - 100.0 / 1.15).abs() < 1e-9);
        assert!((chart.bptt_y - (100.0 - 70.0 / top * 100.0)).abs() < 1e-9);
        assert_eq!((chart.bars[1].x, chart.bars[1].width), (16.0, 12.8));
        assert_eq!(chart.bars[3].y + chart.bars[3].height, 100.0);
    }

    #[test]
    fn history_chart_keeps_the_last_two_hundred_steps() {
        let history: Vec<usize> = (1..=250).collect();
        let chart = history_chart(&history, 70, 800.0, 100.0);
        assert_eq!(chart.bars.len(), 200);
        assert_eq!((chart.bars[0].step, chart.bars[0].seq_len), (51, 51));
        assert_eq!(chart.bars[199].step, 250);
        assert_eq!(chart.bars[1].x, 4.0);
        assert!(history_chart(&[], 70, 800.0, 100.0).bars.is_empty());
    }

    #[test]
    fn history_text_lists_the_last_thirty_values() {
        assert_eq!(
            history_text(&[78, 70, 74, 35]),
            "seq_len per step: 78, 70, 74, 35"
        );
        assert_eq!(history_text(&[]), "seq_len per step: none yet (press Step)");
        let long: Vec<usize> = (1..=40).collect();
        let text = history_text(&long);
        assert!(
            text.starts_with("seq_len per step (last 30 of 40): …, 11, 12,"),
            "{text}"
        );
        assert!(text.ends_with("39, 40"));
    }
}
