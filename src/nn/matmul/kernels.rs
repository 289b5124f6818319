//! The micro-kernels: one tile of C (up to `mr × nr`) from a strip of A and
//! a packed panel of B. Which kernel runs, and so the tile's shape, is
//! decided once per process: AVX-512 (8×32) or AVX2+FMA (6×16) on x86-64,
//! detected at run time; simd128 (4×16) on wasm32 built with `+simd128`, or
//! its relaxed-SIMD twin (fused multiply-adds) with the cargo feature
//! `relaxed-simd`; a portable one (6×16) for everything else and for `f64`.

use crate::nn::float::Float;

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
#[cfg(all(
    target_arch = "wasm32",
    target_feature = "simd128",
    feature = "relaxed-simd"
))]
mod relaxed_simd;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128;

/// The most rows any kernel's tile has (the size of [`Strip::offsets`]).
pub const MAX_MR: usize = 8;

/// Rows and columns of C that one kernel call computes; B is packed in
/// panels of `nr` columns and transposed A in strips of `mr` rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TileShape {
    pub mr: usize,
    pub nr: usize,
}

/// The portable kernel's tile (and the f64 one's).
const PORTABLE: TileShape = TileShape { mr: 6, nr: 16 };

/// `mr` rows of A over one k-block: element (r, kk) is `a[offsets[r] + kk*cs]`
/// (only the first `mr` offsets are read).
pub struct Strip {
    pub offsets: [usize; MAX_MR],
    pub cs: usize,
    pub kc: usize,
}

/// One tile: `C[..rows, ..cols] (+)= A_strip · Bp(kc×nr)`. Callers
/// guarantee every A index of the strip is in bounds.
pub trait Kernel: Sized {
    /// The tile this type's kernel computes on this machine.
    fn tile_shape() -> TileShape;

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
    fn tile_shape() -> TileShape {
        PORTABLE
    }

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

/// Which f32 kernel this process uses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum F32Kernel {
    #[cfg(target_arch = "x86_64")]
    Avx512,
    #[cfg(target_arch = "x86_64")]
    Avx2,
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    Simd128,
    #[cfg(all(
        target_arch = "wasm32",
        target_feature = "simd128",
        feature = "relaxed-simd"
    ))]
    RelaxedSimd,
    #[allow(dead_code)] // every target has a SIMD kernel but the odd one
    Portable,
}

#[inline]
fn f32_kernel() -> F32Kernel {
    #[cfg(target_arch = "x86_64")]
    {
        if crate::nn::float::has_avx512() {
            return F32Kernel::Avx512;
        }
        if crate::nn::float::has_avx2_fma() {
            return F32Kernel::Avx2;
        }
    }
    // Relaxed SIMD cannot be detected from inside a module: a build with
    // the feature is only ever loaded where the engine has it.
    #[cfg(all(
        target_arch = "wasm32",
        target_feature = "simd128",
        feature = "relaxed-simd"
    ))]
    {
        return F32Kernel::RelaxedSimd;
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    #[allow(unreachable_code)]
    {
        return F32Kernel::Simd128;
    }
    #[allow(unreachable_code)]
    F32Kernel::Portable
}

/// The f32 kernel this process uses, in words (for benchmarks and tests).
pub fn f32_kernel_name() -> &'static str {
    match f32_kernel() {
        #[cfg(target_arch = "x86_64")]
        F32Kernel::Avx512 => "AVX-512",
        #[cfg(target_arch = "x86_64")]
        F32Kernel::Avx2 => "AVX2+FMA",
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        F32Kernel::Simd128 => "simd128",
        #[cfg(all(
            target_arch = "wasm32",
            target_feature = "simd128",
            feature = "relaxed-simd"
        ))]
        F32Kernel::RelaxedSimd => "relaxed SIMD",
        F32Kernel::Portable => "portable",
    }
}

impl Kernel for f32 {
    #[inline]
    fn tile_shape() -> TileShape {
        match f32_kernel() {
            #[cfg(target_arch = "x86_64")]
            F32Kernel::Avx512 => avx512::SHAPE,
            #[cfg(target_arch = "x86_64")]
            F32Kernel::Avx2 => avx2::SHAPE,
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            F32Kernel::Simd128 => simd128::SHAPE,
            #[cfg(all(
                target_arch = "wasm32",
                target_feature = "simd128",
                feature = "relaxed-simd"
            ))]
            F32Kernel::RelaxedSimd => relaxed_simd::SHAPE,
            F32Kernel::Portable => PORTABLE,
        }
    }

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
        let shape = Self::tile_shape();
        assert!(rows >= 1 && rows <= shape.mr && cols >= 1 && cols <= shape.nr);
        assert!(b.len() >= strip.kc * shape.nr);
        assert!(c.len() >= (rows - 1) * ldc + cols);
        let last = strip.offsets[..shape.mr].iter().max().copied().unwrap_or(0)
            + (strip.kc.max(1) - 1) * strip.cs;
        assert!(last < a.len());
        // SAFETY (every arm): the kernel's features were detected (or are
        // compiled in), and every index it touches was checked just above.
        match f32_kernel() {
            #[cfg(target_arch = "x86_64")]
            F32Kernel::Avx512 => unsafe {
                avx512::tile(
                    a.as_ptr(),
                    strip,
                    b.as_ptr(),
                    c,
                    ldc,
                    accumulate,
                    rows,
                    cols,
                )
            },
            #[cfg(target_arch = "x86_64")]
            F32Kernel::Avx2 => unsafe {
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
            },
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            F32Kernel::Simd128 => unsafe {
                simd128::tile(
                    a.as_ptr(),
                    strip,
                    b.as_ptr(),
                    c,
                    ldc,
                    accumulate,
                    rows,
                    cols,
                )
            },
            #[cfg(all(
                target_arch = "wasm32",
                target_feature = "simd128",
                feature = "relaxed-simd"
            ))]
            F32Kernel::RelaxedSimd => unsafe {
                relaxed_simd::tile(
                    a.as_ptr(),
                    strip,
                    b.as_ptr(),
                    c,
                    ldc,
                    accumulate,
                    rows,
                    cols,
                )
            },
            F32Kernel::Portable => {
                let acc = tile_portable(a, strip, b);
                store(&acc, c, ldc, accumulate, rows, cols);
            }
        }
    }
}

/// Portable kernel: plain loops over a fixed-size accumulator, which the
/// compiler keeps in registers and vectorises for the baseline target.
#[inline(always)]
fn tile_portable<T: Float>(a: &[T], strip: &Strip, b: &[T]) -> [[T; PORTABLE.nr]; PORTABLE.mr] {
    const MR: usize = PORTABLE.mr;
    const NR: usize = PORTABLE.nr;
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

/// Writes (or adds) the first `rows × cols` values of a tile into C,
/// subnormal results flushed to zero like every kernel's (see
/// `Float::flush_subnormal`: a weight gradient summed cell by cell into C
/// would otherwise keep a subnormal and slow every later sum into it).
#[inline(always)]
fn store<T: Float, const MR: usize, const NR: usize>(
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
            *dst = if accumulate { *dst + v } else { v }.flush_subnormal();
        }
    }
}

#[cfg(test)]
mod tests;
