//! The sweep the learner has set up in the sweep panel's fields — the
//! largest bs, the lr grid, the token budget, the target — shared by the
//! sweep panel, which edits them and runs the sweep, and "Show code", which
//! exports the same sweep as a PyTorch program. The root provides it as
//! context; a panel mounted alone (a test) gets a fresh one.

use leptos::prelude::*;

use crate::page::costs::group_digits;
use crate::page::settings::Settings;
use crate::training::race::sweep_plan::{
    SweepPlan, DEFAULT_LARGEST_BS, DEFAULT_LR_GRID, DEFAULT_MAX_TOKENS, LR_GRIDS,
};
use crate::training::race::LrRule;

/// The sweep panel's fields as typed; `Copy`, so every closure can hold it.
#[derive(Clone, Copy)]
pub struct SweepChoices {
    /// Batch sizes run 1, 2, 4, … up to this one.
    pub largest_bs: RwSignal<usize>,
    /// An index of [`LR_GRIDS`].
    pub grid: RwSignal<usize>,
    /// The token budget per run, as typed ("1,000,000").
    pub budget: RwSignal<String>,
    /// The target loss as typed; empty: a pilot run chooses it.
    pub target: RwSignal<String>,
}

impl Default for SweepChoices {
    fn default() -> Self {
        SweepChoices {
            largest_bs: RwSignal::new(DEFAULT_LARGEST_BS),
            grid: RwSignal::new(DEFAULT_LR_GRID),
            budget: RwSignal::new(group_digits(DEFAULT_MAX_TOKENS)),
            target: RwSignal::new(String::new()),
        }
    }
}

impl SweepChoices {
    /// The plan the fields describe on `settings` with `lr_rule`, or what
    /// is wrong with them (tracked: a closure that calls it follows them).
    pub fn plan(&self, settings: Settings, lr_rule: LrRule) -> Result<SweepPlan, String> {
        plan(
            settings,
            lr_rule,
            self.largest_bs.get(),
            self.grid.get(),
            &self.budget.get(),
            &self.target.get(),
        )
    }
}

/// The choices the root provides, or fresh ones where none are provided.
pub fn use_sweep_choices() -> SweepChoices {
    use_context::<SweepChoices>().unwrap_or_default()
}

fn plan(
    settings: Settings,
    lr_rule: LrRule,
    largest_bs: usize,
    grid: usize,
    budget: &str,
    target: &str,
) -> Result<SweepPlan, String> {
    let max_tokens = budget
        .replace([',', '_', ' '], "")
        .parse::<usize>()
        .ok()
        .filter(|&t| t >= 1_000)
        .ok_or("the token budget must be a whole number of at least 1,000")?;
    let target = match target.trim() {
        "" => None,
        text => Some(
            text.parse::<f64>()
                .ok()
                .filter(|t| t.is_finite() && *t > 0.0)
                .ok_or("the target loss must be a positive number (nats per token), or empty for a pilot run to choose it")?,
        ),
    };
    Ok(SweepPlan {
        base: settings,
        lr_rule,
        largest_bs,
        lr_factors: LR_GRIDS[grid.min(LR_GRIDS.len() - 1)].0.to_vec(),
        max_tokens,
        target,
    })
}
