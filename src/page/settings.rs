//! Every control of the page as one value, round-tripped through the URL hash
//! (`#bs=64&bptt=70&scheme=fastai-v0.7&seed=1&…`), so copying the URL
//! reproduces the exact batches and runs.
//!
//! Parsing never fails: a garbage or outdated field falls back to its default
//! and says so in a notice the page shows.

use std::fmt::Display;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::data::batcher::{BatchConfig, Scheme};
use crate::data::corpus::TokenLevel;
use crate::nn::optimizer::OptimizerKind;
use crate::page::hash_fields::hash_fields;

/// The learner's settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Which embedded corpus (`crate::data::corpora::EMBEDDED` ids).
    pub corpus: String,
    pub tokens: TokenLevel,
    pub bs: usize,
    pub bptt: usize,
    pub scheme: Scheme,
    pub seed: u64,
    /// Hidden size of the stepping model.
    pub hidden: usize,
    pub layers: usize,
    pub optimizer: OptimizerKind,
    pub lr: f64,
}

/// `corpus` of the learner's own text. The text itself stays in the tab: it
/// is never put in the URL (nor sent anywhere).
pub const OWN_TEXT: &str = "own";

/// The allowed range of each numeric setting (the sliders' ends).
pub const BS_RANGE: (usize, usize) = (1, 256);
pub const BPTT_RANGE: (usize, usize) = (2, 200);
pub const HIDDEN_RANGE: (usize, usize) = (4, 512);
/// The hidden sizes the page offers (and its URL accepts): the CLI takes any
/// size in [`HIDDEN_RANGE`], but in the tab 512 × 3 layers would make one step
/// take a minute and gigabytes.
pub const HIDDEN_CHOICES: [usize; 5] = [16, 32, 64, 128, 256];
pub const LAYERS_RANGE: (usize, usize) = (1, 3);
/// Up to absurd values on purpose: a learner may try a learning rate that
/// blows the loss up to NaN, and the page must say so and keep working.
pub const LR_RANGE: (f64, f64) = (1e-6, 1e38);

impl Default for Settings {
    fn default() -> Self {
        Settings {
            corpus: crate::data::corpora::DEFAULT_ID.to_string(),
            tokens: TokenLevel::Char,
            bs: 64,
            bptt: 70,
            // fastai's variable length is what the learner is asking about.
            scheme: Scheme::FastaiV07,
            seed: 1,
            hidden: 64,
            layers: 1,
            optimizer: OptimizerKind::Adam,
            lr: 0.003,
        }
    }
}

impl Settings {
    /// The batcher's part of the settings.
    pub fn batch_config(&self) -> BatchConfig {
        BatchConfig {
            bs: self.bs,
            bptt: self.bptt,
            scheme: self.scheme,
            seed: self.seed,
        }
    }

    /// `bs=64&bptt=70&…` (without the leading `#`), every field, fixed order.
    pub fn to_hash(&self) -> String {
        format!(
            "corpus={}&tokens={}&bs={}&bptt={}&scheme={}&seed={}&hidden={}&layers={}&opt={}&lr={}",
            self.corpus,
            self.tokens,
            self.bs,
            self.bptt,
            self.scheme,
            self.seed,
            self.hidden,
            self.layers,
            self.optimizer,
            self.lr
        )
    }

