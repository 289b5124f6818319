//! seq_len per step as a bar chart: fastai's bptt/2 draws stand out, and
//! the last values are written out.

use leptos::prelude::*;

use super::unroll_cells::{num, WIDTH};
use super::unroll_layout::{history_chart, history_text};

// The history chart's plot area, in its own viewBox.
const HIST_LEFT: f64 = 34.0;
const HIST_WIDTH: f64 = 820.0;
const HIST_TOP: f64 = 8.0;
const HIST_HEIGHT: f64 = 80.0;

/// seq_len of every step so far as bars, fastai's bptt/2 draws standing out,
/// and the last values as text (the end-to-end tests read it).
pub(crate) fn history_figure(history: Vec<usize>, bptt: usize) -> impl IntoView {
    let chart = history_chart(&history, bptt, HIST_WIDTH, HIST_HEIGHT);
    let bars = chart
        .bars
        .iter()
        .map(|b| {
            view! {
                <rect class={if b.half_draw { "bar half-draw" } else { "bar" }}
                    x=num(HIST_LEFT + b.x) y=num(HIST_TOP + b.y) width=num(b.width) height=num(b.height)>
                    <title>{format!("step {}: seq_len {}", b.step, b.seq_len)}</title>
                </rect>
            }
        })
        .collect::<Vec<_>>();
    let bptt_y = num(HIST_TOP + chart.bptt_y);
    view! {
        <figure class="seq-len-history" data-testid="seq-len-history">
            <p class="history-text">{history_text(&history)}</p>
            <svg viewBox=format!("0 0 {WIDTH} {}", HIST_HEIGHT + 2.0 * HIST_TOP) role="img"
                aria-label="Bar chart: seq_len of each step so far; the dashed line is bptt">
                <line class="baseline" x1=num(HIST_LEFT) y1=num(HIST_TOP + HIST_HEIGHT)
                    x2=num(HIST_LEFT + HIST_WIDTH) y2=num(HIST_TOP + HIST_HEIGHT)></line>
                {bars}
                <line class="bptt-line" x1=num(HIST_LEFT) y1=bptt_y.clone() x2=num(HIST_LEFT + HIST_WIDTH) y2=bptt_y.clone()></line>
                <text class="bptt-label" x=num(HIST_LEFT - 4.0) y=bptt_y text-anchor="end" dy="0.35em">{bptt}</text>
            </svg>
            <figcaption>
                <span class="key bar-key">"seq_len of step k"</span>
                <span class="key half-key">"bptt/2 draw (~5% under fastai v0.7)"</span>
                <span class="key bptt-key">{format!("bptt = {bptt}")}</span>
            </figcaption>
        </figure>
    }
}
