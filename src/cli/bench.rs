//! `batchscope bench`: tokens per second of one full training step (forward,
//! backward through all bptt cells, clip, Adam) at the sizes BENCHMARKS.md
//! reports, and the GFLOP/s that implies. bench/pytorch_lstm.py measures PyTorch the same way.

use super::cpu_time::thread_cpu_seconds;
use super::values::at_least_one;
use crate::data::batcher::{BatchConfig, Scheme};
use crate::data::corpus::{Corpus, TokenLevel};
use crate::nn::model::{Model, ModelConfig};
use crate::nn::optimizer::OptimizerConfig;
use crate::nn::rng::Rng;
use crate::training::trainer::Trainer;
use clap::Args;
use std::time::Instant;

/// The options of `bench`: the sizes of the timed model and batches.
#[derive(Args, Debug)]
pub(crate) struct BenchArgs {
    /// hidden sizes, one measurement each
    #[arg(
        long = "hidden",
        value_name = "H,H,…",
        value_delimiter = ',',
        default_value = "64,128,256"
    )]
    hiddens: Vec<usize>,
    /// embedding size
    #[arg(long, value_name = "E", default_value_t = 32)]
    embed: usize,
    /// vocabulary size (2 to 95 printable ASCII characters)
    #[arg(long, value_name = "V", default_value_t = 65)]
    vocab: usize,
    /// LSTM layers
    #[arg(long, value_name = "L", default_value_t = 1)]
    layers: usize,
    /// streams per batch
    #[arg(long, value_name = "N", default_value_t = 64)]
    bs: usize,
    /// unrolled cells per batch
    #[arg(long, value_name = "N", default_value_t = 70)]
    bptt: usize,
    /// timed steps per size, after 3 warm-up steps
    #[arg(long, value_name = "N", default_value_t = 20)]
    steps: usize,
    /// threads per step (the streams split across them, as `train
    /// --threads`)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = at_least_one)]
    threads: usize,
    /// instead: GFLOP/s of each matrix product of one step (one thread)
    #[arg(long)]
    gemm: bool,
}

pub(crate) fn run(args: &BenchArgs) -> Result<(), String> {
    let BenchArgs {
        ref hiddens,
        embed,
        vocab,
        layers,
        bs,
        bptt,
        steps,
        threads,
        gemm,
    } = *args;
    if gemm {
        for &hidden in hiddens {
            gemm_shapes(vocab, embed, hidden, bs * bptt, bs);
        }
        return Ok(());
    }
    if !(2..=95).contains(&vocab) {
        return Err("--vocab must be 2..=95 (printable ASCII characters)".into());
    }
    // A random text over `vocab` printable characters, long enough for every
    // timed step to be a full bs × bptt window.
    let mut rng = Rng::new(1);
    let alphabet: Vec<char> = (b' '..=b'~').map(char::from).take(vocab).collect();
    let rows = (steps + 4) * bptt + 1;
    let text: String = (0..rows * bs)
        .map(|_| alphabet[rng.below(vocab as u64) as usize])
        .collect();
    let corpus = Corpus::from_documents(&[text], TokenLevel::Char).map_err(|e| e.to_string())?;
    println!("# one training step = forward + backward over {bptt} cells + clip + Adam; V={vocab} E={embed} layers={layers} bs={bs} threads={threads}");
    for &hidden in hiddens {
        let config = ModelConfig {
            vocab: corpus.vocab_size(),
            embed,
            hidden,
            layers,
        };
        let model = Model::<f32>::init(config, 1);
        let batch = BatchConfig {
            bs,
            bptt,
            scheme: Scheme::Pytorch,
            seed: 1,
        };
        let mut trainer = Trainer::new(
            &corpus,
            model,
            batch,
            OptimizerConfig::adam(1e-3),
            Some(0.25),
        )
        .map_err(|e| e.to_string())?;
        // The step PyTorch's script times: no page-only extra pass.
        trainer.set_last_loss_norms(false);
        trainer.set_threads(threads);
        for _ in 0..3 {
            trainer.step().map_err(|e| e.to_string())?;
        }
        let (mut times, mut cpu_times) = (Vec::with_capacity(steps), Vec::with_capacity(steps));
        for _ in 0..steps {
            let (t0, cpu0) = (Instant::now(), thread_cpu_seconds());
            trainer.step().map_err(|e| e.to_string())?;
            times.push(t0.elapsed().as_secs_f64());
            // One thread's CPU time is the step's only when it ran alone.
            if let (Some(a), Some(b), 1) = (cpu0, thread_cpu_seconds(), threads) {
                cpu_times.push(b - a);
            }
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v.get(v.len() / 2).copied()
        };
        let (median_s, best) = (median(&mut times).unwrap_or(f64::NAN), times[0]);
        let cpu_ms = median(&mut cpu_times).map_or("null".into(), |s| format!("{:.2}", s * 1e3));
        let tokens = (bs * bptt) as f64;
        let gflop = step_flops(&config, bs * bptt) / 1e9;
        println!(
            "{{\"system\":\"batchscope\",\"hidden\":{hidden},\"threads\":{threads},\"ms_per_step\":{:.2},\"best_ms\":{:.2},\"cpu_ms\":{cpu_ms},\"tokens_per_s\":{:.0},\"gflop_per_step\":{gflop:.3},\"gflop_per_s\":{:.1}}}",
            median_s * 1e3,
            best * 1e3,
            tokens / median_s,
            gflop / median_s
        );
    }
    Ok(())
}

