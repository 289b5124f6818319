//! Question 2, "how does bs affect convergence?": a small race, bs = 8
//! against bs = 64, narrated as its results arrive — per update, per token,
//! per second — then again with a fair lr, what the race says so far, and
//! the sweep that measures the whole curve ([`super::sweep_caption`]).

use super::sweep_caption::{self, SweepFacts};
use super::{format_lr, Caption, RaceSetup, Setup};
use crate::data::batcher::Scheme;
use crate::page::costs::group_digits;
use crate::page::words::join_and;
use crate::training::race::chart_axes::XAxis;
use crate::training::race::history::{LossHistory, DEFAULT_SMOOTHING};
use crate::training::race::LrRule;

/// The runs: a small and a large batch, 8× apart.
pub const RACE_BS: [usize; 2] = [8, 64];

/// The page's settings for the race: fixed windows of 35 rows, so that a
/// step's tokens are exactly bs × 35 and the runs report quickly.
const START: Setup = Setup {
    bs: Some(64),
    bptt: Some(35),
    scheme: Some(Scheme::Pytorch),
    race: Some(RaceSetup {
        bs: &RACE_BS,
        lr_rule: LrRule::Same,
    }),
    x_axis: Some(XAxis::Updates),
    ..Setup::NONE
};

pub const CAPTIONS: [Caption; 6] = [
    Caption {
        panel: "race-results",
        spots: &["[data-testid=loss-chart]", "[data-testid=run-stats]"],
        setup: START,
    },
    Caption {
        panel: "race-results",
        spots: &["[data-testid=loss-chart]", "[data-testid=x-axis-select]"],
        setup: Setup {
            x_axis: Some(XAxis::Tokens),
            ..Setup::NONE
        },
    },
    Caption {
        panel: "race-results",
        spots: &["[data-testid=run-stats]", "[data-testid=x-axis-select]"],
        setup: Setup {
            x_axis: Some(XAxis::Seconds),
            ..Setup::NONE
        },
    },
    Caption {
        panel: "race-results",
        spots: &["[data-testid=lr-rule-select]", "[data-testid=loss-chart]"],
        setup: Setup {
            race: Some(RaceSetup {
                bs: &RACE_BS,
                lr_rule: LrRule::SqrtBs,
            }),
            x_axis: Some(XAxis::Tokens),
            ..Setup::NONE
        },
    },
    Caption {
        panel: "race-results",
        spots: &["[data-testid=loss-chart]", "[data-testid=race-verdict]"],
        setup: Setup::NONE,
    },
    Caption {
        panel: "sweep-panel",
        spots: &["[data-testid=sweep-button]", "[data-testid=sweep-chart]"],
        setup: Setup::NONE,
    },
];

/// The index of the sweep's caption.
pub const SWEEP: usize = 5;
/// The sweep's caption asks the learner to set up and press Sweep.
pub const SWEEP_INVITES: [&str; 1] = ["[data-testid=sweep-panel]"];

/// What a run card and the chart show for one run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunFacts {
    pub bs: usize,
    pub lr: f64,
    /// Updates so far (the card's count).
    pub updates: usize,
    pub tokens_per_second: f64,
    pub ms_per_step: f64,
    /// Its loss curve (the chart's).
    pub history: LossHistory,
    /// Why it is not training, when it is not ("diverged at step 12 …").
    pub trouble: Option<String>,
}

impl RunFacts {
    /// Tokens trained on so far.
    pub fn tokens(&self) -> usize {
        self.history.points.last().map_or(0, |p| p.tokens_seen)
    }
}

/// What the race panel shows.
#[derive(Clone, Debug, PartialEq)]
pub struct RaceFacts {
    /// The runs in chip order.
    pub runs: Vec<RunFacts>,
    /// The bs and lr the lr rule starts from, and the window length.
    pub page_bs: usize,
    pub page_lr: f64,
    pub bptt: usize,
    pub lr_rule: LrRule,
    /// The race panel's verdict in words, once the race has a plan.
    pub verdict: Option<String>,
    /// The race panel's sweep.
    pub sweep: SweepFacts,
}

