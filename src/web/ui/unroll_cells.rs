//! The SVG of one window's unrolled cells: seq_len copies of one cell
//! hanging from one box of shared weights, the state entering at the left,
//! the gradient lane flowing back and stopping at the window's edge.

use leptos::prelude::*;

use super::unroll_layout::{
    arrowhead_positions, lay_out_cells, normalised_shades, shade_fill, CellRow, CELL_SHARE,
};
use crate::data::batcher::Window;

// Geometry of the unrolled picture, in viewBox units (the SVG scales to its
// container; ~900 px wide on the page).
pub(crate) const WIDTH: f64 = 900.0;
/// The picture's width on a phone: fewer, larger cells, the middle elided.
pub(crate) const NARROW_WIDTH: f64 = 470.0;
/// Cells start here; the left margin holds the carried state and the stop mark.
const LEFT: f64 = 160.0;
const RIGHT_PAD: f64 = 12.0;
const W_BOX_BOTTOM: f64 = 30.0;
const CELLS_TOP: f64 = 64.0;
const STACK_HEIGHT: f64 = 84.0;
const CELLS_BOTTOM: f64 = CELLS_TOP + STACK_HEIGHT;
const INPUT_TAIL: f64 = CELLS_BOTTOM + 22.0;
const GRAD_Y: f64 = 204.0;
const HEIGHT: f64 = 222.0;
/// The horizontal line every cell's weight link hangs from, under the W box.
const BUS_Y: f64 = W_BOX_BOTTOM + 10.0;
/// Distance between the gradient lane's arrowheads.
const ARROWHEAD_SPACING: f64 = 16.0;
/// A cell's centre in a run's unit coordinates.
const CELL_MID: f64 = CELL_SHARE / 2.0;
/// Cells before the first step shades them.
const NEUTRAL_FILL: &str = "#eeeeea";

/// A number as an SVG attribute: two decimals are plenty at any zoom.
/// Written from integer hundredths: a bptt drag rewrites about a thousand
/// of these, and `{:.2}` takes core's slow exact-float path.
pub(crate) fn num(v: f64) -> String {
    let hundredths = (v * 100.0).round() as i64;
    let sign = if hundredths < 0 { "-" } else { "" };
    let h = hundredths.unsigned_abs();
    format!("{sign}{}.{:02}", h / 100, h % 100)
}

/// `offset` within the cell whose left edge is at `x` (a whole number), as an
/// SVG attribute: the offset is rounded first, so every cell's shapes are
/// its neighbour's moved by exactly one unit.
fn at(x: f64, offset: f64) -> String {
    num(x + (offset * 100.0).round() / 100.0)
}

/// A small filled triangle pointing left (`dir` = -1) or right (+1) or up (0) with its tip at (x, y).
pub(crate) fn arrowhead(x: f64, y: f64, dir: i32, class: &'static str) -> impl IntoView {
    let points = match dir {
        0 => format!(
            "{},{} {},{} {},{}",
            num(x),
            num(y),
            num(x - 3.0),
            num(y + 5.0),
            num(x + 3.0),
            num(y + 5.0)
        ),
        d => {
            let back = x - 5.0 * f64::from(d);
            format!(
                "{},{} {},{} {},{}",
                num(x),
                num(y),
                num(back),
                num(y - 3.0),
                num(back),
                num(y + 3.0)
            )
        }
    };
    view! { <polygon class=class points=points></polygon> }
}

/// What enters the first cell from the left.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entering {
    /// The previous batch's final (h, c), detached.
    Carried,
    /// Zeros: the first batch of an epoch.
    NewEpoch,
    /// Zeros: the scheme never carries a state (independent blocks).
    Independent,
}

pub(crate) fn entering(w: Window, carries: bool) -> Entering {
    match (carries, w.start) {
        (false, _) => Entering::Independent,
        (true, 0) => Entering::NewEpoch,
        (true, _) => Entering::Carried,
    }
}

