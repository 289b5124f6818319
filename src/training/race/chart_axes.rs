//! What a chart's axes show: the x axis's count (updates, tokens, epochs,
//! seconds), the y axis's quantity (the loss or the gradient noise scale)
//! and its scale.

use serde::{Deserialize, Serialize};

use super::history::LossPoint;

/// What the x axis counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum XAxis {
    /// Weight updates (steps): where a large bs looks fast.
    Updates,
    /// Tokens trained on: where a large bs looks slow.
    Tokens,
    Epochs,
    /// Wall-clock training time: what the learner actually waits.
    Seconds,
}

impl XAxis {
    pub const ALL: [XAxis; 4] = [XAxis::Updates, XAxis::Tokens, XAxis::Epochs, XAxis::Seconds];

    /// The point's position on this axis.
    pub fn value(self, point: &LossPoint) -> f64 {
        match self {
            XAxis::Updates => point.step as f64,
            XAxis::Tokens => point.tokens_seen as f64,
            XAxis::Epochs => point.epoch,
            XAxis::Seconds => point.seconds,
        }
    }

    /// The axis caption.
    pub fn caption(self) -> &'static str {
        match self {
            XAxis::Updates => "updates (steps)",
            XAxis::Tokens => "tokens trained on",
            XAxis::Epochs => "epochs",
            XAxis::Seconds => "seconds",
        }
    }
}

/// What the y axis shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChartY {
    Loss,
    /// Each run's gradient noise scale as it trains, with its bs as a
    /// dashed line: a bs below the curve still averages away much noise.
    NoiseScale,
}

impl ChartY {
    pub const ALL: [ChartY; 2] = [ChartY::Loss, ChartY::NoiseScale];

    /// The choice's words.
    pub fn choice(self) -> &'static str {
        match self {
            ChartY::Loss => "loss",
            ChartY::NoiseScale => "gradient noise scale",
        }
    }

    /// The axis caption.
    pub fn caption(self) -> &'static str {
        match self {
            ChartY::Loss => "loss (nats per token)",
            ChartY::NoiseScale => "noise scale B_simple (streams)",
        }
    }
}

/// The choice's value in the page: `loss` or `noise`.
impl std::fmt::Display for ChartY {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ChartY::Loss => "loss",
            ChartY::NoiseScale => "noise",
        })
    }
}

impl std::str::FromStr for ChartY {
    type Err = ();

    fn from_str(s: &str) -> Result<ChartY, ()> {
        ChartY::ALL
            .into_iter()
            .find(|y| y.to_string() == s)
            .ok_or(())
    }
}

/// How the loss axis is scaled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum YScale {
    Linear,
    /// Logarithmic: late, small improvements stay visible.
    Log,
}
