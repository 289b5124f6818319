//! A multi-layer LSTM with the semantics of PyTorch's `nn.LSTM` (no dropout,
//! no projection): per layer a fused `weight_ih` [4H, in], `weight_hh`
//! [4H, H], `bias_ih` [4H], `bias_hh` [4H], gate order i, f, g, o.
//!
//! Layout is time-major like the batcher: the input is [seq_len, bs, in], the
//! output [seq_len, bs, H]; the hidden state (h, c) is [layers, bs, H].
//!
//! `forward` returns the output and an [`LstmCache`]; `backward` takes the
//! gradient of the output and that cache and runs back through all seq_len
//! unrolled cells. No gradient flows into the initial (h, c): the trainer
//! carries it across batches detached, which is what truncated BPTT means.
//!
//! Speed: the input projection X·W_ihᵀ of all timesteps is one big product
//! before the time loop, and the weight gradients are big products after it;
//! only h·W_hhᵀ (forward) and dgates·W_hh (backward) remain per timestep,
//! against a B packed once per pass.

use crate::nn::cell::{cell_forward, GateInput};
use crate::nn::float::Float;
use crate::nn::matmul::{gemm, gemm_packed, MatRef};
use crate::nn::work_buffer::clear_with_room;

mod backward;
mod buffers;
use buffers::{reuse, LayerCache};
pub use buffers::{LstmCache, LstmGrads};

/// The shape of an LSTM stack; its parameters live in a flat slice, per
/// layer `weight_ih, weight_hh, bias_ih, bias_hh` (PyTorch's state-dict order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lstm {
    pub input: usize,
    pub hidden: usize,
    pub layers: usize,
}

/// Where one layer's tensors start in the flat parameter slice.
#[derive(Clone, Copy, Debug)]
pub struct LayerOffsets {
    pub weight_ih: usize,
    pub weight_hh: usize,
    pub bias_ih: usize,
    pub bias_hh: usize,
    pub end: usize,
}

/// The hidden state of every stream: h and c, each [layers, bs, hidden].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LstmState<T> {
    pub h: Vec<T>,
    pub c: Vec<T>,
}

impl<T: Float> LstmState<T> {
    /// The zero state a new epoch (or sampling) starts from.
    pub fn zeros(lstm: &Lstm, bs: usize) -> Self {
        let n = lstm.layers * bs * lstm.hidden;
        LstmState {
            h: vec![T::ZERO; n],
            c: vec![T::ZERO; n],
        }
    }
}

/// Layer 0's input.
#[derive(Clone, Copy, Debug)]
pub enum LstmInput<'a, T> {
    /// x, [seq_len, bs, input].
    Dense(&'a [T]),
    /// Rows of an embedding table: x_t = `table[ids[t]]`, `ids` [seq_len,
    /// bs], `table` [vocab, input]. The input product then runs over the
    /// vocabulary instead of over every token (65 rows instead of 4,480 in
    /// a char model's step), and backward returns dL/dtable
    /// ([`LstmGrads::table`]) instead of dL/dx.
    Embedded { ids: &'a [u32], table: &'a [T] },
}

/// What `forward` produced: the top layer's h at every timestep
/// ([seq_len, bs, H]) and the final state to carry into the next batch.
#[derive(Clone, Debug)]
pub struct LstmOutput<T> {
    pub output: Vec<T>,
    pub last: LstmState<T>,
}

impl Lstm {
    pub fn new(input: usize, hidden: usize, layers: usize) -> Self {
        Lstm {
            input,
            hidden,
            layers,
        }
    }

    /// Input width of layer `l`.
    pub fn layer_input(&self, l: usize) -> usize {
        if l == 0 {
            self.input
        } else {
            self.hidden
        }
    }

    pub fn layer_offsets(&self, l: usize) -> LayerOffsets {
        let h4 = 4 * self.hidden;
        let start: usize = (0..l)
            .map(|k| h4 * (self.layer_input(k) + self.hidden + 2))
            .sum();
        let weight_hh = start + h4 * self.layer_input(l);
        let bias_ih = weight_hh + h4 * self.hidden;
        let bias_hh = bias_ih + h4;
        LayerOffsets {
            weight_ih: start,
            weight_hh,
            bias_ih,
            bias_hh,
            end: bias_hh + h4,
        }
    }

