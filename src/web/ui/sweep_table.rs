//! The sweep's results as a table beside its chart: per bs, the best lr and
//! its updates and tokens to the target, and how many of its runs reached
//! it — the numbers the chart's large dots stand for, readable without it.

use leptos::prelude::*;

use crate::page::costs::group_digits;
use crate::page::tour::format_lr;
use crate::training::race::sweep_machine::{JobStatus, Sweep};

/// One row: bs, best lr, updates, tokens, "reached" (e.g. "2 of 3").
#[derive(Clone, Debug, PartialEq)]
struct Row {
    bs: usize,
    best_lr: String,
    steps: String,
    tokens: String,
    reached: String,
}

fn rows(sweep: &Sweep) -> Vec<Row> {
    sweep
        .best()
        .iter()
        .map(|best| {
            let runs: Vec<&JobStatus> = sweep
                .jobs()
                .iter()
                .filter(|j| j.bs == best.bs)
                .map(|j| &j.status)
                .collect();
            let ended = runs
                .iter()
                .filter(|s| matches!(s, JobStatus::Done(_) | JobStatus::Failed(_)))
                .count();
            let reached = runs
                .iter()
                .filter(|s| matches!(s, JobStatus::Done(r) if r.reached))
                .count();
            let dash = || if ended < runs.len() { "…" } else { "—" }.to_string();
            Row {
                bs: best.bs,
                best_lr: best.best_lr.map_or_else(dash, format_lr),
                steps: best.steps.map_or_else(dash, group_digits),
                tokens: best.tokens.map_or_else(dash, group_digits),
                reached: match runs.len() - ended {
                    0 => format!("{reached} of {}", runs.len()),
                    left => format!("{reached} of {} ({left} still to end)", runs.len()),
                },
            }
        })
        .collect()
}

/// The table of a sweep's results so far.
#[component]
pub fn SweepTable(
    /// The sweep whose results to list.
    sweep: RwSignal<Sweep>,
) -> impl IntoView {
    let rows = Memo::new(move |_| sweep.with(rows));
    let target = Memo::new(move |_| {
        sweep.with(|s| {
            let target = s.target()?;
            let from = s.pilot().map_or(String::new(), |p| {
                format!(
                    " (set by the pilot run: bs={}, lr={}, {} tokens)",
                    p.bs,
                    format_lr(p.lr),
                    group_digits(p.tokens)
                )
            });
            Some(format!("target validation loss {target:.3}{from}"))
        })
    });
    view! {
        <table class="sweep-table" data-testid="sweep-table" hidden=move || rows.with(Vec::is_empty)>
            <caption data-testid="sweep-target-caption">{move || target.get()}</caption>
            <thead>
                <tr><th>"bs"</th><th>"best lr"</th><th>"updates"</th><th>"tokens"</th><th>"reached the target"</th></tr>
            </thead>
            <tbody>
                <For each=move || rows.get() key=|row| format!("{row:?}") let:row>
                    <tr data-testid="sweep-row" data-bs=row.bs.to_string()>
                        <td>{row.bs}</td>
                        <td>{row.best_lr}</td>
                        <td data-testid="sweep-steps">{row.steps}</td>
                        <td data-testid="sweep-tokens">{row.tokens}</td>
                        <td>{row.reached}</td>
                    </tr>
                </For>
            </tbody>
        </table>
    }
}
