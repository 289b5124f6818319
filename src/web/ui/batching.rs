//! The batching the page shows: the core's `LmBatcher` and one epoch of
//! windows, shared cheaply between views.

use std::sync::Arc;

use crate::data::batcher::{BatchConfig, EpochBatches, LmBatcher};
use crate::data::corpus::Corpus;

/// One corpus batched with one set of settings.
///
/// Views receive it through a memo; equality is identity so that a re-batch
/// (a new value) redraws and nothing else does.
#[derive(Clone, Debug)]
pub struct Batching {
    pub corpus: Arc<Corpus>,
    pub batcher: Arc<LmBatcher>,
    pub epoch: Arc<EpochBatches>,
}

impl PartialEq for Batching {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.batcher, &other.batcher) && Arc::ptr_eq(&self.epoch, &other.epoch)
    }
}

impl Batching {
    /// Batches `corpus`; the error is a sentence for the learner.
    pub fn new(corpus: Arc<Corpus>, cfg: BatchConfig, epoch: usize) -> Result<Batching, String> {
        let batcher = LmBatcher::new(&corpus, cfg).map_err(|e| e.to_string())?;
        let epoch = batcher.epoch(epoch);
        Ok(Batching {
            corpus,
            batcher: Arc::new(batcher),
            epoch: Arc::new(epoch),
        })
    }
}
