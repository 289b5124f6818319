//! Matrix products for the LSTM: `C (+)= A · B` where A and B are views that
//! may be transposed, so A·B, A·Bᵀ and Aᵀ·B are one routine.
//!
//! How it is fast: B is packed into panels of `nr` columns (contiguous
//! along k); A is read in strips of `mr` rows, in place when row-major and
//! packed when transposed; a register-blocked micro-kernel keeps the whole
//! mr×nr tile of C in SIMD registers while it walks k. The tile's shape is
//! the kernel's ([`TileShape`], chosen once per process by the CPU's
//! features). The loop order depends on the shape (few rows: B panels
//! outer; many rows: A strips outer). The recurrent product inside the
//! per-timestep loop reuses a [`PackedB`] made once per forward/backward
//! pass, and all scratch lives in a [`GemmScratch`] that only grows, so the
//! time loop never allocates.
//!
//! The micro-kernels (AVX-512, AVX2+FMA, simd128, portable) are in `matmul/kernels/`.

use crate::nn::float::Float;
use crate::nn::work_buffer::resize_exact;

mod kernels;
pub use kernels::{f32_kernel_name, Kernel, Strip, TileShape, MAX_MR};

/// Depth of one k-block: an A strip (mr×KC) and a B panel (KC×nr) stay in L1.
const KC: usize = 256;
/// Floats of a packed A block meant to stay in L2 (256 KB of f32).
const L2_FLOATS: usize = 64 * 1024;

/// A read-only matrix view: element (i, k) lives at `data[i*rs + k*cs]`.
#[derive(Clone, Copy, Debug)]
pub struct MatRef<'a, T> {
    pub data: &'a [T],
    pub rows: usize,
    pub cols: usize,
    pub rs: usize,
    pub cs: usize,
}

impl<'a, T: Copy> MatRef<'a, T> {
    /// A row-major `rows × cols` matrix.
    pub fn new(data: &'a [T], rows: usize, cols: usize) -> Self {
        assert!(
            data.len() >= rows * cols,
            "matrix {rows}×{cols} needs {} values, got {}",
            rows * cols,
            data.len()
        );
        MatRef {
            data,
            rows,
            cols,
            rs: cols,
            cs: 1,
        }
    }

    /// The transpose, without moving any data.
    pub fn t(self) -> Self {
        MatRef {
            rows: self.cols,
            cols: self.rows,
            rs: self.cs,
            cs: self.rs,
            ..self
        }
    }

    #[inline(always)]
    fn at(&self, i: usize, k: usize) -> T {
        self.data[i * self.rs + k * self.cs]
    }
}

/// B packed for the micro-kernel: `[panel][k][nr]`, the last panel zero-padded.
#[derive(Clone, Debug, Default)]
pub struct PackedB<T> {
    data: Vec<T>,
    k: usize,
    n: usize,
    /// Panel width: the kernel's `nr` when packed.
    nr: usize,
}

impl<T: Float> PackedB<T> {
    /// Packs `b` (k × n) into this buffer, reusing its allocation.
    pub fn pack(&mut self, b: MatRef<T>) {
        self.pack_side_by_side(&[b]);
    }

    /// Packs the matrices `parts` (same k) side by side, as one k × Σn
    /// matrix: the weight gradients of W_ih and W_hh as one product.
    pub fn pack_side_by_side(&mut self, parts: &[MatRef<T>]) {
        let k = parts[0].rows;
        let n: usize = parts.iter().map(|b| b.cols).sum();
        assert!(
            parts.iter().all(|b| b.rows == k),
            "side-by-side parts need the same number of rows"
        );
        let nr = T::tile_shape().nr;
        self.data.clear();
        resize_exact(&mut self.data, n.div_ceil(nr) * k * nr, T::ZERO);
        self.k = k;
        self.n = n;
        self.nr = nr;
        let mut first_col = 0;
        for b in parts {
            // Copy each part's row in runs that stay within one panel.
            let mut j = 0;
            while j < b.cols {
                let global = first_col + j;
                let (p, lane) = (global / nr, global % nr);
                let width = (nr - lane).min(b.cols - j);
                let panel = &mut self.data[p * k * nr..(p + 1) * k * nr];
                for kk in 0..k {
                    let dst = &mut panel[kk * nr + lane..kk * nr + lane + width];
                    let start = kk * b.rs + j;
                    if b.cs == 1 && width == 16 {
                        // A fixed-size copy compiles to moves, not a memmove call.
                        copy_fixed::<T, 16>(dst, &b.data[start..start + 16]);
                    } else if b.cs == 1 && width == 32 {
                        copy_fixed::<T, 32>(dst, &b.data[start..start + 32]);
                    } else if b.cs == 1 {
                        dst.copy_from_slice(&b.data[start..start + width]);
                    } else {
                        for (jj, v) in dst.iter_mut().enumerate() {
                            *v = b.at(kk, j + jj);
                        }
                    }
                }
                j += width;
            }
            first_col += b.cols;
        }
    }
}

