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
mod tests {
    use super::*;

    fn cfg(examples: usize, bs: usize, drop_last: bool, shuffle: bool) -> ClassicConfig {
        ClassicConfig {
            examples,
            bs,
            drop_last,
            shuffle,
            seed: 9,
        }
    }

    #[test]
    fn ten_examples_bs_four_give_three_batches_not_four() {
        let c = cfg(10, 4, false, false);
        assert_eq!(
            (c.batches_per_epoch(), c.last_batch_size(), c.dropped()),
            (3, 2, 0)
        );
        let e = c.epoch(0).unwrap();
        let batches: Vec<&[usize]> = e.batches().collect();
        assert_eq!(batches, vec![&[0, 1, 2, 3][..], &[4, 5, 6, 7], &[8, 9]]);
        assert_eq!(e.batch(2), &[8, 9]);
        assert_eq!(e.len(), 3);
    }

    #[test]
    fn drop_last_removes_the_partial_batch() {
        let c = cfg(10, 4, true, false);
        assert_eq!(
            (c.batches_per_epoch(), c.last_batch_size(), c.dropped()),
            (2, 4, 2)
        );
        assert_eq!(c.epoch(0).unwrap().order(), &[0, 1, 2, 3, 4, 5, 6, 7]);
        let c = cfg(3, 4, true, false);
        assert_eq!(
            (c.batches_per_epoch(), c.last_batch_size(), c.dropped()),
            (0, 0, 3)
        );
        assert!(c.epoch(0).unwrap().is_empty());
        let c = cfg(8, 4, true, false);
        assert_eq!(
            (c.batches_per_epoch(), c.last_batch_size(), c.dropped()),
            (2, 4, 0)
        );
    }

    #[test]
    fn shuffle_is_a_seeded_permutation_per_epoch() {
        let c = cfg(50, 7, false, true);
        let (a, b) = (c.epoch(0).unwrap(), c.epoch(1).unwrap());
        assert_eq!(a, c.epoch(0).unwrap());
        assert_ne!(a.order(), b.order());
        let mut sorted = a.order().to_vec();
        sorted.sort();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
        assert_ne!(a.order(), sorted.as_slice());
        let other_seed = ClassicConfig { seed: 10, ..c };
        assert_ne!(other_seed.epoch(0).unwrap().order(), a.order());
    }

    #[test]
    fn invalid_configs_are_errors() {
        assert_eq!(
            cfg(10, 0, false, false).epoch(0).unwrap_err(),
            ClassicError::ZeroBs
        );
        assert_eq!(
            cfg(0, 4, false, false).epoch(0).unwrap_err(),
            ClassicError::NoExamples
        );
    }
}
