//! `batchscope noise`: the gradient noise scale B_simple of McCandlish et al.
//! 2018 for the language model at one bs and bptt, exact or estimated from
//! random batches (src/training/noise_scale.rs), as one JSON line.

use super::batching_flags::BatchingFlags;
use super::corpus_files::CorpusFlags;
use super::initial_model::{initial_model, ModelFlags};
use super::stdout::print_all;
use super::values::at_least_one;
use crate::data::batcher::Scheme;
use crate::training::noise_scale::{
    default_samples, exact, sampled, ExampleGradients, LmExamples, NoiseScale,
};
use clap::Args;

/// What `noise --help` says after the options: the definition of what it
/// measures, how the estimate is made, and the output.
pub(crate) const DEFINITION: &str = "\
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
    more examples change little. Only --scheme pytorch gives these examples.

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

/// The options of `noise`.
#[derive(Args, Debug)]
pub(crate) struct NoiseArgs {
    #[command(flatten)]
    text: CorpusFlags,
    /// streams per batch
    #[arg(long, value_name = "N")]
    bs: usize,
    // --scheme is checked to be pytorch (see DEFINITION).
    #[command(flatten)]
    batching: BatchingFlags,
    #[command(flatten)]
    sizes: ModelFlags,
    /// the model's weights (PyTorch state-dict JSON) instead of seeded ones
    #[arg(long, value_name = "FILE")]
    init: Option<String>,
    /// every example's gradient: N forward/backward passes
    #[arg(long)]
    exact: bool,
    /// without --exact: random batches to average [default: 2048 / B, at
    /// least 4: about 2048 gradients]
    #[arg(long, value_name = "N", value_parser = at_least_one, conflicts_with = "exact")]
    samples: Option<usize>,
}

pub(crate) fn run(args: &NoiseArgs) -> Result<(), String> {
    let BatchingFlags { bptt, scheme, seed } = args.batching;
    if scheme != Scheme::Pytorch {
        return Err(format!(
            "--scheme {scheme}: noise takes its examples from PyTorch's streams × windows; use --scheme pytorch"
        ));
    }
    let corpus = args.text.corpus()?;
    let model = initial_model(&args.sizes, args.init.as_deref(), &corpus, seed)?;
    let mut examples =
        LmExamples::new(&model, &corpus, args.bs, bptt, seed).map_err(|e| e.to_string())?;
    let n = examples.examples();
    let batch = args.bs.max(2);
    let noise = if args.exact || batch >= n {
        exact(&mut examples)
    } else {
        let samples = args.samples.unwrap_or_else(|| default_samples(batch));
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