    pub fn num_params(&self) -> usize {
        self.layer_offsets(self.layers - 1).end
    }

    /// Runs `seq_len` unrolled cells per layer from the state `start`.
    pub fn forward<T: Float>(
        &self,
        params: &[T],
        x: &[T],
        seq_len: usize,
        bs: usize,
        start: &LstmState<T>,
    ) -> (LstmOutput<T>, LstmCache<T>) {
        let mut cache = LstmCache::default();
        let last = self.forward_into(params, x, seq_len, bs, start, &mut cache);
        (
            LstmOutput {
                output: cache.output().to_vec(),
                last,
            },
            cache,
        )
    }

    /// `forward` into a cache from an earlier step (its buffers are reused);
    /// returns the final state. The output is `cache.output()`.
    pub fn forward_into<T: Float>(
        &self,
        params: &[T],
        x: &[T],
        seq_len: usize,
        bs: usize,
        start: &LstmState<T>,
        cache: &mut LstmCache<T>,
    ) -> LstmState<T> {
        self.forward_input_into(params, LstmInput::Dense(x), seq_len, bs, start, cache)
    }

    /// `forward_into` from either kind of input (see [`LstmInput`]).
    pub fn forward_input_into<T: Float>(
        &self,
        params: &[T],
        input: LstmInput<T>,
        seq_len: usize,
        bs: usize,
        start: &LstmState<T>,
        cache: &mut LstmCache<T>,
    ) -> LstmState<T> {
        let hd = self.hidden;
        let (h4, bsh) = (4 * hd, bs * hd);
        assert_eq!(params.len(), self.num_params(), "LSTM parameter count");
        assert_eq!(
            start.h.len(),
            self.layers * bsh,
            "LSTM state must be [layers, bs, hidden]"
        );
        cache.seq_len = seq_len;
        cache.bs = bs;
        cache.x.clear();
        cache.ids.clear();
        cache.table.clear();
        cache.embedded = matches!(input, LstmInput::Embedded { .. });
        match input {
            LstmInput::Dense(x) => {
                assert_eq!(
                    x.len(),
                    seq_len * bs * self.input,
                    "LSTM input must be [seq_len, bs, input]"
                );
                clear_with_room(&mut cache.x, x.len());
                cache.x.extend_from_slice(x);
            }
            LstmInput::Embedded { ids, table } => {
                assert_eq!(ids.len(), seq_len * bs, "token ids must be [seq_len, bs]");
                assert!(
                    table.len() % self.input == 0,
                    "the embedding table must be [vocab, input]"
                );
                let vocab = table.len() / self.input;
                if let Some(&id) = ids.iter().find(|&&id| id as usize >= vocab) {
                    panic!("token id {id} outside the vocabulary of {vocab}");
                }
                clear_with_room(&mut cache.ids, ids.len());
                cache.ids.extend_from_slice(ids);
                clear_with_room(&mut cache.table, table.len());
                cache.table.extend_from_slice(table);
            }
        }
        cache.layers.resize_with(self.layers, LayerCache::default);
        let mut last = LstmState {
            h: vec![T::ZERO; self.layers * bsh],
            c: vec![T::ZERO; self.layers * bsh],
        };
        for l in 0..self.layers {
            let off = self.layer_offsets(l);
            let inp = self.layer_input(l);
            let (below, this) = cache.layers.split_at_mut(l);
            let lc = &mut this[0];
            let w_ih = &params[off.weight_ih..off.weight_hh];
            let w_hh = &params[off.weight_hh..off.bias_ih];
            // X·W_ihᵀ for all timesteps at once; each cell then adds h·W_hhᵀ
            // and the biases.
            reuse(&mut lc.acts, seq_len * bs * h4);
            let embedded = l == 0 && cache.embedded;
            if embedded {
                // x_t·W_ihᵀ = (table·W_ihᵀ)[id_t]: one product row per
                // vocabulary entry instead of one per token, each row the
                // same sum as the per-token product would compute; each
                // cell adds its streams' rows (GateInput::Rows).
                let vocab = cache.table.len() / inp;
                reuse(&mut cache.projected, vocab * h4);
                gemm(
                    &mut cache.projected,
                    h4,
                    MatRef::new(&cache.table, vocab, inp),
                    MatRef::new(w_ih, h4, inp).t(),
                    false,
                    &mut cache.gemm,
                );
            } else {
                let input: &[T] = if l == 0 {
                    &cache.x
                } else {
                    &below[l - 1].hs[bsh..]
                };
                gemm(
                    &mut lc.acts,
                    h4,
                    MatRef::new(input, seq_len * bs, inp),
                    MatRef::new(w_ih, h4, inp).t(),
                    false,
                    &mut cache.gemm,
                );
            }
            cache.bias.clear();
            cache
                .bias
                .extend((0..h4).map(|j| params[off.bias_ih + j] + params[off.bias_hh + j]));
            cache.packed.pack(MatRef::new(w_hh, h4, hd).t());
            reuse(&mut lc.hs, (seq_len + 1) * bsh);
            reuse(&mut lc.cs, (seq_len + 1) * bsh);
            reuse(&mut lc.tanh_c, seq_len * bsh);
            lc.hs[..bsh].copy_from_slice(&start.h[l * bsh..(l + 1) * bsh]);
            lc.cs[..bsh].copy_from_slice(&start.c[l * bsh..(l + 1) * bsh]);
            for t in 0..seq_len {
                let gates = &mut lc.acts[t * bs * h4..(t + 1) * bs * h4];
                let (h_past, h_next) = lc.hs.split_at_mut((t + 1) * bsh);
                let h_prev = &h_past[t * bsh..];
                gemm_packed(
                    gates,
                    h4,
                    MatRef::new(h_prev, bs, hd),
                    &cache.packed,
                    !embedded,
                    &mut cache.gemm,
                );
                let input = match embedded {
                    true => GateInput::Rows {
                        rows: &cache.projected,
                        ids: &cache.ids[t * bs..(t + 1) * bs],
                    },
                    false => GateInput::InGates,
                };
                let (c_past, c_next) = lc.cs.split_at_mut((t + 1) * bsh);
                cell_forward(
                    gates,
                    input,
                    &cache.bias,
                    &c_past[t * bsh..],
                    &mut c_next[..bsh],
                    &mut lc.tanh_c[t * bsh..(t + 1) * bsh],
                    &mut h_next[..bsh],
                    hd,
                );
            }
            last.h[l * bsh..(l + 1) * bsh].copy_from_slice(&lc.hs[seq_len * bsh..]);
            last.c[l * bsh..(l + 1) * bsh].copy_from_slice(&lc.cs[seq_len * bsh..]);
        }
        last
    }

