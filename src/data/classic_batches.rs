//! Classic mini-batching: N examples (documents, images…) grouped `bs` at a
//! time, the way a plain `DataLoader(dataset, batch_size=bs)` does.
//!
//! This is the first half of the learner's question: `bs` is the number of
//! *examples per batch*, not the number of batches. N examples give ⌈N/bs⌉
//! batches, the last one partial, or ⌊N/bs⌋ with `drop_last`.

use crate::nn::rng::Rng;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How N examples are grouped into batches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassicConfig {
    /// N, the number of examples.
    pub examples: usize,
    /// Examples per batch.
    pub bs: usize,
    /// Drop the last batch when it would be partial (PyTorch's `drop_last`).
    pub drop_last: bool,
    /// Reshuffle the examples every epoch (seeded).
    pub shuffle: bool,
    pub seed: u64,
}

/// Why a classic batching config is invalid.
#[derive(Debug, Clone, PartialEq)]
pub enum ClassicError {
    ZeroBs,
    NoExamples,
}

impl fmt::Display for ClassicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClassicError::ZeroBs => {
                write!(f, "bs = 0: a batch needs at least one example; use bs ≥ 1")
            }
            ClassicError::NoExamples => write!(f, "there are no examples to put into batches"),
        }
    }
}

impl std::error::Error for ClassicError {}

impl ClassicConfig {
    pub fn validate(&self) -> Result<(), ClassicError> {
        if self.bs == 0 {
            Err(ClassicError::ZeroBs)
        } else if self.examples == 0 {
            Err(ClassicError::NoExamples)
        } else {
            Ok(())
        }
    }

    /// ⌈N/bs⌉, or ⌊N/bs⌋ with `drop_last` (0 when bs > N and drop_last).
    /// Assumes a valid config.
    pub fn batches_per_epoch(&self) -> usize {
        if self.drop_last {
            self.examples / self.bs
        } else {
            self.examples.div_ceil(self.bs)
        }
    }

    /// Examples no batch contains each epoch (only with `drop_last`).
    pub fn dropped(&self) -> usize {
        self.examples - self.kept()
    }

    /// Examples that land in some batch each epoch.
    pub fn kept(&self) -> usize {
        self.examples.min(self.batches_per_epoch() * self.bs)
    }

    /// Size of the last batch (`bs` when N divides evenly), 0 if no batch.
    pub fn last_batch_size(&self) -> usize {
        match self.batches_per_epoch() {
            0 => 0,
            k => self.kept() - (k - 1) * self.bs,
        }
    }

    /// The batches of `epoch`: example indices, shuffled with
    /// `Rng::derive(seed, epoch)` when `shuffle` is on, so any epoch replays
    /// on its own. Fails on an invalid config.
    pub fn epoch(&self, epoch: usize) -> Result<ClassicEpoch, ClassicError> {
        self.validate()?;
        let mut order: Vec<usize> = (0..self.examples).collect();
        if self.shuffle {
            Rng::derive(self.seed, epoch as u64).shuffle(&mut order);
        }
        order.truncate(self.kept());
        Ok(ClassicEpoch {
            epoch,
            bs: self.bs,
            order,
        })
    }
}

/// One epoch of classic batches: the (possibly shuffled) example order, cut
/// every `bs` examples.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassicEpoch {
    pub epoch: usize,
    bs: usize,
    /// Example indices in visiting order, dropped examples already removed.
    order: Vec<usize>,
}

impl ClassicEpoch {
    /// Example indices in the order this epoch visits them (kept ones only).
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    pub fn len(&self) -> usize {
        self.order.len().div_ceil(self.bs)
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Batch `index`'s example indices.
    pub fn batch(&self, index: usize) -> &[usize] {
        let start = index * self.bs;
        &self.order[start..(start + self.bs).min(self.order.len())]
    }

    /// Every batch in order.
    pub fn batches(&self) -> impl Iterator<Item = &[usize]> {
        self.order.chunks(self.bs)
    }
}

#[cfg(test)]
mod tests;
