//! Shows what the worker computed for the current settings.

use leptos::prelude::*;

use crate::worker::WorkerReply;

/// One line: the worker's batching summary, or why it refused.
#[component]
pub fn WorkerAnswer(
    /// The worker's latest reply (`None` while it starts).
    reply: ReadSignal<Option<WorkerReply>>,
) -> impl IntoView {
    let text = move || match reply.get() {
        None => "Worker starting…".to_string(),
        Some(WorkerReply::Summary { bs, bptt, tokens, rows, dropped, batches_per_epoch }) => format!(
            "Worker: {tokens} tokens → {bs} streams × {rows} rows ({dropped} dropped); \
             bptt {bptt} → {batches_per_epoch} batches per epoch"
        ),
        Some(WorkerReply::Refused { reason, .. }) => format!("Worker: {reason}"),
    };
    view! { <p class="worker-answer" data-testid="worker-answer" aria-live="polite">{text}</p> }
}
