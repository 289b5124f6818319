//! The buffers of one forward/backward pass: what `backward` needs from
//! `forward` (the cache) and what it returns (the gradients), both reused
//! from step to step so that training allocates nothing once warm.

use crate::nn::float::Float;
use crate::nn::matmul::{GemmScratch, PackedB};

/// Everything `backward` needs from `forward`, per layer. Reusing one cache
/// across steps (`forward_into`) keeps training free of allocations.
#[derive(Clone, Debug, Default)]
pub struct LstmCache<T> {
    pub(super) seq_len: usize,
    pub(super) bs: usize,
    /// The input of layer 0, [seq_len, bs, in] (empty when embedded).
    pub(super) x: Vec<T>,
    /// Whether layer 0's input is `ids` and `table` rather than `x`.
    pub(super) embedded: bool,
    /// Or layer 0's input as token ids [seq_len, bs] into `table` [vocab, in].
    pub(super) ids: Vec<u32>,
    pub(super) table: Vec<T>,
    /// table·W_ihᵀ of layer 0, [vocab, 4H], when embedded.
    pub(super) projected: Vec<T>,
    pub(super) layers: Vec<LayerCache<T>>,
    /// b_ih + b_hh of the layer being computed, [4H].
    pub(super) bias: Vec<T>,
    pub(super) gemm: GemmScratch<T>,
    pub(super) packed: PackedB<T>,
}

#[derive(Clone, Debug, Default)]
pub(super) struct LayerCache<T> {
    /// h_0..h_seq_len, [(seq_len + 1), bs, H]; slot 0 is the carried h.
    pub(super) hs: Vec<T>,
    /// c_0..c_seq_len, same layout.
    pub(super) cs: Vec<T>,
    /// Gate activations i, f, g, o, [seq_len, bs, 4H].
    pub(super) acts: Vec<T>,
    /// tanh(c_t), [seq_len, bs, H].
    pub(super) tanh_c: Vec<T>,
}

impl<T: Float> LstmCache<T> {
    /// The top layer's h at every timestep, [seq_len, bs, H].
    pub fn output(&self) -> &[T] {
        let top = self.layers.last().expect("forward ran");
        &top.hs[top.hs.len() / (self.seq_len + 1)..]
    }
}

/// What `backward` returns (plus its reusable working buffers).
#[derive(Clone, Debug, Default)]
pub struct LstmGrads<T> {
    /// dL/dparams, laid out like the parameters.
    pub params: Vec<T>,
    /// dL/dinput, [seq_len, bs, in], for a dense input.
    pub input: Vec<T>,
    /// dL/dtable, [vocab, in], for an embedded input (see [`super::LstmInput`]).
    pub table: Vec<T>,
    /// ‖dL/dh_t‖ over all streams of the top layer, per unrolled cell.
    pub cell_grad_norms: Vec<T>,
    /// dL/d(gate pre-activations) of the cell being processed, [bs, 4H].
    pub(super) dgates: Vec<T>,
    /// Per vocabulary entry, the sum of its tokens' dgates, [vocab, 4H].
    pub(super) dgates_by_id: Vec<T>,
    /// [dW_ih | dW_hh] side by side, [4H, in + H].
    pub(super) dw: Vec<T>,
    pub(super) dy: Vec<T>,
    pub(super) dh: Vec<T>,
    pub(super) dh_next: Vec<T>,
    pub(super) dc: Vec<T>,
    pub(super) gemm: GemmScratch<T>,
    pub(super) packed: PackedB<T>,
}

/// Resizes `v` to `n` values without caring what they are (they will be overwritten).
/// A buffer that must grow is reallocated at exactly `n` (see `work_buffer`).
pub(super) fn reuse<T: Float>(v: &mut Vec<T>, n: usize) {
    crate::nn::work_buffer::resize_exact(v, n, T::ZERO);
}
