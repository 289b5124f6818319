//! One run's loss curve: a point per training step, a smoother for the
//! noisy per-batch losses, and the CSV a learner can take to a spreadsheet.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::page::costs::group_digits;
use crate::training::trainer::StepReport;

/// The smoothing weight the page starts with (TensorBoard's default is 0.6;
/// per-batch losses at bs = 4 are noisier, so a little more).
pub const DEFAULT_SMOOTHING: f64 = 0.8;

/// The loss after one training step.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LossPoint {
    /// 1-based count of updates.
    pub step: usize,
    /// Target tokens trained on so far, this step included.
    pub tokens_seen: usize,
    /// Epochs done, fractional: 1.5 = halfway through the second epoch.
    pub epoch: f64,
    /// Training time so far (the driver's clock; the core has none).
    pub seconds: f64,
    /// The batch's mean cross-entropy before the update (nats per token).
    pub loss: f64,
    /// Validation loss measured after this step, when one was.
    pub val_loss: Option<f64>,
    /// The run's gradient noise scale B_simple (its running estimate, in
    /// streams) when this step measured it; absent from older files.
    #[serde(default)]
    pub noise_scale: Option<f64>,
}

impl LossPoint {
    /// The point for a step's report. `windows_in_epoch` is how many windows
    /// the report's epoch has (read before the step: `Trainer::batches()`),
    /// so the window with index i ends epoch + (i+1)/windows.
    pub fn from_report(
        report: &StepReport,
        windows_in_epoch: usize,
        seconds: f64,
        val_loss: Option<f64>,
    ) -> LossPoint {
        LossPoint {
            step: report.step,
            tokens_seen: report.tokens_seen,
            epoch: fractional_epoch(report.epoch, report.index, windows_in_epoch),
            seconds,
            loss: report.loss,
            val_loss,
            noise_scale: None,
        }
    }
}

/// Epochs done after window `index` of `epoch` (of `windows_in_epoch`).
pub fn fractional_epoch(epoch: usize, index: usize, windows_in_epoch: usize) -> f64 {
    epoch as f64 + (index + 1) as f64 / windows_in_epoch.max(1) as f64
}

/// Epochs done, as a learner reads them: `0.20 epochs`, `3.5 epochs`,
/// `15,184 epochs`. Two decimals say how far into the first passes a run
/// is; on a tiny text a run passes over it thousands of times, and there
/// the fraction is noise, so whole epochs are grouped by thousands.
pub fn format_epochs(epochs: f64) -> String {
    if !epochs.is_finite() || epochs < 0.0 {
        return "— epochs".into();
    }
    let number = if epochs < 10.0 {
        format!("{epochs:.2}")
    } else if epochs < 100.0 {
        format!("{epochs:.1}")
    } else {
        group_digits(epochs.round() as usize)
    };
    let unit = if number == "1.00" { "epoch" } else { "epochs" };
    format!("{number} {unit}")
}

/// One run's points, in step order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LossHistory {
    /// The legend's label, e.g. `bs=4`.
    pub label: String,
    /// The run's batch size, drawn beside its noise scale; 0 when unknown.
    #[serde(default)]
    pub bs: usize,
    pub points: Vec<LossPoint>,
}

impl LossHistory {
    pub fn new(label: impl Into<String>) -> Self {
        LossHistory {
            label: label.into(),
            bs: 0,
            points: Vec::new(),
        }
    }

    /// A history of a run of batch size `bs`.
    pub fn of_bs(label: impl Into<String>, bs: usize) -> Self {
        LossHistory {
            bs,
            ..LossHistory::new(label)
        }
    }

    pub fn push(&mut self, point: LossPoint) {
        self.points.push(point);
    }

    /// Puts a validation loss on the point of `step` (measured after it);
    /// false when there is no such point.
    pub fn set_val_loss(&mut self, step: usize, val_loss: f64) -> bool {
        match self.points.iter_mut().rev().find(|p| p.step == step) {
            Some(point) => {
                point.val_loss = Some(val_loss);
                true
            }
            None => false,
        }
    }

    /// The training losses smoothed with [`smooth`].
    pub fn smoothed(&self, weight: f64) -> Vec<f64> {
        smooth(self.points.iter().map(|p| p.loss), weight)
    }

    /// `step,tokens_seen,epoch,seconds,loss,smoothed,val_loss,noise_scale`,
    /// one line per point; empty `val_loss` and `noise_scale` where none
    /// was measured. Numbers are
    /// written in Rust's shortest exact form, so they read back unchanged.
    pub fn to_csv(&self, weight: f64) -> String {
        let mut csv =
            String::from("step,tokens_seen,epoch,seconds,loss,smoothed,val_loss,noise_scale\n");
        let cell = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        for (p, smoothed) in self.points.iter().zip(self.smoothed(weight)) {
            let _ = writeln!(
                csv,
                "{},{},{},{},{},{},{},{}",
                p.step,
                p.tokens_seen,
                p.epoch,
                p.seconds,
                p.loss,
                smoothed,
                cell(p.val_loss),
                cell(p.noise_scale)
            );
        }
        csv
    }
}

/// An exponential moving average debiased like TensorBoard's scalar
/// smoothing: `last = w·last + (1−w)·x` from `last = 0`, divided by
/// `1 − wⁿ` after n values, so the first smoothed value is the first value
/// itself instead of being pulled toward 0. `weight` is clamped to [0, 1):
/// 0 = no smoothing. Non-finite values pass through unsmoothed and do not
/// enter the average (a NaN step must not erase the curve).
pub fn smooth(values: impl IntoIterator<Item = f64>, weight: f64) -> Vec<f64> {
    let weight = weight.clamp(0.0, 0.999);
    let (mut last, mut count) = (0.0, 0);
    values
        .into_iter()
        .map(|value| {
            if !value.is_finite() {
                return value;
            }
            last = last * weight + (1.0 - weight) * value;
            count += 1;
            last / (1.0 - weight.powi(count))
        })
        .collect()
}

#[cfg(test)]
mod tests;
