//! `--lr-rule`: how an lr follows bs, as `code` (race and sweep programs)
//! and `sweep` read it.

use crate::training::race::LrRule;
use clap::ValueEnum;

/// How a race's or a sweep's lr follows bs.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum Rule {
    /// the same lr for every bs
    Same,
    /// lr × √(bs / B), B the reference bs (code: the settings' bs; sweep:
    /// --lr-rule-bs)
    Sqrt,
    /// lr × bs / B
    Linear,
}

impl From<Rule> for LrRule {
    fn from(rule: Rule) -> LrRule {
        match rule {
            Rule::Same => LrRule::Same,
            Rule::Sqrt => LrRule::SqrtBs,
            Rule::Linear => LrRule::LinearBs,
        }
    }
}
