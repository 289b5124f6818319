//! "Race": several runs that differ in one thing (bs, bptt, the batching
//! scheme, carrying the hidden state) train side by side, each in its own
//! worker, their loss curves drawn live on one chart.
//!
//! Each run is the page's current settings with one value changed; the
//! settings at the press of Race are kept for the whole race, so dragging a
//! slider meanwhile does not disturb it.

use std::sync::Arc;

use leptos::prelude::*;

use super::choice::Choice;
use super::icons::{Icon, IconKind};

use super::loss_chart::LossChart;
use super::race_chips::RaceChips;
use super::race_choices::{use_race_choices, RaceChoices};
use super::race_state::use_race;
use super::run_card::RunCard;
use super::sweep_panel::SweepPanel;
use super::sweep_state::{use_sweep, SweepHandle};
use crate::data::user_text::{megabytes, UserText};
use crate::page::settings::Settings;
use crate::training::race::chart_axes::{ChartY, XAxis, YScale};
use crate::training::race::chart_data::colour;
use crate::training::race::history::{LossHistory, DEFAULT_SMOOTHING};
use crate::training::race::race_memory::{held_bytes, RACE_TEXT_BYTES};
use crate::training::race::sweep_plan::SweepPlan;
use crate::training::race::turns::TURN_MS;
use crate::training::race::verdict::race_verdict;
use crate::training::race::{LrRule, Race, RaceVariable, TextSize};
use crate::web::worker_build::WorkerBuild;

const LR_RULES: [(LrRule, &str); 3] = [
    (LrRule::Same, "same lr for every bs"),
    (LrRule::SqrtBs, "lr × √(bs / page bs)"),
    (LrRule::LinearBs, "lr × bs / page bs"),
];

fn variable_text(variable: RaceVariable) -> &'static str {
    match variable {
        RaceVariable::BatchSize => "batch size (bs)",
        RaceVariable::Bptt => "bptt (10, 35, 70, 140)",
        RaceVariable::Scheme => "fixed vs fastai-variable windows",
        RaceVariable::Carry => "hidden state carried vs reset",
    }
}

