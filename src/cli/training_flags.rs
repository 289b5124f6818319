//! The flags that say how a model is trained, read the same way by `train`
//! and `sweep`: the batching and the optimizer. Each verb reads its own --bs
//! and --lr(s).

use super::batching_flags::BatchingFlags;
use super::values::one_of;
use crate::nn::optimizer::OptimizerKind;
use clap::Args;

/// Everything but the batch size and the learning rate.
#[derive(Args, Debug)]
pub(crate) struct TrainingFlags {
    #[command(flatten)]
    pub batching: BatchingFlags,
    /// the optimizer, with torch.optim's update rules and defaults
    #[arg(long, value_name = "O", default_value_t = OptimizerKind::Adam,
          value_parser = one_of(&[OptimizerKind::Adam, OptimizerKind::Sgd]))]
    pub optimizer: OptimizerKind,
    /// clip the gradient's total norm to X (0 = no clipping)
    #[arg(long = "clip", value_name = "X", default_value_t = 0.25)]
    clip_norm: f64,
}

impl TrainingFlags {
    /// The largest total gradient norm; `None` = no clipping (`--clip 0`).
    pub fn clip(&self) -> Option<f64> {
        (self.clip_norm > 0.0).then_some(self.clip_norm)
    }
}

/// The learning rate `train` uses without --lr.
pub(crate) fn default_lr(optimizer: OptimizerKind) -> f64 {
    match optimizer {
        OptimizerKind::Adam => 0.002,
        OptimizerKind::Sgd => 1.0,
    }
}
