//! The backward pass through the unrolled cells: the full one (weight,
//! bias and input gradients of every layer) and a cheap one that only
//! follows dL/dh back through the top layer for its per-cell norms.

use super::buffers::{reuse, LayerCache, LstmCache, LstmGrads};
use super::{Lstm, LstmState};
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
        reuse(&mut g.dgates, rows * h4);
        for v in [&mut g.dh, &mut g.dh_next, &mut g.dc] {
            reuse(v, bsh);
        }
        let mut dstart = dlast.map(|_| LstmState::zeros(self, bs));
        for l in (0..self.layers).rev() {
            let off = self.layer_offsets(l);
            let inp = self.layer_input(l);
            let lc = &cache.layers[l];
            let w_ih = &params[off.weight_ih..off.weight_hh];
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
            let top = l == self.layers - 1;
            cells_backward(g, lc, seq_len, bs, hd, top, dstart.is_some());
            if let Some(d) = dstart.as_mut() {
                d.h[l * bsh..(l + 1) * bsh].copy_from_slice(&g.dh_next);
                d.c[l * bsh..(l + 1) * bsh].copy_from_slice(&g.dc);
            }
            let input: &[T] = if l == 0 {
                &cache.x
            } else {
                &cache.layers[l - 1].hs[bsh..]
            };
            // [dW_ih | dW_hh] = dgatesᵀ · [input | h_prev]: one product, so the
            // transposed dgates is read once.
            let dg_t = MatRef::new(&g.dgates, rows, h4).t();
            reuse(&mut g.dw, h4 * (inp + hd));
            gemm_side_by_side(
                &mut g.dw,
                dg_t,
                &[
                    MatRef::new(input, rows, inp),
                    MatRef::new(&lc.hs[..rows * hd], rows, hd),
                ],
                &mut g.gemm,
            );
            let (dw_ih, dw_hh) = g.params[off.weight_ih..off.bias_ih].split_at_mut(h4 * inp);
            for ((row, ih), hh) in
                g.dw.chunks_exact(inp + hd)
                    .zip(dw_ih.chunks_exact_mut(inp))
                    .zip(dw_hh.chunks_exact_mut(hd))
            {
                ih.copy_from_slice(&row[..inp]);
                hh.copy_from_slice(&row[inp..]);
            }
            let (db_ih, db_hh) = g.params[off.bias_ih..off.end].split_at_mut(h4);
            for row in g.dgates.chunks_exact(h4) {
                for (b, &d) in db_ih.iter_mut().zip(row) {
                    *b += d;
                }
            }
            db_hh.copy_from_slice(db_ih);
            // dL/d(input of this layer) = dgates · W_ih: the dout of the layer below.
            reuse(&mut g.input, rows * inp);
            gemm(
                &mut g.input,
                inp,
                MatRef::new(&g.dgates, rows, h4),
                MatRef::new(w_ih, h4, inp),
                false,
                &mut g.gemm,
            );
            if l > 0 {
                std::mem::swap(&mut g.dy, &mut g.input);
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
        reuse(&mut g.dgates, seq_len * bs * h4);
        for v in [&mut g.dh, &mut g.dh_next, &mut g.dc] {
            reuse(v, bsh);
            v.fill(T::ZERO);
        }
        let l = self.layers - 1;
        let off = self.layer_offsets(l);
        g.packed
            .pack(MatRef::new(&params[off.weight_hh..off.bias_ih], h4, hd));
        cells_backward(g, &cache.layers[l], seq_len, bs, hd, true, false);
    }
}

/// Back through one layer's cells, t = seq_len−1 down to 0: dh_t = dy_t +
/// dh from cell t+1, the cell backward into `g.dgates`, then dh for cell
/// t−1 = dgates·W_hh (with `g.packed` = W_hh packed). `g.dc` and
/// `g.dh_next` carry in dL/d(final c, h) and carry out dL/d(start c, h)
/// when `through_start` (else truncated BPTT skips the product at t = 0).
fn cells_backward<T: Float>(
    g: &mut LstmGrads<T>,
    lc: &LayerCache<T>,
    seq_len: usize,
    bs: usize,
    hd: usize,
    top: bool,
    through_start: bool,
) {
    let (h4, bsh) = (4 * hd, bs * hd);
    for t in (0..seq_len).rev() {
        let norm = add_with_norm(&mut g.dh, &g.dy[t * bsh..(t + 1) * bsh], &g.dh_next);
        if top {
            g.cell_grad_norms[t] = norm;
        }
        let dg = &mut g.dgates[t * bs * h4..(t + 1) * bs * h4];
        let acts = &lc.acts[t * bs * h4..(t + 1) * bs * h4];
        cell_backward(
            acts,
            &lc.cs[t * bsh..(t + 1) * bsh],
            &lc.tanh_c[t * bsh..(t + 1) * bsh],
            &g.dh,
            &mut g.dc,
            dg,
            hd,
        );
        // Truncated BPTT skips dh for the carried state (t = 0).
        if t > 0 || through_start {
            gemm_packed(
                &mut g.dh_next,
                hd,
                MatRef::new(dg, bs, h4),
                &g.packed,
                false,
                &mut g.gemm,
            );
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
