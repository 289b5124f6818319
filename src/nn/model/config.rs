//! A model's sizes, and where each of PyTorch's state-dict tensors lies in
//! the flat parameter vector they make.

use crate::nn::lstm::Lstm;
use serde::{Deserialize, Serialize};

/// The sizes of a model: vocabulary, embedding, hidden, LSTM layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelConfig {
    pub vocab: usize,
    pub embed: usize,
    pub hidden: usize,
    pub layers: usize,
}

impl ModelConfig {
    /// Whether these sizes make a model (all ≥ 1, 1 to 3 layers), as one
    /// line for the learner; [`super::Model::init`] panics on sizes that fail it.
    pub fn check(&self) -> Result<(), String> {
        if self.vocab == 0 || self.embed == 0 || self.hidden == 0 {
            return Err(format!(
                "vocabulary, embedding and hidden sizes must be ≥ 1 (got {}, {}, {})",
                self.vocab, self.embed, self.hidden
            ));
        }
        if !(1..=3).contains(&self.layers) {
            return Err(format!("the LSTM has 1 to 3 layers (got {})", self.layers));
        }
        Ok(())
    }

    pub fn lstm(&self) -> Lstm {
        Lstm::new(self.embed, self.hidden, self.layers)
    }

    /// Start of the LSTM's parameters in the flat vector.
    pub fn rnn_offset(&self) -> usize {
        self.vocab * self.embed
    }

    /// Start of decoder.weight [V, H]; decoder.bias [V] follows it.
    pub fn decoder_offset(&self) -> usize {
        self.rnn_offset() + self.lstm().num_params()
    }

    pub fn num_params(&self) -> usize {
        self.decoder_offset() + self.vocab * self.hidden + self.vocab
    }

    /// Every tensor as (PyTorch state-dict name, shape, offset), in order.
    pub fn tensors(&self) -> Vec<(String, Vec<usize>, usize)> {
        let (v, e, h) = (self.vocab, self.embed, self.hidden);
        let lstm = self.lstm();
        let mut out = vec![("encoder.weight".to_string(), vec![v, e], 0)];
        for l in 0..self.layers {
            let o = lstm.layer_offsets(l);
            let base = self.rnn_offset();
            out.push((
                format!("rnn.weight_ih_l{l}"),
                vec![4 * h, lstm.layer_input(l)],
                base + o.weight_ih,
            ));
            out.push((
                format!("rnn.weight_hh_l{l}"),
                vec![4 * h, h],
                base + o.weight_hh,
            ));
            out.push((format!("rnn.bias_ih_l{l}"), vec![4 * h], base + o.bias_ih));
            out.push((format!("rnn.bias_hh_l{l}"), vec![4 * h], base + o.bias_hh));
        }
        let d = self.decoder_offset();
        out.push(("decoder.weight".to_string(), vec![v, h], d));
        out.push(("decoder.bias".to_string(), vec![v], d + v * h));
        out
    }
}
