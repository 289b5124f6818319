//! The language model: Embedding(V, E) → LSTM(E, H, layers) → Linear(H, V)
//! → softmax cross-entropy, the mean over the bs × seq_len targets of a batch.
//!
//! The structure and the parameter names are those of PyTorch's
//! word_language_model example (`encoder`, `rnn`, `decoder`), so that weights
//! move between the two through `state_dict.rs`. All parameters live in one
//! flat vector (the optimizer and the gradient clipping see one vector), in
//! state-dict order: encoder.weight, rnn.* per layer, decoder.weight, decoder.bias.

use crate::nn::float::{vectorize, Float};
use crate::nn::lstm::{LstmCache, LstmGrads, LstmInput, LstmState};
use crate::nn::matmul::{gemm, GemmScratch, MatRef};
use crate::nn::rng::Rng;
use crate::nn::softmax::SoftmaxCrossEntropy;
use crate::nn::work_buffer::resize_exact;

mod config;
pub use config::ModelConfig;

/// A model's sizes and its parameters as one flat vector.
#[derive(Clone, Debug, PartialEq)]
pub struct Model<T = f32> {
    pub config: ModelConfig,
    pub params: Vec<T>,
}

/// The forward pass's results that the learner sees.
#[derive(Clone, Debug)]
pub struct Forward<T> {
    /// Mean cross-entropy over the bs × seq_len targets (nats).
    pub loss: f64,
    /// The final (h, c) of every stream, to carry into the next batch.
    pub last: LstmState<T>,
}

/// What backward needs from forward. Reusing one across steps
/// (`forward_into`) keeps training free of allocations.
#[derive(Clone, Debug, Default)]
pub struct ModelCache<T> {
    seq_len: usize,
    bs: usize,
    lstm: LstmCache<T>,
    /// dL/dlogits = (softmax − one-hot) / N, [seq_len·bs, V].
    dlogits: Vec<T>,
    gemm: GemmScratch<T>,
}

/// Gradients of one batch (plus reusable working buffers).
#[derive(Clone, Debug, Default)]
pub struct Gradients<T> {
    /// dL/dparams, laid out like `Model::params`.
    pub params: Vec<T>,
    /// ‖dL/dh_t‖ of the top layer per unrolled cell (the page's shading).
    pub cell_grad_norms: Vec<T>,
    /// ‖dℓ_last/dh_t‖ of the top layer per cell, ℓ_last = the last step's
    /// mean loss alone; filled by [`Model::last_loss_backward_into`].
    pub last_loss_grad_norms: Vec<T>,
    lstm: LstmGrads<T>,
    dout: Vec<T>,
    gemm: GemmScratch<T>,
}

impl<T: Float> Model<T> {
    /// Seeded initialisation like PyTorch's module defaults: embedding N(0, 1),
    /// LSTM uniform ±1/√H, decoder weight and bias uniform ±1/√H (nn.Linear).
    pub fn init(config: ModelConfig, seed: u64) -> Self {
        if let Err(e) = config.check() {
            panic!("{e}");
        }
        let mut rng = Rng::derive(seed, 0x1417);
        let mut params = Vec::with_capacity(config.num_params());
        let bound = 1.0 / (config.hidden as f64).sqrt();
        params.extend((0..config.rnn_offset()).map(|_| T::from_f64(rng.normal(0.0, 1.0))));
        while params.len() < config.num_params() {
            params.push(T::from_f64(rng.uniform_range(-bound, bound)));
        }
        Model { config, params }
    }

    /// The same model in another precision (f32 ↔ f64).
    pub fn cast<U: Float>(&self) -> Model<U> {
        Model {
            config: self.config,
            params: self
                .params
                .iter()
                .map(|&p| U::from_f64(p.to_f64()))
                .collect(),
        }
    }

    /// Logits [seq_len·bs, V] and the final state, with no cache (sampling).
    pub fn logits(
        &self,
        input: &[u32],
        seq_len: usize,
        bs: usize,
        start: &LstmState<T>,
    ) -> (Vec<T>, LstmState<T>) {
        let mut cache = LstmCache::default();
        let last = self.config.lstm().forward_input_into(
            self.rnn(),
            self.embedded(input),
            seq_len,
            bs,
            start,
            &mut cache,
        );
        let mut logits = Vec::new();
        self.decode(
            cache.output(),
            seq_len * bs,
            &mut logits,
            &mut GemmScratch::default(),
        );
        (logits, last)
    }

