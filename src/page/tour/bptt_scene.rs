//! Question 3, "is bptt the number of unrolled cells, and why does it
//! vary?": fastai v0.7 at bptt = 70, three real training steps — the
//! unrolled count of each, the weights all cells share, the state carried
//! in, the gradient stopping at the window's edge.

use super::{Caption, Setup};
use crate::data::batcher::Scheme;

/// The forum's setting: fastai 0.7's loader with bptt = 70.
const AT: Setup = Setup {
    bptt: Some(70),
    scheme: Some(Scheme::FastaiV07),
    ..Setup::NONE
};

const fn after(steps: usize) -> Setup {
    Setup {
        steps: Some(steps),
        ..AT
    }
}

pub const CAPTIONS: [Caption; 5] = [
    Caption {
        panel: "unroll-view",
        spots: &["[data-testid=unrolled-count]", "[data-testid=unroll-rule]"],
        setup: after(1),
    },
    Caption {
        panel: "unroll-view",
        spots: &[
            "[data-testid=unrolled-count]",
            "[data-testid=seq-len-history]",
        ],
        setup: after(2),
    },
    Caption {
        panel: "unroll-view",
        spots: &["[data-testid=unrolled-count]", ".unroll-cells"],
        setup: after(3),
    },
    Caption {
        panel: "unroll-view",
        spots: &["[data-testid=unroll-rule]", ".unroll-cells"],
        setup: after(3),
    },
    Caption {
        panel: "unroll-view",
        spots: &[".unroll-legend", "[data-testid=gradient-sentence]"],
        setup: after(3),
    },
];

/// What the unrolled view shows after the steps taken so far.
#[derive(Clone, Debug, PartialEq)]
pub struct BpttFacts {
    pub bptt: usize,
    /// seq_len of every step taken, oldest first (the bars).
    pub history: Vec<usize>,
    /// The shown window's first row (the rule sentence's "rows a–b").
    pub start: usize,
    pub hidden: usize,
    pub embed: usize,
    pub layers: usize,
    /// The smallest and largest ‖∂ℓ_last/∂h_t‖ of the last step (the legend's).
    pub grad_range: Option<(f32, f32)>,
}

/// Caption `index` with the unrolled view showing `now`; `wanted` is how many
/// steps the caption asked for (the text waits until they are taken).
pub fn caption(index: usize, now: &BpttFacts, wanted: usize) -> String {
    let steps = now.history.len();
    if steps != wanted {
        return format!(
            "Training step {wanted} on a real batch of fastai 0.7's loader at bptt = {}…",
            now.bptt
        );
    }
    let seq_len = now.history.last().copied().unwrap_or(0);
    let bptt = now.bptt;
    let list = now
        .history
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    match index {
        0 => format!(
            "Step 1 trained the LSTM on a real batch: bptt = {bptt}, {} this batch unrolled {seq_len} cells. \
             The unrolled count is one cell per row of the window, this batch's seq_len. fastai 0.7 draws \
             seq_len around bptt: from N({bptt}, 5), one time in twenty from N({}, 5), never under 5.",
            if seq_len == bptt { "and this time" } else { "yet" },
            bptt / 2
        ),
        1 => format!(
            "Step 2 unrolled {seq_len} cells. seq_len so far: {list}. bptt = {bptt} is where the draws centre, \
             not the count itself; with PyTorch's loader every window would be {bptt} rows (only an epoch's \
             last is shorter)."
        ),
        2 => {
            let gates = 4 * now.hidden;
            format!(
                "Step 3: {seq_len} cells (seq_len so far: {list}), and all {seq_len} are one cell used {seq_len} times: \
                 the same weight_ih ({gates} × {}) and weight_hh ({gates} × {}){} at every time step, “W (shared)” \
                 above the cells. Its gradient is the sum of what each of the {seq_len} steps contributes.",
                now.embed,
                now.hidden,
                if now.layers > 1 { format!(" in layer 1, and one such pair per layer for all {} layers", now.layers) } else { String::new() },
            )
        }
        3 => format!(
            "The state is carried: batch 3 reads rows {}–{} of every stream, and its first cell starts from the \
             (h, c) that batch 2 ended with at row {} — detached, so the values come in but no gradient goes \
             back through them.",
            now.start,
            now.start + seq_len - 1,
            now.start.saturating_sub(1)
        ),
        _ => {
            let shading = now.grad_range.map_or(String::new(), |(min, max)| {
                format!(" the last cell's loss, flowing back, gives ‖∂ℓ_last/∂h_t‖ from {max:.2e} down to {min:.2e} across the cells (the shading), and")
            });
            format!(
                "The gradient stops at the window's edge:{shading} at cell 1, row {}, it stops — truncated BPTT \
                 never reaches the rows of batch 2. So how far back one update can learn from is this \
                 batch's seq_len ({seq_len}: bptt, or drawn around it), the same number as the unrolled count.",
                now.start
            )
        }
    }
}