/// Matrix-product FLOPs of one step over `n` = bs·seq_len targets: the
/// forward products (input, recurrent, decoder), and twice as many backward.
fn step_flops(c: &ModelConfig, n: usize) -> f64 {
    let lstm = c.lstm();
    let per_token: usize = (0..c.layers)
        .map(|l| 4 * c.hidden * (lstm.layer_input(l) + c.hidden))
        .sum::<usize>()
        + c.hidden * c.vocab;
    3.0 * 2.0 * (n * per_token) as f64
}

/// Each product of one training step alone, to see which shape is slow.
fn gemm_shapes(vocab: usize, embed: usize, hidden: usize, n: usize, bs: usize) {
    use crate::nn::matmul::{gemm, gemm_packed, GemmScratch, MatRef, PackedB};
    let h4 = 4 * hidden;
    // (name, m, k, n, transpose A, transpose B, repeats): the products of
    // one step with an embedded input (see `LstmInput::Embedded`). Per-cell
    // products with W_hh reuse a B packed once per pass; the others pack
    // B at every call, as the step does.
    let shapes = [
        ("table·W_ihᵀ", vocab, embed, h4, false, true, 1),
        ("h·W_hhᵀ per cell", bs, hidden, h4, false, true, n / bs),
        ("out·W_decᵀ", n, hidden, vocab, false, true, 1),
        ("dlogitsᵀ·out", vocab, n, hidden, true, false, 1),
        ("dlogits·W_dec", n, vocab, hidden, false, false, 1),
        ("dgates·W_hh per cell", bs, h4, hidden, false, false, n / bs),
        ("dgatesᵀ·h per cell", h4, bs, hidden, true, false, n / bs),
        ("Sᵀ·table", h4, vocab, embed, true, false, 1),
        ("S·W_ih", vocab, h4, embed, false, false, 1),
    ];
    let packed_once = |name: &str| name.contains("W_hh");
    let mut rng = Rng::new(2);
    let mut scratch = GemmScratch::<f32>::default();
    let mut total = (0.0, 0.0);
    for (name, m, k, cols, ta, tb, repeats) in shapes {
        let a: Vec<f32> = (0..m * k)
            .map(|_| rng.uniform_range(-1.0, 1.0) as f32)
            .collect();
        let b: Vec<f32> = (0..k * cols)
            .map(|_| rng.uniform_range(-1.0, 1.0) as f32)
            .collect();
        let mut c = vec![0f32; m * cols];
        let av = if ta {
            MatRef::new(&a, k, m).t()
        } else {
            MatRef::new(&a, m, k)
        };
        let bv = if tb {
            MatRef::new(&b, cols, k).t()
        } else {
            MatRef::new(&b, k, cols)
        };
        let mut packed = PackedB::default();
        packed.pack(bv);
        let mut best = f64::INFINITY;
        for _ in 0..5 {
            let t0 = Instant::now();
            for _ in 0..repeats {
                if packed_once(name) {
                    gemm_packed(&mut c, cols, av, &packed, false, &mut scratch);
                } else {
                    gemm(&mut c, cols, av, bv, repeats > 1, &mut scratch);
                }
            }
            best = best.min(t0.elapsed().as_secs_f64());
        }
        let flop = 2.0 * (m * k * cols * repeats) as f64;
        total = (total.0 + flop, total.1 + best);
        println!(
            "H={hidden:4} {name:22} {m:5}×{k:5}×{cols:4} ×{repeats:3}: {:7.2} ms {:6.1} GFLOP/s",
            best * 1e3,
            flop / best / 1e9
        );
    }
    println!(
        "H={hidden:4} all products: {:.2} ms, {:.1} GFLOP/s",
        total.1 * 1e3,
        total.0 / total.1 / 1e9
    );
}
