//! One run of a race beside the chart: its live numbers, its status (with a
//! Restart button when it crashed or diverged), a sample of what it has
//! learnt, and its model and loss history as files.

use leptos::prelude::*;

use crate::page::costs::{format_loss, format_megabytes, group_digits};
use crate::training::race::history::format_epochs;
use crate::training::race::run_slot::{RunStatus, RunView};
use crate::training::race::stats::RunStats;
use crate::training::race::RaceValue;

/// The numbers of a run, in one line: updates, tokens/s, ms/step,
/// activation memory, epoch, best validation loss, last loss.
pub fn stats_text(stats: &RunStats, last_loss: Option<f64>) -> String {
    let best = match stats.best_val_loss {
        Some((step, loss)) => format!("{loss:.3} (after step {step})"),
        None => "—".into(),
    };
    let numbers = format!(
        "{} updates · {} tokens/s · {:.1} ms/step · activations {} · {} · best val loss {} · last loss {}",
        group_digits(stats.steps),
        group_digits(stats.tokens_per_second.round() as usize),
        stats.ms_per_step,
        format_megabytes(stats.activation_bytes),
        format_epochs(stats.epoch),
        best,
        format_loss(last_loss),
    );
    match &stats.diverged {
        Some(d) => format!(
            "diverged at step {}: lower the learning rate ({}). {numbers}",
            d.step, d.hint
        ),
        None => numbers,
    }
}

/// The run's gradient noise scale, and how its bs compares: below
/// B_simple a larger batch mostly averages noise away (fewer updates for
/// the same tokens); above it, it buys little (McCandlish et al. 2018).
pub fn noise_text(stats: &RunStats, bs: usize) -> String {
    match stats.noise_scale {
        Some(b) if b.is_finite() && b > 0.0 => {
            let shown = if b >= 10.0 {
                group_digits(b.round() as usize)
            } else {
                format!("{b:.1}")
            };
            let versus = if (bs as f64) < b {
                "below it: a larger batch would still average much noise away"
            } else {
                "above it: a larger batch would buy little, for now"
            };
            // It grows as the loss falls (the signal shrinks faster than the
            // noise), so early on a bs can be above it and later below.
            format!("gradient noise scale ≈ {shown} streams so far (it grows as the loss falls) · bs = {bs} is {versus}")
        }
        Some(_) => "gradient noise scale: the gradient is all noise so far".into(),
        None => "gradient noise scale: measured from the 4th update on".into(),
    }
}

/// File name stem of a run's downloads, e.g. `batchscope-bs=4`.
fn file_stem(label: &str) -> String {
    format!("batchscope-{}", label.replace(['=', ' '], "-"))
}

/// A run's card.
#[component]
pub fn RunCard(
    /// The run as the page knows it (`None` for a moment while it is removed).
    #[prop(into)]
    run: Signal<Option<RunView>>,
    /// Its colour on the chart, `rgb(…)`.
    #[prop(into)]
    colour: Signal<String>,
    /// Restart this run from scratch (a new worker).
    on_restart: Callback<u32>,
    /// Ask for this run's model and history as files.
    on_export: Callback<u32>,
) -> impl IntoView {
    let field = move |f: fn(&RunView) -> String| {
        move || run.with(|r| r.as_ref().map(f).unwrap_or_default())
    };
    let id = move || run.with(|r| r.as_ref().map(|r| r.id));
    let bs = move || {
        run.with(|r| {
            r.as_ref().and_then(|r| {
                if let RaceValue::Bs(bs) = r.config.value {
                    Some(bs.to_string())
                } else {
                    None
                }
            })
        })
    };
    let restartable = move || {
        run.with(|r| {
            r.as_ref().is_some_and(|r| {
                matches!(
                    r.status,
                    RunStatus::Crashed(_) | RunStatus::Diverged(_) | RunStatus::NotStarted(_)
                )
            })
        })
    };
    let downloads = move || {
        run.with(|r| {
            r.as_ref()
                .and_then(|r| r.downloads.clone().map(|d| (d, file_stem(&r.config.label))))
        })
    };
    view! {
        <article class="run-card" data-testid="run-card" data-label=field(|r| r.config.label.clone())>
            <h3>
                <span class="swatch" style=move || format!("background:{}", colour.get())></span>
                {field(|r| r.config.label.clone())}
                " "
                <span class="run-status" data-testid="run-status">{field(RunView::status_text)}</span>
            </h3>
            <p class="run-stats" data-testid="run-stats" data-bs=bs>
                {field(|r| r.stats.as_ref().map(|s| stats_text(s, r.last_loss)).unwrap_or_else(|| "no step yet".into()))}
            </p>
            <p class="run-noise" data-testid="noise-scale" title="B_simple = tr Σ / |G|²: the batch size (in streams) at which a step's gradient is as much noise as signal, measured from this run's own gradients (every 4th update trains its batch as two halves)">
                {field(|r| r.stats.as_ref().map(|s| noise_text(s, r.config.settings.bs)).unwrap_or_default())}
            </p>
            <Show when=restartable>
                <button data-testid="restart-button" on:click=move |_| id().into_iter().for_each(|id| on_restart.run(id))>"Restart"</button>
            </Show>
            <pre class="run-sample" data-testid="run-sample" title="Text the model writes now, from the primer “The ”">{field(|r| r.sample.clone().unwrap_or_default())}</pre>
            <p class="run-files">
                <button data-testid="export-button" on:click=move |_| id().into_iter().for_each(|id| on_export.run(id))>"Prepare files"</button>
                {move || downloads().map(|(d, stem)| view! {
                    " "
                    <a data-testid="download-model" href=d.model_url download=format!("{stem}.json")>"model (PyTorch state dict)"</a>
                    " · "
                    <a data-testid="download-csv" href=d.csv_url download=format!("{stem}.csv")>"loss history (CSV)"</a>
                })}
            </p>
        </article>
    }
}
