//! The race's part of a link: what is raced and its values, the lr rule and
//! the chart's x axis (`race=bs:4,16,64,256&lrrule=sqrt&xaxis=tokens`), so a
//! shared URL sets up the same race. Pressing Race is left to the learner:
//! opening a link never starts workers.
//!
//! Parsing never fails, as for the settings: an unusable field keeps its
//! default and says so in a notice.

use crate::data::batcher::Scheme;
use crate::page::hash_fields::hash_fields;
use crate::page::settings::{shown, BPTT_RANGE, BS_RANGE};
use crate::training::race::chart_axes::XAxis;
use crate::training::race::{LrRule, RaceValue, RaceVariable};

/// The hash keys this module reads; the settings leave them alone.
pub const KEYS: [&str; 3] = ["race", "lrrule", "xaxis"];

/// The most values a link may race (more are dropped, with a notice).
pub const MAX_VALUES: usize = 16;

/// The race a link sets up.
#[derive(Clone, Debug, PartialEq)]
pub struct RaceLink {
    /// One per run, in chip order, all of one variable.
    pub values: Vec<RaceValue>,
    pub lr_rule: LrRule,
    pub x_axis: XAxis,
}

impl Default for RaceLink {
    fn default() -> Self {
        RaceLink {
            values: RaceVariable::BatchSize.default_values(),
            lr_rule: LrRule::Same,
            x_axis: XAxis::Updates,
        }
    }
}

fn variable_key(variable: RaceVariable) -> &'static str {
    match variable {
        RaceVariable::BatchSize => "bs",
        RaceVariable::Bptt => "bptt",
        RaceVariable::Scheme => "scheme",
        RaceVariable::Carry => "hidden",
    }
}

fn value_text(value: RaceValue) -> String {
    match value {
        RaceValue::Bs(n) | RaceValue::Bptt(n) => n.to_string(),
        RaceValue::Scheme(scheme) => scheme.to_string(),
        RaceValue::Carry(carry) => if carry { "carried" } else { "reset" }.to_string(),
    }
}

fn rule_text(rule: LrRule) -> &'static str {
    match rule {
        LrRule::Same => "same",
        LrRule::SqrtBs => "sqrt",
        LrRule::LinearBs => "linear",
    }
}

fn axis_text(axis: XAxis) -> &'static str {
    match axis {
        XAxis::Updates => "updates",
        XAxis::Tokens => "tokens",
        XAxis::Epochs => "epochs",
        XAxis::Seconds => "seconds",
    }
}

/// One value of `variable` as a link writes it.
fn parse_value(variable: RaceVariable, text: &str) -> Option<RaceValue> {
    let number =
        |(lo, hi): (usize, usize)| text.parse::<usize>().ok().filter(|n| (lo..=hi).contains(n));
    match variable {
        RaceVariable::BatchSize => number(BS_RANGE).map(RaceValue::Bs),
        RaceVariable::Bptt => number(BPTT_RANGE).map(RaceValue::Bptt),
        RaceVariable::Scheme => text.parse::<Scheme>().ok().map(RaceValue::Scheme),
        RaceVariable::Carry => match text {
            "carried" => Some(RaceValue::Carry(true)),
            "reset" => Some(RaceValue::Carry(false)),
            _ => None,
        },
    }
}

impl RaceLink {
    /// `race=bs:4,16&lrrule=same&xaxis=updates` (without `#` or a leading `&`).
    pub fn to_hash(&self) -> String {
        let variable = self
            .values
            .first()
            .map_or(RaceVariable::BatchSize, |v| v.variable());
        let values: Vec<String> = self.values.iter().map(|&v| value_text(v)).collect();
        format!(
            "race={}:{}&lrrule={}&xaxis={}",
            variable_key(variable),
            values.join(","),
            rule_text(self.lr_rule),
            axis_text(self.x_axis)
        )
    }

    /// Reads the race's fields of a hash (with or without `#`); the others
    /// are the settings'. Each unusable field keeps its default and is
    /// explained in a notice.
    pub fn from_hash(hash: &str) -> (RaceLink, Vec<String>) {
        let mut link = RaceLink::default();
        let mut notices = Vec::new();
        for (key, value) in hash_fields(hash) {
            let value = value.as_str();
            match key.as_str() {
                "race" => match parse_values(value) {
                    Ok((values, dropped)) => {
                        link.values = values;
                        notices.extend(dropped);
                    }
                    Err(why) => notices.push(why),
                },
                "lrrule" => match LrRule::ALL.into_iter().find(|&r| rule_text(r) == value) {
                    Some(rule) => link.lr_rule = rule,
                    None => notices.push(format!(
                        "lrrule={} is not one of same, sqrt, linear; using lrrule=same",
                        shown(value)
                    )),
                },
                "xaxis" => match XAxis::ALL.into_iter().find(|&a| axis_text(a) == value) {
                    Some(axis) => link.x_axis = axis,
                    None => notices.push(format!(
                        "xaxis={} is not one of updates, tokens, epochs, seconds; using xaxis=updates",
                        shown(value)
                    )),
                },
                _ => {}
            }
        }
        (link, notices)
    }
}

/// `bs:4,16,64` → the values, and a notice for any value dropped; an error
/// (the notice) when nothing raceable is left.
fn parse_values(text: &str) -> Result<(Vec<RaceValue>, Option<String>), String> {
    let default = RaceLink::default().to_hash();
    let fallback = default
        .split('&')
        .next()
        .unwrap_or_default()
        .trim_start_matches("race=");
    let bad = || {
        format!(
            "race={} is not what a race compares (e.g. bs:4,16,64 or scheme:pytorch,fastai-v0.7); using race={fallback}",
            shown(text)
        )
    };
    let (key, list) = text.split_once(':').ok_or_else(bad)?;
    let variable = RaceVariable::ALL
        .into_iter()
        .find(|&v| variable_key(v) == key)
        .ok_or_else(bad)?;
    let mut values = Vec::new();
    let mut dropped = Vec::new();
    for item in list.split(',').filter(|i| !i.is_empty()) {
        match parse_value(variable, item.trim()) {
            Some(value) if values.len() < MAX_VALUES && !values.contains(&value) => {
                values.push(value)
            }
            Some(value) if values.contains(&value) => {}
            _ => dropped.push(shown(item)),
        }
    }
    if values.is_empty() {
        return Err(bad());
    }
    let notice = (!dropped.is_empty()).then(|| {
        format!(
            "race: left out {} (a race takes at most {MAX_VALUES} values, each one the {key} control allows)",
            dropped.join(", ")
        )
    });
    Ok((values, notice))
}

#[cfg(test)]
mod tests;
