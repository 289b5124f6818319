//! The backward pass through the unrolled cells: the full one (weight,
//! bias and input gradients of every layer) and a cheap one that only
//! follows dL/dh back through the top layer for its per-cell norms.

use super::buffers::{reuse, LayerCache, LstmCache, LstmGrads};
use super::{LayerOffsets, Lstm, LstmState};
use crate::nn::cell::cell_backward;
use crate::nn::float::Float;
use crate::nn::matmul::{gemm, gemm_packed, gemm_side_by_side, MatRef};
use crate::nn::work_buffer::clear_with_room;

impl Lstm {
    pub(super) fn backward_impl<T: Float>(
        &self,
        params: &[T],
        dout: &[T],
        dlast: Option<&LstmState<T>>,
        cache: &LstmCache<T>,
        g: &mut LstmGrads<T>,
    ) -> Option<LstmState<T>> {
        let (seq_len, bs, hd) = (cache.seq_len, cache.bs, self.hidden);
        let (h4, bsh, rows) = (4 * hd, bs * hd, cache.seq_len * cache.bs);
        assert_eq!(
            dout.len(),
            seq_len * bsh,
            "dout must be [seq_len, bs, hidden]"
        );
        g.params.clear();
        reuse(&mut g.params, self.num_params());
        reuse(&mut g.cell_grad_norms, seq_len);
        clear_with_room(&mut g.dy, dout.len());
        g.dy.extend_from_slice(dout);
        reuse(&mut g.dgates, bs * h4);
        for v in [&mut g.dh, &mut g.dh_next, &mut g.dc] {
            reuse(v, bsh);
        }
        let mut dstart = dlast.map(|_| LstmState::zeros(self, bs));
        for l in (0..self.layers).rev() {
            let off = self.layer_offsets(l);
            let inp = self.layer_input(l);
            let lc = &cache.layers[l];
            let w_hh = &params[off.weight_hh..off.bias_ih];
            g.packed.pack(MatRef::new(w_hh, h4, hd));
            match dlast {
                Some(d) => {
                    g.dh_next.copy_from_slice(&d.h[l * bsh..(l + 1) * bsh]);
                    g.dc.copy_from_slice(&d.c[l * bsh..(l + 1) * bsh]);
                }
                None => {
                    g.dh_next.fill(T::ZERO);
                    g.dc.fill(T::ZERO);
                }
            }
            let input = if l == 0 && cache.embedded {
                let vocab = cache.table.len() / inp;
                g.dgates_by_id.clear();
                g.dgates_by_id.resize(vocab * h4, T::ZERO);
                LayerInput::Embedded(&cache.ids)
            } else {
                reuse(&mut g.dw, h4 * (inp + hd));
                g.dw.fill(T::ZERO);
                reuse(&mut g.input, rows * inp);
                LayerInput::Dense(if l == 0 {
                    &cache.x
                } else {
                    &cache.layers[l - 1].hs[bsh..]
                })
            };
            let weights = Weights {
                input,
                width: inp,
                offsets: off,
                w_ih: &params[off.weight_ih..off.weight_hh],
            };
            let top = l == self.layers - 1;
            cells_backward(
                g,
                lc,
                seq_len,
                bs,
                hd,
                top,
                dstart.is_some(),
                Some(&weights),
            );
            if let Some(d) = dstart.as_mut() {
                d.h[l * bsh..(l + 1) * bsh].copy_from_slice(&g.dh_next);
                d.c[l * bsh..(l + 1) * bsh].copy_from_slice(&g.dc);
            }
            match weights.input {
                LayerInput::Embedded(_) => embedded_input_grads(self, params, cache, g),
                LayerInput::Dense(_) => {
                    let (dw_ih, dw_hh) =
                        g.params[off.weight_ih..off.bias_ih].split_at_mut(h4 * inp);
                    for ((row, ih), hh) in
                        g.dw.chunks_exact(inp + hd)
                            .zip(dw_ih.chunks_exact_mut(inp))
                            .zip(dw_hh.chunks_exact_mut(hd))
                    {
                        ih.copy_from_slice(&row[..inp]);
                        hh.copy_from_slice(&row[inp..]);
                    }
                    let (db_ih, db_hh) = g.params[off.bias_ih..off.end].split_at_mut(h4);
                    db_hh.copy_from_slice(db_ih);
                    if l > 0 {
                        // dL/d(input of this layer) is the dout of the layer below.
                        std::mem::swap(&mut g.dy, &mut g.input);
                    }
                }
            }
        }
        dstart
    }

