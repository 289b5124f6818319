//! How the text is cut into batches, apart from the batch size: the flags
//! `batches`, `noise`, `train` and `sweep` share. Each verb reads its own
//! --bs (one value or a list).

use super::values::one_of;
use crate::data::batcher::{BatchConfig, Scheme};
use clap::Args;

/// The batching flags.
#[derive(Args, Debug)]
pub(crate) struct BatchingFlags {
    /// unrolled cells per window (the truncated-BPTT length)
    #[arg(long, value_name = "N")]
    pub bptt: usize,
    /// the data loader (hf-blocks: Hugging Face group_texts, blocks of bptt tokens)
    #[arg(long, value_name = "S", default_value_t = Scheme::Pytorch,
          value_parser = one_of(&Scheme::ALL))]
    pub scheme: Scheme,
    /// seeds everything random: the initial weights, the loaders' random
    /// lengths and shuffles, sampled batches
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,
}

impl BatchingFlags {
    /// The batcher's configuration at this batch size.
    pub fn config(&self, bs: usize) -> BatchConfig {
        BatchConfig {
            bs,
            bptt: self.bptt,
            scheme: self.scheme,
            seed: self.seed,
        }
    }
}
