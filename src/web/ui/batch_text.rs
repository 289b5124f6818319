//! "The batch": the current input and target as text, one line per stream, so
//! "one batch = bs sequences of seq_len tokens" reads directly — and the
//! target is visibly the input shifted by one token.

use std::borrow::Cow;

use leptos::prelude::*;

use super::batching::Batching;
use crate::data::batcher::{EpochBatches, Window};
use crate::data::corpus::Corpus;
use crate::page::words::count;

/// Streams shown before the learner asks for all of them: 16 lines read at a
/// glance, and 256 × 200 tokens would be a wall of text (and slow to redraw on
/// every step).
pub const FIRST_STREAMS: usize = 16;

/// The heading that states the batch's full shape, whatever is shown.
pub fn shape_heading(bs: usize, seq_len: usize) -> String {
    format!(
        "one batch = {} × {} (input) → the same shifted by one (target)",
        count(bs, "sequence"),
        count(seq_len, "token")
    )
}

/// One batch ready to show: its shape and the text of the shown streams.
#[derive(Clone, Debug, PartialEq)]
struct BatchLines {
    bs: usize,
    seq_len: usize,
    window: Window,
    /// Rows are Hugging Face blocks (numbered in corpus order), not streams.
    blocks: bool,
    /// `(stream or block, input text, target text)` for the shown rows.
    lines: Vec<(usize, String, String)>,
}

/// What to show for `window` of `batching`, or why there is nothing.
fn batch_lines(
    batching: &Batching,
    window: Window,
    shown_streams: usize,
) -> Result<BatchLines, String> {
    let b = batching;
    // Schemes that shuffle draw a new epoch each time; the others have the
    // same columns every epoch, so the stored epoch serves.
    let epoch: Cow<EpochBatches> =
        if window.epoch != b.epoch.epoch && b.batcher.config().scheme.shuffles() {
            Cow::Owned(b.batcher.epoch(window.epoch))
        } else {
            Cow::Borrowed(&b.epoch)
        };
    // A window kept from an earlier batching (another bs or bptt) may not fit
    // this one; reading it would show the wrong rows or run past the end.
    let rows = epoch.matrix_rows();
    let fits = window.start + window.seq_len < rows
        && window.width <= epoch.bs()
        && (!epoch.is_blocks()
            || epoch
                .windows
                .get(window.index)
                .is_some_and(|w| w.width == window.width));
    if !fits || window.seq_len == 0 {
        return Err(format!(
            "batch {} (rows {}–{}) does not fit the current {} rows per stream",
            window.index + 1,
            window.start,
            window.start + window.seq_len,
            rows
        ));
    }
    let corpus: &Corpus = &b.corpus;
    let lines = (0..window.width.min(shown_streams))
        .map(|j| {
            let (input, target) = epoch.sequence(&window, j);
            (
                epoch.batch_column(&window, j),
                corpus.display(&input),
                corpus.display(&target),
            )
        })
        .collect();
    Ok(BatchLines {
        bs: window.width,
        seq_len: window.seq_len,
        window,
        blocks: epoch.is_blocks(),
        lines,
    })
}

/// One block of lines (input or target), each prefixed with its stream number.
fn lines_block(
    title: &'static str,
    class: &'static str,
    lines: &[(usize, String, String)],
    target: bool,
    width: usize,
) -> impl IntoView {
    let rows = lines
        .iter()
        .map(|(j, input, target_text)| {
            let text = if target {
                target_text.clone()
            } else {
                input.clone()
            };
            view! {
                <div class="batch-line" data-stream=j.to_string()>
                    <span class="batch-stream">{format!("{j:>width$}")}</span>
                    <span class="batch-tokens">{text}</span>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class=format!("batch-block {class}")>
            <h3>{title}</h3>
            <div class="batch-lines">{rows}</div>
        </div>
    }
}

/// The current batch as text: input and target side by side, one line per
/// stream, the first [`FIRST_STREAMS`] streams unless the learner asks for all.
#[component]
pub fn BatchText(
    /// The current batching (Err = the reason it can't be batched, show it).
    batching: Memo<Result<Batching, String>>,
    /// The current window; None = nothing to show.
    #[prop(into)]
    window: Signal<Option<Window>>,
) -> impl IntoView {
    let show_all = RwSignal::new(false);
    let shown = Memo::new(move |_| {
        let limit = if show_all.get() {
            usize::MAX
        } else {
            FIRST_STREAMS
        };
        let window = window.get();
        batching.with(|b| {
            let b = b.as_ref().map_err(Clone::clone)?;
            Ok::<_, String>(window.map(|w| batch_lines(b, w, limit)))
        })
    });
    view! {
        <section class="batch-text" data-testid="batch-text" aria-label="The current batch as text">
            <h2>"The batch"</h2>
            {move || match shown.get() {
                Err(reason) => view! { <p class="batch-refused">{reason}</p> }.into_any(),
                Ok(None) => view! { <p class="batch-empty">"No batch yet: step to see one."</p> }.into_any(),
                Ok(Some(Err(reason))) => view! { <p class="batch-refused">{reason}</p> }.into_any(),
                Ok(Some(Ok(batch))) => {
                    let width = batch.lines.iter().map(|(j, _, _)| j.to_string().len()).max().unwrap_or(1);
                    let toggle = (batch.bs > FIRST_STREAMS).then(|| {
                        let label = if batch.lines.len() < batch.bs {
                            format!("show all {} streams", batch.bs)
                        } else {
                            format!("show the first {FIRST_STREAMS} streams")
                        };
                        view! {
                            <button
                                type="button"
                                class="batch-toggle"
                                data-testid="batch-text-toggle"
                                aria-pressed=move || show_all.get().to_string()
                                on:click=move |_| show_all.update(|all| *all = !*all)
                            >
                                {label}
                            </button>
                        }
                    });
                    view! {
                        <p class="batch-shape" data-testid="batch-shape">{shape_heading(batch.bs, batch.seq_len)}</p>
                        <p class="batch-where">
                            {if batch.blocks {
                                format!(
                                    "batch {}: {} blocks drawn at random (numbered in corpus order); showing {} of them",
                                    batch.window.index + 1,
                                    batch.bs,
                                    batch.lines.len()
                                )
                            } else {
                                format!(
                                    "batch {}: rows {}–{} of every stream; showing streams 0–{} of {}",
                                    batch.window.index + 1,
                                    batch.window.start,
                                    batch.window.start + batch.seq_len - 1,
                                    batch.lines.len() - 1,
                                    batch.bs
                                )
                            }}
                            " "
                            {toggle}
                        </p>
                        <div class="batch-blocks">
                            {lines_block("input", "batch-input", &batch.lines, false, width)}
                            {lines_block("target (input shifted by one token)", "batch-target", &batch.lines, true, width)}
                        </div>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

#[cfg(test)]
mod tests;