/// Caption `index` with the race panel showing `race`.
pub fn caption(index: usize, race: &RaceFacts) -> String {
    if index == SWEEP {
        return sweep_caption::caption(&race.sweep);
    }
    let runs = &race.runs;
    let trouble = runs
        .iter()
        .filter_map(|r| r.trouble.as_ref().map(|t| format!(" bs = {}: {t}.", r.bs)))
        .collect::<String>();
    if runs.is_empty() || runs.iter().all(|r| r.updates == 0) {
        let names = runs
            .iter()
            .map(|r| format!("bs = {} (lr {})", r.bs, format_lr(r.lr)));
        return format!(
            "A race is starting: the page's settings (this question set bptt = 35 and PyTorch's fixed windows) with only bs changed — {}. Each run trains in its own \
             worker on 90% of the text; the numbers appear here as the first updates arrive…{trouble}",
            join_and(names)
        );
    }
    let (Some(small), Some(large)) = (
        runs.iter().min_by_key(|r| r.bs),
        runs.iter().max_by_key(|r| r.bs),
    ) else {
        return trouble;
    };
    let ratio = large.bs / small.bs.max(1);
    let per_update = |r: &RunFacts| {
        format!(
            "{} × {} = {}",
            r.bs,
            race.bptt,
            group_digits(r.bs * race.bptt)
        )
    };
    let updates = || {
        join_and(
            runs.iter()
                .map(|r| format!("bs = {} has made {} updates", r.bs, group_digits(r.updates))),
        )
    };
    let text = match index {
        0 => format!(
            "Two real runs train side by side, the page's settings (bptt = 35, PyTorch's fixed windows) with only bs changed: {} ({}). \
             The x axis counts updates. Each bs = {} update averages {} tokens, each bs = {} update {}. {}",
            updates(),
            lrs_words(runs),
            large.bs,
            per_update(large),
            small.bs,
            per_update(small),
            long_words(standing(runs, XAxis::Updates)),
        ),
        1 => format!(
            "Per token — the x axis now counts the tokens trained on: {}. {} From the same tokens, bs = {} \
             makes {ratio}× as many updates as bs = {}.",
            join_and(runs.iter().map(|r| format!(
                "bs = {} has read {} tokens in {} updates",
                r.bs,
                group_digits(r.tokens()),
                group_digits(r.updates)
            ))),
            long_words(standing(runs, XAxis::Tokens)),
            small.bs,
            large.bs,
        ),
        2 => {
            let faster = runs.iter().max_by(|a, b| a.tokens_per_second.total_cmp(&b.tokens_per_second)).unwrap_or(large);
            format!(
                "Per second — what you wait for: {}. bs = {} reads more text per second{}. {}",
                join_and(runs.iter().map(|r| format!(
                    "bs = {} trains {} tokens/s ({:.1} ms per update)",
                    r.bs,
                    group_digits(r.tokens_per_second.round() as usize),
                    r.ms_per_step
                ))),
                faster.bs,
                if faster.bs == large.bs { ": one matrix product over many sequences keeps the processor busier than many small ones" } else { "" },
                long_words(standing(runs, XAxis::Seconds)),
            )
        }
        3 => format!(
            "What a fair lr does: a bigger batch averages more tokens, so its gradient is less noisy and can \
             take a bigger step; one lr for every bs is too small for the big batch or too big for the small \
             one. {} So far {}. {}",
            rule_words(race.lr_rule, race.page_bs, runs),
            updates(),
            long_words(standing(runs, XAxis::Tokens)),
        ),
        _ => {
            let shape = "Studies of batch size (McCandlish et al. 2018) find this shape over many sizes: up to a \
                         critical batch size, doubling bs halves the updates needed for the same tokens; beyond it, \
                         each doubling saves fewer updates and costs more tokens.";
            match &race.verdict {
                Some(verdict) => format!("What this race says so far, in the race panel's verdict: “{verdict}” {shape}"),
                None => format!(
                    "What this race says so far: per update, {}; per token, {}. {shape}",
                    short_words(standing(runs, XAxis::Updates)),
                    short_words(standing(runs, XAxis::Tokens)),
                ),
            }
        }
    };
    format!("{text}{trouble}")
}

/// "both at lr 0.003", or "lr 0.00106 and 0.003".
fn lrs_words(runs: &[RunFacts]) -> String {
    match runs.first() {
        Some(first) if runs.iter().all(|r| r.lr == first.lr) => {
            format!("all at lr {}", format_lr(first.lr))
        }
        _ => format!("lr {}", join_and(runs.iter().map(|r| format_lr(r.lr)))),
    }
}

