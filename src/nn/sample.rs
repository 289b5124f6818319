//! Text from the model: feed a primer through one stream, then draw one token
//! at a time from softmax(logits / temperature), feeding each draw back in.
//! Seeded, so the same model, primer and seed give the same text.

use crate::nn::float::Float;
use crate::nn::lstm::LstmState;
use crate::nn::model::Model;
use crate::nn::rng::Rng;

/// Continues `primer` (token ids, at least one) by `len` tokens. A
/// temperature of 0 always takes the most likely token; below 1 sharpens the
/// distribution, above 1 flattens it.
pub fn sample<T: Float>(
    model: &Model<T>,
    primer: &[u32],
    len: usize,
    temperature: f64,
    seed: u64,
) -> Result<Vec<u32>, String> {
    if primer.is_empty() {
        return Err("the primer has no token of the model's vocabulary; give a primer made of characters (or words) of the training text".into());
    }
    if !(temperature >= 0.0 && temperature.is_finite()) {
        return Err(format!("temperature must be ≥ 0, got {temperature}"));
    }
    let v = model.config.vocab;
    let mut rng = Rng::derive(seed, 0x5a3b1e);
    let state = LstmState::zeros(&model.config.lstm(), 1);
    let (logits, mut state) = model.logits(primer, primer.len(), 1, &state);
    let mut last: Vec<f64> = logits[(primer.len() - 1) * v..]
        .iter()
        .map(|z| z.to_f64())
        .collect();
    let mut out = Vec::with_capacity(len);
    for _ in 0..len {
        let next = draw(&last, temperature, &mut rng) as u32;
        out.push(next);
        let (logits, s) = model.logits(&[next], 1, 1, &state);
        state = s;
        last = logits.iter().map(|z| z.to_f64()).collect();
    }
    Ok(out)
}

/// One draw from softmax(logits / temperature), by inverting the CDF.
fn draw(logits: &[f64], temperature: f64, rng: &mut Rng) -> usize {
    let argmax = logits
        .iter()
        .enumerate()
        .fold(0, |best, (i, &z)| if z > logits[best] { i } else { best });
    if temperature == 0.0 {
        return argmax;
    }
    let max = logits[argmax];
    let weights: Vec<f64> = logits
        .iter()
        .map(|&z| ((z - max) / temperature).exp())
        .collect();
    let mut u = rng.uniform() * weights.iter().sum::<f64>();
    for (i, &w) in weights.iter().enumerate() {
        if u < w {
            return i;
        }
        u -= w;
    }
    argmax
}

#[cfg(test)]
mod tests;