    /// ‖dL/dh_t‖ of the top layer for every cell t, into
    /// `g.cell_grad_norms`, for a loss whose gradient `dout` ([seq_len, bs, H])
    /// reaches the top layer's output only. It runs only what those norms
    /// depend on, the top layer's recurrence (per cell: the cell backward and
    /// dgates·W_hh): the layers below never feed back into the top layer's
    /// h, and no weight or input gradient is wanted. That is ~¼ of a full
    /// backward's products at H=128 (the page's per-step "last loss" view
    /// costs a full backward otherwise). Leaves `g.params` alone.
    pub fn top_layer_dh_norms_into<T: Float>(
        &self,
        params: &[T],
        dout: &[T],
        cache: &LstmCache<T>,
        g: &mut LstmGrads<T>,
    ) {
        let (seq_len, bs, hd) = (cache.seq_len, cache.bs, self.hidden);
        let (h4, bsh) = (4 * hd, bs * hd);
        assert_eq!(
            dout.len(),
            seq_len * bsh,
            "dout must be [seq_len, bs, hidden]"
        );
        reuse(&mut g.cell_grad_norms, seq_len);
        clear_with_room(&mut g.dy, dout.len());
        g.dy.extend_from_slice(dout);
        reuse(&mut g.dgates, bs * h4);
        for v in [&mut g.dh, &mut g.dh_next, &mut g.dc] {
            reuse(v, bsh);
            v.fill(T::ZERO);
        }
        let l = self.layers - 1;
        let off = self.layer_offsets(l);
        g.packed
            .pack(MatRef::new(&params[off.weight_hh..off.bias_ih], h4, hd));
        cells_backward(g, &cache.layers[l], seq_len, bs, hd, true, false, None);
    }
}

/// A layer's input, as its weight gradients need it.
#[derive(Clone, Copy)]
enum LayerInput<'a, T> {
    /// Token ids [seq_len, bs] into the embedding table (layer 0 of a model).
    Embedded(&'a [u32]),
    /// [seq_len, bs, width].
    Dense(&'a [T]),
}

/// What a full backward accumulates cell by cell besides dh and dc.
struct Weights<'a, T> {
    input: LayerInput<'a, T>,
    /// Input width of the layer.
    width: usize,
    offsets: LayerOffsets,
    w_ih: &'a [T],
}

/// Layer 0's weight and bias gradients and dL/dtable when its input was
/// embedded (`cache.ids`), once `cells_backward` has summed the dgates of
/// every token per id into S = `g.dgates_by_id` ([vocab, 4H]): since x_t =
/// table[id_t], dW_ih = Sᵀ·table, dL/dtable = S·W_ih, and the bias
/// gradient is S's column sums. The products run over the vocabulary
/// instead of over every token. (dW_hh was summed cell by cell.)
fn embedded_input_grads<T: Float>(
    lstm: &Lstm,
    params: &[T],
    cache: &LstmCache<T>,
    g: &mut LstmGrads<T>,
) {
    let (hd, inp) = (lstm.hidden, lstm.input);
    let h4 = 4 * hd;
    let off = lstm.layer_offsets(0);
    let vocab = cache.table.len() / inp;
    let by_id = MatRef::new(&g.dgates_by_id, vocab, h4);
    gemm(
        &mut g.params[off.weight_ih..off.weight_hh],
        inp,
        by_id.t(),
        MatRef::new(&cache.table, vocab, inp),
        false,
        &mut g.gemm,
    );
    let (db_ih, db_hh) = g.params[off.bias_ih..off.end].split_at_mut(h4);
    for row in g.dgates_by_id.chunks_exact(h4) {
        add_into(db_ih, row);
    }
    db_hh.copy_from_slice(db_ih);
    reuse(&mut g.table, vocab * inp);
    gemm(
        &mut g.table,
        inp,
        by_id,
        MatRef::new(&params[off.weight_ih..off.weight_hh], h4, inp),
        false,
        &mut g.gemm,
    );
    g.input.clear();
}

/// sum += row, element by element.
#[inline]
fn add_into<T: Float>(sum: &mut [T], row: &[T]) {
    for (s, &x) in sum.iter_mut().zip(row) {
        *s += x;
    }
}