/// Reusable scratch for packing A (when not row-major) and B (in [`gemm`]).
#[derive(Clone, Debug, Default)]
pub struct GemmScratch<T> {
    a: Vec<T>,
    b: PackedB<T>,
}

/// `C = A·B` (or `C += A·B` when `accumulate`), C row-major with row stride `ldc`.
pub fn gemm<T: Float>(
    c: &mut [T],
    ldc: usize,
    a: MatRef<T>,
    b: MatRef<T>,
    accumulate: bool,
    scratch: &mut GemmScratch<T>,
) {
    let mut packed = std::mem::take(&mut scratch.b);
    packed.pack(b);
    gemm_packed(c, ldc, a, &packed, accumulate, scratch);
    scratch.b = packed;
}

/// `C (+)= A·[B₁ | B₂ | …]`: one product for several right-hand sides that
/// share A (C has Σ cols columns; A is packed once, not once per part).
pub fn gemm_side_by_side<T: Float>(
    c: &mut [T],
    a: MatRef<T>,
    parts: &[MatRef<T>],
    accumulate: bool,
    scratch: &mut GemmScratch<T>,
) {
    let mut packed = std::mem::take(&mut scratch.b);
    packed.pack_side_by_side(parts);
    let n = packed.n;
    gemm_packed(c, n, a, &packed, accumulate, scratch);
    scratch.b = packed;
}

/// `C (+)= A·B` with B packed in advance (the per-timestep recurrent product).
///
/// Row-major A is read in place (a strip of mr rows is mr pointers walking
/// k), so the per-timestep products spend no time packing it.
pub fn gemm_packed<T: Float>(
    c: &mut [T],
    ldc: usize,
    a: MatRef<T>,
    b: &PackedB<T>,
    accumulate: bool,
    scratch: &mut GemmScratch<T>,
) {
    let (m, k, n) = (a.rows, a.cols, b.n);
    assert_eq!(
        k, b.k,
        "inner dimensions differ: A is {m}×{k}, B is {}×{n}",
        b.k
    );
    assert!(
        m == 0 || c.len() >= (m - 1) * ldc + n,
        "C too small for {m}×{n}"
    );
    if m == 0 || n == 0 {
        return;
    }
    let TileShape { mr, nr } = T::tile_shape();
    assert_eq!(b.nr, nr, "B was packed for another kernel");
    if k == 0 {
        if !accumulate {
            for i in 0..m {
                c[i * ldc..i * ldc + n].fill(T::ZERO);
            }
        }
        return;
    }
    assert!(
        a.data.len() > (m - 1) * a.rs + (k - 1) * a.cs,
        "A too small for {m}×{k}"
    );
    let panels = n.div_ceil(nr);
    let k_blocks = || (0..k).step_by(KC).map(move |k0| (k0, KC.min(k - k0)));
    let panel_at = |p: usize, k0: usize, kc: usize| {
        (
            &b.data[(p * k + k0) * nr..(p * k + k0 + kc) * nr],
            nr.min(n - p * nr),
        )
    };
    // Row-major A is read in place, and so is a transposed A small
    // enough to stay in L2 over a single k-block (the per-cell weight
    // gradient dgatesᵀ·h_{t−1}, k = bs: each k's mr values of a strip are
    // neighbours, so packing would only copy it once more). Rows past the
    // edge re-read the strip's last row (their results are never stored).
    let a_in_place = a.cs == 1 || (k <= KC && m * k <= L2_FLOATS);
    let in_place = |i0: usize, k0: usize, kc: usize| {
        let rows = mr.min(m - i0);
        (
            Strip {
                offsets: std::array::from_fn(|r| (i0 + r.min(rows - 1)) * a.rs + k0 * a.cs),
                cs: a.cs,
                kc,
            },
            rows,
        )
    };
    let packed = |s: usize, kc: usize| Strip {
        offsets: std::array::from_fn(|r| s * kc * mr + r.min(mr - 1)),
        cs: mr,
        kc,
    };
    if m <= n {
        // Few rows (the per-timestep products: bs rows): each B panel is
        // read from L2 once and stays in L1 for every strip.
        for (k0, kc) in k_blocks() {
            let acc = accumulate || k0 > 0;
            if !a_in_place {
                pack_a(&mut scratch.a, a, 0..m, k0, kc, mr);
            }
            for p in 0..panels {
                let (bp, cols) = panel_at(p, k0, kc);
                for i0 in (0..m).step_by(mr) {
                    let ct = &mut c[i0 * ldc + p * nr..];
                    if a_in_place {
                        let (strip, rows) = in_place(i0, k0, kc);
                        T::tile(a.data, &strip, bp, ct, ldc, acc, rows, cols);
                    } else {
                        T::tile(
                            &scratch.a,
                            &packed(i0 / mr, kc),
                            bp,
                            ct,
                            ldc,
                            acc,
                            mr.min(m - i0),
                            cols,
                        );
                    }
                }
            }
        }
    } else if a_in_place {
        // Many rows, A in place: one strip walks its rows from left to right
        // while the packed B (small: n ≤ a few hundred) stays in L2.
        for i0 in (0..m).step_by(mr) {
            for (k0, kc) in k_blocks() {
                let (strip, rows) = in_place(i0, k0, kc);
                for p in 0..panels {
                    let (bp, cols) = panel_at(p, k0, kc);
                    T::tile(
                        a.data,
                        &strip,
                        bp,
                        &mut c[i0 * ldc + p * nr..],
                        ldc,
                        accumulate || k0 > 0,
                        rows,
                        cols,
                    );
                }
            }
        }
    } else {
        // Many rows of a transposed A (the weight gradients dgatesᵀ·[x|h]):
        // per k-block, pack the whole A block (read row by row of the
        // stored matrix, i.e. sequentially), sized to stay in L2.
        let kc_t = (L2_FLOATS / m).clamp(16, KC);
        for k0 in (0..k).step_by(kc_t) {
            let kc = kc_t.min(k - k0);
            pack_a(&mut scratch.a, a, 0..m, k0, kc, mr);
            for i0 in (0..m).step_by(mr) {
                let strip = packed(i0 / mr, kc);
                for p in 0..panels {
                    let (bp, cols) = panel_at(p, k0, kc);
                    T::tile(
                        &scratch.a,
                        &strip,
                        bp,
                        &mut c[i0 * ldc + p * nr..],
                        ldc,
                        accumulate || k0 > 0,
                        mr.min(m - i0),
                        cols,
                    );
                }
            }
        }
    }
}

