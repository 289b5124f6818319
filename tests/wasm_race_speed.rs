#![cfg(target_arch = "wasm32")]
//! Where a race run's time goes in headless Chromium, for BENCHMARKS.md:
//! the run the race benchmark trains (stories, bs 64, H 128, bptt 70, fixed
//! windows) stepped as its worker steps it, against its bare training steps,
//! and the cost of one validation pass. Ignored by default; run with
//! `WASM_BINDGEN_TEST_TIMEOUT=600 CHROMEDRIVER=/usr/bin/chromedriver cargo
//! test --release --target wasm32-unknown-unknown --test wasm_race_speed
//! -- --include-ignored --nocapture` (add `--features relaxed-simd` for the
//! workers' fused multiply-add build).

use batchscope::data::batcher::Scheme;
use batchscope::data::corpora::STORIES;
use batchscope::nn::matmul::f32_kernel_name;
use batchscope::page::settings::Settings;
use batchscope::training::noise_probe::NOISE_EVERY;
use batchscope::training::page_model::trainer_for;
use batchscope::training::race::run::RaceRun;
use batchscope::training::race::split::{split_validation, VALIDATION_FRACTION};
use batchscope::training::race::validation::VALIDATE_EVERY_TOKENS;
use batchscope::training::race::{run_config, LrRule, RaceValue};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure, Instant};

wasm_bindgen_test_configure!(run_in_browser);

/// Seconds each loop trains after its warm-up.
const SECONDS: f64 = 8.0;

fn settings() -> Settings {
    Settings {
        hidden: 128,
        bptt: 70,
        scheme: Scheme::Pytorch,
        ..Settings::default()
    }
}

/// Runs `step` (which returns the tokens it trained) for [`SECONDS`] after
/// five warm-up calls; tokens per second.
fn tokens_per_second(mut step: impl FnMut(f64) -> usize) -> f64 {
    for _ in 0..5 {
        step(0.0);
    }
    let started = Instant::now();
    let mut tokens = 0;
    while started.elapsed().as_secs_f64() < SECONDS {
        tokens += step(started.elapsed().as_secs_f64());
    }
    tokens as f64 / started.elapsed().as_secs_f64()
}

#[wasm_bindgen_test]
#[ignore]
fn race_run_against_its_bare_steps() {
    let settings = settings();
    let config = run_config(&settings, RaceValue::Bs(64), LrRule::Same);
    let (mut run, _) = RaceRun::from_documents(STORIES, config, VALIDATE_EVERY_TOKENS).unwrap();
    let step_tokens = 64 * 70;
    let race = tokens_per_second(|seconds| {
        run.step(seconds).unwrap();
        step_tokens
    });

    let split = split_validation(STORIES, settings.tokens, VALIDATION_FRACTION).unwrap();
    let mut trainer = trainer_for(&split.train, &settings).unwrap();
    trainer.set_last_loss_norms(false);
    let bare = tokens_per_second(|_| trainer.step().unwrap().seq_len * 64);
    // Every NOISE_EVERY-th step of a race run trains its batch as two
    // halves (one after the other on wasm32) to measure the gradient noise.
    let mut steps = 0;
    let halves = tokens_per_second(|_| {
        steps += 1;
        trainer.set_threads(if steps % NOISE_EVERY == 0 { 2 } else { 1 });
        trainer.step().unwrap().seq_len * 64
    });

    let passes = 10;
    let started = Instant::now();
    for _ in 0..passes {
        run.validate().unwrap();
    }
    let pass_ms = started.elapsed().as_secs_f64() * 1e3 / passes as f64;
    let step_ms = 1e3 * step_tokens as f64 / bare;
    let share = pass_ms / (pass_ms + step_ms * VALIDATE_EVERY_TOKENS as f64 / step_tokens as f64);
    console_log!(
        "{} race run bs=64 H=128 bptt=70: {race:.0} tokens/s stepped as its worker steps it; bare steps {bare:.0} tokens/s ({step_ms:.1} ms), {halves:.0} with every {NOISE_EVERY}th in halves; a validation pass {pass_ms:.1} ms, {:.0}% of a run's time",
        f32_kernel_name(),
        100.0 * share
    );
}

/// The median of `runs` timings of `f`, in ms, after two warm-up calls.
fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    f();
    f();
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

#[wasm_bindgen_test]
#[ignore]
fn a_step_by_phase() {
    use batchscope::nn::cell::{cell_backward, cell_forward, GateInput};
    use batchscope::nn::lstm::LstmState;
    use batchscope::nn::model::{Gradients, Model, ModelCache, ModelConfig};
    use batchscope::nn::rng::Rng;
    let (vocab, bs, bptt) = (65, 64, 70);
    let config = ModelConfig {
        vocab,
        embed: 32,
        hidden: 128,
        layers: 1,
    };
    let model = Model::<f32>::init(config, 1);
    let mut rng = Rng::new(2);
    let ids: Vec<u32> = (0..bs * (bptt + 1))
        .map(|_| rng.below(vocab as u64) as u32)
        .collect();
    let (input, target) = (&ids[..bs * bptt], &ids[bs..]);
    let start = LstmState::zeros(&config.lstm(), bs);
    let mut cache = ModelCache::default();
    let mut grads = Gradients::default();
    let forward = median_ms(15, || {
        model.forward_into(input, target, bptt, bs, &start, &mut cache);
    });
    let backward = median_ms(15, || model.backward_into(&cache, &mut grads));
    // The element-wise cells alone, 70 of them as in one window.
    let (h, h4) = (128, 512);
    let mut gates: Vec<f32> = (0..bs * h4).map(|i| (i % 13) as f32 * 0.3 - 2.0).collect();
    let (c_prev, mut c, mut tanh_c, mut hs) = (
        vec![0.5f32; bs * h],
        vec![0f32; bs * h],
        vec![0f32; bs * h],
        vec![0f32; bs * h],
    );
    let bias = vec![0.1f32; h4];
    let cells_forward = median_ms(15, || {
        for _ in 0..bptt {
            cell_forward(
                &mut gates,
                GateInput::InGates,
                &bias,
                &c_prev,
                &mut c,
                &mut tanh_c,
                &mut hs,
                h,
            );
        }
    });
    let (dh, mut dc, mut dgates) = (
        vec![0.01f32; bs * h],
        vec![0f32; bs * h],
        vec![0f32; bs * h4],
    );
    let cells_backward = median_ms(15, || {
        for _ in 0..bptt {
            cell_backward(&gates, &c_prev, &tanh_c, &dh, &mut dc, &mut dgates, h);
        }
    });
    console_log!(
        "{} H=128 bs=64 bptt=70: forward {forward:.1} ms, backward {backward:.1} ms; of which cells forward {cells_forward:.1} ms, backward {cells_backward:.1} ms (medians of 15)",
        f32_kernel_name()
    );
}
