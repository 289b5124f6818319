//! `batchscope train`: train the LSTM language model on a corpus, one JSON
//! line per step (one run per --bs value), a progress bar on stderr when
//! stderr is a terminal and the run is long. Steps are timed here, not in the
//! core (std::time does not exist on wasm32-unknown-unknown).

use super::corpus_files::read_documents;
use super::initial_model::initial_model;
use super::training_flags::{default_lr, TrainingFlags, TRAINING_FLAGS};
use super::{vocab_file, Args};
use crate::batcher::{BatchConfig, LmBatcher};
use crate::corpus::Corpus;
use crate::optimizer::OptimizerConfig;
use crate::state_dict;
use crate::trainer::{StepReport, Trainer};
use serde::Serialize;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::time::Instant;

const HELP: &str = "\
batchscope train — train the LSTM language model, one JSON line per step

USAGE:
    batchscope train --corpus FILE [FILE…] --bs N[,N…] --bptt N [OPTIONS]

OPTIONS:
    --corpus FILE…    UTF-8 text files (several are joined by a separator token)
    --bs N[,N…]       streams per batch; several values = one run each
    --bptt N          unrolled cells per batch (truncated-BPTT length)
    --scheme S        pytorch (default) | fastai-v0.7 | fastai-v1 | fastai-v2 | hf-blocks
    --tokens T        char (default) | word
    --seed S          seeds initial weights and batches (default 0)
    --embed E         embedding size (default 32)
    --hidden H        LSTM hidden size (default 128)
    --layers L        LSTM layers, 1 to 3 (default 1)
    --optimizer O     adam (default) | sgd
    --lr X            learning rate (default 0.002 for adam, 1 for sgd)
    --clip X          clip the gradient's total norm to X (default 0.25; 0 = off)
    --steps N         train N steps …
    --epochs N        … or N epochs (default 1)
    --init FILE       start from these weights (PyTorch state-dict JSON)
    --save FILE       save the weights (and FILE's .vocab.json for `sample`)

OUTPUT (JSON lines):
    {\"bs\":B,\"step\":k,\"start\":s,\"seq_len\":l,\"loss\":x,\"grad_norm\":g,\"tokens_seen\":t,\"ms\":m}
";

/// Besides [`TRAINING_FLAGS`].
const OPTIONS: &[&str] = &[
    "corpus", "bs", "embed", "hidden", "layers", "lr", "steps", "epochs", "init", "save",
];

/// One line of output, fields in the order the issue documents.
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

pub(crate) fn run(args: &Args) -> Result<(), String> {
    if args.flag("help") {
        print!("{HELP}");
        return Ok(());
    }
    args.only(&[TRAINING_FLAGS, OPTIONS].concat())?;
    if !args.flag("corpus") {
        return Err("train needs --corpus FILE (try --help)".into());
    }
    let bs_list: Vec<usize> = args.get_list("bs", vec![])?;
    if bs_list.is_empty() {
        return Err("train needs --bs N (try --help)".into());
    }
    let TrainingFlags {
        bptt,
        scheme,
        level,
        seed,
        optimizer: kind,
        clip,
    } = TrainingFlags::read(args, "train")?;
    let lr: f64 = args.get("lr", default_lr(kind))?;
    if !(lr > 0.0 && lr.is_finite()) {
        return Err(format!("--lr must be a positive number, got {lr}"));
    }
    let optimizer = OptimizerConfig::new(kind, lr);
    if args.flag("steps") && args.flag("epochs") {
        return Err("give --steps or --epochs, not both".into());
    }

    let documents = read_documents(args.values("corpus"))?;
    let corpus = Corpus::from_documents(&documents, level).map_err(|e| e.to_string())?;
    let model = initial_model(args, &corpus, seed)?;
    let save = args.value("save")?;
    let mut out = BufWriter::new(io::stdout().lock());
    for &bs in &bs_list {
        let batch = BatchConfig {
            bs,
            bptt,
            scheme,
            seed,
        };
        let steps = match args.value("steps")? {
            Some(_) => args.get("steps", 0usize)?,
            None => {
                args.get("epochs", 1usize)?
                    * LmBatcher::new(&corpus, batch)
                        .map_err(|e| e.to_string())?
                        .batches_per_epoch()
            }
        };
        let mut trainer = Trainer::new(&corpus, model.clone(), batch, optimizer, clip)
            .map_err(|e| e.to_string())?;
        // The JSON lines do not carry the last loss's per-cell norms.
        trainer.set_last_loss_norms(false);
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
        if let Some(path) = save {
            let path = if bs_list.len() > 1 {
                per_bs_path(path, bs)
            } else {
                path.to_string()
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