/// The SVG of one window's unrolled cells.
///
/// Cells are drawn in runs (see [`CellRow::runs`]): inside a run, cell `i`
/// sits at `i` in a unit-wide coordinate system that the run's transform
/// scales to the pitch. A bptt drag thus changes one transform and adds or
/// drops cells at the end; giving each cell its own coordinates rewrote ~1,000
/// attributes per drag and cost the page its next frame. A cell's offset is
/// written into its shapes, not as a transform of its own: every transform
/// is a paint property the browser re-layerizes in each frame of the page,
/// and seq_len of them doubled that cost for every slider drag.
pub(crate) fn cells_picture(
    w: Window,
    norms: Option<Vec<f32>>,
    layers: usize,
    enters: Entering,
    width: f64,
) -> impl IntoView {
    let row = lay_out_cells(w.seq_len, LEFT, width - LEFT - RIGHT_PAD);
    let shades = norms.as_deref().map(normalised_shades);
    let layer_h = STACK_HEIGHT / layers as f64;
    // Layer 0 at the bottom (inputs enter there), the top layer — whose
    // ‖∂loss/∂h_t‖ the trainer reports — on top.
    let layer_y = move |l: usize| CELLS_BOTTOM - (l + 1) as f64 * layer_h + 2.0;
    let layer_mid = move |l: usize| layer_y(l) + (layer_h - 4.0) / 2.0;
    let right = row.right(LEFT);
    let w_box_x = LEFT + (right - LEFT) / 2.0 - 45.0;
    let times = if layers > 1 {
        "one set of weights per layer, used"
    } else {
        "one set of weights, used"
    };
    let centre = |x: f64| x + row.cell_width / 2.0;
    let bus = row.cells.first().zip(row.cells.last()).map(|(first, last)| {
        view! {
            <line class="weight-bus" x1=num(centre(first.x)) y1=num(BUS_Y) x2=num(centre(last.x)) y2=num(BUS_Y)></line>
            <line class="weight-bus" x1=num(w_box_x + 45.0) y1=num(W_BOX_BOTTOM) x2=num(w_box_x + 45.0) y2=num(BUS_Y)></line>
        }
    });
    let runs = row
        .runs()
        .into_iter()
        .map(|run| {
            let cells = (0..run.count)
                .map(|i| {
                    let t = run.first_t + i;
                    let fill_top = shades.as_ref().map_or(NEUTRAL_FILL.to_string(), |s| shade_fill(s[t]));
                    // Not "cell t of seq_len": then a bptt drag would rewrite every tooltip.
                    let tip = match &norms {
                        Some(n) => format!("cell {}: ‖∂ℓ_last/∂h‖ = {:.2e}", t + 1, n[t]),
                        None => format!("cell {}", t + 1),
                    };
                    let last_in_run = i + 1 == run.count;
                    let x = i as f64;
                    let mid = at(x, CELL_MID);
                    view! {
                        <g class="cell" data-t=t.to_string()>
                            <title>{tip}</title>
                            <line class="weight-link" x1=mid.clone() y1=num(BUS_Y) x2=mid.clone() y2=num(CELLS_TOP)></line>
                            {cell_stack(x, layers, &layer_y, layer_h, fill_top)}
                            {(!last_in_run).then(|| state_links(x, layers, &layer_mid))}
                            <line class="input-arrow" x1=mid.clone() y1=num(INPUT_TAIL) x2=mid.clone() y2=num(CELLS_BOTTOM + 4.0)></line>
                            // Half a cell wide: it narrows with the cells as the window grows.
                            <polygon class="input-head"
                                points=format!("{},{} {},{} {},{}", mid, num(CELLS_BOTTOM - 1.0), at(x, CELL_MID / 2.0), num(CELLS_BOTTOM + 4.0), at(x, 1.5 * CELL_MID), num(CELLS_BOTTOM + 4.0))>
                            </polygon>
                        </g>
                    }
                })
                .collect::<Vec<_>>();
            view! {
                <g class="cell-run" transform=format!("translate({} 0) scale({} 1)", num(run.x), num(row.pitch))>{cells}</g>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <svg class="unroll-cells" viewBox=format!("0 0 {width} {HEIGHT}") role="img"
            aria-label=format!(
                "{} LSTM cells side by side sharing one set of weights; the state enters from the left, the gradient flows back and stops at the left edge",
                w.seq_len
            )>
            <rect class="weight-box" x=num(w_box_x) y="4" width="90" height=num(W_BOX_BOTTOM - 4.0) rx="4"></rect>
            <text class="weight-label" x=num(w_box_x + 45.0) y="22" text-anchor="middle">"W (shared)"</text>
            <text class="weights-caption" x=num(w_box_x + 100.0) y="22">
                {format!("{times} {} times", w.seq_len)}
            </text>
            {bus}
            {runs}
            {elided_gap(&row, layers, &layer_mid)}
            {carried_in(enters, layers, &layer_mid)}
            {gradient_lane(&row, right)}
            <text class="axis-note" x=num(LEFT - 8.0) y=num(INPUT_TAIL - 4.0) text-anchor="end">"input tokens"</text>
            {row.cells.first().map(|c| view! {
                <text class="cell-index" x=num(c.x) y=num(INPUT_TAIL + 11.0)>"cell 1"</text>
            })}
            {(row.cells.len() > 1).then(|| view! {
                <text class="cell-index" x=num(right) y=num(INPUT_TAIL + 11.0) text-anchor="end">
                    {format!("cell {}", w.seq_len)}
                </text>
            })}
        </svg>
    }
}

/// One time step's cells, layer 0 at the bottom, the left edge at `x` in
/// its run's unit coordinates.
fn cell_stack(
    x: f64,
    layers: usize,
    layer_y: &dyn Fn(usize) -> f64,
    layer_h: f64,
    fill_top: String,
) -> impl IntoView {
    (0..layers)
        .map(|l| {
            let top = l + 1 == layers;
            let fill = if top {
                fill_top.clone()
            } else {
                NEUTRAL_FILL.to_string()
            };
            // rx in unit widths: the run's scale stretches it back to ~1.5 px.
            view! {
                <rect class={if top { "cell-layer top" } else { "cell-layer" }}
                    x=num(x) y=num(layer_y(l)) width=CELL_SHARE.to_string() height=num(layer_h - 4.0)
                    rx="0.08" ry="1.5" fill=fill></rect>
            }
        })
        .collect::<Vec<_>>()
}

/// h, c passed from the cell at `x` to the next one of its run, per layer.
fn state_links(x: f64, layers: usize, layer_mid: &dyn Fn(usize) -> f64) -> impl IntoView {
    (0..layers)
        .map(|l| {
            let y = num(layer_mid(l));
            view! { <line class="state-arrow" x1=at(x, CELL_SHARE) y1=y.clone() x2=at(x, 1.0) y2=y></line> }
        })
        .collect::<Vec<_>>()
}

/// The elided middle of a long window: a dashed run of h, c per layer and
/// the count of the cells it stands for.
fn elided_gap(
    row: &CellRow,
    layers: usize,
    layer_mid: &dyn Fn(usize) -> f64,
) -> Option<impl IntoView> {
    let gap = row.elision?;
    let (from, to) = (gap.x - row.pitch + row.cell_width, gap.x + gap.width);
    let arrows = (0..layers)
        .map(|l| {
            let y = num(layer_mid(l));
            view! { <line class="state-arrow elided" x1=num(from) y1=y.clone() x2=num(to) y2=y></line> }
        })
        .collect::<Vec<_>>();
    Some(view! {
        {arrows}
        <text class="elision" data-testid="elided-cells" x=num(gap.x + gap.width / 2.0)
            y=num(CELLS_BOTTOM + 14.0) text-anchor="middle">
            {format!("… {} more …", gap.hidden)}
        </text>
    })
}

/// The hidden state entering the first cell from the previous batch — or
/// zeros at the start of an epoch, or zeros always (independent blocks).
fn carried_in(enters: Entering, layers: usize, layer_mid: &dyn Fn(usize) -> f64) -> impl IntoView {
    let class = if enters == Entering::Carried {
        "carried"
    } else {
        "carried zeros"
    };
    let arrows = (0..layers)
        .map(|l| {
            let y = layer_mid(l);
            view! {
                <line class=class x1=num(LEFT - 46.0) y1=num(y) x2=num(LEFT - 6.0) y2=num(y)></line>
                {arrowhead(LEFT - 1.0, y, 1, "carried-head")}
            }
        })
        .collect::<Vec<_>>();
    // tspans keep the label's text one sentence ("h, c carried from the
    // previous batch (detached: no gradient)") while wrapping in the margin.
    let lines: &[&str] = match enters {
        Entering::NewEpoch => &["zeros ", "(new epoch)"],
        Entering::Independent => &[
            "zeros: ",
            "every block ",
            "starts fresh ",
            "(nothing carried)",
        ],
        Entering::Carried => &[
            "h, c carried from ",
            "the previous batch ",
            "(detached: ",
            "no gradient)",
        ],
    };
    let spans = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let dy = if i == 0 { "0" } else { "1.2em" };
            view! { <tspan x="4" dy=dy>{*line}</tspan> }
        })
        .collect::<Vec<_>>();
    view! {
        {arrows}
        <text class="carried-label" data-testid="carried-state" x="4" y=num(CELLS_TOP + 12.0)>{spans}</text>
    }
}

