//! Question 2's last caption: the sweep. A race compares a few batch sizes
//! at one lr each; what the field measures needs every size with its lr
//! tuned, which is the race panel's sweep. The caption says what pressing
//! Sweep will train, follows the sweep while it runs, and quotes its
//! verdict once it ends.

use crate::page::costs::group_digits;
use crate::page::words::join_and;

/// What the sweep panel shows and is set up to train.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SweepFacts {
    /// What the panel's fields would train: the batch sizes, the lr grid in
    /// the menu's words ("×2, ×8, ×32") and the token budget per run;
    /// `None` while a field is wrong.
    pub planned: Option<(Vec<usize>, String, usize)>,
    /// Whether a sweep has started (and so has a line of progress).
    pub started: bool,
    pub running: bool,
    /// The panel's line of progress.
    pub progress: String,
    /// The sweep's verdict, once it has one (the sweep panel's verdict line).
    pub verdict: String,
}

/// The caption for `sweep`.
pub fn caption(sweep: &SweepFacts) -> String {
    let shape = "With the lr tuned for each bs, the updates needed to reach one loss fall in proportion to \
                 bs up to a critical batch size B_crit, then level off: beyond it a bigger batch buys few \
                 updates and costs more tokens (McCandlish et al. 2018).";
    if sweep.running {
        return format!(
            "The sweep is running — {}. Each point on its chart is a bs's fewest updates to the target over \
             its lrs; the line is the fit S(b) = S_min (1 + B_crit / b). {shape}",
            sweep.progress
        );
    }
    if sweep.started {
        let said = match sweep.verdict.is_empty() {
            true => sweep.progress.clone(),
            false => sweep.verdict.clone(),
        };
        return format!("What the sweep measured, in its verdict: “{said}” {shape}");
    }
    let plan = match &sweep.planned {
        Some((sizes, grid, budget)) => format!(
            "The sweep below does it: it trains bs = {}, each at a few lrs ({grid} the lr rule's value), every \
             run from the same weights until its smoothed validation loss reaches one target (or it has read \
             {} tokens), and counts the updates each bs needed.",
            join_and(sizes.iter().map(|bs| bs.to_string())),
            group_digits(*budget)
        ),
        None => "The sweep below does it, once its fields are right.".to_string(),
    };
    format!(
        "A race compares a few batch sizes at one lr each; the full answer needs every size with its own \
         best lr. {plan} Press Sweep — it ends this race and takes a few minutes on two cores — and this \
         caption follows it. {shape}"
    )
}
