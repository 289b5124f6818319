//! Driving the race panel's sweep like a learner: its fields, its button,
//! waiting for it to end, and reading its results table.

use std::time::{Duration, Instant};

use fantoccini::Client;

use super::browser::text_of;
use super::page::{click, set_field, type_text};

/// One row of the results table: bs, and the best run's updates and tokens
/// as the page prints them (grouped digits, or "—").
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub bs: usize,
    pub steps: String,
    pub tokens: String,
}

impl Row {
    /// The updates as a number, when the bs reached the target.
    pub fn steps(&self) -> Option<usize> {
        self.steps.replace(',', "").parse().ok()
    }
}

/// Sets the sweep's fields (`grid`: an index of `LR_GRIDS`; `target` empty
/// for a pilot) and presses Sweep.
pub async fn start_sweep(c: &Client, largest_bs: usize, grid: usize, budget: usize, target: &str) {
    set_field(c, "sweep-largest-bs", &largest_bs.to_string()).await;
    set_field(c, "sweep-lr-grid", &grid.to_string()).await;
    type_text(c, "sweep-budget", &budget.to_string()).await;
    type_text(c, "sweep-target", target).await;
    click(c, "sweep-button").await;
}

/// Waits (at most `limit`) until the sweep's progress line says every run
/// is done; returns the line. Panics with the line if the sweep failed or
/// the time ran out.
pub async fn wait_sweep_done(c: &Client, limit: Duration) -> String {
    let deadline = Instant::now() + limit;
    loop {
        let progress = text_of(c, "sweep-progress").await;
        if progress.starts_with("all ") {
            return progress;
        }
        assert!(
            !progress.starts_with("The pilot run"),
            "the sweep failed: {progress}"
        );
        assert!(
            Instant::now() < deadline,
            "the sweep did not end in {limit:?}: {progress}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The results table's rows, bs ascending.
pub async fn rows(c: &Client) -> Vec<Row> {
    let rows = c
        .execute(
            "return [...document.querySelectorAll(\"[data-testid='sweep-row']\")].map(r => [
                 Number(r.dataset.bs),
                 r.querySelector(\"[data-testid='sweep-steps']\").textContent,
                 r.querySelector(\"[data-testid='sweep-tokens']\").textContent])",
            vec![],
        )
        .await
        .unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| Row {
            bs: r[0].as_u64().unwrap() as usize,
            steps: r[1].as_str().unwrap().to_string(),
            tokens: r[2].as_str().unwrap().to_string(),
        })
        .collect()
}
