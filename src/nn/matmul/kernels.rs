//! The micro-kernels: one MR×NR tile of C from a strip of A and a packed
//! panel of B. AVX2+FMA (x86-64, detected at run time), simd128 (wasm32
//! built with `+simd128`), and a portable one for everything else and `f64`.

use super::{MR, NR};
use crate::nn::float::Float;

/// MR rows of A over one k-block: element (r, kk) is `a[offsets[r] + kk*cs]`.
pub struct Strip {
    pub offsets: [usize; MR],
    pub cs: usize,
    pub kc: usize,
}

/// One MR×NR tile: `C[..rows, ..cols] (+)= A_strip · Bp(kc×NR)`. Callers
/// guarantee every A index of the strip is in bounds.
pub trait Kernel: Sized {
    #[allow(clippy::too_many_arguments)]
    fn tile(
        a: &[Self],
        strip: &Strip,
        b: &[Self],
        c: &mut [Self],
        ldc: usize,
        accumulate: bool,
        rows: usize,
        cols: usize,
    );
}

impl Kernel for f64 {
    fn tile(
        a: &[f64],
        strip: &Strip,
        b: &[f64],
        c: &mut [f64],
        ldc: usize,
        accumulate: bool,
        rows: usize,
        cols: usize,
    ) {
        let acc = tile_portable(a, strip, b);
        store(&acc, c, ldc, accumulate, rows, cols);
    }
}

impl Kernel for f32 {
    #[inline]
    fn tile(
        a: &[f32],
        strip: &Strip,
        b: &[f32],
        c: &mut [f32],
        ldc: usize,
        accumulate: bool,
        rows: usize,
        cols: usize,
    ) {
        assert!(b.len() >= strip.kc * NR);
        assert!(c.len() >= (rows - 1) * ldc + cols);
        #[cfg(target_arch = "x86_64")]
        {
            if crate::nn::float::has_avx2_fma() {
                let last =
                    strip.offsets.iter().max().copied().unwrap_or(0) + (strip.kc - 1) * strip.cs;
                assert!(last < a.len());
                // SAFETY: features detected; every index checked just above.
                unsafe {
                    avx2::tile(
                        a.as_ptr(),
                        strip,
                        b.as_ptr(),
                        c,
                        ldc,
                        accumulate,
                        rows,
                        cols,
                    )
                };
                return;
            }
        }
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        {
            let last = strip.offsets.iter().max().copied().unwrap_or(0) + (strip.kc - 1) * strip.cs;
            assert!(last < a.len());
            // SAFETY: every index checked just above and by the asserts on b.
            unsafe {
                wasm::tile(
                    a.as_ptr(),
                    strip,
                    b.as_ptr(),
                    c,
                    ldc,
                    accumulate,
                    rows,
                    cols,
                )
            };
            return;
        }
        #[allow(unreachable_code)]
        {
            let acc = tile_portable(a, strip, b);
            store(&acc, c, ldc, accumulate, rows, cols);
        }
    }
}

/// Portable kernel: plain loops over a fixed-size accumulator, which the
/// compiler keeps in registers and vectorises for the baseline target.
#[inline(always)]
fn tile_portable<T: Float>(a: &[T], strip: &Strip, b: &[T]) -> [[T; NR]; MR] {
    let mut acc = [[T::ZERO; NR]; MR];
    for (kk, bk) in b.chunks_exact(NR).take(strip.kc).enumerate() {
        for r in 0..MR {
            let ar = a[strip.offsets[r] + kk * strip.cs];
            for j in 0..NR {
                acc[r][j] += ar * bk[j];
            }
        }
    }
    acc
}

