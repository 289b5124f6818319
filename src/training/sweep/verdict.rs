//! A sweep's verdict in plain words, from its results so far: where
//! doubling bs stops halving the updates needed (the fitted critical batch
//! size, and the measured steps it rests on), the gradient noise scale the
//! runs measured against it, and what makes the reading less sure (a best
//! lr at the edge of its grid, a bs that never reached the target).

use super::fit::Fit;
use super::BestLr;
use crate::page::costs::group_digits;
use crate::page::words::join_and;

/// What the verdict is read from.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepFacts<'a> {
    /// The validation loss the runs train to, once known.
    pub target: Option<f64>,
    /// Per bs (ascending), its best reached run so far.
    pub best: &'a [BestLr],
    /// The fit to the best runs' steps, once there is one.
    pub fit: Option<Fit>,
    /// Batch sizes whose best lr was the largest of their grid.
    pub best_at_largest_lr: Vec<usize>,
    /// Batch sizes whose best lr was the smallest of their grid.
    pub best_at_smallest_lr: Vec<usize>,
    /// Batch sizes all of whose runs ended without reaching the target.
    pub unreached: Vec<usize>,
    /// Each run's token budget.
    pub max_tokens: usize,
    /// The reached runs' noise scales as they reached the target.
    pub noise_at_target: Vec<f64>,
}

/// The verdict: one to four sentences (see the module docs).
pub fn sweep_verdict(facts: &SweepFacts) -> String {
    let Some(target) = facts.target else {
        return "The pilot run is choosing the target loss; the runs start once it has.".into();
    };
    let reached: Vec<(usize, usize, usize)> = facts
        .best
        .iter()
        .filter_map(|b| Some((b.bs, b.steps?, b.tokens?)))
        .collect();
    let mut sentences = vec![match (&reached[..], facts.fit) {
        ([], _) => format!("No run has reached the target loss {target:.3} yet."),
        (_, Some(fit)) if reached.len() >= 2 => fit_reading(&fit, &reached),
        _ => format!(
            "So far {}; the fit comes once 3 batch sizes have reached the target.",
            join_and(reached.iter().map(|&(bs, steps, tokens)| format!(
                "bs={bs} reached the target loss {target:.3} in {} updates ({} tokens)",
                group_digits(steps),
                group_digits(tokens)
            )))
        ),
    }];
    if let Some(noise) = noise_reading(&facts.noise_at_target, facts.fit) {
        sentences.push(noise);
    }
    if !facts.best_at_largest_lr.is_empty() {
        sentences.push(format!(
            "At {} the best lr was the largest tried, so a larger one may need fewer updates still: raise the page's lr or widen the grid.",
            bs_list(&facts.best_at_largest_lr)
        ));
    }
    if !facts.best_at_smallest_lr.is_empty() {
        sentences.push(format!(
            "At {} the best lr was the smallest tried: lower the page's lr or widen the grid.",
            bs_list(&facts.best_at_smallest_lr)
        ));
    }
    if !facts.unreached.is_empty() {
        sentences.push(format!(
            "{} did not reach the target within {} tokens.",
            bs_list(&facts.unreached),
            group_digits(facts.max_tokens)
        ));
    }
    sentences.join(" ")
}

