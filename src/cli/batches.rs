//! `batchscope batches`: print how a corpus becomes language-model batches,
//! as JSON lines (a header with the summary figures, then one line per batch),
//! or with `--show I` batch I's input and target as text, one line per stream.

use super::batching_flags::BatchingFlags;
use super::corpus_files::CorpusFlags;
use crate::data::batcher::{EpochBatches, LmBatcher, Window};
use crate::data::corpus::Corpus;
use clap::Args;
use serde::Serialize;
use std::io::{self, BufWriter, ErrorKind, Write};

/// What `batches --help` says after the options.
pub(crate) const OUTPUT: &str = "\
OUTPUT (JSON lines):
    {\"tokens\":T,\"vocab\":V,\"bs\":B,\"rows\":R,\"dropped\":D,\"batches_per_epoch\":K}
      R = rows per stream (fastai-v2: bl; fastai-v1: batches × bptt; hf-blocks:
      the block length); K = epoch 0's batches. fastai-v0.7 adds
      \"fastai_len\" (its own len(), often more than an epoch yields);
      hf-blocks adds \"blocks\".
    {\"epoch\":e,\"index\":i,\"start\":s,\"seq_len\":l,\"width\":w}   one per batch
      (w = sequences in the batch: bs, fewer in hf-blocks' last batch)
";

/// The options of `batches`.
#[derive(Args, Debug)]
pub(crate) struct BatchesArgs {
    #[command(flatten)]
    text: CorpusFlags,
    /// streams (columns) per batch
    #[arg(long, value_name = "N")]
    bs: usize,
    #[command(flatten)]
    batching: BatchingFlags,
    /// epochs to list
    #[arg(long, value_name = "E", default_value_t = 1)]
    epochs: usize,
    /// print batch I of each epoch as text instead of JSON: one line per
    /// stream, input then target (⏎ newline, ␂ document separator, · space)
    #[arg(long, value_name = "I")]
    show: Option<usize>,
}

/// The summary line, fields in the order OUTPUT documents.
#[derive(Serialize)]
struct Header {
    tokens: usize,
    vocab: usize,
    bs: usize,
    rows: usize,
    dropped: usize,
    batches_per_epoch: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    fastai_len: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    blocks: Option<usize>,
}

pub(crate) fn run(args: &BatchesArgs) -> Result<(), String> {
    let corpus = args.text.corpus()?;
    let batcher =
        LmBatcher::new(&corpus, args.batching.config(args.bs)).map_err(|e| e.to_string())?;

    let mut out = BufWriter::new(io::stdout().lock());
    let written = match args.show {
        Some(index) => show_batches(&mut out, &corpus, &batcher, args.epochs, index),
        None => json_lines(&mut out, &corpus, &batcher, args.epochs),
    };
    match written.and_then(|()| out.flush().map_err(Output::Io)) {
        // `batchscope batches … | head` closing the pipe early is not an error.
        Err(Output::Io(e)) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        Err(Output::Io(e)) => Err(format!("cannot write output: {e}")),
        Err(Output::User(message)) => Err(message),
        Ok(()) => Ok(()),
    }
}

/// A failure while printing: the user's mistake or the output stream's.
enum Output {
    User(String),
    Io(io::Error),
}

impl From<io::Error> for Output {
    fn from(e: io::Error) -> Self {
        Output::Io(e)
    }
}

fn json_lines(
    out: &mut impl Write,
    corpus: &Corpus,
    batcher: &LmBatcher,
    epochs: usize,
) -> Result<(), Output> {
    let header = Header {
        tokens: batcher.tokens(),
        vocab: corpus.vocab_size(),
        bs: batcher.config().bs,
        rows: batcher.rows(),
        dropped: batcher.dropped(),
        batches_per_epoch: batcher.batches_per_epoch(),
        fastai_len: batcher.fastai_v07_len(),
        blocks: batcher.blocks(),
    };
    writeln!(out, "{}", to_json(&header))?;
    for epoch in 0..epochs {
        for window in &batcher.epoch(epoch).windows {
            writeln!(out, "{}", to_json(window))?;
        }
    }
    Ok(())
}

fn show_batches(
    out: &mut impl Write,
    corpus: &Corpus,
    batcher: &LmBatcher,
    epochs: usize,
    index: usize,
) -> Result<(), Output> {
    for epoch in 0..epochs {
        let batches = batcher.epoch(epoch);
        let Some(window) = batches.windows.get(index) else {
            return Err(Output::User(format!(
                "--show {index}: epoch {epoch} has only {} batches (0 to {})",
                batches.windows.len(),
                batches.windows.len().saturating_sub(1)
            )));
        };
        show_window(out, corpus, &batches, window)?;
    }
    Ok(())
}

fn show_window(
    out: &mut impl Write,
    corpus: &Corpus,
    batches: &EpochBatches,
    w: &Window,
) -> io::Result<()> {
    let what = if batches.is_blocks() {
        "blocks"
    } else {
        "streams"
    };
    writeln!(
        out,
        "# epoch {}, batch {}: rows {}..{} of {} {what}, seq_len {}, {} × seq_len = {} tokens",
        w.epoch,
        w.index,
        w.start,
        w.start + w.seq_len,
        w.width,
        w.seq_len,
        w.width,
        w.width * w.seq_len
    )?;
    let rows: Vec<(String, String)> = (0..w.width)
        .map(|j| {
            let (input, target) = batches.sequence(w, j);
            (corpus.display(&input), corpus.display(&target))
        })
        .collect();
    let width = rows
        .iter()
        .map(|(s, _)| s.chars().count())
        .max()
        .unwrap_or(0);
    let label_width = (w.width - 1).to_string().len();
    for (j, (input, target)) in rows.iter().enumerate() {
        let pad = width - input.chars().count();
        let name = match batches.is_blocks() {
            true => format!(
                "row {j:>label_width$} (block {})",
                batches.batch_column(w, j)
            ),
            false => format!("stream {j:>label_width$}"),
        };
        writeln!(out, "{name}  input: {input}{:pad$}  target: {target}", "")?;
    }
    Ok(())
}

fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("plain structs serialise")
}