#[inline(always)]
fn store<T: Float>(
    acc: &[[T; NR]; MR],
    c: &mut [T],
    ldc: usize,
    accumulate: bool,
    rows: usize,
    cols: usize,
) {
    for r in 0..rows {
        let row = &mut c[r * ldc..r * ldc + cols];
        for (dst, &v) in row.iter_mut().zip(&acc[r][..cols]) {
            *dst = if accumulate { *dst + v } else { v };
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{MR, NR};
    use std::arch::x86_64::*;

    /// 6×16 tile in 12 ymm accumulators: per k two B loads, six broadcasts
    /// of A, twelve FMAs.
    #[target_feature(enable = "avx2,fma")]
    #[allow(clippy::too_many_arguments)]
    pub unsafe fn tile(
        a: *const f32,
        strip: &super::Strip,
        b: *const f32,
        c: &mut [f32],
        ldc: usize,
        accumulate: bool,
        rows: usize,
        cols: usize,
    ) {
        let mut acc = [_mm256_setzero_ps(); 2 * MR];
        let rows_a: [*const f32; MR] = std::array::from_fn(|r| a.add(strip.offsets[r]));
        let cs = strip.cs;
        let mut bp = b;
        for kk in 0..strip.kc {
            let b0 = _mm256_loadu_ps(bp);
            let b1 = _mm256_loadu_ps(bp.add(8));
            let at = kk * cs;
            for r in 0..MR {
                let ar = _mm256_broadcast_ss(&*rows_a[r].add(at));
                acc[2 * r] = _mm256_fmadd_ps(ar, b0, acc[2 * r]);
                acc[2 * r + 1] = _mm256_fmadd_ps(ar, b1, acc[2 * r + 1]);
            }
            bp = bp.add(NR);
        }
        if rows == MR && cols == NR {
            let cp = c.as_mut_ptr();
            for r in 0..MR {
                let dst = cp.add(r * ldc);
                let (mut v0, mut v1) = (acc[2 * r], acc[2 * r + 1]);
                if accumulate {
                    v0 = _mm256_add_ps(v0, _mm256_loadu_ps(dst));
                    v1 = _mm256_add_ps(v1, _mm256_loadu_ps(dst.add(8)));
                }
                _mm256_storeu_ps(dst, v0);
                _mm256_storeu_ps(dst.add(8), v1);
            }
        } else {
            let mut tmp = [[0f32; NR]; MR];
            for r in 0..MR {
                _mm256_storeu_ps(tmp[r].as_mut_ptr(), acc[2 * r]);
                _mm256_storeu_ps(tmp[r].as_mut_ptr().add(8), acc[2 * r + 1]);
            }
            super::store(&tmp, c, ldc, accumulate, rows, cols);
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm {
    use super::{Strip, MR, NR};
    use core::arch::wasm32::*;

    /// Two MR×8 half tiles (MR = 4: 8 v128 accumulators, so that with B's
    /// two vectors, A's splat and a product nothing spills in V8, which
    /// keeps at most 15 v128 values in registers). simd128 has no FMA: mul + add.
    ///
    /// # Safety
    /// Every A index of `strip`, `kc × NR` values of `b` and the tile of `c`
    /// (checked by the caller) must be in bounds.
    #[inline]
    #[allow(clippy::too_many_arguments)]
    pub unsafe fn tile(
        a: *const f32,
        strip: &Strip,
        b: *const f32,
        c: &mut [f32],
        ldc: usize,
        accumulate: bool,
        rows: usize,
        cols: usize,
    ) {
        // A full tile goes straight into C; an edge tile through `out`.
        let full = rows == MR && cols == NR;
        let mut out = [[0f32; NR]; MR];
        let rows_a: [*const f32; MR] = std::array::from_fn(|r| a.add(strip.offsets[r]));
        for half in 0..2 {
            let mut acc = [f32x4_splat(0.0); 2 * MR];
            let mut bp = b.add(half * 8);
            // Not unrolled: LLVM then schedules the next step's B loads
            // early, and the extra live v128 values spill in V8.
            let cs = strip.cs;
            let mut at = 0;
            for _ in 0..strip.kc {
                let b0 = v128_load(bp as *const v128);
                let b1 = v128_load(bp.add(4) as *const v128);
                for r in 0..MR {
                    let ar = v128_load32_splat(rows_a[r].add(at) as *const u32);
                    acc[2 * r] = f32x4_add(acc[2 * r], f32x4_mul(ar, b0));
                    acc[2 * r + 1] = f32x4_add(acc[2 * r + 1], f32x4_mul(ar, b1));
                }
                bp = bp.add(NR);
                at += cs;
            }
            for r in 0..MR {
                let dst = if full {
                    c.as_mut_ptr().add(r * ldc + half * 8)
                } else {
                    out[r].as_mut_ptr().add(half * 8)
                };
                let (mut v0, mut v1) = (acc[2 * r], acc[2 * r + 1]);
                if full && accumulate {
                    v0 = f32x4_add(v0, v128_load(dst as *const v128));
                    v1 = f32x4_add(v1, v128_load(dst.add(4) as *const v128));
                }
                v128_store(dst as *mut v128, v0);
                v128_store(dst.add(4) as *mut v128, v1);
            }
        }
        if !full {
            super::store(&out, c, ldc, accumulate, rows, cols);
        }
    }
}
