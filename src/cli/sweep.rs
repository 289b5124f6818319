//! `batchscope sweep`: steps to a target loss for each batch size at its
//! best learning rate, and the critical batch size fitted to them
//! (`crate::training::sweep`), as JSON lines once every run has finished, with a
//! progress bar on stderr meanwhile when stderr is a terminal.

use super::corpus_files::CorpusFlags;
use super::initial_model::{initial_model, ModelFlags};
use super::lr_rule_flag::Rule;
use super::stdout::print_all;
use super::training_flags::TrainingFlags;
use super::values::{at_least_one, positive};
use crate::page::settings::Settings;
use crate::training::race::split::{split_validation, VALIDATION_FRACTION};
use crate::training::sweep::fit::Fit;
use crate::training::sweep::run::RunResult;
use crate::training::sweep::{
    default_validate_every, lrs_by_rule, run_sweep, SweepConfig, SweepObserver, SweepResult,
};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use std::io::{self, IsTerminal};
use std::sync::atomic::{AtomicUsize, Ordering};

/// What `sweep --help` says after the options: the experiment, how a run
/// is measured, and the output.
pub(crate) const EXPLANATION: &str = "\
THE EXPERIMENT:
    For each bs, one run per lr trains from the same initial weights until
    its smoothed validation loss on the held-out last 10% of the text
    reaches the target, and the lr that needs the fewest steps is kept. The
    fit of S(b) = S_min·(1 + B_crit/b) to those steps (McCandlish et al.
    2018) says where doubling bs stops halving the steps: below B_crit it
    nearly does, above it more tokens buy few fewer steps.

