//! A race: several training runs that differ in exactly one thing — the batch
//! size, bptt, the batching scheme, or whether the hidden state is carried
//! from batch to batch — trained side by side so their loss curves can be
//! compared live.
//!
//! This module says what each run trains with ([`run_configs`]). The race
//! itself is [`Race`]: its runs ([`run_slot`]), their turns on the cores
//! ([`turns`]), the watchdog that declares a worker dead ([`dead_worker`]),
//! all driven by the workers' reports ([`messages`]) and a clock. A run's
//! worker trains a [`run::RaceRun`], with the held-out validation text
//! ([`split`]), the validation loss ([`validation`]), the loss history and
//! its CSV ([`history`]), speed and divergence ([`stats`]); [`chart_data`]
//! maps the histories onto a chart's axes.
//!
//! The page's sweep ([`sweep_machine::Sweep`], issue #12) runs in the
//! race's workers under the same limits: one worker per core, within the
//! race's memory budget.
//!
//! No web imports: the page, its workers and the tests use the same code.

pub mod chart_axes;
pub mod chart_data;
pub mod command;
pub mod dead_worker;
pub mod history;
pub mod messages;
pub mod race_machine;
pub mod race_memory;
pub mod run;
pub mod run_slot;
pub mod split;
pub mod stats;
pub mod sweep_machine;
pub mod sweep_plan;
pub mod turns;
pub mod validation;
pub mod verdict;

pub use command::Command;
pub use race_machine::Race;
pub use race_memory::TextSize;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::data::batcher::Scheme;
use crate::page::settings::{Settings, LR_RANGE};

/// What the runs of a race differ in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RaceVariable {
    /// `bs`: how many streams (columns) each mini-batch holds.
    BatchSize,
    /// `bptt`: how many rows each window unrolls.
    Bptt,
    /// Fixed windows (PyTorch) against fastai v0.7's variable lengths.
    Scheme,
    /// Carry the hidden state from one batch to the next, or reset it to zero.
    Carry,
}

impl RaceVariable {
    pub const ALL: [RaceVariable; 4] = [
        RaceVariable::BatchSize,
        RaceVariable::Bptt,
        RaceVariable::Scheme,
        RaceVariable::Carry,
    ];

    /// The values a race over this variable starts with.
    pub fn default_values(self) -> Vec<RaceValue> {
        match self {
            RaceVariable::BatchSize => [4, 16, 64, 256].map(RaceValue::Bs).to_vec(),
            RaceVariable::Bptt => [10, 35, 70, 140].map(RaceValue::Bptt).to_vec(),
            RaceVariable::Scheme => [Scheme::Pytorch, Scheme::FastaiV07]
                .map(RaceValue::Scheme)
                .to_vec(),
            RaceVariable::Carry => [true, false].map(RaceValue::Carry).to_vec(),
        }
    }

    /// Every value a chip may take where the values are a fixed list (schemes,
    /// carry); empty for the typed ones (bs, bptt).
    pub fn choices(self) -> Vec<RaceValue> {
        match self {
            RaceVariable::Scheme => Scheme::ALL.map(RaceValue::Scheme).to_vec(),
            RaceVariable::Carry => self.default_values(),
            RaceVariable::BatchSize | RaceVariable::Bptt => Vec::new(),
        }
    }
}

impl fmt::Display for RaceVariable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RaceVariable::BatchSize => "bs",
            RaceVariable::Bptt => "bptt",
            RaceVariable::Scheme => "scheme",
            RaceVariable::Carry => "hidden",
        })
    }
}

/// One run's value of the race's variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RaceValue {
    Bs(usize),
    Bptt(usize),
    Scheme(Scheme),
    /// `true` = carry (h, c) into the next batch, `false` = start every batch from zeros.
    Carry(bool),
}

impl RaceValue {
    pub fn variable(self) -> RaceVariable {
        match self {
            RaceValue::Bs(_) => RaceVariable::BatchSize,
            RaceValue::Bptt(_) => RaceVariable::Bptt,
            RaceValue::Scheme(_) => RaceVariable::Scheme,
            RaceValue::Carry(_) => RaceVariable::Carry,
        }
    }
}

