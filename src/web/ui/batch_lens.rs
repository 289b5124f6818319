//! The lens: the lit window magnified beside the matrix, its real tokens in
//! their columns, so the current batch reads as text at any bs. The first
//! streams (or blocks), every row of the window, and one row more: the input
//! is every row but the last, the target every row but the first.

use leptos::prelude::*;

use super::batching::Batching;
use crate::data::batcher::{EpochBatches, Window};
use crate::data::corpus::Corpus;

/// Columns magnified: enough to see that each column is its own text.
pub const LENS_COLUMNS: usize = 8;

/// What the lens shows: column labels and, row by row, the tokens.
#[derive(Clone, Debug, PartialEq)]
pub struct LensRows {
    /// "stream 0", … or "block 17", … per shown column.
    pub labels: Vec<String>,
    /// `(row label, tokens per column)`, `seq_len + 1` rows.
    pub rows: Vec<(String, Vec<String>)>,
    pub seq_len: usize,
    pub width: usize,
}

/// The lens for `window` of `epoch`, or `None` if the window does not fit it.
pub fn lens_rows(corpus: &Corpus, epoch: &EpochBatches, window: Window) -> Option<LensRows> {
    let w = window;
    if w.start + w.seq_len >= epoch.matrix_rows()
        || w.width > epoch.bs()
        || (epoch.is_blocks() && w.index >= epoch.windows.len())
    {
        return None;
    }
    let shown = w.width.min(LENS_COLUMNS);
    let columns: Vec<usize> = (0..shown).map(|j| epoch.batch_column(&w, j)).collect();
    let labels = columns
        .iter()
        .enumerate()
        .map(|(j, c)| {
            if epoch.is_blocks() {
                format!("block {c}")
            } else {
                format!("stream {j}")
            }
        })
        .collect();
    let rows = (0..=w.seq_len)
        .map(|t| {
            let tokens = columns
                .iter()
                .map(|&c| corpus.display_token(epoch.token(c, w.start + t)))
                .collect();
            let label = if epoch.is_blocks() {
                format!("t {t}")
            } else {
                format!("row {}", w.start + t)
            };
            (label, tokens)
        })
        .collect();
    Some(LensRows {
        labels,
        rows,
        seq_len: w.seq_len,
        width: w.width,
    })
}

/// The magnified window.
#[component]
pub fn BatchLens(
    /// The current batching (nothing is shown when it fails; the matrix says why).
    #[prop(into)]
    batching: Signal<Result<Batching, String>>,
    /// The lit window.
    #[prop(into)]
    window: Signal<Option<Window>>,
) -> impl IntoView {
    let shown = Memo::new(move |_| {
        let w = window.get()?;
        batching.with(|b| {
            b.as_ref()
                .ok()
                .and_then(|b| lens_rows(&b.corpus, &b.epoch, w))
        })
    });
    view! {
        <aside class="batch-lens" data-testid="batch-lens" aria-label="The current batch, magnified">
            {move || match shown.get() {
                None => view! { <p class="lens-empty">"No batch to magnify."</p> }.into_any(),
                Some(lens) => {
                    let last = lens.seq_len;
                    let head = lens.labels.iter().map(|l| view! { <th scope="col">{l.clone()}</th> }).collect_view();
                    let body = lens
                        .rows
                        .iter()
                        .enumerate()
                        .map(|(t, (label, tokens))| {
                            // Row 0 is only an input, the last row only a target.
                            let class = if t == last { "lens-target-only" } else if t == 0 { "lens-input-only" } else { "" };
                            let cells = tokens.iter().map(|tok| view! { <td>{tok.clone()}</td> }).collect_view();
                            view! { <tr class=class><th scope="row">{label.clone()}</th>{cells}</tr> }
                        })
                        .collect_view();
                    let more = if lens.width > lens.labels.len() {
                        format!(" (the first {} of {})", lens.labels.len(), lens.width)
                    } else {
                        String::new()
                    };
                    view! {
                        <p class="lens-title">{format!("This batch, magnified{more}: each column reads down.")}</p>
                        <div class="lens-scroll">
                            <table class="lens-table">
                                <thead><tr><th></th>{head}</tr></thead>
                                <tbody>{body}</tbody>
                            </table>
                        </div>
                        <p class="lens-key">
                            {format!("Input = the top {last} rows; target = the bottom {last}, the same column one token later (red: the last row is only a target).")}
                        </p>
                    }
                    .into_any()
                }
            }}
        </aside>
    }
}

#[cfg(test)]
mod tests;
