//! Step ▶, ◀ back, Play/Pause, Reset and "jump to batch k", with the batch
//! position always visible.

use leptos::prelude::*;

use super::icons::{Icon, IconKind};

/// Where the run is: the shown batch and how many the epoch has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Position {
    /// 1-based epoch of the shown batch.
    pub epoch: usize,
    /// 1-based index of the shown batch within its epoch.
    pub batch: usize,
    /// Batches this epoch really yields.
    pub batches: usize,
    /// fastai 0.7's own `len()`, when it differs from what the epoch yields.
    pub fastai_len: Option<usize>,
    /// Updates done so far.
    pub steps: usize,
}

/// The stepping buttons. Every button has an aria-label and a key shortcut.
#[component]
pub fn StepControls(
    /// The shown batch and the run's progress.
    position: Signal<Position>,
    /// Whether Play is on (the page steps on its own).
    playing: RwSignal<bool>,
    /// What the worker is doing ("loading…", "training…"), if anything;
    /// buttons stay usable and presses queue.
    activity: Signal<Option<&'static str>>,
    /// Whether the worker has work queued, at once (`aria-busy`; the
    /// activity text waits a moment before it says so).
    busy: Signal<bool>,
    /// Whether "◀ back" has something to undo.
    can_back: Signal<bool>,
    /// How many steps back remain (shown on the button).
    back_left: Signal<usize>,
    /// Train on the next batch.
    on_step: Callback<()>,
    /// Undo the last step.
    on_back: Callback<()>,
    /// Back to the initial model and batch 1.
    on_reset: Callback<()>,
    /// Replay until batch k (1-based) of the current epoch is the shown one.
    on_jump: Callback<usize>,
) -> impl IntoView {
    let jump_to = RwSignal::new(String::new());
    let jump_note = RwSignal::new(String::new());
    let jump = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let batches = position.get_untracked().batches;
        let (target, note) = jump_target(&jump_to.get_untracked(), batches);
        jump_note.set(note);
        if let Some(k) = target {
            on_jump.run(k);
        }
    };
    view! {
        <div class="step-controls" role="toolbar" aria-label="Step through mini-batches">
            <button data-testid="back-button" aria-label="Back one batch (←)" title="← key"
                disabled=move || !can_back.get() on:click=move |_| on_back.run(())><Icon kind=IconKind::Back />" back"
                <span class="back-left" data-testid="back-left">{move || format!(" ({})", back_left.get())}</span></button>
            <button data-testid="step-button" class="primary" aria-label="Step: train on the next batch (→)" title="→ key"
                on:click=move |_| on_step.run(())>"Step "<Icon kind=IconKind::Step /></button>
            <button data-testid="play-button" aria-label=move || if playing.get() { "Pause (space)" } else { "Play (space)" }
                aria-pressed=move || playing.get().to_string()
                on:click=move |_| playing.update(|p| *p = !*p)>
                {move || if playing.get() {
                    view! { <Icon kind=IconKind::Pause />" Pause" }.into_any()
                } else {
                    view! { <Icon kind=IconKind::Play />" Play" }.into_any()
                }}
            </button>
            <button data-testid="reset-button" aria-label="Reset to the first batch (r)" title="r key"
                on:click=move |_| on_reset.run(())><Icon kind=IconKind::Reset />" Reset"</button>
            <form class="jump" on:submit=jump>
                <label>"jump to batch "
                    <input type="number" min="1" data-testid="jump-input" aria-label="Batch number to jump to"
                        prop:value=move || jump_to.get() on:input=move |ev| jump_to.set(event_target_value(&ev)) />
                </label>
                <button type="submit" data-testid="jump-button">"go"</button>
                <span class="jump-note" data-testid="jump-note" role="status">{move || jump_note.get()}</span>
            </form>
            <span class="position" data-testid="batch-index" aria-live="polite">
                {move || {
                    let p = position.get();
                    let fastai = p.fastai_len.map(|n| format!(" (fastai's len() says {n})")).unwrap_or_default();
                    format!("epoch {} · batch {} of {}{fastai}", p.epoch, p.batch, p.batches)
                }}
            </span>
            <span class="steps" data-testid="step-count" aria-busy=move || busy.get().to_string()>
                {move || {
                    let steps = position.get().steps;
                    format!("{steps} update{}{}", if steps == 1 { "" } else { "s" }, activity.get().map(|a| format!(" · {a}")).unwrap_or_default())
                }}
            </span>
            <span class="keys" aria-hidden="true">"keys: "<kbd>"→"</kbd>" step "<kbd>"←"</kbd>" back "<kbd>"space"</kbd>" play "<kbd>"r"</kbd>" reset"</span>
        </div>
    }
}

/// Where "jump to batch" goes for what was typed, and what to say about it:
/// batches are 1 to `batches`; anything else is named and clamped or refused.
pub fn jump_target(typed: &str, batches: usize) -> (Option<usize>, String) {
    let last = batches.max(1);
    match typed.trim().parse::<i64>() {
        Ok(k) if k >= 1 && k as usize <= last => (Some(k as usize), String::new()),
        Ok(k) if k > last as i64 => (
            Some(last),
            format!("this epoch has {last} batches: went to batch {last}, the last"),
        ),
        Ok(k) => (
            Some(1),
            format!("batches count from 1, so {k} is none: went to batch 1"),
        ),
        Err(_) => (None, format!("type a batch number from 1 to {last}")),
    }
}

#[cfg(test)]
mod tests;