/// Backward arrows from the last cell to the first, and the hard stop at the
/// window's left edge: truncated BPTT goes no further back.
fn gradient_lane(row: &CellRow, right: f64) -> impl IntoView {
    let stop_x = LEFT - 4.0;
    let heads = arrowhead_positions(stop_x, right, ARROWHEAD_SPACING)
        .into_iter()
        .map(|x| arrowhead(x, GRAD_Y, -1, "grad-head"))
        .collect::<Vec<_>>();
    // Solid where cells are drawn, dashed across the elided middle.
    let mut runs = vec![(stop_x, right, "grad-arrow")];
    if let Some(gap) = row.elision {
        runs = vec![
            (stop_x, gap.x, "grad-arrow"),
            (gap.x, gap.x + gap.width, "grad-arrow elided"),
            (gap.x + gap.width, right, "grad-arrow"),
        ];
    }
    let lane = runs
        .into_iter()
        .map(|(x1, x2, class)| view! { <line class=class x1=num(x1) y1=num(GRAD_Y) x2=num(x2) y2=num(GRAD_Y)></line> })
        .collect::<Vec<_>>();
    view! {
        <g class="gradient" aria-label="gradient flowing backward, right to left">
            {lane}
            {heads}
            <line class="grad-stop" x1=num(stop_x) y1=num(GRAD_Y - 9.0) x2=num(stop_x) y2=num(GRAD_Y + 9.0)></line>
            <text class="grad-stop-label" x=num(stop_x - 6.0) y=num(GRAD_Y + 4.0) text-anchor="end">"gradient stops here"</text>
        </g>
    }
}

#[cfg(test)]
mod tests;