/// The race section.
#[component]
pub fn RacePanel(
    /// The page's settings: every run is these with one value changed.
    #[prop(into)]
    settings: Signal<Settings>,
    /// The learner's own text, sent to the workers when it is the corpus.
    own_text: RwSignal<Option<Arc<UserText>>>,
    /// The size of the page's text, whole (each run holds at most
    /// `race_memory::RACE_TEXT_BYTES` of it).
    #[prop(into)]
    text: Signal<TextSize>,
    /// Whether the text is tokenised: until then its size is only a bound
    /// (a token per byte, the largest vocabulary) that would refuse most
    /// runs, so Race and Sweep wait.
    #[prop(into, default = Signal::stored(true))]
    text_ready: Signal<bool>,
) -> impl IntoView {
    let race = use_race(own_text, text);
    // The root may share the sweep (a test sets one up); otherwise it is the panel's.
    let sweep = use_context::<SweepHandle>().unwrap_or_else(|| use_sweep(own_text, text));
    let RaceChoices {
        values,
        lr_rule,
        x_axis,
    } = use_race_choices();
    let variable = RwSignal::new(
        values
            .with_untracked(|v| v.first().map(|v| v.variable()))
            .unwrap_or(RaceVariable::BatchSize),
    );
    // A link pasted into the tab may race another variable.
    Effect::new(move |_| {
        let first = values.with(|v| v.first().map(|v| v.variable()));
        if let Some(first) = first.filter(|&f| f != variable.get_untracked()) {
            race.stop();
            variable.set(first);
        }
    });
    let y_log = RwSignal::new(false);
    let chart_y = RwSignal::new(ChartY::Loss);
    super::tour_race::offer(super::tour_race::RaceControls {
        race,
        variable,
        values,
        lr_rule,
        x_axis,
        sweep,
        sweep_choices: super::sweep_choices::use_sweep_choices(),
    });

    let on_variable = move |ev: leptos::ev::Event| {
        let Some(&chosen) = event_target_value(&ev)
            .parse::<usize>()
            .ok()
            .and_then(|i| RaceVariable::ALL.get(i))
        else {
            return;
        };
        // Runs of another variable cannot join the race in progress.
        race.stop();
        variable.set(chosen);
        values.set(chosen.default_values());
    };
    let on_race = move |_| {
        // One experiment trains at a time: the cores are shared.
        sweep.stop();
        race.start(
            settings.get_untracked(),
            &values.get_untracked(),
            lr_rule.get_untracked(),
        )
    };
    let on_sweep = Callback::new(move |plan: SweepPlan| {
        race.stop();
        // A stopped race's workers keep their models for samples and files.
        let held = race
            .state
            .with_untracked(|r| held_bytes(r.slots(), text.get_untracked().raced()));
        sweep.start(plan, held);
    });
    let state = race.state;
    let racing = Memo::new(move |_| state.with(Race::racing));
    let paused = Memo::new(move |_| state.with(Race::paused));
    let temperature = Memo::new(move |_| state.with(Race::temperature));
    let run_ids =
        Memo::new(move |_| state.with(|r| r.slots().iter().map(|s| s.id()).collect::<Vec<_>>()));
    let card = move |id: u32| {
        // A card changes with its own run only.
        let run = Memo::new(move |_| state.with(|r| r.slot(id).map(|s| s.run().clone())));
        let colour = Memo::new(move |_| {
            let index = state
                .with(|r| r.slots().iter().position(|s| s.id() == id))
                .unwrap_or(0);
            let (r, g, b) = colour(index);
            format!("rgb({r},{g},{b})")
        });
        view! { <RunCard run=run colour=colour on_restart=Callback::new(move |id| race.restart(id)) on_export=Callback::new(move |id| race.export(id)) /> }
    };

    // The verdict, from the curves as they are now (the sweep has its own).
    let verdict = move || {
        state.with(|r| {
            let (variable, lr_rule) = r.plan()?;
            let runs: Vec<(&str, &LossHistory)> = r
                .slots()
                .iter()
                .map(|s| (s.run().config.label.as_str(), s.history()))
                .collect();
            Some(race_verdict(variable, lr_rule, &runs, DEFAULT_SMOOTHING))
        })
    };

    // More runs than cores to spare: say why the runs take turns, and what
    // that means for the seconds axis.
    let turns_note = move || {
        let (training, at_once) = state.with(|r| {
            let training = r.slots().iter().filter(|s| s.run().may_train()).count();
            (training, r.at_once())
        });
        (racing.get() && !paused.get() && training > at_once).then(|| {
            format!(
                "{at_once} of the {training} runs train at a time (one per core of this machine), taking turns every {:.2} s so the page stays smooth. A run's seconds and tokens/s count only its own training time.",
                TURN_MS as f64 / 1000.0
            )
        })
    };
    // Each worker holds its own copy of the text: a large one is cut.
    let text_cap = move || {
        let bytes = text.with(|t| t.bytes);
        (bytes > RACE_TEXT_BYTES).then(|| {
            format!(
                " The text is {}; each run's worker holds its own copy, so a race uses its first {}.",
                megabytes(bytes),
                megabytes(RACE_TEXT_BYTES)
            )
        })
    };
    view! {
        <section class="race" data-testid="race-panel" aria-labelledby="race-heading">
            <h2 id="race-heading">"Race: how batch size changes training"</h2>
            <p class="caption">
                "Each run trains in its own worker on the page's settings (corpus, tokens, bptt, scheme, seed, hidden, layers, optimizer, lr) with one value changed, on 90% of the text; the other 10% is held out for the validation dots."
                <span data-testid="race-text-cap">{text_cap}</span>
            </p>
            <div class="race-controls">
                <label class="choice">
                    <span class="choice-label">"race"</span>
                    <select data-testid="race-variable-select" aria-label="what the runs differ in" on:change=on_variable>
                        {RaceVariable::ALL.iter().enumerate().map(|(i, &v)| view! { <option value=i.to_string() selected=move || variable.get() == v>{variable_text(v)}</option> }).collect_view()}
                    </select>
                </label>
                <RaceChips variable=variable values=values on_add=Callback::new(move |v| race.add(v)) on_remove=Callback::new(move |v| race.remove(v)) />
                <label class="choice" hidden=move || variable.get() != RaceVariable::BatchSize>
                    <span class="choice-label">"lr"</span>
                    <select data-testid="lr-rule-select" aria-label="how the learning rate follows bs" on:change=move |ev| {
                        if let Some((rule, _)) = event_target_value(&ev).parse::<usize>().ok().and_then(|i| LR_RULES.get(i)) {
                            lr_rule.set(*rule);
                        }
                    }>
                        {LR_RULES.iter().enumerate().map(|(i, &(rule, text))| view! { <option value=i.to_string() selected=move || lr_rule.get() == rule>{text}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <div class="race-buttons">
                <button data-testid="race-button" disabled=move || !text_ready.get() on:click=on_race>{move || if racing.get() { "Race again " } else { "Race " }}<Icon kind=IconKind::Step /></button>
                <button data-testid="pause-button" disabled=move || !racing.get() on:click=move |_| race.set_paused(!paused.get_untracked())>
                    {move || if paused.get() {
                        view! { "Resume "<Icon kind=IconKind::Step /> }.into_any()
                    } else {
                        view! { "Pause "<Icon kind=IconKind::Pause /> }.into_any()
                    }}
                </button>
                <button data-testid="stop-button" disabled=move || !racing.get() on:click=move |_| race.stop()>"Stop ■"</button>
                <label class="choice">
                    <span class="choice-label">"x axis"</span>
                    <select data-testid="x-axis-select" aria-label="x axis" on:change=move |ev| {
                        if let Some(&axis) = event_target_value(&ev).parse::<usize>().ok().and_then(|i| XAxis::ALL.get(i)) {
                            x_axis.set(axis);
                        }
                    }>
                        {XAxis::ALL.iter().enumerate().map(|(i, &a)| view! { <option value=i.to_string() selected=move || x_axis.get() == a>{a.caption()}</option> }).collect_view()}
                    </select>
                </label>
                <Choice label="y axis" testid="y-select" options=ChartY::ALL.iter().map(|&y| (y, y.choice().to_string())).collect() value=chart_y />
                <label class="toggle" hidden=move || chart_y.get() == ChartY::NoiseScale>
                    <input type="checkbox" data-testid="y-log-toggle" prop:checked=move || y_log.get() on:change=move |ev| y_log.set(event_target_checked(&ev)) />
                    " log loss axis"
                </label>
                <label class="toggle">
                    "sample temperature "
                    <input type="range" data-testid="temperature-slider" min="0" max="1.5" step="0.1" prop:value=move || temperature.get().to_string()
                        on:input=move |ev| if let Ok(t) = event_target_value(&ev).parse() { race.set_temperature(t) } />
                    <span data-testid="temperature-value">{move || format!("{:.1}", temperature.get())}</span>
                </label>
            </div>
            <p class="race-waits" data-testid="race-waits" hidden=move || text_ready.get()>"Race and Sweep start once your text is tokenised."</p>
            <p class="race-turns" data-testid="race-turns">{turns_note}</p>
            // The race's answer right under its buttons: the verdict over the chart it reads.
            <div class="race-results" data-testid="race-results">
                <p class="race-verdict" data-testid="race-verdict" aria-live="polite">{verdict}</p>
                <LossChart histories=state x_axis=x_axis y=chart_y y_scale=Signal::derive(move || if y_log.get() { YScale::Log } else { YScale::Linear }) />
            </div>
            <div class="run-cards">
                <For each=move || run_ids.get() key=|id| *id children=card />
            </div>
            <SweepPanel sweep=sweep settings=settings lr_rule=lr_rule on_sweep=on_sweep ready=text_ready />
            <p class="race-footnote" data-testid="race-build">{format!("Workers: {}.", WorkerBuild::of_this_engine().describe())}</p>
        </section>
    }
}
