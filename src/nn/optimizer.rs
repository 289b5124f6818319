//! SGD and Adam with the update rules and defaults of `torch.optim`, and
//! gradient clipping like `torch.nn.utils.clip_grad_norm_`.
//!
//! They work on the model's one flat parameter vector; the per-parameter
//! state (Adam's moments) is a flat vector of the same layout, so an
//! optimizer is a plain value that clones with the trainer.

use crate::nn::float::{vectorize, Float, WithSimd};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Which update rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    /// `torch.optim.SGD(lr, momentum)`: p −= lr·g (with a momentum buffer if momentum > 0).
    Sgd,
    /// `torch.optim.Adam(lr, betas=(0.9, 0.999), eps=1e-8)`.
    Adam,
}

impl FromStr for OptimizerKind {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "sgd" => Ok(OptimizerKind::Sgd),
            "adam" => Ok(OptimizerKind::Adam),
            other => Err(format!("unknown optimizer `{other}` (use sgd or adam)")),
        }
    }
}

impl fmt::Display for OptimizerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OptimizerKind::Sgd => "sgd",
            OptimizerKind::Adam => "adam",
        })
    }
}

/// The optimizer's hyper-parameters (PyTorch's names and defaults).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimizerConfig {
    pub kind: OptimizerKind,
    pub lr: f64,
    /// SGD only; 0 = plain SGD (PyTorch's default).
    pub momentum: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
}

impl OptimizerConfig {
    /// `kind` at `lr` with PyTorch's other defaults.
    pub fn new(kind: OptimizerKind, lr: f64) -> Self {
        match kind {
            OptimizerKind::Sgd => Self::sgd(lr),
            OptimizerKind::Adam => Self::adam(lr),
        }
    }

    pub fn sgd(lr: f64) -> Self {
        OptimizerConfig {
            kind: OptimizerKind::Sgd,
            lr,
            momentum: 0.0,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        }
    }

    pub fn adam(lr: f64) -> Self {
        OptimizerConfig {
            kind: OptimizerKind::Adam,
            ..Self::sgd(lr)
        }
    }
}

/// An optimizer and its state for one parameter vector.
#[derive(Clone, Debug, PartialEq)]
pub struct Optimizer<T> {
    pub config: OptimizerConfig,
    /// Updates applied so far (Adam's t).
    pub steps: u64,
    /// SGD momentum buffer, or Adam's first moment (`exp_avg`).
    first: Vec<T>,
    /// Adam's second moment (`exp_avg_sq`).
    second: Vec<T>,
}

impl<T: Float> Optimizer<T> {
    /// Values of state it keeps (momentum, Adam's two moments).
    pub fn state_len(&self) -> usize {
        self.first.len() + self.second.len()
    }

    pub fn new(config: OptimizerConfig, num_params: usize) -> Self {
        Optimizer {
            config,
            steps: 0,
            first: vec![T::ZERO; num_params],
            second: vec![T::ZERO; num_params],
        }
    }

    /// One update of `params` from `grads`.
    pub fn step(&mut self, params: &mut [T], grads: &[T]) {
        assert!(
            params.len() == grads.len() && grads.len() == self.first.len(),
            "params, grads and optimizer state differ in length"
        );
        let k = self.coefficients();
        self.steps += 1;
        vectorize(Apply {
            k,
            params,
            grads,
            m: &mut self.first,
            v: &mut self.second,
        });
    }

    /// Whether `step` would leave every parameter finite, computed without
    /// changing anything (a huge learning rate can overflow the weights even
    /// from finite gradients; the trainer then refuses the step).
    pub fn step_stays_finite(&self, params: &[T], grads: &[T]) -> bool {
        assert!(
            params.len() == grads.len() && grads.len() == self.first.len(),
            "params, grads and optimizer state differ in length"
        );
        vectorize(Check {
            k: self.coefficients(),
            params,
            grads,
            m: &self.first,
            v: &self.second,
        })
    }

