//! `batchscope train`: train the LSTM language model on a corpus, one JSON
//! line per step (one run per --bs value), a progress bar on stderr when
//! stderr is a terminal and the run is long. Steps are timed here, not in the
//! core (std::time does not exist on wasm32-unknown-unknown).

use super::corpus_files::CorpusFlags;
use super::initial_model::{initial_model, ModelFlags};
use super::training_flags::{default_lr, TrainingFlags};
use super::values::{at_least_one, positive};
use super::vocab_file;
use crate::data::batcher::LmBatcher;
use crate::nn::optimizer::{OptimizerConfig, OptimizerKind};
use crate::nn::state_dict;
use crate::training::trainer::{StepReport, Trainer};
use clap::Args;
use serde::Serialize;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::time::Instant;

/// What `train --help` says after the options.
pub(crate) const OUTPUT: &str = "\
OUTPUT (JSON lines):
    {\"bs\":B,\"step\":k,\"start\":s,\"seq_len\":l,\"loss\":x,\"grad_norm\":g,\"tokens_seen\":t,\"ms\":m}
";

/// The options of `train`.
#[derive(Args, Debug)]
pub(crate) struct TrainArgs {
    #[command(flatten)]
    text: CorpusFlags,
    /// streams per batch; several values = one run each
    #[arg(long, value_name = "N,N,…", value_delimiter = ',', required = true)]
    bs: Vec<usize>,
    #[command(flatten)]
    training: TrainingFlags,
    #[command(flatten)]
    sizes: ModelFlags,
    #[arg(long, value_name = "X", value_parser = positive, help = format!(
        "learning rate [default: {} for adam, {} for sgd]",
        default_lr(OptimizerKind::Adam),
        default_lr(OptimizerKind::Sgd)
    ))]
    lr: Option<f64>,
    /// train N steps …
    #[arg(long, value_name = "N", conflicts_with = "epochs")]
    steps: Option<usize>,
    /// … or E epochs
    #[arg(long, value_name = "E", default_value_t = 1)]
    epochs: usize,
    /// start from these weights (PyTorch state-dict JSON)
    #[arg(long, value_name = "FILE")]
    init: Option<String>,
    /// save the weights (and FILE's .vocab.json for `sample`)
    #[arg(long, value_name = "FILE")]
    save: Option<String>,
    /// threads per step: the batch's streams are split across them and
    /// their gradients summed (the same numbers as one thread, to f32
    /// rounding; at most one thread per stream)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = at_least_one)]
    threads: usize,
}

/// One line of output, fields in the order OUTPUT documents.
#[derive(Serialize)]
struct Line {
    bs: usize,
    step: usize,
    start: usize,
    seq_len: usize,
    loss: f64,
    grad_norm: f64,
    tokens_seen: usize,
    ms: f64,
}

pub(crate) fn run(args: &TrainArgs) -> Result<(), String> {
    let TrainingFlags {
        batching,
        optimizer,
        ..
    } = &args.training;
    let lr = args.lr.unwrap_or(default_lr(*optimizer));
    let optimizer = OptimizerConfig::new(*optimizer, lr);
    let clip = args.training.clip();

    let corpus = args.text.corpus()?;
    let model = initial_model(&args.sizes, args.init.as_deref(), &corpus, batching.seed)?;
    let mut out = BufWriter::new(io::stdout().lock());
    for &bs in &args.bs {
        let batch = batching.config(bs);
        let steps = match args.steps {
            Some(steps) => steps,
            None => {
                args.epochs
                    * LmBatcher::new(&corpus, batch)
                        .map_err(|e| e.to_string())?
                        .batches_per_epoch()
            }
        };
        let mut trainer = Trainer::new(&corpus, model.clone(), batch, optimizer, clip)
            .map_err(|e| e.to_string())?;
        // The JSON lines do not carry the last loss's per-cell norms.
        trainer.set_last_loss_norms(false);
        trainer.set_threads(args.threads);
        let mut progress = Progress::new(bs, steps);
        for _ in 0..steps {
            let t0 = Instant::now();
            let report = trainer.step().map_err(|e| {
                progress.finish();
                format!("bs {bs}: {e}")
            })?;
            let ms = t0.elapsed().as_secs_f64() * 1e3;
            write_line(&mut out, &report, ms)?;
            progress.update(&report);
        }
        progress.finish();
        out.flush().map_err(|e| e.to_string())?;
        if let Some(path) = &args.save {
            let path = if args.bs.len() > 1 {
                per_bs_path(path, bs)
            } else {
                path.clone()
            };
            std::fs::write(&path, state_dict::to_json(&trainer.model))
                .map_err(|e| format!("cannot write `{path}`: {e}"))?;
            vocab_file::save(&path, &corpus)?;
        }
    }
    Ok(())
}

fn write_line(out: &mut impl Write, r: &StepReport, ms: f64) -> Result<(), String> {
    let line = Line {
        bs: r.bs,
        step: r.step,
        start: r.start,
        seq_len: r.seq_len,
        loss: r.loss,
        grad_norm: r.grad_norm,
        tokens_seen: r.tokens_seen,
        ms: (ms * 1000.0).round() / 1000.0,
    };
    let text = serde_json::to_string(&line).map_err(|e| e.to_string())?;
    match writeln!(out, "{text}") {
        // A closed pipe (`| head`) is the reader's choice, not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => other.map_err(|e| e.to_string()),
    }
}

/// `model.json` → `model-bs64.json` when several bs values train in one call.
fn per_bs_path(path: &str, bs: usize) -> String {
    match path.strip_suffix(".json") {
        Some(stem) => format!("{stem}-bs{bs}.json"),
        None => format!("{path}-bs{bs}"),
    }
}

/// A one-line `\r` progress bar on stderr, only for long runs on a terminal.
struct Progress {
    bs: usize,
    total: usize,
    shown: bool,
    last: Option<Instant>,
}

impl Progress {
    fn new(bs: usize, total: usize) -> Self {
        Progress {
            bs,
            total,
            shown: total >= 20 && io::stderr().is_terminal(),
            last: None,
        }
    }

    fn update(&mut self, r: &StepReport) {
        if !self.shown
            || self.last.is_some_and(|t| t.elapsed().as_millis() < 100) && r.step < self.total
        {
            return;
        }
        self.last = Some(Instant::now());
        let width = 30;
        let done = width * r.step / self.total.max(1);
        eprint!(
            "\rbs {:>4} [{}{}] {}/{} loss {:.3}",
            self.bs,
            "#".repeat(done),
            " ".repeat(width - done),
            r.step,
            self.total,
            r.loss
        );
    }

    fn finish(&mut self) {
        if self.shown && self.last.is_some() {
            eprintln!();
        }
        self.last = None;
    }
}
