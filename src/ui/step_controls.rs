//! Step ▶, ◀ back, Play/Pause, Reset and "jump to batch k", with the batch
//! position always visible.

use leptos::prelude::*;

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
    let jump = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Ok(k) = jump_to.get().trim().parse::<usize>() {
            on_jump.run(k);
        }
    };
    view! {
        <div class="step-controls" role="toolbar" aria-label="Step through mini-batches">
            <button data-testid="back-button" aria-label="Back one batch (←)" title="← key"
                disabled=move || !can_back.get() on:click=move |_| on_back.run(())>"◀ back"</button>
            <button data-testid="step-button" class="primary" aria-label="Step: train on the next batch (→)" title="→ key"
                on:click=move |_| on_step.run(())>"Step ▶"</button>
            <button data-testid="play-button" aria-label=move || if playing.get() { "Pause (space)" } else { "Play (space)" }
                aria-pressed=move || playing.get().to_string()
                on:click=move |_| playing.update(|p| *p = !*p)>
                {move || if playing.get() { "❚❚ Pause" } else { "▶▶ Play" }}
            </button>
            <button data-testid="reset-button" aria-label="Reset to the first batch (r)" title="r key"
                on:click=move |_| on_reset.run(())>"⟲ Reset"</button>
            <form class="jump" on:submit=jump>
                <label>"jump to batch "
                    <input type="number" min="1" data-testid="jump-input" aria-label="Batch number to jump to"
                        prop:value=move || jump_to.get() on:input=move |ev| jump_to.set(event_target_value(&ev)) />
                </label>
                <button type="submit" data-testid="jump-button">"go"</button>
            </form>
            <span class="position" data-testid="batch-index" aria-live="polite">
                {move || {
                    let p = position.get();
                    let fastai = p.fastai_len.map(|n| format!(" (fastai's len() says {n})")).unwrap_or_default();
                    format!("epoch {} · batch {} of {}{fastai}", p.epoch, p.batch, p.batches)
                }}
            </span>
            <span class="steps" data-testid="step-count" aria-busy=move || busy.get().to_string()>
                {move || format!("{} updates{}", position.get().steps, activity.get().map(|a| format!(" · {a}")).unwrap_or_default())}
            </span>
        </div>
    }
}