/// The gradient noise scale against the fit: McCandlish et al. (2018),
/// "An Empirical Model of Large-Batch Training", predict the critical batch
/// size from B_noise, of which B_simple (measured here) is the estimate that
/// ignores the loss's curvature; within a factor of 2 counts as agreeing.
/// `measured` is every reached run's B_simple as it reached the target
/// (one loss, so one model quality: they estimate the same number).
fn noise_reading(measured: &[f64], fit: Option<Fit>) -> Option<String> {
    let mut finite: Vec<f64> = measured.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() {
        return None;
    }
    finite.sort_by(f64::total_cmp);
    let middle = finite.len() / 2;
    let median = if finite.len() % 2 == 1 {
        finite[middle]
    } else {
        (finite[middle - 1] + finite[middle]) / 2.0
    };
    let runs = if finite.len() == 1 {
        "1 run".to_string()
    } else {
        format!("median of {} runs", finite.len())
    };
    let measured = format!(
        "The gradient noise scale the runs measured as they reached the target is ≈ {} streams ({runs})",
        approx(median)
    );
    Some(match fit {
        None => format!("{measured}: the theory puts the critical batch size near it."),
        Some(fit) => {
            let ratio = fit.b_crit / median;
            if (0.5..=2.0).contains(&ratio) {
                format!(
                    "{measured}, and the fit's ≈ {} agrees, as McCandlish et al. (2018) predict: the noise in the gradient sets where larger batches stop paying.",
                    approx(fit.b_crit)
                )
            } else {
                let (factor, side) = if ratio > 1.0 {
                    (ratio, "above")
                } else {
                    (1.0 / ratio, "below")
                };
                format!(
                    "{measured}; the fit's ≈ {} is {} times {side} it. The noise scale is a rough guide (it ignores the loss's curvature and Adam's scaling), and a fit on few points is rough too.",
                    approx(fit.b_crit),
                    approx(factor)
                )
            }
        }
    })
}

/// How far outside the batch sizes measured a fitted B_crit is only an
/// extrapolation: a factor of 4, two doublings.
const FAR: f64 = 4.0;

/// Where the fitted curve bends, read against the batch sizes measured
/// (`reached`: bs, steps, tokens of each bs's best run, bs ascending).
fn fit_reading(fit: &Fit, reached: &[(usize, usize, usize)]) -> String {
    let (first, last) = (reached[0], reached[reached.len() - 1]);
    let b_crit = approx(fit.b_crit);
    // Far outside the sizes measured, the fitted number only extends a
    // straight line: say so, or a sweep in progress seems to jump from
    // B_crit ≈ 8,000 to ≈ 40 as the bend comes into view.
    let by_fit = |far: bool| match far {
        true => format!("the fit's ≈ {b_crit} extends a line that shows no bend yet"),
        false => format!("≈ {b_crit} by the fit"),
    };
    let shape = if fit.b_crit < first.0 as f64 {
        format!(
            "On this text and model, from bs={} on each doubling of bs saves few updates and costs about twice the tokens: the critical batch size ({}) is below the smallest bs tried.",
            first.0,
            by_fit(fit.b_crit < first.0 as f64 / FAR)
        )
    } else if fit.b_crit > last.0 as f64 {
        format!(
            "On this text and model, doubling bs kept cutting the updates needed nearly in half up to bs={}: the critical batch size ({}) lies beyond the largest bs that reached the target.",
            last.0,
            by_fit(fit.b_crit > last.0 as f64 * FAR)
        )
    } else {
        format!(
            "On this text and model, doubling bs up to ≈ {b_crit} halves the updates needed; beyond it each doubling saves less and costs more tokens."
        )
    };
    format!(
        "{shape} bs={} needed {} updates ({} tokens), bs={} needed {} ({} tokens); the fit S(b) = S_min·(1 + B_crit/b) gives S_min ≈ {}, B_crit ≈ {b_crit}, E_min ≈ {} examples.",
        first.0,
        group_digits(first.1),
        group_digits(first.2),
        last.0,
        group_digits(last.1),
        group_digits(last.2),
        approx(fit.s_min),
        approx(fit.e_min),
    )
}

/// A fitted number as the verdict and the chart show it: two significant
/// digits below 100 (`3.1`, `24`), whole and grouped above (`107`, `2,886`).
pub fn approx(value: f64) -> String {
    if !value.is_finite() {
        return "—".into();
    }
    if value >= 99.5 {
        return group_digits(value.round() as usize);
    }
    if value >= 9.95 {
        return format!("{value:.0}");
    }
    format!("{value:.1}")
}

/// "bs=1", "bs=1 and 2", "bs=1, 2 and 4".
fn bs_list(sizes: &[usize]) -> String {
    format!("bs={}", join_and(sizes.iter().map(usize::to_string)))
}

#[cfg(test)]
mod tests;
