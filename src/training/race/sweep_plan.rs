//! What the page's sweep trains: batch sizes 1, 2, 4, … up to a largest one,
//! at each a few learning rates around the value the race's lr rule gives
//! that bs, each run until it reaches a target validation loss or spends its
//! token budget; the target is given, or set by a pilot run first
//! ([`crate::training::sweep::pilot`]'s rule).

use super::LrRule;
use crate::page::settings::{Settings, BS_RANGE};
use crate::training::sweep::page_run::PageSweepRun;
use crate::training::sweep::pilot::{pilot_budget, upper_middle};
use crate::training::sweep::{jobs, lrs_by_rule};

/// The largest bs a sweep trains by default: 8 batch sizes, 1 to 128.
pub const DEFAULT_LARGEST_BS: usize = 128;

/// The lr grids the page offers, as factors of the lr rule's value at each
/// bs, with the words its menu shows.
pub const LR_GRIDS: [(&[f64], &str); 5] = [
    (&[1.0], "×1 (the lr rule's value)"),
    (&[1.0, 2.0], "×1, ×2"),
    (&[0.5, 1.0, 2.0], "×½, ×1, ×2"),
    (&[0.25, 0.5, 1.0, 2.0, 4.0], "×¼, ×½, ×1, ×2, ×4"),
    (&[2.0, 8.0, 32.0], "×2, ×8, ×32"),
];
/// The grid a sweep starts with (an index of [`LR_GRIDS`]): three lrs a
/// factor of 4 apart, above the page's lr. With the page's model, Adam and
/// lr 0.003 on the stories, the best lr rises with bs from about ×4 at
/// bs 1 to ×32 or more at bs 128 (`batchscope sweep` over lrs 0.0015 to
/// 0.192), so a grid around ×1 put every bs's best at its largest lr; a
/// fourth lr below (×½) only added the sweep's slowest runs.
pub const DEFAULT_LR_GRID: usize = 4;

/// Training tokens a run may use by default. Why this many: the pilot then
/// trains bs 16 on 125,000 tokens, far enough for a target where the steps
/// bend with bs, and 8 batch sizes × 3 lrs still finish in under 3 minutes
/// on 2 cores in Chromium (BENCHMARKS.md, "Batch-size sweep in
/// Chromium").
pub const DEFAULT_MAX_TOKENS: usize = 1_000_000;

/// A sweep the learner has set up.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPlan {
    /// The page's settings at the press of Sweep: every run is these with
    /// its own bs and lr.
    pub base: Settings,
    /// How the lr at the middle of each bs's grid follows bs.
    pub lr_rule: LrRule,
    /// Batch sizes run 1, 2, 4, … up to this one.
    pub largest_bs: usize,
    /// Each bs's lrs are the lr rule's value times these, ascending.
    pub lr_factors: Vec<f64>,
    /// Training tokens a run may use.
    pub max_tokens: usize,
    /// The validation loss to reach; `None`: a pilot run sets it.
    pub target: Option<f64>,
}

impl SweepPlan {
    /// The powers of two from 1 to `largest_bs` (within the page's bs range).
    pub fn batch_sizes(&self) -> Vec<usize> {
        let largest = self.largest_bs.clamp(BS_RANGE.0, BS_RANGE.1);
        std::iter::successors(Some(1usize), |bs| Some(bs * 2))
            .take_while(|&bs| bs <= largest)
            .collect()
    }

    /// The lr grid in the menu's words ("×2, ×8, ×32"), or "" for factors
    /// the menu does not offer.
    pub fn grid_words(&self) -> &'static str {
        LR_GRIDS
            .iter()
            .find(|(factors, _)| *factors == self.lr_factors.as_slice())
            .map_or("", |(_, words)| words)
    }

    /// The lrs tried at `bs`, ascending.
    pub fn lrs(&self, bs: usize) -> Vec<f64> {
        self.lrs_at(&[bs]).swap_remove(0).1
    }

    /// Per bs of `bs` (ascending) the lrs tried at it: the page's lr times
    /// each factor, carried from the page's bs to that bs by the lr rule.
    pub fn lrs_at(&self, bs: &[usize]) -> Vec<(usize, Vec<f64>)> {
        let mut factors = self.lr_factors.clone();
        factors.sort_by(f64::total_cmp);
        factors.dedup();
        let at_page_bs: Vec<f64> = factors.iter().map(|f| self.base.lr * f).collect();
        lrs_by_rule(bs, &at_page_bs, self.lr_rule, self.base.bs)
    }

    /// Every (bs, lr) run in the order they start: bs ascending (the small
    /// batches take the most updates, so they start first and the sweep
    /// does not wait on one of them at its end), lrs ascending.
    pub fn jobs(&self) -> Vec<(usize, f64)> {
        jobs(&self.lrs_at(&self.batch_sizes()))
    }

    /// The pilot's (bs, lr): the middle bs at the middle of its grid, as
    /// `batchscope sweep` picks it from its sorted lists.
    pub fn pilot_job(&self) -> (usize, f64) {
        let sizes = self.batch_sizes();
        let bs = upper_middle(&sizes).unwrap_or(1);
        let lrs = self.lrs(bs);
        let lr = upper_middle(&lrs).unwrap_or(self.base.lr);
        (bs, lr)
    }

    /// What a worker is told to train for the run of `job`, toward `target`
    /// (`None`: the pilot, on its share of the budget).
    pub fn run(&self, (bs, lr): (usize, f64), target: Option<f64>) -> PageSweepRun {
        let settings = Settings {
            bs,
            lr,
            ..self.base.clone()
        };
        PageSweepRun {
            settings,
            max_tokens: self.max_tokens,
            budget: match target {
                Some(_) => self.max_tokens,
                None => pilot_budget(self.max_tokens),
            },
            target,
        }
    }
}

#[cfg(test)]
mod tests;
