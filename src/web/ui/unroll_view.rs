//! The unrolled LSTM of the current batch: seq_len copies of one cell with
//! one set of weights, the hidden state carried in (detached) at the left,
//! the gradient flowing back and stopping at the window's left edge, and
//! below it the seq_len of every step so far. It answers "if bptt = 78, does
//! the unrolled LSTM have 78 units, and the next batch 70?" — yes, and the
//! weights are the same every time.

use leptos::prelude::*;

use super::seq_len_history::history_figure;
use super::unroll_cells::{cells_picture, entering, NARROW_WIDTH, WIDTH};
use super::unroll_layout::shade_fill;
use crate::data::batcher::{Scheme, Window};

/// The unrolled LSTM of the current batch.
#[component]
pub fn UnrollView(
    /// The current batch's window (start, seq_len); None when the settings cannot be batched.
    #[prop(into)]
    window: Signal<Option<Window>>,
    /// ‖∂ℓ_last/∂h_t‖ per unrolled cell (the last time step's loss flowing back) from the step that trained on `window`; None before that step ran.
    #[prop(into)]
    cell_grad_norms: Signal<Option<Vec<f32>>>,
    /// seq_len of every step taken so far in this run, oldest first.
    #[prop(into)]
    history: Signal<Vec<usize>>,
    /// The configured bptt (the nominal length; fastai-v0.7 draws around it, bptt/2 draws ~5% of the time).
    #[prop(into)]
    bptt: Signal<usize>,
    /// Number of LSTM layers (cells drawn as a stack per time step when > 1).
    #[prop(into)]
    layers: Signal<usize>,
    /// The batching scheme: it decides why seq_len is what it is and whether
    /// (h, c) is carried in. Default: PyTorch.
    #[prop(optional, into)]
    scheme: Option<Signal<Scheme>>,
) -> impl IntoView {
    let scheme = move || scheme.map_or(Scheme::Pytorch, |s| s.get());
    let carries = move || scheme().carries_state();
    // On a phone the picture is drawn narrower, so its cells and words stay
    // legible at the screen's scale.
    let width_for = |inner: f64| if inner < 600.0 { NARROW_WIDTH } else { WIDTH };
    let inner_width = || {
        leptos::prelude::window()
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .unwrap_or(1280.0)
    };
    let picture_width = RwSignal::new(width_for(inner_width()));
    let _resize = window_event_listener(leptos::ev::resize, move |_| {
        let w = width_for(inner_width());
        if picture_width.get_untracked() != w {
            picture_width.set(w);
        }
    });
    // Norms of another window (e.g. the window moved on before the step's
    // answer arrived) would shade the wrong cells: only use matching ones.
    let shades = move || {
        let seq_len = window.get()?.seq_len;
        cell_grad_norms
            .get()
            .filter(|n| n.len() == seq_len && seq_len > 0)
    };
    let unrolled = move || {
        match window.get() {
        None => view! {
            <p class="unroll-empty">"No batch to unroll: the current settings cannot be batched."</p>
        }
        .into_any(),
        Some(w) => view! {
            <p class="unrolled-count" data-testid="unrolled-count">
                "unrolled cells this step: " <strong>{w.seq_len}</strong> <span class="count-meaning">" = this batch's seq_len"</span>
            </p>
            // Its own closure: a bptt change alone must not redraw the cells.
            <p class="unroll-note" data-testid="unroll-rule">{move || rule_sentence(scheme(), bptt.get(), w)}</p>
            {cells_picture(w, shades(), layers.get().max(1), entering(w, carries()), picture_width.get())}
            {legend(shades())}
        }
        .into_any(),
    }
    };
    view! {
        <section class="unroll-view" data-testid="unroll-view" aria-label="The unrolled LSTM of the current batch">
            <h2>"Unrolled LSTM"</h2>
            {unrolled}
            {move || history_figure(history.get(), bptt.get())}
        </section>
    }
}

/// The shading legend after a step, the hint before one.
fn legend(norms: Option<Vec<f32>>) -> impl IntoView {
    let shading = match norms {
        Some(norms) => {
            let finite = || norms.iter().copied().filter(|v| v.is_finite());
            let max = finite().fold(0.0f32, f32::max);
            // The smallest too: a nearly flat window should read as flat, not
            // as a contrast the normalisation invented.
            let min = finite().fold(f32::INFINITY, f32::min).min(max);
            let swatches = [0.0, 0.25, 0.5, 0.75, 1.0]
                .map(|s| view! { <span class="swatch" style=format!("background:{}", shade_fill(s))></span> });
            view! {
                <span class="shade-legend">
                    {swatches.into_iter().collect::<Vec<_>>()}
                    {format!(" the last cell's loss, flowing back: darker = larger ‖∂ℓ_last/∂h_t‖ (this step: {min:.2e} to {max:.2e}); nothing flows past the left edge")}
                </span>
            }
            .into_any()
        }
        None => {
            view! { <span class="step-hint">"press Step to see the gradient"</span> }.into_any()
        }
    };
    view! {
        <p class="unroll-legend">
            <span class="grad-key">"← gradient (backward pass)"</span>
            {shading}
        </p>
        <p class="grad-sentence" data-testid="gradient-sentence">
            "In words: the darker a cell, the more the last prediction's error still changes what that cell computes. \
             It fades towards the left and is cut at the window's edge: truncated BPTT never reaches earlier batches."
        </p>
    }
}

/// Why this batch unrolls this many cells under `scheme`, and what every
/// cell shares: the rule in a learner's words.
pub fn rule_sentence(scheme: Scheme, bptt: usize, w: Window) -> String {
    let rule = match scheme {
        Scheme::FastaiV07 => format!(
            "bptt = {bptt} is only the length it is drawn around: fastai 0.7 draws each batch's seq_len from N(bptt, 5) \
             (N(bptt/2, 5) one time in twenty), never under 5, so the count changes from batch to batch."
        ),
        Scheme::Pytorch => format!("bptt = {bptt}: PyTorch cuts every window at bptt rows; only an epoch's last window is shorter."),
        Scheme::FastaiV1 => format!("bptt = {bptt}: fastai 1 makes every batch exactly bptt rows long."),
        Scheme::FastaiV2 => format!("bptt = {bptt}: fastai 2 makes every batch bptt rows long but an epoch's last, which takes the rest of each stream."),
        Scheme::HfBlocks => format!(
            "bptt = {bptt} tokens per block: the model predicts the last {} of them from the ones before, so a block unrolls bptt − 1 cells.",
            bptt.saturating_sub(1)
        ),
    };
    let state = if scheme.carries_state() {
        format!(
            "This batch reads rows {}–{} of every stream. All {} cells share one set of weights; the state comes in from the previous batch (detached), and the gradient stops at the window's left edge.",
            w.start,
            w.start + w.seq_len.saturating_sub(1),
            w.seq_len
        )
    } else {
        format!("All {} cells share one set of weights; every block starts from zeros, and the gradient stops at its first cell.", w.seq_len)
    };
    format!("{rule} {state}")
}

#[cfg(test)]
mod tests;
