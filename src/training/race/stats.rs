//! The numbers beside each curve: how fast a run trains (updates and tokens
//! per second, ms per step), what one step costs in activation memory, how
//! far it is (epochs), its best validation loss, and whether it diverged.

use serde::{Deserialize, Serialize};

use super::history::{smooth, LossHistory, DEFAULT_SMOOTHING};
use crate::page::costs::step_costs;
use crate::page::settings::Settings;
use crate::training::page_model::EMBED;
use crate::training::trainer::{shown_loss, TrainError};

/// A run is called diverged once its smoothed loss exceeds this many times
/// the loss of guessing uniformly among the vocabulary (ln V): worse than
/// knowing nothing, and climbing.
pub const DIVERGED_FACTOR: f64 = 1.5;

/// Where a run went wrong, and a sentence for the learner about why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diverged {
    pub step: usize,
    pub hint: String,
}

impl Diverged {
    /// From the trainer's refusal to take a step (NaN or infinite loss or
    /// gradient); `None` for the other errors.
    pub fn from_error(error: &TrainError, settings: &Settings) -> Option<Diverged> {
        match *error {
            TrainError::Diverged { step, loss } => Some(Diverged {
                step,
                hint: format!("the loss became {} at step {step}: lr {} is too high for bs={}; try a smaller learning rate", shown_loss(loss), settings.lr, settings.bs),
            }),
            _ => None,
        }
    }
}

/// The first step at which the history's smoothed loss is non-finite or
/// above [`DIVERGED_FACTOR`] × ln(`vocab`).
pub fn detect_divergence(
    history: &LossHistory,
    vocab: usize,
    settings: &Settings,
) -> Option<Diverged> {
    let chance = (vocab.max(2) as f64).ln();
    let smoothed = smooth(history.points.iter().map(|p| p.loss), DEFAULT_SMOOTHING);
    let (point, loss) = history
        .points
        .iter()
        .zip(smoothed)
        .find(|(_, loss)| !loss.is_finite() || *loss > DIVERGED_FACTOR * chance)?;
    let hint = if loss.is_finite() {
        format!(
            "the loss climbed to {loss:.2} by step {}, worse than guessing among {vocab} tokens ({chance:.2}): lr {} is too high for bs={}; try a smaller learning rate",
            point.step, settings.lr, settings.bs
        )
    } else {
        format!("the loss became {loss} at step {}: lr {} is too high for bs={}; try a smaller learning rate", point.step, settings.lr, settings.bs)
    };
    Some(Diverged {
        step: point.step,
        hint,
    })
}

/// A run's live numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunStats {
    pub steps: usize,
    pub tokens_per_second: f64,
    pub ms_per_step: f64,
    /// Activation memory of one step at seq_len = bptt (see `costs::step_costs`).
    pub activation_bytes: usize,
    /// Epochs done, fractional.
    pub epoch: f64,
    /// The lowest validation loss so far and the step it was measured after.
    pub best_val_loss: Option<(usize, f64)>,
    pub diverged: Option<Diverged>,
    /// The gradient noise scale B_simple (in streams) the run has measured
    /// so far, once it has ([`super::run::RaceRun`]); `None` from [`run_stats`].
    pub noise_scale: Option<f64>,
}

/// The numbers for `history`, trained with `settings` on a `vocab`-token
/// vocabulary. Speeds are averages over the whole run so far (steps and
/// tokens over the last point's seconds); 0 before any time has passed.
/// `diverged` is the trainer's own report if it refused a step; otherwise
/// the history is checked with [`detect_divergence`].
pub fn run_stats(
    history: &LossHistory,
    settings: &Settings,
    vocab: usize,
    diverged: Option<Diverged>,
) -> RunStats {
    let last = history.points.last();
    let (steps, tokens, seconds) = last.map_or((0, 0, 0.0), |p| (p.step, p.tokens_seen, p.seconds));
    let per_second = |count: usize| {
        if seconds > 0.0 {
            count as f64 / seconds
        } else {
            0.0
        }
    };
    let best_val_loss = history
        .points
        .iter()
        .filter_map(|p| p.val_loss.filter(|v| v.is_finite()).map(|v| (p.step, v)))
        .fold(None, |best: Option<(usize, f64)>, (step, v)| match best {
            Some((_, b)) if b <= v => best,
            _ => Some((step, v)),
        });
    RunStats {
        steps,
        tokens_per_second: per_second(tokens),
        ms_per_step: if steps > 0 {
            1000.0 * seconds / steps as f64
        } else {
            0.0
        },
        activation_bytes: step_costs(
            settings.bs,
            settings.bptt,
            settings.hidden,
            settings.layers,
            EMBED,
            vocab,
            0,
        )
        .activation_bytes,
        epoch: last.map_or(0.0, |p| p.epoch),
        best_val_loss,
        diverged: diverged.or_else(|| detect_divergence(history, vocab, settings)),
        noise_scale: None,
    }
}

#[cfg(test)]
mod tests;
