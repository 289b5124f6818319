#![cfg(not(target_arch = "wasm32"))]
//! An embedded input (token ids into a table) against the same rows given
//! as dense vectors: the same outputs bit for bit (the input product's rows
//! are the same sums), and dL/dtable equal to dL/dx summed per token id.

use batchscope::nn::lstm::{Lstm, LstmCache, LstmGrads, LstmInput, LstmState};
use batchscope::nn::rng::Rng;

fn random(rng: &mut Rng, n: usize, scale: f64) -> Vec<f32> {
    (0..n)
        .map(|_| rng.uniform_range(-scale, scale) as f32)
        .collect()
}

#[test]
fn embedded_ids_match_the_same_rows_given_densely() {
    let mut rng = Rng::new(21);
    let (vocab, input, hidden, layers, seq_len, bs) = (11, 5, 24, 2, 9, 16);
    let lstm = Lstm::new(input, hidden, layers);
    let params = random(&mut rng, lstm.num_params(), 0.3);
    let table = random(&mut rng, vocab * input, 1.0);
    let ids: Vec<u32> = (0..seq_len * bs)
        .map(|_| rng.below(vocab as u64) as u32)
        .collect();
    let x: Vec<f32> = ids
        .iter()
        .flat_map(|&id| table[id as usize * input..(id as usize + 1) * input].to_vec())
        .collect();
    let start = LstmState {
        h: random(&mut rng, layers * bs * hidden, 0.5),
        c: random(&mut rng, layers * bs * hidden, 0.5),
    };
    let (mut dense, mut embedded) = (LstmCache::default(), LstmCache::default());
    let last_dense = lstm.forward_into(&params, &x, seq_len, bs, &start, &mut dense);
    let last_embedded = lstm.forward_input_into(
        &params,
        LstmInput::Embedded {
            ids: &ids,
            table: &table,
        },
        seq_len,
        bs,
        &start,
        &mut embedded,
    );
    assert_eq!(dense.output(), embedded.output());
    assert_eq!(last_dense, last_embedded);

    let dout = random(&mut rng, seq_len * bs * hidden, 1.0);
    let (mut gd, mut ge) = (LstmGrads::default(), LstmGrads::default());
    lstm.backward_into(&params, &dout, &dense, &mut gd);
    lstm.backward_into(&params, &dout, &embedded, &mut ge);
    let close = |a: &[f32], b: &[f32], what: &str| {
        let scale = a.iter().fold(0f32, |m, v| m.max(v.abs()));
        for (i, (p, q)) in a.iter().zip(b).enumerate() {
            assert!((p - q).abs() <= 1e-5 * scale, "{what}[{i}]: {p} vs {q}");
        }
    };
    assert_eq!(gd.params.len(), ge.params.len());
    close(&gd.params, &ge.params, "dparams");
    assert_eq!(gd.cell_grad_norms, ge.cell_grad_norms);
    let mut dtable = vec![0f32; vocab * input];
    for (&id, dx) in ids.iter().zip(gd.input.chunks_exact(input)) {
        for (t, d) in dtable[id as usize * input..].iter_mut().zip(dx) {
            *t += d;
        }
    }
    assert_eq!(ge.table.len(), vocab * input);
    close(&dtable, &ge.table, "dtable");
}
