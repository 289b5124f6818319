//! The examples of the noise scale for the LSTM language model: every
//! (stream j, window i) of epoch 0 under PyTorch's batching at a given bs and
//! bptt, so N = bs × windows. Each example is one stream's seq_len tokens of
//! one window, read from a zero hidden state (so examples are independent of
//! each other and of the order they are visited in); its loss is the mean
//! cross-entropy over those tokens, and its gradient is one forward/backward
//! pass with bs = 1.
//!
//! Within a window every stream has the same seq_len, so the mean of a
//! window's example gradients is exactly the gradient of that window as one
//! batch from zero state (the test below checks it).

use super::ExampleGradients;
use crate::data::batcher::{BatchConfig, EpochBatches, LmBatcher, Scheme};
use crate::data::corpus::Corpus;
use crate::nn::float::Float;
use crate::nn::lstm::LstmState;
use crate::nn::model::{Gradients, Model, ModelCache};
use crate::training::trainer::TrainError;

/// The language model's examples and the buffers to compute their gradients.
pub struct LmExamples<'m, T: Float = f32> {
    model: &'m Model<T>,
    batches: EpochBatches,
    zero: LstmState<T>,
    cache: ModelCache<T>,
    grads: Gradients<T>,
}

impl<'m, T: Float> LmExamples<'m, T> {
    /// The examples of `corpus` batched by PyTorch's scheme at `bs` × `bptt`.
    pub fn new(
        model: &'m Model<T>,
        corpus: &Corpus,
        bs: usize,
        bptt: usize,
        seed: u64,
    ) -> Result<Self, TrainError> {
        if model.config.vocab != corpus.vocab_size() {
            return Err(TrainError::VocabMismatch {
                model: model.config.vocab,
                corpus: corpus.vocab_size(),
            });
        }
        let config = BatchConfig {
            bs,
            bptt,
            scheme: Scheme::Pytorch,
            seed,
        };
        let batches = LmBatcher::new(corpus, config)?.epoch(0);
        Ok(LmExamples {
            model,
            batches,
            zero: LstmState::zeros(&model.config.lstm(), 1),
            cache: ModelCache::default(),
            grads: Gradients::default(),
        })
    }

    /// Example `example`'s input and target token ids: stream
    /// `example % bs` of window `example / bs`.
    pub fn example(&self, example: usize) -> (Vec<u32>, Vec<u32>) {
        let bs = self.batches.bs();
        self.batches
            .sequence(&self.batches.windows[example / bs], example % bs)
    }

    /// Example `example`'s loss: mean cross-entropy over its tokens (nats).
    pub fn loss(&mut self, example: usize) -> f64 {
        let (input, target) = self.example(example);
        self.model
            .forward_into(&input, &target, input.len(), 1, &self.zero, &mut self.cache)
            .loss
    }
}

impl<T: Float> ExampleGradients for LmExamples<'_, T> {
    type Elem = T;

    fn examples(&self) -> usize {
        self.batches.bs() * self.batches.windows.len()
    }

    fn gradient(&mut self, example: usize) -> &[T] {
        self.loss(example);
        self.model.backward_into(&self.cache, &mut self.grads);
        &self.grads.params
    }
}

#[cfg(test)]
mod tests;