HOW A RUN IS MEASURED:
    Every max-tokens / 400 training tokens, the validation loss of 4,096
    held-out tokens read in 8 streams (the same for every bs), smoothed
    (debiased moving average, weight 0.5). A run stops when that reaches the
    target, when its budget is spent, when it diverges (NaN, or worse than
    1.5 × the loss of guessing), or, after an eighth of its budget, when
    even at its pace over the last half of its tokens it would not reach the
    target within the budget (loss curves flatten, so that pace is
    optimistic). A reached run's steps and tokens are interpolated between
    the passes either side of the crossing; an unreached run's are where it
    stopped. When a bs's best lr is the smallest or the largest tried, its
    lr was not tuned: widen --lrs. With --lr-rule sqrt or linear, each bs
    tries --lrs carried from --lr-rule-bs by the rule (the page's sweep:
    --lrs = its lr × the grid's factors, --lr-rule-bs = its bs).

OUTPUT (JSON lines, after every run has finished; bs and lrs ascending):
    {\"target_loss\":x,\"pilot\":{\"bs\":B,\"lr\":x,\"tokens\":t}}   (pilot null if given)
    {\"bs\":B,\"lr\":x,\"reached\":true,\"steps\":s,\"tokens\":t,\"noise_scale\":x}
                                                            one per (bs, lr)
    {\"bs\":B,\"best_lr\":x,\"steps\":s,\"tokens\":t}             one per bs (null: none reached)
    {\"fit\":{\"s_min\":x,\"e_min\":x,\"b_crit\":x}}               null with < 2 bs reached
    e_min is in examples (bs × steps); × bptt for tokens. B_crit at 1/1000 of
    the smallest bs or 1000× the largest means the steps showed no bend.
    noise_scale is the run's running gradient noise scale B_simple where it
    stopped (every 4th update trains its batch as two halves, which measures
    it; null at bs 1 or before the 4th update); the theory puts B_crit near
    it where the runs reached the target.
";

/// The options of `sweep`.
#[derive(Args, Debug)]
pub(crate) struct SweepArgs {
    #[command(flatten)]
    text: CorpusFlags,
    /// batch sizes (streams per batch)
    #[arg(long, value_name = "N,N,…", value_delimiter = ',', required = true)]
    bs: Vec<usize>,
    /// learning rates tried at every bs (with --lr-rule: at --lr-rule-bs)
    #[arg(long, value_name = "X,X,…", value_delimiter = ',', required = true)]
    lrs: Vec<f64>,
    /// how each lr follows bs from --lr-rule-bs, as the page's sweep does:
    /// same (every bs tries --lrs), sqrt (lr × √(bs / B)), linear (lr × bs / B)
    #[arg(long, value_enum, value_name = "R", default_value_t = Rule::Same)]
    lr_rule: Rule,
    /// the bs B at which --lrs are as given when --lr-rule is sqrt or linear
    /// (the page's bs)
    #[arg(long, value_name = "B", default_value_t = Settings::default().bs, value_parser = at_least_one)]
    lr_rule_bs: usize,
    /// a run that has trained on N tokens without reaching the target is
    /// given up
    #[arg(long, value_name = "N")]
    max_tokens: usize,
    /// the target validation loss (nats per token) [default: a pilot run at
    /// the middle bs and middle lr trains on max-tokens / 8 tokens, and its
    /// smoothed validation loss then is the target (so every bs up to 8× the
    /// middle one can reach it within the budget)]
    #[arg(long, value_name = "X", value_parser = positive)]
    target_loss: Option<f64>,
    /// runs in parallel [default: every core]; the results do not depend on it
    #[arg(long, value_name = "T", value_parser = at_least_one)]
    threads: Option<usize>,
    #[command(flatten)]
    training: TrainingFlags,
    #[command(flatten)]
    sizes: ModelFlags,
    /// start every run from these weights (PyTorch state-dict JSON, as
    /// `train --save` writes) instead of seeded ones
    #[arg(long, value_name = "FILE")]
    init: Option<String>,
}

pub(crate) fn run(args: &SweepArgs) -> Result<(), String> {
    let mut bs = args.bs.clone();
    bs.sort_unstable();
    bs.dedup();
    let mut lrs = args.lrs.clone();
    lrs.sort_by(f64::total_cmp);
    lrs.dedup();
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |cores| cores.get()));
    let batching = &args.training.batching;
    let config = SweepConfig {
        lrs: lrs_by_rule(&bs, &lrs, args.lr_rule.into(), args.lr_rule_bs),
        bptt: batching.bptt,
        scheme: batching.scheme,
        seed: batching.seed,
        optimizer: args.training.optimizer,
        clip: args.training.clip(),
        max_tokens: args.max_tokens,
        validate_every_tokens: default_validate_every(args.max_tokens),
    };
    config.check()?;

    let documents = args.text.documents()?;
    let split = split_validation(&documents, args.text.level, VALIDATION_FRACTION)?;
    let model = initial_model(
        &args.sizes,
        args.init.as_deref(),
        &split.train,
        batching.seed,
    )?;
    let progress = Progress::new(&config, args.target_loss.is_none());
    let result = run_sweep(
        &split,
        &model,
        &config,
        args.target_loss,
        threads,
        &progress,
    );
    progress.bar.finish_and_clear();
    print_all(&json_lines(&result?))
}

/// The output lines (see EXPLANATION), fields in the documented order.
fn json_lines(result: &SweepResult) -> String {
    #[derive(Serialize)]
    struct Target {
        target_loss: f64,
        pilot: Option<PilotLine>,
    }
    #[derive(Serialize)]
    struct PilotLine {
        bs: usize,
        lr: f64,
        tokens: usize,
    }
    #[derive(Serialize)]
    struct Run {
        bs: usize,
        lr: f64,
        reached: bool,
        steps: usize,
        tokens: usize,
        noise_scale: Option<f64>,
    }
    #[derive(Serialize)]
    struct FitLine {
        fit: Option<Fit>,
    }
    fn line(value: &impl Serialize) -> String {
        serde_json::to_string(value).expect("finite numbers serialise") + "\n"
    }
    let mut text = line(&Target {
        target_loss: result.target_loss,
        pilot: result.pilot.map(|p| PilotLine {
            bs: p.bs,
            lr: p.lr,
            tokens: p.tokens,
        }),
    });
    for r in &result.runs {
        text += &line(&Run {
            bs: r.bs,
            lr: r.lr,
            reached: r.reached,
            steps: r.steps,
            tokens: r.tokens,
            noise_scale: r.noise_scale,
        });
    }
    for best in &result.best {
        text += &line(best);
    }
    text + &line(&FitLine { fit: result.fit })
}

/// The progress bar, in tokens: every run's whole budget (and the pilot's),
/// so a run that stops early moves the bar by what it did not need.
struct Progress {
    bar: ProgressBar,
    runs: usize,
    done: AtomicUsize,
    reached: AtomicUsize,
}

impl Progress {
    fn new(config: &SweepConfig, pilot: bool) -> Progress {
        let runs = config.jobs().len();
        let pilot_tokens = if pilot {
            config.max_tokens / crate::training::sweep::pilot::PILOT_SHARE
        } else {
            0
        };
        let total = (runs * config.max_tokens + pilot_tokens) as u64;
        let target = if io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(total), target);
        bar.set_style(
            ProgressStyle::with_template(
                "[{bar:30}] {percent:>3}% {msg} (at most {eta} left at this speed)",
            )
            .expect("a valid template")
            .progress_chars("#>-"),
        );
        if pilot {
            bar.set_message("pilot run (sets the target)");
        }
        Progress {
            bar,
            runs,
            done: AtomicUsize::new(0),
            reached: AtomicUsize::new(0),
        }
    }
}

impl SweepObserver for Progress {
    fn target(&self, target_loss: f64) {
        self.bar
            .set_message(format!("target {target_loss:.4}: 0/{} runs", self.runs));
    }

    fn trained(&self, tokens: usize) {
        self.bar.inc(tokens as u64);
    }

    fn finished(&self, run: &RunResult, budget_left: usize) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let reached = self
            .reached
            .fetch_add(run.reached as usize, Ordering::Relaxed)
            + run.reached as usize;
        self.bar.inc(budget_left as u64);
        self.bar.set_message(format!(
            "{done}/{} runs, {reached} reached the target",
            self.runs
        ));
    }
}
