//! The wasm32 relaxed-SIMD kernel (cargo feature `relaxed-simd`): the
//! simd128 kernel's 4×16 tile, but each multiply and add is one
//! `f32x4.relaxed_madd`, which engines with relaxed SIMD run as a fused
//! multiply-add where the CPU has one (x86 FMA, Arm NEON): half the
//! arithmetic instructions of mul + add, and one rounding instead of two
//! (the spec lets an engine round twice; either way the result stays
//! within f32 rounding of the exact product). A module holding one
//! relaxed instruction fails to validate as a whole in an engine without
//! relaxed SIMD, so the page loads this build only where a probe module
//! validates (`web::ui::relaxed_simd`).

use super::{Strip, TileShape};
use core::arch::wasm32::*;

pub const SHAPE: TileShape = TileShape { mr: MR, nr: NR };
const MR: usize = 4;
const NR: usize = 16;

/// # Safety
/// The engine has relaxed SIMD (this build is only loaded where it does);
/// every A index of `strip`, `kc × 16` values of `b` and the `rows × cols`
/// tile of `c` are in bounds (checked by the caller).
#[target_feature(enable = "relaxed-simd")]
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
    // As in simd128.rs: a full tile goes straight into C, an edge tile
    // through `out`; two 4×8 halves, so nothing spills in V8.
    let full = rows == MR && cols == NR;
    let mut out = [[0f32; NR]; MR];
    let rows_a: [*const f32; MR] = std::array::from_fn(|r| a.add(strip.offsets[r]));
    for half in 0..2 {
        let mut acc = [f32x4_splat(0.0); 2 * MR];
        let mut bp = b.add(half * 8);
        let cs = strip.cs;
        let mut at = 0;
        for _ in 0..strip.kc {
            let b0 = v128_load(bp as *const v128);
            let b1 = v128_load(bp.add(4) as *const v128);
            for r in 0..MR {
                let ar = v128_load32_splat(rows_a[r].add(at) as *const u32);
                acc[2 * r] = f32x4_relaxed_madd(ar, b0, acc[2 * r]);
                acc[2 * r + 1] = f32x4_relaxed_madd(ar, b1, acc[2 * r + 1]);
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
            v128_store(dst as *mut v128, super::simd128::flush_subnormal(v0));
            v128_store(dst.add(4) as *mut v128, super::simd128::flush_subnormal(v1));
        }
    }
    if !full {
        super::store(&out, c, ldc, accumulate, rows, cols);
    }
}