    /// Reads a hash (with or without `#`). Missing fields keep their default;
    /// each unusable field is replaced by its default and explained in a notice.
    pub fn from_hash(hash: &str) -> (Settings, Vec<String>) {
        let mut settings = Settings::default();
        let mut notices = Vec::new();
        for (key, value) in hash_fields(hash) {
            let (key, value) = (key.as_str(), value.as_str());
            let mut note = |n: Option<String>| notices.extend(n);
            match key {
                "corpus" => {
                    if crate::data::corpora::EMBEDDED.iter().any(|c| c.id == value) {
                        settings.corpus = value.to_string();
                    } else if value == OWN_TEXT {
                        note(Some(format!(
                            "this link was made with the sender's own text, which never leaves their browser; using {} instead (load a text to use your own)",
                            settings.corpus
                        )));
                    } else {
                        note(Some(format!(
                            "corpus={value} is not one of the embedded corpora; using {}",
                            settings.corpus
                        )));
                    }
                }
                "tokens" => note(parse_choice(key, value, &mut settings.tokens)),
                "scheme" => note(parse_choice(key, value, &mut settings.scheme)),
                "opt" => note(parse_choice(key, value, &mut settings.optimizer)),
                "bs" => note(parse_in_range(key, value, BS_RANGE, &mut settings.bs)),
                "bptt" => note(parse_in_range(key, value, BPTT_RANGE, &mut settings.bptt)),
                "hidden" => note(match value.parse::<usize>() {
                    Ok(h) if HIDDEN_CHOICES.contains(&h) => {
                        settings.hidden = h;
                        None
                    }
                    _ => Some(format!(
                        "hidden={} is not one of the page's sizes (16, 32, 64, 128, 256); using hidden={}",
                        shown(value),
                        settings.hidden
                    )),
                }),
                "layers" => note(parse_in_range(
                    key,
                    value,
                    LAYERS_RANGE,
                    &mut settings.layers,
                )),
                "lr" => note(parse_in_range(key, value, LR_RANGE, &mut settings.lr)),
                "seed" => note(parse_in_range(
                    key,
                    value,
                    (0, u64::MAX),
                    &mut settings.seed,
                )),
                // The scene the link opens (`#tour=q3`), read by the tour itself.
                "tour" => {}
                // The race's fields, read by `race_link`.
                _ if crate::page::race_link::KEYS.contains(&key) => {}
                "" => note(Some(format!(
                    "ignored `={}`, which names no setting",
                    shown(value)
                ))),
                _ => note(Some(format!("ignored unknown setting `{}`", shown(key)))),
            }
        }
        (settings, notices)
    }
}

/// A value from the URL as a notice echoes it: at most 40 characters, so a
/// 100 kB field cannot overflow the notice.
pub(crate) fn shown(value: &str) -> String {
    const MOST: usize = 40;
    match value.char_indices().nth(MOST) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_string(),
    }
}

/// Parses a named choice; on failure keeps `slot` and explains.
fn parse_choice<T: FromStr + Display>(key: &str, value: &str, slot: &mut T) -> Option<String> {
    match value.parse() {
        Ok(v) => {
            *slot = v;
            None
        }
        Err(_) => Some(format!(
            "{key}={} is not a known choice; using {key}={slot}",
            shown(value)
        )),
    }
}

/// Parses a number within `range` (inclusive); on failure keeps `slot` and explains.
fn parse_in_range<T: FromStr + Display + PartialOrd + Copy>(
    key: &str,
    value: &str,
    (lo, hi): (T, T),
    slot: &mut T,
) -> Option<String> {
    let why = match value.parse::<T>() {
        Ok(v) if v >= lo && v <= hi => {
            *slot = v;
            return None;
        }
        Ok(_) => "is outside",
        // A number of the wrong kind: -5 for a count, 2.5 for a length.
        Err(_) => match value.parse::<f64>() {
            Ok(x) if x.fract() == 0.0 => "is outside",
            Ok(x) if x.is_finite() => "is not a whole number in",
            _ => "is not a number in",
        },
    };
    Some(format!(
        "{key}={} {why} {} to {}; using {key}={slot}",
        shown(value),
        compact(lo),
        compact(hi)
    ))
}

/// A bound as a notice writes it: `1e38`, not its 39 digits.
fn compact<T: Display>(bound: T) -> String {
    let text = bound.to_string();
    match text.parse::<f64>() {
        Ok(x) if text.len() > 10 => format!("{x:e}"),
        _ => text,
    }
}

#[cfg(test)]
mod tests;
