//! `batchscope sweep`: steps to a target loss for each batch size at its
//! best learning rate, and the critical batch size fitted to them
//! (`crate::training::sweep`), as JSON lines once every run has finished, with a
//! progress bar on stderr meanwhile when stderr is a terminal.
//!
//! Native only (see Cargo.toml): its progress bar is indicatif's.

use super::corpus_files::read_documents;
use super::initial_model::initial_model;
use super::stdout::print_all;
use super::training_flags::{TrainingFlags, TRAINING_FLAGS};
use super::Args;
use crate::training::race::split::{split_validation, VALIDATION_FRACTION};
use crate::training::sweep::fit::Fit;
use crate::training::sweep::run::RunResult;
use crate::training::sweep::{
    default_validate_every, run_sweep, SweepConfig, SweepObserver, SweepResult,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use std::io::{self, IsTerminal};
use std::sync::atomic::{AtomicUsize, Ordering};

const HELP: &str = "\
batchscope sweep — steps to a target loss per batch size, and the critical batch size

For each bs, one run per lr trains from the same initial weights until its
smoothed validation loss on the held-out last 10% of the text reaches the
target, and the lr that needs the fewest steps is kept. The fit of
S(b) = S_min·(1 + B_crit/b) to those steps (McCandlish et al. 2018) says where
doubling bs stops halving the steps: below B_crit it nearly does, above it
more tokens buy few fewer steps.

USAGE:
    batchscope sweep --corpus FILE [FILE…] --bs N,N,… --lrs X,X,… --bptt N
                     --max-tokens N [OPTIONS]

OPTIONS:
    --corpus FILE…    UTF-8 text files (several are joined by a separator token)
    --bs N,N,…        batch sizes (streams per batch)
    --lrs X,X,…       learning rates tried at every bs
    --max-tokens N    a run that has trained on N tokens without reaching the
                      target is given up
    --target-loss X   the target validation loss (nats per token); default:
                      a pilot run at the middle bs and middle lr trains on
                      max-tokens / 8 tokens, and its smoothed validation loss
                      then is the target (so every bs up to 8× the middle one
                      can reach it within the budget)
    --threads T       runs in parallel (default: every core); the results
                      do not depend on it
    --bptt N          unrolled cells per batch (truncated-BPTT length)
    --scheme S        pytorch (default) | fastai-v0.7 | fastai-v1 | fastai-v2 | hf-blocks
    --tokens T        char (default) | word
    --seed S          seeds the initial weights and the batches (default 0)
    --embed E         embedding size (default 32)
    --hidden H        LSTM hidden size (default 128)
    --layers L        LSTM layers, 1 to 3 (default 1)
    --init FILE       start every run from these weights (PyTorch state-dict
                      JSON) instead of seeded ones
    --optimizer O     adam (default) | sgd
    --clip X          clip the gradient's total norm to X (default 0.25; 0 = off)

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
    stopped. When a bs's best lr is the smallest
    or the largest tried, its lr was not tuned: widen --lrs.

OUTPUT (JSON lines, after every run has finished; bs and lrs ascending):
    {\"target_loss\":x,\"pilot\":{\"bs\":B,\"lr\":x,\"tokens\":t}}   (pilot null if given)
    {\"bs\":B,\"lr\":x,\"reached\":true,\"steps\":s,\"tokens\":t}     one per (bs, lr)
    {\"bs\":B,\"best_lr\":x,\"steps\":s,\"tokens\":t}             one per bs (null: none reached)
    {\"fit\":{\"s_min\":x,\"e_min\":x,\"b_crit\":x}}               null with < 2 bs reached
    e_min is in examples (bs × steps); × bptt for tokens. B_crit at 1/1000 of
    the smallest bs or 1000× the largest means the steps showed no bend.
";

/// Besides [`TRAINING_FLAGS`].
const OPTIONS: &[&str] = &[
    "corpus",
    "bs",
    "lrs",
    "max-tokens",
    "target-loss",
    "threads",
    "embed",
    "hidden",
    "layers",
    "init",
];

pub(crate) fn run(args: &Args) -> Result<(), String> {
    if args.flag("help") {
        print!("{HELP}");
        return Ok(());
    }
    args.only(&[TRAINING_FLAGS, OPTIONS].concat())?;
    if !args.flag("corpus") {
        return Err("sweep needs --corpus FILE (try --help)".into());
    }
    let mut bs: Vec<usize> = args.get_list("bs", vec![])?;
    bs.sort_unstable();
    bs.dedup();
    let mut lrs: Vec<f64> = args.get_list("lrs", vec![])?;
    lrs.sort_by(f64::total_cmp);
    lrs.dedup();
    if bs.is_empty() || lrs.is_empty() {
        return Err("sweep needs --bs N,N,… and --lrs X,X,… (try --help)".into());
    }
    let flags = TrainingFlags::read(args, "sweep")?;
    let max_tokens = args.whole_number("sweep", "max-tokens")?;
    let target_loss: Option<f64> = args.parsed("target-loss")?;
    if target_loss.is_some_and(|t| !(t > 0.0 && t.is_finite())) {
        return Err("--target-loss must be a positive number of nats".into());
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads: usize = args.get("threads", cores)?;
    if threads == 0 {
        return Err("--threads must be at least 1".into());
    }
    let config = SweepConfig {
        bs,
        lrs,
        bptt: flags.bptt,
        scheme: flags.scheme,
        seed: flags.seed,
        optimizer: flags.optimizer,
        clip: flags.clip,
        max_tokens,
        validate_every_tokens: default_validate_every(max_tokens),
    };
    config.check()?;

    let documents = read_documents(args.values("corpus"))?;
    let split = split_validation(&documents, flags.level, VALIDATION_FRACTION)?;
    let model = initial_model(args, &split.train, flags.seed)?;
    let progress = Progress::new(&config, target_loss.is_none());
    let result = run_sweep(&split, &model, &config, target_loss, threads, &progress);
    progress.bar.finish_and_clear();
    print_all(&json_lines(&result?))
}

/// The output lines (see HELP), fields in the documented order.
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
        let runs = config.bs.len() * config.lrs.len();
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
