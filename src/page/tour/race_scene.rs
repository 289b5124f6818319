//! Question 2, "how does bs affect convergence?": a small race, bs = 8
//! against bs = 64, narrated as its results arrive — per update, per token,
//! per second — then again with a fair lr, and what the race says so far.

use super::{format_lr, Caption, RaceSetup, Setup};
use crate::data::batcher::Scheme;
use crate::page::costs::group_digits;
use crate::training::race::chart_data::XAxis;
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

pub const CAPTIONS: [Caption; 5] = [
    Caption {
        panel: "race-panel",
        spots: &["[data-testid=loss-chart]", "[data-testid=run-stats]"],
        setup: START,
    },
    Caption {
        panel: "race-panel",
        spots: &["[data-testid=loss-chart]", "[data-testid=x-axis-select]"],
        setup: Setup {
            x_axis: Some(XAxis::Tokens),
            ..Setup::NONE
        },
    },
    Caption {
        panel: "race-panel",
        spots: &["[data-testid=run-stats]", "[data-testid=x-axis-select]"],
        setup: Setup {
            x_axis: Some(XAxis::Seconds),
            ..Setup::NONE
        },
    },
    Caption {
        panel: "race-panel",
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
        panel: "race-panel",
        spots: &["[data-testid=loss-chart]", "[data-testid=race-verdict]"],
        setup: Setup::NONE,
    },
];

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
    /// The page's own verdict, where the page gives one.
    pub verdict: Option<String>,
}

/// Caption `index` with the race panel showing `race`.
pub fn caption(index: usize, race: &RaceFacts) -> String {
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
            "A race is starting: the page's settings with only bs changed — {}. Each run trains in its own \
             worker on 90% of the text; the numbers appear here as the first updates arrive…{trouble}",
            join_and(names)
        );
    }
    let (small, large) = (smallest(runs), largest(runs));
    let ratio = large.bs / small.bs.max(1);
    let per_update = |r: &RunFacts| {
        format!(
            "{} × {} = {}",
            r.bs,
            race.bptt,
            group_digits(r.bs * race.bptt)
        )
    };
    let text = match index {
        0 => format!(
            "Two real runs train side by side, the page's settings with only bs changed: {} (lr {}). \
             The x axis counts updates. Each bs = {} update averages {} tokens, each bs = {} update {}; {}.",
            join_and(runs.iter().map(|r| format!("bs = {} has made {} updates", r.bs, group_digits(r.updates)))),
            join_and(runs.iter().map(|r| format_lr(r.lr))),
            large.bs,
            per_update(large),
            small.bs,
            per_update(small),
            compare(runs, XAxis::Updates),
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
            capitalised(&compare(runs, XAxis::Tokens)),
            small.bs,
            large.bs,
        ),
        2 => {
            let faster = runs.iter().max_by(|a, b| a.tokens_per_second.total_cmp(&b.tokens_per_second)).unwrap_or(large);
            format!(
                "Per second — what you wait for: {}. bs = {} reads the most text per second{}. {}",
                join_and(runs.iter().map(|r| format!(
                    "bs = {} trains {} tokens/s ({:.1} ms per update)",
                    r.bs,
                    group_digits(r.tokens_per_second.round() as usize),
                    r.ms_per_step
                ))),
                faster.bs,
                if faster.bs == large.bs { ": one matrix product over many sequences keeps the processor busier than many small ones" } else { "" },
                capitalised(&compare(runs, XAxis::Seconds)),
            )
        }
        3 => format!(
            "What a fair lr does: a bigger batch averages more tokens, so its gradient is less noisy and can \
             take a bigger step, and one lr for every bs favours one of them. Here the lr {}: {}. So far {}. {}",
            rule_words(race.lr_rule, race.page_bs),
            join_and(runs.iter().map(|r| format!("bs = {} trains at lr {}", r.bs, format_lr(r.lr)))),
            join_and(runs.iter().map(|r| format!("bs = {} has made {} updates", r.bs, group_digits(r.updates)))),
            capitalised(&compare(runs, XAxis::Tokens)),
        ),
        _ => {
            let verdict = race
                .verdict
                .as_ref()
                .map(|v| format!(" The page's verdict: “{v}”"))
                .unwrap_or_default();
            format!(
                "What this race says so far: per update, {}; per token, {}. Studies of batch size (McCandlish et al. 2018) \
                 find this shape: up to a critical batch size, doubling bs halves the updates needed for the same \
                 tokens; beyond it, each doubling saves fewer updates and costs more tokens.{verdict}",
                compare(runs, XAxis::Updates),
                compare(runs, XAxis::Tokens),
            )
        }
    };
    format!("{text}{trouble}")
}

/// How the lr follows bs, in words.
fn rule_words(rule: LrRule, page_bs: usize) -> String {
    match rule {
        LrRule::Same => "is the same for every bs".to_string(),
        LrRule::SqrtBs => format!("follows lr × √(bs / {page_bs}), the usual rule for Adam"),
        LrRule::LinearBs => format!("follows lr × bs / {page_bs}, the linear rule for SGD"),
    }
}

/// Where the smoothed curves (the chart's solid lines) stand at the furthest
/// point every run has reached on `axis`, and which run is lower there.
pub fn compare(runs: &[RunFacts], axis: XAxis) -> String {
    let ends: Vec<f64> = runs
        .iter()
        .filter_map(|r| r.history.points.last().map(|p| axis.value(p)))
        .collect();
    if ends.len() < runs.len() || runs.len() < 2 {
        return "the curves have not met yet".to_string();
    }
    let x = ends.iter().copied().fold(f64::INFINITY, f64::min);
    let mut read = Vec::new();
    for r in runs {
        let smoothed = r.history.smoothed(DEFAULT_SMOOTHING);
        let at = r.history.points.iter().rposition(|p| axis.value(p) <= x);
        match at.map(|i| smoothed[i]).filter(|l| l.is_finite()) {
            Some(loss) => read.push((r.bs, loss)),
            None => return format!("the curves have not met yet at {}", x_words(axis, x)),
        }
    }
    let best = read
        .iter()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(0, |b| b.0);
    format!(
        "at {} the smoothed curves read {}: bs = {best} is ahead",
        x_words(axis, x),
        join_and(
            read.iter()
                .map(|(bs, loss)| format!("{loss:.3} (bs = {bs})"))
        )
    )
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

fn smallest(runs: &[RunFacts]) -> &RunFacts {
    runs.iter().min_by_key(|r| r.bs).expect("a run")
}

fn largest(runs: &[RunFacts]) -> &RunFacts {
    runs.iter().max_by_key(|r| r.bs).expect("a run")
}

/// "a", "a and b", "a, b and c".
fn join_and(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect::<String>() + ".",
        None => String::new(),
    }
}
