//! "Sweep" in the race panel (issue #12): steps to a target loss for bs =
//! 1, 2, 4, … with the lr tuned per bs, run in the race's workers, drawn as
//! they arrive. The learner picks the largest bs, the lr grid around the lr
//! rule's value, the token budget per run and the target (empty: a pilot
//! run chooses it, and it is shown here once chosen).

use leptos::prelude::*;

use super::sweep_chart::SweepChart;
use super::sweep_choices::use_sweep_choices;
use super::sweep_state::SweepHandle;
use super::sweep_table::SweepTable;
use crate::page::settings::Settings;
use crate::training::race::sweep_machine::Sweep;
use crate::training::race::sweep_plan::{SweepPlan, LR_GRIDS};
use crate::training::race::LrRule;
use crate::training::sweep::chart::sweep_chart_data;

/// The largest batch sizes the menu offers.
const LARGEST_BS: [usize; 8] = [2, 4, 8, 16, 32, 64, 128, 256];

/// The sweep's controls, progress, chart and table.
#[component]
pub fn SweepPanel(
    /// The page's sweep.
    sweep: SweepHandle,
    /// The page's settings: every run is these with its own bs and lr.
    #[prop(into)]
    settings: Signal<Settings>,
    /// The race's lr rule: each bs's lrs centre on its value.
    #[prop(into)]
    lr_rule: Signal<LrRule>,
    /// Called with the plan when the learner presses Sweep.
    on_sweep: Callback<SweepPlan>,
    /// Whether the text is ready to train on; Sweep waits until it is.
    #[prop(into, default = Signal::stored(true))]
    ready: Signal<bool>,
) -> impl IntoView {
    let state = sweep.state;
    let choices = use_sweep_choices();
    let (largest_bs, grid, target) = (choices.largest_bs, choices.grid, choices.target);
    let budget = choices.budget;
    let error = RwSignal::new(None::<String>);
    // The pilot's target, shown once chosen; the learner may edit it.
    let pilot_target = Memo::new(move |_| state.with(|s| s.pilot().map(|p| p.target_loss)));
    Effect::new(move |_| {
        if let Some(loss) = pilot_target.get() {
            target.set(format!("{loss:.4}"));
        }
    });
    let running = Memo::new(move |_| state.with(Sweep::running));
    let on_click = move |_| {
        let fields = untrack(|| choices.plan(settings.get(), lr_rule.get()));
        match fields {
            Ok(plan) => {
                error.set(None);
                on_sweep.run(plan);
            }
            Err(message) => error.set(Some(message)),
        }
    };
    let chart = Memo::new(move |_| {
        state.with(|s| {
            let sizes = s.plan().map(SweepPlan::batch_sizes).unwrap_or_default();
            sweep_chart_data(&sizes, &s.results(), &s.best(), s.fit())
        })
    });
    let progress = Memo::new(move |_| state.with(Sweep::progress));
    let started = Memo::new(move |_| state.with(|s| s.plan().is_some()));
    // A memo: progress messages arrive several times a second, the verdict's
    // words change only when a run ends (and an aria-live line should not be
    // rewritten with the same words).
    let verdict = Memo::new(move |_| state.with(|s| s.plan().is_some().then(|| s.verdict())));
    view! {
        <div class="sweep" data-testid="sweep-panel">
            <h3>"Sweep: updates to a target loss, with the lr tuned per bs"</h3>
            <p class="caption">
                "Trains bs = 1, 2, 4, … each at a few lrs from the lr rule's value up (with Adam the best lr grows with bs), one run per worker, each until its smoothed validation loss reaches the target or it has used its token budget. With the lr tuned for each bs, the updates needed fall in proportion to bs up to a critical batch size, then flatten (McCandlish et al. 2018)."
            </p>
            <div class="race-controls">
                <label class="choice">
                    <span class="choice-label">"bs up to"</span>
                    <select data-testid="sweep-largest-bs" aria-label="the largest bs of the sweep" on:change=move |ev| {
                        if let Ok(bs) = event_target_value(&ev).parse() { largest_bs.set(bs) }
                    }>
                        {LARGEST_BS.iter().map(|&bs| view! { <option value=bs.to_string() selected=move || largest_bs.get() == bs>{bs}</option> }).collect_view()}
                    </select>
                </label>
                <label class="choice">
                    <span class="choice-label">"lrs per bs"</span>
                    <select data-testid="sweep-lr-grid" aria-label="the lrs tried at each bs, as factors of the lr rule's value" on:change=move |ev| {
                        if let Ok(i) = event_target_value(&ev).parse() { grid.set(i) }
                    }>
                        {LR_GRIDS.iter().enumerate().map(|(i, (_, text))| view! { <option value=i.to_string() selected=move || grid.get() == i>{*text}</option> }).collect_view()}
                    </select>
                </label>
                <label class="choice">
                    <span class="choice-label">"tokens per run"</span>
                    <input type="text" inputmode="numeric" size="10" data-testid="sweep-budget" aria-label="the token budget of each run"
                        prop:value=move || budget.get() on:input=move |ev| budget.set(event_target_value(&ev)) />
                </label>
                <label class="choice">
                    <span class="choice-label">"target loss"</span>
                    <input type="text" inputmode="decimal" size="7" data-testid="sweep-target" placeholder="pilot run" aria-label="the target validation loss; empty: a pilot run chooses it"
                        prop:value=move || target.get() on:input=move |ev| target.set(event_target_value(&ev)) />
                </label>
                <button data-testid="sweep-button" disabled=move || !ready.get() on:click=on_click>{move || if running.get() { "Restart sweep" } else if started.get() { "Sweep again" } else { "Sweep" }}</button>
                <button data-testid="sweep-stop-button" disabled=move || !running.get() on:click=move |_| sweep.stop()>"Stop sweep ■"</button>
            </div>
            <p class="message" data-testid="sweep-error" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
            <p class="sweep-progress" data-testid="sweep-progress" aria-live="polite">{move || progress.get()}</p>
            <p class="race-verdict" data-testid="sweep-verdict" aria-live="polite">{verdict}</p>
            <div hidden=move || !started.get()>
                <SweepChart data=chart />
                <SweepTable sweep=state />
            </div>
        </div>
    }
}
