//! The AVX2+FMA kernel (x86-64 without AVX-512): a 6×16 tile in 12 of the
//! 16 ymm registers; per k two B loads, six broadcasts of A, twelve FMAs.

use super::{Strip, TileShape};
use std::arch::x86_64::*;

pub const SHAPE: TileShape = TileShape { mr: MR, nr: NR };
const MR: usize = 6;
const NR: usize = 16;

/// # Safety
/// The CPU has AVX2 and FMA; every A index of `strip`, `kc × 16` values of
/// `b` and the `rows × cols` tile of `c` are in bounds (checked by the caller).
#[target_feature(enable = "avx2,fma")]
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
            _mm256_storeu_ps(dst, flush_subnormal(v0));
            _mm256_storeu_ps(dst.add(8), flush_subnormal(v1));
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

/// Zero where |v| < f32::MIN_POSITIVE (NaN kept), as `Float::flush_subnormal`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn flush_subnormal(v: __m256) -> __m256 {
    let abs = _mm256_andnot_ps(_mm256_set1_ps(-0.0), v);
    let normal_or_nan = _mm256_cmp_ps::<_CMP_NLT_UQ>(abs, _mm256_set1_ps(f32::MIN_POSITIVE));
    _mm256_and_ps(normal_or_nan, v)
}
