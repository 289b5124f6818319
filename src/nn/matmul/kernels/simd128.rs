//! The wasm32 simd128 kernel: a 4×16 tile as two 4×8 halves. V8 keeps at
//! most 15 v128 values in registers; a half's 8 accumulators, B's two
//! vectors, A's splat and a product fit, where a 6×8 half (16) spills: 4×8
//! and 5×8 halves ran ~1.3–1.5× faster in Chromium on the per-cell
//! products, 6×8 was the slowest of 2/4/5/6/8 rows. simd128 has no FMA:
//! mul + add.

use super::{Strip, TileShape};
use core::arch::wasm32::*;

pub const SHAPE: TileShape = TileShape { mr: MR, nr: NR };
const MR: usize = 4;
const NR: usize = 16;

/// # Safety
/// Every A index of `strip`, `kc × 16` values of `b` and the `rows × cols`
/// tile of `c` are in bounds (checked by the caller).
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
            v128_store(dst as *mut v128, flush_subnormal(v0));
            v128_store(dst.add(4) as *mut v128, flush_subnormal(v1));
        }
    }
    if !full {
        super::store(&out, c, ldc, accumulate, rows, cols);
    }
}

/// Zero where |v| < f32::MIN_POSITIVE (NaN kept), as `Float::flush_subnormal`:
/// wasm engines keep subnormals (the spec requires them), and x86 CPUs
/// run them slowly there too.
#[inline]
pub(super) fn flush_subnormal(v: v128) -> v128 {
    let tiny = f32x4_lt(f32x4_abs(v), f32x4_splat(f32::MIN_POSITIVE));
    v128_andnot(v, tiny)
}
