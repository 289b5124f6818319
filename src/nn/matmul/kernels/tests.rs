//! Every micro-kernel this machine can run, whichever one the process
//! picked, against a plain triple loop: full and edge tiles, stored and
//! accumulated, A read in place (rows apart) and packed.

use super::*;
use crate::nn::rng::Rng;

type TileFn = unsafe fn(*const f32, &Strip, *const f32, &mut [f32], usize, bool, usize, usize);

/// (name, shape, kernel) of every SIMD kernel this CPU supports.
// Which pushes exist depends on the target: a `vec![…]` cannot say it.
#[allow(clippy::vec_init_then_push)]
fn kernels() -> Vec<(&'static str, TileShape, TileFn)> {
    #[allow(unused_mut)]
    let mut found: Vec<(&'static str, TileShape, TileFn)> = Vec::new();
    #[cfg(target_arch = "x86_64")]
    {
        if crate::nn::float::has_avx2_fma() {
            found.push(("avx2", avx2::SHAPE, avx2::tile));
        }
        if crate::nn::float::has_avx512() {
            found.push(("avx512", avx512::SHAPE, avx512::tile));
        }
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    found.push(("simd128", simd128::SHAPE, simd128::tile));
    found
}

#[test]
fn every_kernel_matches_plain_loops_on_full_and_edge_tiles() {
    let mut rng = Rng::new(11);
    let mut random = |n: usize| -> Vec<f32> {
        (0..n)
            .map(|_| rng.uniform_range(-1.0, 1.0) as f32)
            .collect()
    };
    for (name, TileShape { mr, nr }, tile) in kernels() {
        for kc in [1, 7, 64] {
            // A: mr rows of length kc, 3 values apart per k (cs) and
            // kc·3 + 5 apart per row, so both strides are exercised.
            let cs = 3;
            let row_stride = kc * cs + 5;
            let a = random(mr * row_stride);
            let b = random(kc * nr);
            for (rows, cols) in [(mr, nr), (1, 1), (mr - 1, nr / 2), (mr, nr / 2 + 1), (2, 3)] {
                for accumulate in [false, true] {
                    let ldc = nr + 3;
                    let c0 = random(mr * ldc);
                    let mut c = c0.clone();
                    let strip = Strip {
                        offsets: std::array::from_fn(|r| r.min(rows - 1) * row_stride),
                        cs,
                        kc,
                    };
                    // SAFETY: the kernel's features were detected; every
                    // index lies inside `a`, `b` and `c` by construction.
                    unsafe {
                        tile(
                            a.as_ptr(),
                            &strip,
                            b.as_ptr(),
                            &mut c,
                            ldc,
                            accumulate,
                            rows,
                            cols,
                        )
                    };
                    for r in 0..mr {
                        for j in 0..ldc {
                            let at = r * ldc + j;
                            if r >= rows || j >= cols {
                                assert_eq!(
                                    c[at], c0[at],
                                    "{name}: wrote outside the tile at ({r}, {j})"
                                );
                                continue;
                            }
                            let dot: f64 = (0..kc)
                                .map(|k| a[r * row_stride + k * cs] as f64 * b[k * nr + j] as f64)
                                .sum();
                            let want = dot + if accumulate { c0[at] as f64 } else { 0.0 };
                            assert!(
                                (c[at] as f64 - want).abs() < 1e-5 * (kc as f64).sqrt() + 1e-6,
                                "{name} kc={kc} {rows}×{cols}: C[{r}][{j}] = {} vs {want}",
                                c[at]
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn every_kernel_stores_a_subnormal_result_as_zero() {
    for (name, TileShape { mr, nr }, tile) in kernels() {
        // Row r, column j: 1e-20 · (1e-20 or 1e-15) = 1e-40 (subnormal) or 1e-35.
        let a = vec![1e-20f32; mr];
        let b: Vec<f32> = (0..nr)
            .map(|j| if j % 2 == 0 { 1e-20 } else { 1e-15 })
            .collect();
        let strip = Strip {
            offsets: std::array::from_fn(|r| r.min(mr - 1)),
            cs: 1,
            kc: 1,
        };
        for accumulate in [false, true] {
            let mut c = vec![0f32; mr * nr];
            // SAFETY: features detected; a, b and c hold the whole tile.
            unsafe {
                tile(
                    a.as_ptr(),
                    &strip,
                    b.as_ptr(),
                    &mut c,
                    nr,
                    accumulate,
                    mr,
                    nr,
                )
            };
            for (j, &v) in c[..nr].iter().enumerate() {
                let want = if j % 2 == 0 { 0.0 } else { 1e-35 };
                assert!((v - want).abs() <= 1e-41, "{name}: C[0][{j}] = {v:e}");
            }
        }
    }
}
