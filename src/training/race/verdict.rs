//! The race's verdict in plain words: what the curves show so far, and for
//! a bs race, which lr rule makes the comparison fair and why.
//!
//! Runs are compared where every run has data: at the largest update count
//! every run has reached (per update) and at the largest token count every
//! run has read (per token), each by its smoothed training loss at the last
//! point at or before that x. Validation losses are too sparse for that.

use super::history::{smooth, LossHistory};
use super::{LrRule, RaceVariable};
use crate::page::costs::group_digits;

/// The verdict for runs labelled and drawn as `runs` (label, history) of a
/// race over `variable` with `lr_rule`, losses smoothed with `smoothing`
/// (see [`smooth`]). Two or three sentences for a bs race, one otherwise.
pub fn race_verdict(
    variable: RaceVariable,
    lr_rule: LrRule,
    runs: &[(&str, &LossHistory)],
    smoothing: f64,
) -> String {
    let curves: Vec<Curve> = runs
        .iter()
        .filter(|(_, h)| !h.points.is_empty())
        .map(|(label, h)| Curve::new(label, h, smoothing))
        .collect();
    if curves.len() < 2 {
        return "The verdict comes once two runs have reported.".into();
    }
    let updates = curves.iter().map(|c| c.last(|p| p.0)).min().unwrap_or(0);
    let tokens = curves.iter().map(|c| c.last(|p| p.1)).min().unwrap_or(0);
    let per_update = standing(&curves, |p| p.0, updates);
    let per_token = standing(&curves, |p| p.1, tokens);
    let at_tokens = format!("{} tokens", group_digits(tokens));
    match variable {
        RaceVariable::BatchSize => format!(
            "So far, per update {}, and per token {}. {}",
            per_update.text(&format!("update {updates}")),
            per_token.text(&at_tokens),
            lr_rule_reading(lr_rule)
        ),
        _ => format!(
            "Per token, {}: {}",
            per_token.text(&at_tokens),
            other_reading(variable)
        ),
    }
}

/// Why the lr rule of a bs race does or does not make it fair.
fn lr_rule_reading(lr_rule: LrRule) -> &'static str {
    match lr_rule {
        LrRule::Same => "With the same lr for every bs, a small batch takes more, noisier steps per token, so it wins per token and a large batch wins per update: that compares step sizes as much as batch sizes; the fair comparison tunes the lr for each bs, as a sweep does.",
        LrRule::SqrtBs => "lr × √bs lets a larger batch take a larger step, but smaller than its share of tokens, so small batches still gain per token; the fair comparison tunes the lr for each bs, as a sweep does.",
        LrRule::LinearBs => "lr × bs (the linear scaling rule) keeps the step per token equal, which holds up to a critical batch size; beyond it a larger batch only wastes tokens, and the fair comparison tunes the lr for each bs, as a sweep does.",
    }
}

/// What a race over bptt, the scheme or carrying shows per token.
fn other_reading(variable: RaceVariable) -> &'static str {
    match variable {
        RaceVariable::Bptt => "a longer bptt carries the gradient further back but takes fewer updates per token.",
        RaceVariable::Scheme => "the schemes read the same tokens and differ only in where windows begin and end.",
        RaceVariable::Carry => "a carried state lets the model use text from before the window; a reset one sees only bptt tokens back.",
        RaceVariable::BatchSize => "",
    }
}

/// One run's (update, tokens, smoothed loss) points.
struct Curve<'a> {
    label: &'a str,
    points: Vec<(usize, usize, f64)>,
}

impl<'a> Curve<'a> {
    fn new(label: &'a str, history: &LossHistory, smoothing: f64) -> Curve<'a> {
        let smoothed = smooth(history.points.iter().map(|p| p.loss), smoothing);
        Curve {
            label,
            points: history
                .points
                .iter()
                .zip(smoothed)
                .map(|(p, loss)| (p.step, p.tokens_seen, loss))
                .collect(),
        }
    }

    fn last(&self, x: impl Fn(&(usize, usize, f64)) -> usize) -> usize {
        self.points.last().map_or(0, x)
    }

    /// The smoothed loss at the last point with x ≤ `at` (the first point if none).
    fn loss_at(&self, x: impl Fn(&(usize, usize, f64)) -> usize, at: usize) -> f64 {
        let index = self.points.partition_point(|p| x(p) <= at);
        self.points[index.saturating_sub(1)].2
    }
}

/// The best and the worst run at one x.
struct Standing<'a> {
    best: (&'a str, f64),
    worst: (&'a str, f64),
}

impl Standing<'_> {
    /// E.g. `bs=4 is ahead at 4,000 tokens (loss 3.00 against 3.88 for bs=64)`.
    fn text(&self, at: &str) -> String {
        let ((best, b), (worst, w)) = (self.best, self.worst);
        if b == w {
            format!("the runs are level at {at} (loss {b:.2})")
        } else if w.is_infinite() {
            format!("{best} is ahead at {at} (loss {b:.2}; {worst} diverged)")
        } else {
            format!("{best} is ahead at {at} (loss {b:.2} against {w:.2} for {worst})")
        }
    }
}

fn standing<'a>(
    curves: &[Curve<'a>],
    x: impl Fn(&(usize, usize, f64)) -> usize + Copy,
    at: usize,
) -> Standing<'a> {
    // A diverged run's NaN counts as the worst.
    let losses: Vec<(&str, f64)> = curves
        .iter()
        .map(|c| (c.label, c.loss_at(x, at)))
        .map(|(l, v)| (l, if v.is_nan() { f64::INFINITY } else { v }))
        .collect();
    let by_loss = |a: &&(&str, f64), b: &&(&str, f64)| a.1.total_cmp(&b.1);
    Standing {
        best: *losses.iter().min_by(by_loss).expect("two runs"),
        worst: *losses.iter().max_by(by_loss).expect("two runs"),
    }
}

#[cfg(test)]
mod tests;