/// The legend's label: `bs=4`, `bptt=35`, `scheme=pytorch`, `hidden=carried` / `hidden=reset`.
impl fmt::Display for RaceValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let variable = self.variable();
        match *self {
            RaceValue::Bs(bs) => write!(f, "{variable}={bs}"),
            RaceValue::Bptt(bptt) => write!(f, "{variable}={bptt}"),
            RaceValue::Scheme(scheme) => write!(f, "{variable}={scheme}"),
            RaceValue::Carry(carry) => {
                write!(f, "{variable}={}", if carry { "carried" } else { "reset" })
            }
        }
    }
}

/// How the learning rate follows the batch size. A larger batch averages
/// more tokens, so its gradient is less noisy and can take a larger step;
/// the two common rules scale the base lr by √(bs/ref) or bs/ref, where ref
/// is the bs the base lr was chosen for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LrRule {
    /// Every run uses the base lr.
    Same,
    /// `lr · √(bs / ref)` (the rule usually recommended for Adam).
    SqrtBs,
    /// `lr · bs / ref` (Goyal et al.'s linear scaling rule for SGD).
    LinearBs,
}

impl LrRule {
    pub const ALL: [LrRule; 3] = [LrRule::Same, LrRule::SqrtBs, LrRule::LinearBs];

    /// The lr for `bs`, given the base lr chosen for `reference_bs`, kept in
    /// the page's lr range.
    pub fn lr_for(self, bs: usize, base_lr: f64, reference_bs: usize) -> f64 {
        (base_lr * self.scale(bs, reference_bs)).clamp(LR_RANGE.0, LR_RANGE.1)
    }

    /// What the rule multiplies an lr chosen for `reference_bs` by at `bs`.
    pub fn scale(self, bs: usize, reference_bs: usize) -> f64 {
        let ratio = bs as f64 / reference_bs.max(1) as f64;
        match self {
            LrRule::Same => 1.0,
            LrRule::SqrtBs => ratio.sqrt(),
            LrRule::LinearBs => ratio,
        }
    }
}

/// What one run of a race trains with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunConfig {
    /// The legend's label, e.g. `bs=4`.
    pub label: String,
    pub value: RaceValue,
    /// The base settings with this run's value (and lr) put in.
    pub settings: Settings,
    /// Carry (h, c) from batch to batch (`true`, what the trainer does) or
    /// start every batch from zeros.
    pub carry: bool,
}

/// The variable `values` vary, or why they do not make one race (no
/// values, or values of two different variables).
pub fn race_variable(values: &[RaceValue]) -> Result<RaceVariable, String> {
    let first = values
        .first()
        .ok_or("a race needs at least one run")?
        .variable();
    match values.iter().find(|v| v.variable() != first) {
        Some(other) => Err(format!(
            "a race varies one thing: {} and {} differ in {} and {}",
            values[0],
            other,
            first,
            other.variable()
        )),
        None => Ok(first),
    }
}

/// Each run's configuration: the base settings with one value changed.
/// When the variable is bs, the lr follows `lr_rule` with the base settings'
/// bs as the reference; the other variables keep the base lr (they do not
/// change how many tokens a step averages).
pub fn run_configs(
    base: &Settings,
    values: &[RaceValue],
    lr_rule: LrRule,
) -> Result<Vec<RunConfig>, String> {
    race_variable(values)?;
    Ok(values
        .iter()
        .map(|&value| run_config(base, value, lr_rule))
        .collect())
}

/// One run: `base` with `value` put in.
pub fn run_config(base: &Settings, value: RaceValue, lr_rule: LrRule) -> RunConfig {
    let mut settings = base.clone();
    let mut carry = true;
    match value {
        RaceValue::Bs(bs) => {
            settings.bs = bs;
            settings.lr = lr_rule.lr_for(bs, base.lr, base.bs);
        }
        RaceValue::Bptt(bptt) => settings.bptt = bptt,
        RaceValue::Scheme(scheme) => settings.scheme = scheme,
        RaceValue::Carry(c) => carry = c,
    }
    RunConfig {
        label: value.to_string(),
        value,
        settings,
        carry,
    }
}

#[cfg(test)]
mod tests;
