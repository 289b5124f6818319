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
mod tests {
    use super::*;
    use crate::data::corpus::TokenLevel;
    use crate::nn::model::ModelConfig;

    #[test]
    fn examples_are_streams_of_windows_and_average_to_the_batch_gradient() {
        // 47 chars, bs 3: 15 rows per stream, windows at 0, 4, 8, 12 of 4, 4, 4, 2.
        let text = "the cat sat on the mat and the dog sat on a log";
        let corpus = Corpus::from_documents(&[text], TokenLevel::Char).unwrap();
        let config = ModelConfig {
            vocab: corpus.vocab_size(),
            embed: 4,
            hidden: 5,
            layers: 2,
        };
        let model: Model<f64> = Model::init(config, 3);
        let mut examples = LmExamples::new(&model, &corpus, 3, 4, 0).unwrap();
        assert_eq!(examples.examples(), 3 * 4);
        // Example 4: stream 1 (which starts at token 15) of window 1 (row 4).
        let ids = corpus.stream(&[0]);
        let (input, target) = examples.example(4);
        assert_eq!(input, ids[19..23]);
        assert_eq!(target, ids[20..24]);
        // The last window is the short one.
        assert_eq!(examples.example(11).0.len(), 2);

        // Window 1's three examples, averaged, against the window as one
        // bs-3 batch from zero state.
        let mean: Vec<f64> = {
            let grads: Vec<Vec<f64>> = (3..6).map(|e| examples.gradient(e).to_vec()).collect();
            (0..grads[0].len())
                .map(|k| grads.iter().map(|g| g[k]).sum::<f64>() / 3.0)
                .collect()
        };
        let batches = LmBatcher::new(
            &corpus,
            BatchConfig {
                bs: 3,
                bptt: 4,
                scheme: Scheme::Pytorch,
                seed: 0,
            },
        )
        .unwrap()
        .epoch(0);
        let w = batches.windows[1];
        let zero = LstmState::zeros(&config.lstm(), 3);
        let (_, cache) = model.forward(batches.input(&w), batches.target(&w), w.seq_len, 3, &zero);
        let batch = model.backward(&cache).params;
        let worst = mean
            .iter()
            .zip(&batch)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(worst < 1e-12, "mean of examples vs batch gradient: {worst}");
        assert!(batch.iter().any(|g| g.abs() > 1e-3), "a real gradient");
    }

    #[test]
    fn a_model_for_another_vocabulary_is_refused() {
        let corpus = Corpus::from_documents(&["abcabcabc"], TokenLevel::Char).unwrap();
        let config = ModelConfig {
            vocab: 5,
            embed: 2,
            hidden: 2,
            layers: 1,
        };
        let model: Model<f32> = Model::init(config, 0);
        let err = LmExamples::new(&model, &corpus, 2, 3, 0).err().unwrap();
        assert_eq!(
            err,
            TrainError::VocabMismatch {
                model: 5,
                corpus: 3
            }
        );
    }
}