    /// Loss of `target` given `input` (both [seq_len, bs] time-major), and the
    /// cache for [`Model::backward`].
    pub fn forward(
        &self,
        input: &[u32],
        target: &[u32],
        seq_len: usize,
        bs: usize,
        start: &LstmState<T>,
    ) -> (Forward<T>, ModelCache<T>) {
        let mut cache = ModelCache::default();
        let forward = self.forward_into(input, target, seq_len, bs, start, &mut cache);
        (forward, cache)
    }

    /// `forward` into the buffers of an earlier step's cache.
    pub fn forward_into(
        &self,
        input: &[u32],
        target: &[u32],
        seq_len: usize,
        bs: usize,
        start: &LstmState<T>,
        cache: &mut ModelCache<T>,
    ) -> Forward<T> {
        self.forward_shard_into(input, target, seq_len, bs, start, seq_len * bs, cache)
    }

    /// `forward_into` for some of a batch's streams: the loss (and so
    /// every gradient `backward_into` makes from this cache) is this
    /// shard's share of the mean over the whole batch's `mean_over`
    /// targets, so the shards' losses and gradients add up to the batch's.
    #[allow(clippy::too_many_arguments)]
    pub fn forward_shard_into(
        &self,
        input: &[u32],
        target: &[u32],
        seq_len: usize,
        bs: usize,
        start: &LstmState<T>,
        mean_over: usize,
        cache: &mut ModelCache<T>,
    ) -> Forward<T> {
        let n = seq_len * bs;
        let v = self.config.vocab;
        assert_eq!(input.len(), n, "input must be [seq_len, bs]");
        assert_eq!(target.len(), n, "target must be [seq_len, bs]");
        cache.seq_len = seq_len;
        cache.bs = bs;
        let last = self.config.lstm().forward_input_into(
            self.rnn(),
            self.embedded(input),
            seq_len,
            bs,
            start,
            &mut cache.lstm,
        );
        self.decode_without_bias(cache.lstm.output(), n, &mut cache.dlogits, &mut cache.gemm);
        let loss = vectorize(SoftmaxCrossEntropy {
            logits: &mut cache.dlogits,
            bias: self.decoder_bias(),
            target,
            vocab: v,
            mean_over,
        });
        Forward { loss, last }
    }

    /// Gradients of the mean loss through the decoder, every unrolled cell and
    /// the embedding.
    pub fn backward(&self, cache: &ModelCache<T>) -> Gradients<T> {
        let mut grads = Gradients::default();
        self.backward_into(cache, &mut grads);
        grads
    }

    /// `backward` into the buffers of an earlier step's gradients.
    pub fn backward_into(&self, cache: &ModelCache<T>, g: &mut Gradients<T>) {
        let c = self.config;
        let (v, e, h) = (c.vocab, c.embed, c.hidden);
        let n = cache.seq_len * cache.bs;
        g.params.clear();
        resize_exact(&mut g.params, c.num_params(), T::ZERO);
        let d = c.decoder_offset();
        let output = cache.lstm.output();
        let dlogits = MatRef::new(&cache.dlogits, n, v);
        // decoder.weight: dlogitsᵀ · output; decoder.bias: column sums.
        gemm(
            &mut g.params[d..d + v * h],
            h,
            dlogits.t(),
            MatRef::new(output, n, h),
            false,
            &mut g.gemm,
        );
        let db = &mut g.params[d + v * h..];
        for row in cache.dlogits.chunks_exact(v) {
            for (b, &x) in db.iter_mut().zip(row) {
                *b += x;
            }
        }
        resize_exact(&mut g.dout, n * h, T::ZERO);
        gemm(
            &mut g.dout,
            h,
            dlogits,
            MatRef::new(&self.params[d..d + v * h], v, h),
            false,
            &mut g.gemm,
        );
        c.lstm()
            .backward_into(self.rnn(), &g.dout, &cache.lstm, &mut g.lstm);
        g.params[c.rnn_offset()..d].copy_from_slice(&g.lstm.params);
        g.cell_grad_norms.clear();
        g.cell_grad_norms.extend_from_slice(&g.lstm.cell_grad_norms);
        // The embedding's gradient is the LSTM's dL/dtable.
        g.params[..v * e].copy_from_slice(&g.lstm.table);
    }

