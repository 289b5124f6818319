//! `batchscope noise`: the gradient noise scale B_simple of McCandlish et al.
//! 2018 for the language model at one bs and bptt, exact or estimated from
//! random batches (src/noise_scale.rs), as one JSON line.

use super::corpus_files::read_documents;
use super::initial_model::initial_model;
use super::stdout::print_all;
use super::Args;
use crate::data::batcher::Scheme;
use crate::data::corpus::{Corpus, TokenLevel};
use crate::training::noise_scale::{
    default_samples, exact, sampled, ExampleGradients, LmExamples, NoiseScale,
};

const HELP: &str = "\
batchscope noise — the gradient noise scale B_simple (McCandlish et al. 2018)

USAGE:
    batchscope noise --corpus FILE [FILE…] --bs N --bptt N [OPTIONS]

WHAT IT MEASURES:
    The examples are every (stream j, window i) of epoch 0 under PyTorch's
    batching at this bs and bptt: N = bs × windows. Each starts from a zero
    hidden state; its loss is the mean cross-entropy over its tokens, and g_e
    is that loss's gradient over all parameters. With G the mean of the g_e:
        grad_sq  = |G|²
        trace    = tr Σ = mean over the examples of |g_e − G|²
        b_simple = trace / grad_sq
    A batch of B examples has gradient noise E|G_B − G|² ≈ trace / B, so
    b_simple is the batch size (in examples of bptt tokens) at which the noise
    equals the signal: well below it steps are mostly noise; well above it
    more examples change little.

OPTIONS:
    --corpus FILE…    UTF-8 text files (several are joined by a separator token)
    --bs N            streams per batch
    --bptt N          unrolled cells per window (an example's length)
    --scheme S        pytorch (the only one: its streams × windows are the examples)
    --tokens T        char (default) | word
    --seed S          seeds the initial weights and the random batches (default 0)
    --embed E         embedding size (default 32)
    --hidden H        LSTM hidden size (default 128)
    --layers L        LSTM layers, 1 to 3 (default 1)
    --init FILE       the model's weights (PyTorch state-dict JSON) instead
    --exact           every example's gradient: N forward/backward passes
    --samples N       without --exact: random batches to average (default
                      2048 / B, at least 4: about 2048 gradients)

ESTIMATE (without --exact):
    Each sample draws B = max(bs, 2) examples without replacement: their mean
    gradient is a batch of B, and each of them a batch of 1. For a mean of B
    of the N examples drawn without replacement,
        E|G_B|² = |G|² + trace·(N−B)/(B(N−1));
    the two sizes' |G_B|², averaged over the samples, are solved for |G|² and
    trace (McCandlish et al., appendix A, with the finite-population factor).
    Costs samples × B gradients (--exact costs N, less on a small corpus).
    When one batch would hold every example the value is computed exactly.
    Too few samples can make the |G|² estimate ≤ 0: b_simple is then null.

OUTPUT (one JSON line):
    {\"examples\":N,\"grad_sq\":x,\"trace\":x,\"b_simple\":x}
";

const OPTIONS: &[&str] = &[
    "corpus", "bs", "bptt", "scheme", "tokens", "seed", "embed", "hidden", "layers", "init",
    "exact", "samples",
];

pub(crate) fn run(args: &Args) -> Result<(), String> {
    if args.flag("help") {
        print!("{HELP}");
        return Ok(());
    }
    args.only(OPTIONS)?;
    if !args.flag("corpus") {
        return Err("noise needs --corpus FILE (try --help)".into());
    }
    let bs = args.whole_number("noise", "bs")?;
    let bptt = args.whole_number("noise", "bptt")?;
    let scheme: Scheme = args.parsed("scheme")?.unwrap_or(Scheme::Pytorch);
    if scheme != Scheme::Pytorch {
        return Err(format!(
            "--scheme {scheme}: noise takes its examples from PyTorch's streams × windows; use --scheme pytorch"
        ));
    }
    let level: TokenLevel = args.parsed("tokens")?.unwrap_or(TokenLevel::Char);
    let seed: u64 = args.get("seed", 0)?;
    if args.flag("exact") && args.flag("samples") {
        return Err("give --exact or --samples, not both".into());
    }
    if !args.values("exact").is_empty() {
        return Err("--exact takes no value".into());
    }
    let samples: Option<usize> = args
        .value("samples")?
        .map(|_| args.get("samples", 0))
        .transpose()?;
    if samples == Some(0) {
        return Err("--samples must be at least 1".into());
    }

    let documents = read_documents(args.values("corpus"))?;
    let corpus = Corpus::from_documents(&documents, level).map_err(|e| e.to_string())?;
    let model = initial_model(args, &corpus, seed)?;
    let mut examples =
        LmExamples::new(&model, &corpus, bs, bptt, seed).map_err(|e| e.to_string())?;
    let n = examples.examples();
    let batch = bs.max(2);
    let noise = if args.flag("exact") || batch >= n {
        exact(&mut examples)
    } else {
        let samples = samples.unwrap_or_else(|| default_samples(batch));
        sampled(&mut examples, batch, samples, seed)
    };
    check_finite(&noise)?;
    let line = serde_json::to_string(&noise).expect("finite numbers serialise");
    print_all(&format!("{line}\n"))
}

/// NaN or infinite gradients (weights that overflow) give no noise scale.
fn check_finite(noise: &NoiseScale) -> Result<(), String> {
    if noise.grad_sq.is_finite() && noise.trace.is_finite() {
        Ok(())
    } else {
        Err(format!(
            "the gradients are not finite (|G|² = {}, trace = {}): the model's weights overflow",
            noise.grad_sq, noise.trace
        ))
    }
}
