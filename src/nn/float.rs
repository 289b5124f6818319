//! The number type of the numeric core: `f32` for training (fast), `f64` for
//! the gradient check and the tight comparison with PyTorch's float64 run.
//!
//! Why our own activation functions for `f32`: one training step evaluates
//! millions of sigmoids and tanhs (bs × 4·hidden per unrolled cell). libm's
//! scalar `expf` cannot be vectorised; the Cephes exp polynomial and the
//! rational tanh below are branch-free, accurate to a few ulp and compile to
//! SIMD code inside [`vectorize`] (and everywhere on wasm32 with simd128). `f64` keeps the standard library's functions (exact reference).

use std::fmt::{Debug, Display};
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, Mul, MulAssign, Neg, Sub, SubAssign};

/// A real number the model can be computed in (`f32` or `f64`).
pub trait Float:
    Copy
    + Default
    + PartialOrd
    + Debug
    + Display
    + Send
    + Sync
    + 'static
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + Sum
    + crate::nn::matmul::Kernel
{
    const ZERO: Self;
    const ONE: Self;
    /// The smallest positive normal number.
    const MIN_NORMAL: Self;
    fn from_f64(x: f64) -> Self;
    fn to_f64(self) -> f64;
    fn exp(self) -> Self;
    fn ln(self) -> Self;
    fn sqrt(self) -> Self;
    fn tanh(self) -> Self;
    fn is_finite(self) -> bool;
    #[inline(always)]
    fn sigmoid(self) -> Self {
        (Self::ONE / (Self::ONE + (-self).exp())).flush_subnormal()
    }
    /// Zero for a subnormal value (|x| < MIN_NORMAL), else x; NaN stays.
    ///
    /// Why: an x86 core handles a subnormal operand or result in a
    /// microcode assist, ~100 times slower than a normal multiply-add, and
    /// a saturated LSTM (a high learning rate at a small bs) fills its
    /// gates, c, h and their gradients with them: steps took up to 35×
    /// longer. Rust has no supported way to set the CPU's flush-to-zero
    /// mode, so the element-wise code flushes the values it produces. The
    /// change is below 2⁻¹²⁶ in absolute terms: it moves no sum of
    /// normal-sized values by even one ulp (those values would have to be
    /// below 2⁻¹⁰² themselves), and Adam's eps (1e-8) swamps any gradient
    /// that small.
    #[inline(always)]
    fn flush_subnormal(self) -> Self {
        if self < Self::MIN_NORMAL && self > -Self::MIN_NORMAL {
            Self::ZERO
        } else {
            self
        }
    }
    #[inline(always)]
    fn max(self, other: Self) -> Self {
        if self > other {
            self
        } else {
            other
        }
    }
}

