//! "Show code": the PyTorch program and the fastai loader that batch (and, for
//! PyTorch, train) like the page does with the current settings, and the race
//! and the sweep as PyTorch programs, copyable.

use leptos::prelude::*;

use super::race_choices::use_race_choices;
use super::sweep_choices::use_sweep_choices;
use crate::page::costs::group_digits;
use crate::page::settings::Settings;
use crate::page::show_code::{library_loader, pytorch, race_program, sweep_program, ExportedSweep};
use crate::training::race::sweep_plan::SweepPlan;

/// Which program is shown.
#[derive(Clone, Copy, PartialEq)]
enum Flavour {
    Pytorch,
    Library,
    Race,
    Sweep,
}

/// Where a program's numbers come from, under the tabs.
fn note(flavour: Flavour, sweep: Option<&SweepPlan>) -> String {
    match (flavour, sweep) {
        (Flavour::Pytorch | Flavour::Library, _) => String::new(),
        (Flavour::Race, _) => "The race's runs are its chips below, each with its lr after the race's lr rule; the program trains them on the same 90% of your text and prints their losses against updates and tokens.".into(),
        (Flavour::Sweep, Some(plan)) => {
            let sizes = plan.batch_sizes();
            let grid = plan.grid_words();
            format!(
                "The sweep set up in the race panel below: bs {} to {}, at each the lr rule's value {grid}, {} tokens per run, the target {}; for each run the steps and tokens to the target, then the fit of the critical batch size.",
                sizes.first().unwrap_or(&1),
                sizes.last().unwrap_or(&1),
                group_digits(plan.max_tokens),
                plan.target.map_or("from a pilot run".into(), |t| format!("loss {t}")),
            )
        }
        (Flavour::Sweep, None) => String::new(),
    }
}

/// A folded panel with the code for `settings` (and the race's chips, from
/// the race panel's shared choices).
#[component]
pub fn ShowCode(
    /// The page's settings; the code follows every change.
    settings: Memo<Settings>,
) -> impl IntoView {
    let race = use_race_choices();
    let sweep = use_sweep_choices();
    let sweep_plan = move || sweep.plan(settings.get(), race.lr_rule.get());
    let flavour = RwSignal::new(Flavour::Pytorch);
    let copied = RwSignal::new(false);
    // Folded, the panel shows nothing: no program is written (and sent to
    // the page) on every step of a slider drag.
    let open = RwSignal::new(false);
    let program = move || {
        settings.with(|s| match flavour.get() {
            Flavour::Pytorch => pytorch(s),
            Flavour::Library => library_loader(s),
            Flavour::Race => race.values.with(|values| match values.is_empty() {
                true => "# The race has no runs: add a chip in the race panel.\n".to_string(),
                false => race_program(s, values, race.lr_rule.get()),
            }),
            Flavour::Sweep => match sweep_plan() {
                Ok(plan) => sweep_program(s, &ExportedSweep::of_plan(&plan)),
                Err(e) => format!("# The sweep's fields in the race panel: {e}.\n"),
            },
        })
    };
    let code = move || open.get().then(program).unwrap_or_default();
    // A memo: a slider drag re-plans the sweep but rarely changes these words.
    let note_text = Memo::new(move |_| match open.get() {
        true => note(flavour.get(), sweep_plan().ok().as_ref()),
        false => String::new(),
    });
    let copy = move |_| {
        // The clipboard is local: no request leaves the page.
        let _ = window().navigator().clipboard().write_text(&program());
        copied.set(true);
        set_timeout(
            move || copied.set(false),
            std::time::Duration::from_millis(1500),
        );
    };
    let tab = move |f: Flavour, label: &'static str, testid: &'static str| {
        view! {
            <button role="tab" data-testid=testid aria-selected=move || (flavour.get() == f).to_string()
                class:active=move || flavour.get() == f on:click=move |_| flavour.set(f)>{label}</button>
        }
    };
    view! {
        <details class="show-code" data-testid="show-code"
            on:toggle=move |e| open.set(event_target::<web_sys::HtmlDetailsElement>(&e).open())>
            <summary>"Show code: this batching in PyTorch, the library's own loader, the race and the sweep"</summary>
            <div class="code-tabs" role="tablist">
                {tab(Flavour::Pytorch, "PyTorch (complete program)", "code-tab-pytorch")}
                {tab(Flavour::Library, "the library's own loader", "code-tab-library")}
                {tab(Flavour::Race, "the race in PyTorch", "code-tab-race")}
                {tab(Flavour::Sweep, "the sweep in PyTorch", "code-tab-sweep")}
                <button class="copy" data-testid="copy-code" on:click=copy>
                    {move || if copied.get() { "copied ✓" } else { "copy" }}
                </button>
            </div>
            <p class="caption" data-testid="code-note" hidden=move || note_text.with(String::is_empty)>{note_text}</p>
            <pre data-testid="code-text"><code>{code}</code></pre>
        </details>
    }
}