    /// ‖dℓ_last/dh_t‖ of the top layer for every cell t of the window, where
    /// ℓ_last is the mean cross-entropy of the last time step's bs targets
    /// only. `cell_grad_norms` is nearly flat because every cell carries its
    /// own loss term; this one follows a single loss back and shows how its
    /// gradient fades towards the window's left edge, where truncation stops
    /// it. One more pass back through the top layer's recurrence (no weight
    /// gradients) in `g`'s scratch buffers: call it after `backward_into` (it
    /// leaves `g.params` and `g.cell_grad_norms` alone).
    pub fn last_loss_backward_into(&self, cache: &ModelCache<T>, g: &mut Gradients<T>) {
        let c = self.config;
        let (v, h, bs, seq_len) = (c.vocab, c.hidden, cache.bs, cache.seq_len);
        g.last_loss_grad_norms.clear();
        if seq_len == 0 {
            return;
        }
        let last = (seq_len - 1) * bs;
        // dout is zero except at the last step: decoderᵀ · dℓ_last/dlogits.
        g.dout.clear();
        resize_exact(&mut g.dout, seq_len * bs * h, T::ZERO);
        let d = c.decoder_offset();
        gemm(
            &mut g.dout[last * h..],
            h,
            MatRef::new(&cache.dlogits[last * v..], bs, v),
            MatRef::new(&self.params[d..d + v * h], v, h),
            false,
            &mut g.gemm,
        );
        // The cached dlogits are (softmax − one-hot)/(seq_len·bs), scaled for
        // the whole window's mean; the last step's own mean divides by bs.
        let scale = T::from_f64(seq_len as f64);
        for x in &mut g.dout[last * h..] {
            *x *= scale;
        }
        c.lstm()
            .top_layer_dh_norms_into(self.rnn(), &g.dout, &cache.lstm, &mut g.lstm);
        g.last_loss_grad_norms
            .extend_from_slice(&g.lstm.cell_grad_norms);
    }

    fn rnn(&self) -> &[T] {
        &self.params[self.config.rnn_offset()..self.config.decoder_offset()]
    }

    /// The LSTM's input: rows of the embedding table (encoder.weight).
    fn embedded<'a>(&'a self, input: &'a [u32]) -> LstmInput<'a, T> {
        LstmInput::Embedded {
            ids: input,
            table: &self.params[..self.config.rnn_offset()],
        }
    }

    /// Linear(H, V): output [n, H] → logits [n, V], the bias added.
    fn decode(&self, output: &[T], n: usize, logits: &mut Vec<T>, scratch: &mut GemmScratch<T>) {
        let (v, h) = (self.config.vocab, self.config.hidden);
        let d = self.config.decoder_offset();
        self.decode_without_bias(output, n, logits, scratch);
        let bias = &self.params[d + v * h..d + v * h + v];
        for row in logits.chunks_exact_mut(v) {
            for (z, &b) in row.iter_mut().zip(bias) {
                *z += b;
            }
        }
    }

    /// output·decoder.weightᵀ, [n, V]: the logits before the bias, which
    /// the training step adds in the softmax's pass over each row.
    fn decode_without_bias(
        &self,
        output: &[T],
        n: usize,
        logits: &mut Vec<T>,
        scratch: &mut GemmScratch<T>,
    ) {
        let (v, h) = (self.config.vocab, self.config.hidden);
        let d = self.config.decoder_offset();
        // Exactly n × V: the largest buffer of a step (see `work_buffer`).
        resize_exact(logits, n * v, T::ZERO);
        let w = MatRef::new(&self.params[d..d + v * h], v, h);
        gemm(logits, v, MatRef::new(output, n, h), w.t(), false, scratch);
    }

    fn decoder_bias(&self) -> &[T] {
        let (v, h) = (self.config.vocab, self.config.hidden);
        let d = self.config.decoder_offset();
        &self.params[d + v * h..d + v * h + v]
    }
}
