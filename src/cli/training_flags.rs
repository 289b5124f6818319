//! The flags that say how a model is trained, read the same way by `train`
//! and `sweep`: the batching (--bptt --scheme --tokens --seed) and the
//! optimizer (--optimizer --clip). Each verb reads its own --bs and --lr(s).

use super::Args;
use crate::data::batcher::Scheme;
use crate::data::corpus::TokenLevel;
use crate::nn::optimizer::OptimizerKind;

/// Everything but the batch size and the learning rate.
pub(crate) struct TrainingFlags {
    pub bptt: usize,
    pub scheme: Scheme,
    pub level: TokenLevel,
    /// Seeds the initial weights and the batches.
    pub seed: u64,
    pub optimizer: OptimizerKind,
    /// Max total gradient norm; `None` = no clipping (`--clip 0`).
    pub clip: Option<f64>,
}

/// The flag names [`TrainingFlags::read`] reads (for `Args::only`).
pub(crate) const TRAINING_FLAGS: &[&str] =
    &["bptt", "scheme", "tokens", "seed", "optimizer", "clip"];

impl TrainingFlags {
    /// Reads the flags; `verb` names the verb in "needs --bptt" errors.
    pub fn read(args: &Args, verb: &str) -> Result<TrainingFlags, String> {
        let clip: f64 = args.get("clip", 0.25)?;
        Ok(TrainingFlags {
            bptt: args.whole_number(verb, "bptt")?,
            scheme: args.parsed("scheme")?.unwrap_or(Scheme::Pytorch),
            level: args.parsed("tokens")?.unwrap_or(TokenLevel::Char),
            seed: args.get("seed", 0)?,
            optimizer: args.parsed("optimizer")?.unwrap_or(OptimizerKind::Adam),
            clip: (clip > 0.0).then_some(clip),
        })
    }
}

/// The learning rate `train` uses without --lr.
pub(crate) fn default_lr(optimizer: OptimizerKind) -> f64 {
    match optimizer {
        OptimizerKind::Adam => 0.002,
        OptimizerKind::Sgd => 1.0,
    }
}
