//! One caption of a scene: the question it answers, its words (live), where
//! the scene is, and Back / Next / Leave. Screen readers hear each caption
//! once it has its numbers, through a polite live region; the visible words
//! may change many times a second while a race runs, and announcing each
//! change would drown the reader.

use leptos::prelude::*;

use crate::page::tour::{progress, Question};

/// The caption box.
#[component]
pub fn TourCaption(
    /// The scene and caption shown; None hides the box.
    #[prop(into)]
    at: Signal<Option<(Question, usize)>>,
    /// The caption's words, with the numbers the panels show now.
    #[prop(into)]
    text: Signal<String>,
    /// What the live region says: the caption's words when it opens and once
    /// its numbers have arrived.
    #[prop(into)]
    announced: Signal<String>,
    /// Back to the previous caption.
    on_back: Callback<()>,
    /// On to the next caption (or out, after the last).
    on_next: Callback<()>,
    /// Out of the tour, leaving the page as it is.
    on_leave: Callback<()>,
) -> impl IntoView {
    let question = move || at.get().map(|(q, _)| q.words()).unwrap_or_default();
    let is_first = move || at.get().is_none_or(|(_, i)| i == 0);
    let is_last = move || at.get().is_none_or(|(q, i)| i + 1 == q.captions().len());
    view! {
        <aside class="tour-box" data-testid="tour-box" aria-label="Tour" hidden=move || at.get().is_none()>
            <p class="tour-question" id="tour-question" tabindex="-1">{question}</p>
            <p class="tour-caption" data-testid="tour-caption">{move || text.get()}</p>
            <p class="visually-hidden" role="status" aria-live="polite" data-testid="tour-announcer">{move || announced.get()}</p>
            <div class="tour-nav">
                <button data-testid="tour-back" disabled=is_first on:click=move |_| on_back.run(())>"◀ Back"</button>
                <button data-testid="tour-next" class="primary" on:click=move |_| on_next.run(())>
                    {move || if is_last() { "Done" } else { "Next ▶" }}
                </button>
                <span class="tour-progress" data-testid="tour-progress">
                    {move || at.get().map(|(q, i)| progress(i, q.captions().len())).unwrap_or_default()}
                </span>
                <button data-testid="tour-leave" class="tour-leave" aria-keyshortcuts="Escape" on:click=move |_| on_leave.run(())>
                    "Leave (Esc)"
                </button>
            </div>
        </aside>
    }
}
