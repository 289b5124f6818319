//! A training run's running gradient noise scale, measured for free: every
//! [`NOISE_EVERY`]-th update trains its batch as two shards, each half the
//! streams, whose gradients are two small batches of the whole
//! (`Trainer::last_noise`, the same update to f32 rounding). The race's
//! runs and the sweep's runs measure it alike.

use crate::training::noise_scale::two_size::NoiseEma;
use crate::training::trainer::Trainer;

/// One update in this many trains in halves: often enough for a steady
/// estimate, seldom enough that the smaller products barely slow training.
pub const NOISE_EVERY: usize = 4;

/// Weight of the past in the running estimate, per measurement: about the
/// last 20 measurements (80 updates) count.
pub const NOISE_DECAY: f64 = 0.95;

/// The running estimate of one run.
#[derive(Clone, Debug)]
pub struct NoiseProbe {
    ema: NoiseEma,
}

impl Default for NoiseProbe {
    fn default() -> Self {
        NoiseProbe {
            ema: NoiseEma::new(NOISE_DECAY),
        }
    }
}

impl NoiseProbe {
    /// Before `trainer`'s next step: one in [`NOISE_EVERY`] runs in two
    /// shards, one after the other: a race's or a sweep's run has a core
    /// (or a worker) to itself, and a thread per halved step would crowd
    /// the others.
    pub fn before_step(&self, trainer: &mut Trainer) {
        let halves = (trainer.steps() + 1).is_multiple_of(NOISE_EVERY);
        trainer.set_shards_in_turn(if halves { 2 } else { 1 });
    }

    /// After the step: the running B_simple when this step measured the
    /// noise and the estimate is defined, else `None`.
    pub fn after_step(&mut self, trainer: &Trainer) -> Option<f64> {
        let estimate = trainer.last_noise()?;
        self.ema.update(estimate);
        self.ema.b_simple()
    }

    /// The running B_simple so far, once defined.
    pub fn b_simple(&self) -> Option<f64> {
        self.ema.b_simple()
    }
}