impl Float for f64 {
    const ZERO: f64 = 0.0;
    const ONE: f64 = 1.0;
    const MIN_NORMAL: f64 = f64::MIN_POSITIVE;
    #[inline(always)]
    fn from_f64(x: f64) -> f64 {
        x
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn exp(self) -> f64 {
        f64::exp(self)
    }
    #[inline(always)]
    fn ln(self) -> f64 {
        f64::ln(self)
    }
    #[inline(always)]
    fn sqrt(self) -> f64 {
        f64::sqrt(self)
    }
    #[inline(always)]
    fn tanh(self) -> f64 {
        f64::tanh(self)
    }
    #[inline(always)]
    fn is_finite(self) -> bool {
        f64::is_finite(self)
    }
}

impl Float for f32 {
    const ZERO: f32 = 0.0;
    const ONE: f32 = 1.0;
    const MIN_NORMAL: f32 = f32::MIN_POSITIVE;
    #[inline(always)]
    fn from_f64(x: f64) -> f32 {
        x as f32
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64
    }
    #[inline(always)]
    fn exp(self) -> f32 {
        fast_exp(self)
    }
    #[inline(always)]
    fn ln(self) -> f32 {
        f32::ln(self)
    }
    #[inline(always)]
    fn sqrt(self) -> f32 {
        f32::sqrt(self)
    }
    #[inline(always)]
    fn tanh(self) -> f32 {
        fast_tanh(self)
    }
    #[inline(always)]
    fn is_finite(self) -> bool {
        f32::is_finite(self)
    }
}

/// e^x (Cephes `expf`): x = n·ln2 + r, e^r by a degree-6 polynomial, 2^n by
/// writing the exponent bits. n is rounded with the 1.5·2²³ trick (float
/// adds and integer bit ops only, so the loop vectorises). Inputs are clamped
/// to the finite range; NaN stays NaN so divergence shows.
#[inline(always)]
#[allow(clippy::manual_clamp, clippy::excessive_precision)] // NaN must pass the clamp; Cephes' digits
pub fn fast_exp(x: f32) -> f32 {
    // 1.5·2²³: adding it rounds to an integer.
    const ROUND: f32 = 12_582_912.0;
    // Clamp with plain selects (they vectorise on every target; NaN passes).
    let xc = if x > 88.37 {
        88.37
    } else if x < -87.33 {
        -87.33
    } else {
        x
    };
    let shifted = madd(xc, std::f32::consts::LOG2_E, ROUND);
    let n = shifted - ROUND;
    let n_bits = shifted.to_bits().wrapping_sub(ROUND.to_bits()); // n as i32
    let r = madd(n, 2.121_944_4e-4, madd(n, -0.693_359_4, xc));
    let z = r * r;
    let p = madd(1.987_569_1e-4, r, 1.398_2e-3);
    let p = madd(p, r, 8.333_452e-3);
    let p = madd(p, r, 4.166_579_6e-2);
    let p = madd(p, r, 1.666_666_5e-1);
    let p = madd(p, r, 5.000_000_1e-1);
    let er = madd(p, z, r) + 1.0;
    let scale = f32::from_bits(n_bits.wrapping_add(127) << 23);
    // A NaN x stays NaN through r and er whatever `scale` is, so there is
    // no select for it (one less op per lane in the LSTM cell's loops).
    er * scale
}

/// tanh as a rational function (the odd degree-13 / even degree-6 minimax
/// fit that Eigen uses for float tanh), with x clamped to ±7.9053 where
/// tanh rounds to ±1 in f32. Why not Cephes' polynomial-or-exponential: a
/// SIMD loop computes both branches, so that cost an exp, a division and
/// two polynomials (~50 wasm SIMD ops per 4 lanes); this is ~25, and tanh
/// is 2 of the 5 activations of every LSTM unit (the forward cell went from
/// 13.3 to 10.8 ms per 70 cells in Chromium). Below |x| = 0.0004 tanh(x) =
/// x in f32, which keeps tiny inputs exact. Worst relative error found
/// sweeping |x| ≤ 12: 3.9e-7 near |x| = 5.8 unfused, 2.9e-7 with the
/// fused multiply-adds of x86-64 (Cephes: 1.4e-7); the PyTorch comparison
/// (1e-4) and the training tests are unchanged by it.
#[inline(always)]
#[allow(clippy::excessive_precision, clippy::manual_clamp)] // published digits; NaN passes the clamp
pub fn fast_tanh(x: f32) -> f32 {
    const CLAMP: f32 = 7.905_311_107_635_498;
    let xc = if x > CLAMP {
        CLAMP
    } else if x < -CLAMP {
        -CLAMP
    } else {
        x
    };
    let s = xc * xc;
    let p = madd(-2.760_768_477_423_55e-16, s, 2.000_187_904_824_77e-13);
    let p = madd(p, s, -8.604_671_522_137_35e-11);
    let p = madd(p, s, 5.122_297_090_371_14e-8);
    let p = madd(p, s, 1.485_722_357_179_79e-5);
    let p = madd(p, s, 6.372_619_288_754_36e-4);
    let p = madd(p, s, 4.893_524_558_917_86e-3) * xc;
    let q = madd(1.198_258_394_667_02e-6, s, 1.185_347_056_866_54e-4);
    let q = madd(q, s, 2.268_434_632_439e-3);
    let q = madd(q, s, 4.893_525_185_543_85e-3);
    if x.abs() < 4e-4 {
        x
    } else if x.abs() >= CLAMP {
        // Fused, the fit gives 1 − 1 ulp there: saturate exactly.
        1f32.copysign(x)
    } else {
        p / q
    }
}

/// a·b + c for the polynomials of [`fast_exp`] and [`fast_tanh`]: fused
/// (one rounding, one instruction) on x86-64, where the SIMD code of
/// [`vectorize`] runs with FMA; a product and a sum elsewhere (wasm32's
/// simd128 has no fused multiply-add, and `mul_add` there is a software
/// routine). Rust never fuses `a * b + c` by itself, and unfused the
/// polynomials were ~¼ of the LSTM cell's instructions.
#[inline(always)]
fn madd(a: f32, b: f32, c: f32) -> f32 {
    #[cfg(target_arch = "x86_64")]
    {
        a.mul_add(b, c)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        a * b + c
    }
}

/// A piece of element-wise work that wants to be compiled for the machine's
/// best SIMD level. `run` must be `#[inline(always)]` so that its body is
/// inlined into (and vectorised for) the feature-enabled caller.
pub trait WithSimd {
    type Output;
    fn run(self) -> Self::Output;
}

/// Runs `op` compiled with AVX-512 (16 lanes) or else AVX2+FMA (8 lanes)
/// when this x86-64 CPU has them; elsewhere (wasm32 builds with simd128
/// enabled globally, other CPUs) as compiled.
#[inline]
pub fn vectorize<Op: WithSimd>(op: Op) -> Op::Output {
    #[cfg(target_arch = "x86_64")]
    {
        if has_avx512() {
            // SAFETY: the CPU supports the features this function enables.
            return unsafe { run_avx512(op) };
        }
        if has_avx2_fma() {
            // SAFETY: as above.
            return unsafe { run_avx2(op) };
        }
    }
    op.run()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")]
unsafe fn run_avx512<Op: WithSimd>(op: Op) -> Op::Output {
    op.run()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn run_avx2<Op: WithSimd>(op: Op) -> Op::Output {
    op.run()
}

/// Runtime detection (cached by std), shared by the matmul kernels.
#[cfg(target_arch = "x86_64")]
#[inline]
pub(crate) fn has_avx2_fma() -> bool {
    is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")
}

/// AVX-512 F, BW, DQ and VL (every AVX-512 CPU since Skylake-SP), with
/// AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
#[inline]
pub(crate) fn has_avx512() -> bool {
    is_x86_feature_detected!("avx512f")
        && is_x86_feature_detected!("avx512bw")
        && is_x86_feature_detected!("avx512dq")
        && is_x86_feature_detected!("avx512vl")
        && has_avx2_fma()
}

#[cfg(test)]
mod tests;
