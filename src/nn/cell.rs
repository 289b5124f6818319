//! The element-wise part of one unrolled LSTM cell, forward and backward, for
//! all bs streams of one timestep. The matrix products live in `lstm.rs`.
//!
//! Gate order is PyTorch's: i (input), f (forget), g (candidate), o (output);
//! each row of `gates` is `[i | f | g | o]`, hidden values each.
//!
//! Both functions run through [`vectorize`] so that the transcendental
//! functions become SIMD code on CPUs with AVX2.

use crate::nn::float::{vectorize, Float, WithSimd};

/// What the gates hold when [`cell_forward`] starts, besides h_{t−1}·W_hhᵀ.
#[derive(Clone, Copy, Debug)]
pub enum GateInput<'a, T> {
    /// x_t·W_ihᵀ was added into the gates already.
    InGates,
    /// Stream b's x_t·W_ihᵀ is row `ids[b]` of `rows` ([vocab, 4·hidden]):
    /// an embedded input's product over the vocabulary, added here (the
    /// same sum as adding it into the gates first, without writing and
    /// reading back every token's row).
    Rows { rows: &'a [T], ids: &'a [u32] },
}

/// Forward: adds the input's share (`input`) and `bias` ([4·hidden],
/// b_ih + b_hh) to the pre-activations in `gates` ([bs, 4·hidden]), turns
/// them into activations in place, and writes c_t, tanh(c_t) and h_t ([bs,
/// hidden]). (Adding the bias here rather than before the products saves
/// one pass over all the gates.)
#[allow(clippy::too_many_arguments)]
pub fn cell_forward<T: Float>(
    gates: &mut [T],
    input: GateInput<T>,
    bias: &[T],
    c_prev: &[T],
    c: &mut [T],
    tanh_c: &mut [T],
    h: &mut [T],
    hidden: usize,
) {
    vectorize(Forward {
        gates,
        input,
        bias,
        c_prev,
        c,
        tanh_c,
        h,
        hidden,
    });
}

/// Backward: from dL/dh_t (`dh`, everything flowing into h_t) and dL/dc_t
/// coming from the next cell (`dc`, replaced by dL/dc_{t−1}), writes the
/// gradient of the gate pre-activations into `dgates` ([bs, 4·hidden]).
pub fn cell_backward<T: Float>(
    acts: &[T],
    c_prev: &[T],
    tanh_c: &[T],
    dh: &[T],
    dc: &mut [T],
    dgates: &mut [T],
    hidden: usize,
) {
    vectorize(Backward {
        acts,
        c_prev,
        tanh_c,
        dh,
        dc,
        dgates,
        hidden,
    });
}

struct Forward<'a, T> {
    gates: &'a mut [T],
    input: GateInput<'a, T>,
    bias: &'a [T],
    c_prev: &'a [T],
    c: &'a mut [T],
    tanh_c: &'a mut [T],
    h: &'a mut [T],
    hidden: usize,
}

impl<'a, T: Float> WithSimd for Forward<'a, T> {
    type Output = ();
    #[inline(always)]
    fn run(self) {
        let hd = self.hidden;
        let rows = self.gates.chunks_exact_mut(4 * hd);
        let streams = rows
            .zip(self.c_prev.chunks_exact(hd))
            .zip(self.c.chunks_exact_mut(hd))
            .zip(self.tanh_c.chunks_exact_mut(hd))
            .zip(self.h.chunks_exact_mut(hd));
        let quarters = |b: &'a [T]| {
            [
                &b[..hd],
                &b[hd..2 * hd],
                &b[2 * hd..3 * hd],
                &b[3 * hd..4 * hd],
            ]
        };
        let bias = quarters(self.bias);
        for (b, ((((row, c_prev), c), tanh_c), h)) in streams.enumerate() {
            if let GateInput::Rows { rows, ids } = self.input {
                let id = ids[b] as usize;
                add_into(row, &rows[id * 4 * hd..(id + 1) * 4 * hd]);
            }
            let (gi, rest) = row.split_at_mut(hd);
            let (gf, rest) = rest.split_at_mut(hd);
            let (gg, go) = rest.split_at_mut(hd);
            forward_row(gi, gf, gg, &mut go[..hd], bias, c_prev, c, tanh_c, h);
        }
    }
}

/// sum += x, element by element (a separate loop: fused into the cell's,
/// LLVM no longer vectorised that).
#[inline(always)]
fn add_into<T: Float>(sum: &mut [T], x: &[T]) {
    let x = &x[..sum.len()];
    for (s, &v) in sum.iter_mut().zip(x) {
        *s += v;
    }
}