/// Packs rows `rows` of `a` (columns k0..k0+kc) as `[strip][k][mr]`, zero-padded.
fn pack_a<T: Float>(
    buf: &mut Vec<T>,
    a: MatRef<T>,
    rows: std::ops::Range<usize>,
    k0: usize,
    kc: usize,
    mr: usize,
) {
    let strips = rows.len().div_ceil(mr);
    buf.clear();
    resize_exact(buf, strips * kc * mr, T::ZERO);
    if a.rs == 1 {
        // Transposed A (Aᵀ·B): walk the stored rows (one k each)
        // sequentially and deal their values out to the strips.
        for kk in 0..kc {
            let src = &a.data[(k0 + kk) * a.cs + rows.start..(k0 + kk) * a.cs + rows.end];
            let whole = match mr {
                4 => deal::<T, 4>(buf, src, kc, kk),
                6 => deal::<T, 6>(buf, src, kc, kk),
                8 => deal::<T, 8>(buf, src, kc, kk),
                _ => deal_any(buf, src, kc, kk, mr),
            };
            let rest = &src[whole..];
            if !rest.is_empty() {
                let at = ((strips - 1) * kc + kk) * mr;
                buf[at..at + rest.len()].copy_from_slice(rest);
            }
        }
        return;
    }
    for s in 0..strips {
        let i0 = rows.start + s * mr;
        let height = mr.min(rows.end - i0);
        let strip = &mut buf[s * kc * mr..(s + 1) * kc * mr];
        for kk in 0..kc {
            for r in 0..height {
                strip[kk * mr + r] = a.at(i0 + r, k0 + kk);
            }
        }
    }
}

/// `dst = src` for slices of exactly `N` values, as moves.
#[inline(always)]
fn copy_fixed<T: Float, const N: usize>(dst: &mut [T], src: &[T]) {
    let dst: &mut [T; N] = dst.try_into().expect("N values");
    *dst = <[T; N]>::try_from(src).expect("N values");
}

/// Copies the whole `MR`-chunks of `src` (one k of a transposed A) to
/// their strips at depth `kk`; returns how many values it copied. A
/// fixed-size copy compiles to moves, not a memcpy call per chunk.
#[inline(always)]
fn deal<T: Float, const MR: usize>(buf: &mut [T], src: &[T], kc: usize, kk: usize) -> usize {
    let chunks = src.chunks_exact(MR);
    for (s, chunk) in chunks.enumerate() {
        let at = (s * kc + kk) * MR;
        let dst: &mut [T; MR] = (&mut buf[at..at + MR]).try_into().expect("MR values");
        *dst = <[T; MR]>::try_from(chunk).expect("MR values");
    }
    src.len() / MR * MR
}

/// [`deal`] for a strip height without its own copy.
fn deal_any<T: Float>(buf: &mut [T], src: &[T], kc: usize, kk: usize, mr: usize) -> usize {
    for (s, chunk) in src.chunks_exact(mr).enumerate() {
        buf[(s * kc + kk) * mr..(s * kc + kk + 1) * mr].copy_from_slice(chunk);
    }
    src.len() / mr * mr
}

#[cfg(test)]
mod tests;
