#![cfg(not(target_arch = "wasm32"))]
//! The backward pass checked against the forward pass alone, in f64:
//! centred finite differences (relative error |a−n|/|a+n|), and "T one-step
//! calls equal one T-step call", forward and backward (llm.c's habit).

use batchscope::nn::lstm::{Lstm, LstmState};
use batchscope::nn::model::{Model, ModelConfig};
use batchscope::nn::rng::Rng;

fn random(rng: &mut Rng, n: usize, scale: f64) -> Vec<f64> {
    (0..n).map(|_| rng.uniform_range(-scale, scale)).collect()
}

fn random_state(rng: &mut Rng, lstm: &Lstm, bs: usize) -> LstmState<f64> {
    let n = lstm.layers * bs * lstm.hidden;
    LstmState {
        h: random(rng, n, 0.8),
        c: random(rng, n, 1.5),
    }
}

/// |a−n|/|a+n|, measured against 1e-4 at least: below that the finite
/// difference itself carries ~1e-11 of rounding noise.
fn rel_err(a: f64, n: f64) -> f64 {
    (a - n).abs() / (a + n).abs().max(1e-4)
}

/// A scalar loss of the LSTM alone: a fixed random linear function of every
/// output and of the final (h, c), so every path gets a gradient.
struct LinearLoss {
    w_out: Vec<f64>,
    w_h: Vec<f64>,
    w_c: Vec<f64>,
}

impl LinearLoss {
    fn value(
        &self,
        lstm: &Lstm,
        params: &[f64],
        x: &[f64],
        seq_len: usize,
        bs: usize,
        start: &LstmState<f64>,
    ) -> f64 {
        let (out, _) = lstm.forward(params, x, seq_len, bs, start);
        let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| p * q).sum::<f64>();
        dot(&out.output, &self.w_out) + dot(&out.last.h, &self.w_h) + dot(&out.last.c, &self.w_c)
    }
}

#[test]
fn lstm_gradients_match_centred_differences() {
    for layers in 1..=3 {
        let mut rng = Rng::new(10 + layers as u64);
        let lstm = Lstm::new(3, 4, layers);
        let (seq_len, bs) = (5, 2);
        let params = random(&mut rng, lstm.num_params(), 0.6);
        let x = random(&mut rng, seq_len * bs * 3, 1.0);
        let start = random_state(&mut rng, &lstm, bs);
        let n_state = layers * bs * 4;
        let loss = LinearLoss {
            w_out: random(&mut rng, seq_len * bs * 4, 1.0),
            w_h: random(&mut rng, n_state, 1.0),
            w_c: random(&mut rng, n_state, 1.0),
        };
        let (_, cache) = lstm.forward(&params, &x, seq_len, bs, &start);
        let dlast = LstmState {
            h: loss.w_h.clone(),
            c: loss.w_c.clone(),
        };
        let (grads, dstart) = lstm.backward_through_state(&params, &loss.w_out, &dlast, &cache);
        let eps = 1e-5;
        let mut worst = 0.0f64;
        for i in 0..params.len() {
            let (mut plus, mut minus) = (params.clone(), params.clone());
            plus[i] += eps;
            minus[i] -= eps;
            let numeric = (loss.value(&lstm, &plus, &x, seq_len, bs, &start)
                - loss.value(&lstm, &minus, &x, seq_len, bs, &start))
                / (2.0 * eps);
            worst = worst.max(rel_err(grads.params[i], numeric));
        }
        for i in 0..x.len() {
            let (mut plus, mut minus) = (x.clone(), x.clone());
            plus[i] += eps;
            minus[i] -= eps;
            let numeric = (loss.value(&lstm, &params, &plus, seq_len, bs, &start)
                - loss.value(&lstm, &params, &minus, seq_len, bs, &start))
                / (2.0 * eps);
            worst = worst.max(rel_err(grads.input[i], numeric));
        }
        for i in 0..n_state {
            for which in 0..2 {
                let (mut plus, mut minus) = (start.clone(), start.clone());
                let (p, m) = if which == 0 {
                    (&mut plus.h, &mut minus.h)
                } else {
                    (&mut plus.c, &mut minus.c)
                };
                p[i] += eps;
                m[i] -= eps;
                let numeric = (loss.value(&lstm, &params, &x, seq_len, bs, &plus)
                    - loss.value(&lstm, &params, &x, seq_len, bs, &minus))
                    / (2.0 * eps);
                let analytic = if which == 0 { dstart.h[i] } else { dstart.c[i] };
                worst = worst.max(rel_err(analytic, numeric));
            }
        }
        assert!(
            worst < 1e-6,
            "{layers} layers: worst relative error {worst:e}"
        );
    }
}