/// One stream's cell. Separate slices as arguments (not an array of them)
/// tell the compiler they do not overlap (`&mut` is `noalias`): it vectorises.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn forward_row<T: Float>(
    gi: &mut [T],
    gf: &mut [T],
    gg: &mut [T],
    go: &mut [T],
    [bi, bf, bg, bo]: [&[T]; 4],
    c_prev: &[T],
    c: &mut [T],
    tanh_c: &mut [T],
    h: &mut [T],
) {
    let hd = gi.len();
    let (gf, gg, go, c_prev, c, tanh_c, h) = (
        &mut gf[..hd],
        &mut gg[..hd],
        &mut go[..hd],
        &c_prev[..hd],
        &mut c[..hd],
        &mut tanh_c[..hd],
        &mut h[..hd],
    );
    let (bi, bf, bg, bo) = (&bi[..hd], &bf[..hd], &bg[..hd], &bo[..hd]);
    for j in 0..hd {
        let i = (gi[j] + bi[j]).sigmoid();
        let f = (gf[j] + bf[j]).sigmoid();
        let g = (gg[j] + bg[j]).tanh();
        let o = (go[j] + bo[j]).sigmoid();
        // Closed gates underflow c and h (see flush_subnormal; the
        // sigmoids flush their own results).
        let cj = (f * c_prev[j] + i * g).flush_subnormal();
        let tc = cj.tanh();
        gi[j] = i;
        gf[j] = f;
        gg[j] = g;
        go[j] = o;
        c[j] = cj;
        tanh_c[j] = tc;
        h[j] = (o * tc).flush_subnormal();
    }
}

struct Backward<'a, T> {
    acts: &'a [T],
    c_prev: &'a [T],
    tanh_c: &'a [T],
    dh: &'a [T],
    dc: &'a mut [T],
    dgates: &'a mut [T],
    hidden: usize,
}

impl<T: Float> WithSimd for Backward<'_, T> {
    type Output = ();
    #[inline(always)]
    fn run(self) {
        let hd = self.hidden;
        let streams = self
            .acts
            .chunks_exact(4 * hd)
            .zip(self.dgates.chunks_exact_mut(4 * hd))
            .zip(self.c_prev.chunks_exact(hd))
            .zip(self.tanh_c.chunks_exact(hd))
            .zip(self.dh.chunks_exact(hd))
            .zip(self.dc.chunks_exact_mut(hd));
        for (((((act, dg), c_prev), tanh_c), dh), dc) in streams {
            let (ai, af, ag, ao) = (
                &act[..hd],
                &act[hd..2 * hd],
                &act[2 * hd..3 * hd],
                &act[3 * hd..4 * hd],
            );
            let (di, rest) = dg.split_at_mut(hd);
            let (df, rest) = rest.split_at_mut(hd);
            let (dgg, dgo) = rest.split_at_mut(hd);
            backward_row(
                ai,
                af,
                ag,
                ao,
                di,
                df,
                dgg,
                &mut dgo[..hd],
                c_prev,
                tanh_c,
                dh,
                dc,
            );
        }
    }
}

/// The same for the backward cell.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn backward_row<T: Float>(
    ai: &[T],
    af: &[T],
    ag: &[T],
    ao: &[T],
    di: &mut [T],
    df: &mut [T],
    dgg: &mut [T],
    dgo: &mut [T],
    c_prev: &[T],
    tanh_c: &[T],
    dh: &[T],
    dc: &mut [T],
) {
    let one = T::ONE;
    let hd = ai.len();
    let (af, ag, ao, c_prev, tanh_c, dh, dc) = (
        &af[..hd],
        &ag[..hd],
        &ao[..hd],
        &c_prev[..hd],
        &tanh_c[..hd],
        &dh[..hd],
        &mut dc[..hd],
    );
    let (di, df, dgg, dgo) = (&mut di[..hd], &mut df[..hd], &mut dgg[..hd], &mut dgo[..hd]);
    for j in 0..hd {
        let (i, f, g, o, tc) = (ai[j], af[j], ag[j], ao[j], tanh_c[j]);
        let dcj = dc[j] + dh[j] * o * (one - tc * tc);
        // Saturated gates underflow these products (see flush_subnormal).
        di[j] = (dcj * g * i * (one - i)).flush_subnormal();
        df[j] = (dcj * c_prev[j] * f * (one - f)).flush_subnormal();
        dgg[j] = (dcj * i * (one - g * g)).flush_subnormal();
        dgo[j] = (dh[j] * tc * o * (one - o)).flush_subnormal();
        dc[j] = (dcj * f).flush_subnormal();
    }
}