    /// Back through every unrolled cell, top layer first. `dout` is
    /// dL/d(output), [seq_len, bs, H]. Truncated BPTT: the gradient stops at
    /// the window's left edge and the final state gets none from later batches.
    pub fn backward<T: Float>(
        &self,
        params: &[T],
        dout: &[T],
        cache: &LstmCache<T>,
    ) -> LstmGrads<T> {
        let mut grads = LstmGrads::default();
        self.backward_impl(params, dout, None, cache, &mut grads);
        grads
    }

    /// `backward` into the buffers of an earlier step's gradients.
    pub fn backward_into<T: Float>(
        &self,
        params: &[T],
        dout: &[T],
        cache: &LstmCache<T>,
        grads: &mut LstmGrads<T>,
    ) {
        self.backward_impl(params, dout, None, cache, grads);
    }

    /// Full BPTT across calls: `dlast` is dL/d(final h, c) from what came
    /// after this window; also returns dL/d(start h, c). Chaining one-step
    /// calls this way equals one long call (the tests check it).
    pub fn backward_through_state<T: Float>(
        &self,
        params: &[T],
        dout: &[T],
        dlast: &LstmState<T>,
        cache: &LstmCache<T>,
    ) -> (LstmGrads<T>, LstmState<T>) {
        let mut grads = LstmGrads::default();
        let dstart = self.backward_impl(params, dout, Some(dlast), cache, &mut grads);
        (grads, dstart.expect("asked for"))
    }
}