/// How the lr follows bs, and each run's lr.
fn rule_words(rule: LrRule, page_bs: usize, runs: &[RunFacts]) -> String {
    let each = join_and(
        runs.iter()
            .map(|r| format!("bs = {} trains at lr {}", r.bs, format_lr(r.lr))),
    );
    match rule {
        LrRule::Same => format!("Here every run has the page's lr: {each}."),
        LrRule::SqrtBs => format!("The race restarted with each run's lr = the page's lr × √(bs / {page_bs}), the usual rule for Adam: {each}."),
        LrRule::LinearBs => format!("The race restarted with each run's lr = the page's lr × bs / {page_bs}, the linear rule for SGD: {each}."),
    }
}

/// Where the smoothed curves (the chart's solid lines) stand at the furthest
/// point every run has reached on an axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Standing {
    pub axis: XAxis,
    pub x: f64,
    /// (bs, smoothed loss) per run.
    pub losses: Vec<(usize, f64)>,
}

/// Losses closer than this (relative) are called level: the smoothed
/// curves still wobble by about that much.
const LEVEL: f64 = 0.01;

impl Standing {
    /// The bs of the run ahead (lowest loss), unless the runs are level.
    pub fn leader(&self) -> Option<usize> {
        let best = self.losses.iter().min_by(|a, b| a.1.total_cmp(&b.1))?;
        let clear = self
            .losses
            .iter()
            .filter(|(bs, _)| *bs != best.0)
            .all(|(_, loss)| loss - best.1 > LEVEL * best.1);
        clear.then_some(best.0)
    }
}

/// The standing on `axis`, once every run has a point at or before the
/// furthest x all have reached.
pub fn standing(runs: &[RunFacts], axis: XAxis) -> Option<Standing> {
    if runs.len() < 2 || runs.iter().any(|r| r.history.points.is_empty()) {
        return None;
    }
    let x = runs
        .iter()
        .filter_map(|r| r.history.points.last().map(|p| axis.value(p)))
        .fold(f64::INFINITY, f64::min);
    let losses = runs
        .iter()
        .map(|r| {
            let smoothed = r.history.smoothed(DEFAULT_SMOOTHING);
            let at = r.history.points.iter().rposition(|p| axis.value(p) <= x)?;
            Some((r.bs, smoothed[at])).filter(|(_, l)| l.is_finite())
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Standing { axis, x, losses })
}

/// "At 6 updates the smoothed curves read 4.032 (bs = 8) and 3.912 (bs = 64): bs = 64 is ahead."
pub fn long_words(standing: Option<Standing>) -> String {
    let Some(s) = standing else {
        return "The curves have not met yet.".to_string();
    };
    let read = join_and(
        s.losses
            .iter()
            .map(|(bs, loss)| format!("{loss:.3} (bs = {bs})")),
    );
    let verdict = match s.leader() {
        Some(bs) => format!("bs = {bs} is ahead"),
        None => "level so far".to_string(),
    };
    format!(
        "At {} the smoothed curves read {read}: {verdict}.",
        x_words(s.axis, s.x)
    )
}

/// "bs = 64 is ahead (3.620 against 3.985 at 22 updates)".
pub fn short_words(standing: Option<Standing>) -> String {
    let Some(s) = standing else {
        return "the curves have not met yet".to_string();
    };
    let at = x_words(s.axis, s.x);
    match s.leader() {
        Some(bs) => {
            let theirs = s.losses.iter().find(|(b, _)| *b == bs).map_or(0.0, |l| l.1);
            let others = join_and(
                s.losses
                    .iter()
                    .filter(|(b, _)| *b != bs)
                    .map(|(_, l)| format!("{l:.3}")),
            );
            format!("bs = {bs} is ahead ({theirs:.3} against {others} at {at})")
        }
        None => format!(
            "they are level ({} at {at})",
            join_and(s.losses.iter().map(|(_, l)| format!("{l:.3}")))
        ),
    }
}

/// A position on an axis in words: "17 updates", "38,080 tokens", "12.5 s".
fn x_words(axis: XAxis, x: f64) -> String {
    match axis {
        XAxis::Updates => format!("{} updates", group_digits(x as usize)),
        XAxis::Tokens => format!("{} tokens", group_digits(x as usize)),
        XAxis::Epochs => format!("{x:.2} epochs"),
        XAxis::Seconds => format!("{x:.1} s"),
    }
}