    fn coefficients(&self) -> Coefficients<T> {
        let c = self.config;
        let t = (self.steps + 1) as i32;
        let f = T::from_f64;
        match c.kind {
            // torch: the first step sets buf = g, later buf = momentum·buf + g.
            OptimizerKind::Sgd => Coefficients {
                adam: false,
                lr: f(c.lr),
                momentum: f(if t == 1 { 0.0 } else { c.momentum }),
                ..Coefficients::zero()
            },
            OptimizerKind::Adam => Coefficients {
                adam: true,
                step_size: f(c.lr / (1.0 - c.beta1.powi(t))),
                one_minus_b1: f(1.0 - c.beta1),
                b2: f(c.beta2),
                one_minus_b2: f(1.0 - c.beta2),
                bias_correction2_sqrt: f((1.0 - c.beta2.powi(t)).sqrt()),
                eps: f(c.eps),
                ..Coefficients::zero()
            },
        }
    }
}

/// The scalars of one update, computed once per step.
#[derive(Clone, Copy)]
struct Coefficients<T> {
    adam: bool,
    lr: T,
    momentum: T,
    step_size: T,
    one_minus_b1: T,
    b2: T,
    one_minus_b2: T,
    bias_correction2_sqrt: T,
    eps: T,
}

impl<T: Float> Coefficients<T> {
    fn zero() -> Self {
        let z = T::ZERO;
        Coefficients {
            adam: false,
            lr: z,
            momentum: z,
            step_size: z,
            one_minus_b1: z,
            b2: z,
            one_minus_b2: z,
            bias_correction2_sqrt: z,
            eps: z,
        }
    }

    /// New (param, first moment, second moment) of one weight.
    #[inline(always)]
    fn update(&self, p: T, g: T, m: T, v: T) -> (T, T, T) {
        if self.adam {
            // Exactly torch.optim.Adam's single-tensor path, but for
            // moments that decay into subnormals (a weight whose gradient
            // stays ~0): flushed (see Float::flush_subnormal), which moves
            // no update, since eps (1e-8) dominates such a denominator.
            let m = (m + self.one_minus_b1 * (g - m)).flush_subnormal(); // exp_avg.lerp_(grad, 1 − β1)
            let v = (self.b2 * v + self.one_minus_b2 * g * g).flush_subnormal();
            let denom = v.sqrt() / self.bias_correction2_sqrt + self.eps;
            (p - self.step_size * m / denom, m, v)
        } else {
            // With momentum 0 this is p − lr·g (the buffer is just g).
            let buf = self.momentum * m + g;
            (p - self.lr * buf, buf, v)
        }
    }
}

struct Apply<'a, T> {
    k: Coefficients<T>,
    params: &'a mut [T],
    grads: &'a [T],
    m: &'a mut [T],
    v: &'a mut [T],
}

impl<T: Float> WithSimd for Apply<'_, T> {
    type Output = ();
    #[inline(always)]
    fn run(self) {
        let n = self.params.len();
        let (grads, m, v) = (&self.grads[..n], &mut self.m[..n], &mut self.v[..n]);
        for i in 0..n {
            (self.params[i], m[i], v[i]) = self.k.update(self.params[i], grads[i], m[i], v[i]);
        }
    }
}

struct Check<'a, T> {
    k: Coefficients<T>,
    params: &'a [T],
    grads: &'a [T],
    m: &'a [T],
    v: &'a [T],
}

impl<T: Float> WithSimd for Check<'_, T> {
    type Output = bool;
    #[inline(always)]
    fn run(self) -> bool {
        let n = self.params.len();
        let (grads, m, v) = (&self.grads[..n], &self.m[..n], &self.v[..n]);
        // An integer OR (not an early exit) so the loop vectorises.
        let mut bad = 0u32;
        for i in 0..n {
            bad |= !self
                .k
                .update(self.params[i], grads[i], m[i], v[i])
                .0
                .is_finite() as u32;
        }
        bad == 0
    }
}

/// Scales `grads` so their total L2 norm is at most `max_norm`, like
/// `clip_grad_norm_`: coefficient `max_norm / (norm + 1e-6)`, applied only
/// when below 1. Returns the norm before clipping (what the page plots).
pub fn clip_grad_norm<T: Float>(grads: &mut [T], max_norm: f64) -> f64 {
    let total = grads
        .iter()
        .map(|&g| g.to_f64() * g.to_f64())
        .sum::<f64>()
        .sqrt();
    let coef = max_norm / (total + 1e-6);
    if coef < 1.0 {
        let coef = T::from_f64(coef);
        for g in grads.iter_mut() {
            *g *= coef;
        }
    }
    total
}

#[cfg(test)]
mod tests;
