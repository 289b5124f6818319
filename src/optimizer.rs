//! SGD and Adam with the update rules and defaults of `torch.optim`, and
//! gradient clipping like `torch.nn.utils.clip_grad_norm_`.
//!
//! They work on the model's one flat parameter vector; the per-parameter
//! state (Adam's moments) is a flat vector of the same layout, so an
//! optimizer is a plain value that clones with the trainer.

use crate::float::Float;
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
    pub fn sgd(lr: f64) -> Self {
        OptimizerConfig { kind: OptimizerKind::Sgd, lr, momentum: 0.0, beta1: 0.9, beta2: 0.999, eps: 1e-8 }
    }

    pub fn adam(lr: f64) -> Self {
        OptimizerConfig { kind: OptimizerKind::Adam, ..Self::sgd(lr) }
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
    pub fn new(config: OptimizerConfig, num_params: usize) -> Self {
        let second = if config.kind == OptimizerKind::Adam { vec![T::ZERO; num_params] } else { Vec::new() };
        let first = if config.kind == OptimizerKind::Adam || config.momentum != 0.0 { vec![T::ZERO; num_params] } else { Vec::new() };
        Optimizer { config, steps: 0, first, second }
    }

    /// One update of `params` from `grads`.
    pub fn step(&mut self, params: &mut [T], grads: &[T]) {
        assert_eq!(params.len(), grads.len(), "params and grads differ in length");
        let c = self.config;
        self.steps += 1;
        let lr = T::from_f64(c.lr);
        match c.kind {
            OptimizerKind::Sgd if c.momentum == 0.0 => {
                for (p, &g) in params.iter_mut().zip(grads) {
                    *p -= lr * g;
                }
            }
            OptimizerKind::Sgd => {
                // torch: the first step sets buf = g, later buf = momentum·buf + g.
                let momentum = T::from_f64(if self.steps == 1 { 0.0 } else { c.momentum });
                for ((p, &g), buf) in params.iter_mut().zip(grads).zip(&mut self.first) {
                    *buf = momentum * *buf + g;
                    *p -= lr * *buf;
                }
            }
            OptimizerKind::Adam => {
                // Exactly torch.optim.Adam's single-tensor path.
                let t = self.steps as i32;
                let bias_correction1 = 1.0 - c.beta1.powi(t);
                let bias_correction2_sqrt = (1.0 - c.beta2.powi(t)).sqrt();
                let step_size = T::from_f64(c.lr / bias_correction1);
                let b2 = T::from_f64(c.beta2);
                let (one_minus_b1, one_minus_b2) = (T::from_f64(1.0 - c.beta1), T::from_f64(1.0 - c.beta2));
                let (bc2, eps) = (T::from_f64(bias_correction2_sqrt), T::from_f64(c.eps));
                let state = self.first.iter_mut().zip(self.second.iter_mut());
                for ((p, &g), (m, v)) in params.iter_mut().zip(grads).zip(state) {
                    *m += one_minus_b1 * (g - *m); // exp_avg.lerp_(grad, 1 − β1)
                    *v = b2 * *v + one_minus_b2 * g * g;
                    let denom = v.sqrt() / bc2 + eps;
                    *p -= step_size * *m / denom;
                }
            }
        }
    }
}

/// Scales `grads` so their total L2 norm is at most `max_norm`, like
/// `clip_grad_norm_`: coefficient `max_norm / (norm + 1e-6)`, applied only
/// when below 1. Returns the norm before clipping (what the page plots).
pub fn clip_grad_norm<T: Float>(grads: &mut [T], max_norm: f64) -> f64 {
    let total = grads.iter().map(|&g| g.to_f64() * g.to_f64()).sum::<f64>().sqrt();
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
mod tests {
    use super::*;

    #[test]
    fn adam_first_step_moves_each_weight_by_about_lr() {
        // With bias correction, step 1 is lr · g/|g| (up to eps).
        let mut p = vec![1.0f64, -2.0, 3.0];
        let g = vec![0.5, -4.0, 1e-3];
        let mut adam = Optimizer::new(OptimizerConfig::adam(0.01), 3);
        adam.step(&mut p, &g);
        assert!((p[0] - 0.99).abs() < 1e-9 && (p[1] + 1.99).abs() < 1e-9 && (p[2] - 2.99).abs() < 1e-6);
    }

    #[test]
    fn sgd_momentum_and_clipping_follow_torch() {
        let mut p = vec![0.0f64];
        let mut sgd = Optimizer::new(OptimizerConfig { momentum: 0.9, ..OptimizerConfig::sgd(0.1) }, 1);
        sgd.step(&mut p, &[1.0]);
        sgd.step(&mut p, &[1.0]);
        assert!((p[0] + 0.29).abs() < 1e-12, "{}", p[0]);
        let mut g = vec![3.0f64, 4.0];
        assert_eq!(clip_grad_norm(&mut g, 1.0), 5.0);
        assert!((g[0] - 3.0 / (5.0 + 1e-6)).abs() < 1e-12);
        let mut small = vec![0.3f64, 0.4];
        clip_grad_norm(&mut small, 1.0);
        assert_eq!(small, vec![0.3, 0.4]);
    }
}