/// Back through one layer's cells, t = seq_len−1 down to 0: dh_t = dy_t +
/// dh from cell t+1, the cell backward into `g.dgates` (this cell's, [bs,
/// 4H]), then dh for cell t−1 = dgates·W_hh (with `g.packed` = W_hh
/// packed). `g.dc` and `g.dh_next` carry in dL/d(final c, h) and carry out
/// dL/d(start c, h) when `through_start` (else truncated BPTT skips the
/// product at t = 0).
///
/// With `weights`, each cell also adds its share of the weight gradients
/// while its dgates are in cache: dgatesᵀ·h_{t−1} into dW_hh, and for an
/// embedded input its dgates into their token's row of S (see
/// [`embedded_input_grads`]), for a dense one dgatesᵀ·x_t into dW_ih (both
/// into `g.dw`, side by side), its column sums into the bias and dgates·W_ih
/// into dL/dx_t. One product over all cells afterwards would have to keep
/// every cell's dgates ([seq_len·bs, 4H], 18 MB at H = 256) and read them
/// back from memory.
#[allow(clippy::too_many_arguments)]
fn cells_backward<T: Float>(
    g: &mut LstmGrads<T>,
    lc: &LayerCache<T>,
    seq_len: usize,
    bs: usize,
    hd: usize,
    top: bool,
    through_start: bool,
    weights: Option<&Weights<T>>,
) {
    let (h4, bsh) = (4 * hd, bs * hd);
    for t in (0..seq_len).rev() {
        let norm = add_with_norm(&mut g.dh, &g.dy[t * bsh..(t + 1) * bsh], &g.dh_next);
        if top {
            g.cell_grad_norms[t] = norm;
        }
        let acts = &lc.acts[t * bs * h4..(t + 1) * bs * h4];
        cell_backward(
            acts,
            &lc.cs[t * bsh..(t + 1) * bsh],
            &lc.tanh_c[t * bsh..(t + 1) * bsh],
            &g.dh,
            &mut g.dc,
            &mut g.dgates,
            hd,
        );
        // Truncated BPTT skips dh for the carried state (t = 0).
        if t > 0 || through_start {
            gemm_packed(
                &mut g.dh_next,
                hd,
                MatRef::new(&g.dgates, bs, h4),
                &g.packed,
                false,
                &mut g.gemm,
            );
        }
        if let Some(w) = weights {
            let dg = MatRef::new(&g.dgates, bs, h4);
            let h_prev = MatRef::new(&lc.hs[t * bsh..(t + 1) * bsh], bs, hd);
            let off = w.offsets;
            match w.input {
                LayerInput::Embedded(ids) => {
                    gemm(
                        &mut g.params[off.weight_hh..off.bias_ih],
                        hd,
                        dg.t(),
                        h_prev,
                        true,
                        &mut g.gemm,
                    );
                    let by_id = &mut g.dgates_by_id;
                    for (row, &id) in g.dgates.chunks_exact(h4).zip(&ids[t * bs..(t + 1) * bs]) {
                        let id = id as usize;
                        add_into(&mut by_id[id * h4..(id + 1) * h4], row);
                    }
                }
                LayerInput::Dense(x) => {
                    let rows = t * bs..(t + 1) * bs;
                    let x_t =
                        MatRef::new(&x[rows.start * w.width..rows.end * w.width], bs, w.width);
                    gemm_side_by_side(&mut g.dw, dg.t(), &[x_t, h_prev], true, &mut g.gemm);
                    let db = &mut g.params[off.bias_ih..off.bias_hh];
                    for row in g.dgates.chunks_exact(h4) {
                        add_into(db, row);
                    }
                    gemm(
                        &mut g.input[rows.start * w.width..rows.end * w.width],
                        w.width,
                        dg,
                        MatRef::new(w.w_ih, h4, w.width),
                        false,
                        &mut g.gemm,
                    );
                }
            }
        }
    }
}

/// dh = dy + dh_next, returning ‖dh‖. Eight partial sums, so that the
/// squares are summed in SIMD lanes: one running sum is a chain of
/// dependent adds (~4 cycles each over bs·H values, twice per cell).
fn add_with_norm<T: Float>(dh: &mut [T], dy: &[T], dh_next: &[T]) -> T {
    let n = dh.len();
    let (dy, dh_next) = (&dy[..n], &dh_next[..n]);
    let mut lanes = [T::ZERO; 8];
    let whole = n - n % 8;
    let chunks = dh[..whole]
        .chunks_exact_mut(8)
        .zip(dy.chunks_exact(8))
        .zip(dh_next.chunks_exact(8));
    for ((d, y), next) in chunks {
        for j in 0..8 {
            let v = y[j] + next[j];
            d[j] = v;
            lanes[j] += v * v;
        }
    }
    for i in whole..n {
        let v = dy[i] + dh_next[i];
        dh[i] = v;
        lanes[0] += v * v;
    }
    lanes.iter().fold(T::ZERO, |s, &l| s + l).sqrt()
}