#[test]
fn model_gradients_match_centred_differences() {
    for layers in 1..=2 {
        let config = ModelConfig {
            vocab: 7,
            embed: 3,
            hidden: 5,
            layers,
        };
        let model = Model::<f64>::init(config, 3);
        let mut rng = Rng::new(4);
        let (seq_len, bs) = (4, 3);
        let input: Vec<u32> = (0..seq_len * bs).map(|_| rng.below(7) as u32).collect();
        let target: Vec<u32> = (0..seq_len * bs).map(|_| rng.below(7) as u32).collect();
        let start = random_state(&mut rng, &config.lstm(), bs);
        let (_, cache) = model.forward(&input, &target, seq_len, bs, &start);
        let grads = model.backward(&cache);
        let eps = 1e-5;
        let mut worst = 0.0f64;
        for i in 0..model.params.len() {
            let (mut plus, mut minus) = (model.clone(), model.clone());
            plus.params[i] += eps;
            minus.params[i] -= eps;
            let lp = plus.forward(&input, &target, seq_len, bs, &start).0.loss;
            let lm = minus.forward(&input, &target, seq_len, bs, &start).0.loss;
            worst = worst.max(rel_err(grads.params[i], (lp - lm) / (2.0 * eps)));
        }
        assert!(
            worst < 1e-6,
            "{layers} layers: worst relative error {worst:e}"
        );
    }
}

#[test]
fn t_one_step_calls_equal_one_t_step_call_forward_and_backward() {
    let mut rng = Rng::new(21);
    let lstm = Lstm::new(3, 5, 2);
    let (seq_len, bs) = (6, 3);
    let params = random(&mut rng, lstm.num_params(), 0.5);
    let x = random(&mut rng, seq_len * bs * 3, 1.0);
    let dout = random(&mut rng, seq_len * bs * 5, 1.0);
    let start = random_state(&mut rng, &lstm, bs);
    let (long, long_cache) = lstm.forward(&params, &x, seq_len, bs, &start);
    let zero = LstmState::zeros(&lstm, bs);
    let (long_grads, long_dstart) = lstm.backward_through_state(&params, &dout, &zero, &long_cache);

    // Forward one cell at a time, carrying the state.
    let (mut state, mut caches, mut outputs) = (start.clone(), Vec::new(), Vec::new());
    for t in 0..seq_len {
        let (out, cache) = lstm.forward(&params, &x[t * bs * 3..(t + 1) * bs * 3], 1, bs, &state);
        outputs.extend(out.output);
        state = out.last;
        caches.push(cache);
    }
    let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(p, q)| (p - q).abs() < 1e-12);
    assert!(
        close(&outputs, &long.output)
            && close(&state.h, &long.last.h)
            && close(&state.c, &long.last.c)
    );

    // Backward one cell at a time, newest first, passing dL/d(state) back.
    let (mut dstate, mut dparams, mut dx) =
        (zero.clone(), vec![0.0; params.len()], vec![0.0; x.len()]);
    for t in (0..seq_len).rev() {
        let (g, dstart) = lstm.backward_through_state(
            &params,
            &dout[t * bs * 5..(t + 1) * bs * 5],
            &dstate,
            &caches[t],
        );
        for (a, b) in dparams.iter_mut().zip(&g.params) {
            *a += b;
        }
        dx[t * bs * 3..(t + 1) * bs * 3].copy_from_slice(&g.input);
        dstate = dstart;
    }
    assert!(
        close(&dparams, &long_grads.params),
        "parameter gradients differ"
    );
    assert!(close(&dx, &long_grads.input), "input gradients differ");
    assert!(
        close(&dstate.h, &long_dstart.h) && close(&dstate.c, &long_dstart.c),
        "state gradients differ"
    );
}

#[test]
fn truncated_backward_equals_full_backward_with_zero_gradient_into_the_final_state() {
    let mut rng = Rng::new(8);
    let lstm = Lstm::new(2, 3, 1);
    let params = random(&mut rng, lstm.num_params(), 0.5);
    let x = random(&mut rng, 4 * 2 * 2, 1.0);
    let dout = random(&mut rng, 4 * 2 * 3, 1.0);
    let start = random_state(&mut rng, &lstm, 2);
    let (_, cache) = lstm.forward(&params, &x, 4, 2, &start);
    let truncated = lstm.backward(&params, &dout, &cache);
    let (full, _) =
        lstm.backward_through_state(&params, &dout, &LstmState::zeros(&lstm, 2), &cache);
    assert_eq!(truncated.params, full.params);
    assert_eq!(truncated.cell_grad_norms, full.cell_grad_norms);
}
