//! The products against a naive triple loop, every shape and edge.

use super::*;
use crate::nn::rng::Rng;

fn naive(a: MatRef<f64>, b: MatRef<f64>) -> Vec<f64> {
    let mut c = vec![0.0; a.rows * b.cols];
    for i in 0..a.rows {
        for j in 0..b.cols {
            c[i * b.cols + j] = (0..a.cols).map(|k| a.at(i, k) * b.at(k, j)).sum();
        }
    }
    c
}

fn random(rng: &mut Rng, n: usize) -> Vec<f64> {
    (0..n).map(|_| rng.uniform_range(-1.0, 1.0)).collect()
}

#[test]
fn side_by_side_equals_two_products() {
    let mut rng = Rng::new(6);
    let (m, k, n1, n2) = (13, 40, 7, 21);
    let a = random(&mut rng, k * m);
    let (b1, b2) = (random(&mut rng, k * n1), random(&mut rng, k * n2));
    let av = MatRef::new(&a, k, m).t();
    let mut both = vec![0.0; m * (n1 + n2)];
    gemm_side_by_side(
        &mut both,
        av,
        &[MatRef::new(&b1, k, n1), MatRef::new(&b2, k, n2)],
        false,
        &mut GemmScratch::default(),
    );
    let (w1, w2) = (
        naive(av, MatRef::new(&b1, k, n1)),
        naive(av, MatRef::new(&b2, k, n2)),
    );
    for i in 0..m {
        for j in 0..n1 + n2 {
            let want = if j < n1 {
                w1[i * n1 + j]
            } else {
                w2[i * n2 + j - n1]
            };
            assert!((both[i * (n1 + n2) + j] - want).abs() < 1e-12);
        }
    }
}

#[test]
fn all_three_shapes_and_edges_match_naive_in_f32_and_f64() {
    let mut rng = Rng::new(5);
    let mut s32 = GemmScratch::<f32>::default();
    let mut s64 = GemmScratch::<f64>::default();
    for &(m, k, n) in &[
        (1, 1, 1),
        (7, 3, 17),
        (64, 128, 512),
        (13, 300, 33),
        (6, 16, 16),
        (5, 0, 4),
    ] {
        let a = random(&mut rng, m * k);
        let b = random(&mut rng, k * n);
        let c0 = random(&mut rng, m * n);
        // A·B, A·Bᵀ (B stored n×k), Aᵀ·B (A stored k×m).
        let views: [(MatRef<f64>, MatRef<f64>); 3] = [
            (MatRef::new(&a, m, k), MatRef::new(&b, k, n)),
            (MatRef::new(&a, m, k), MatRef::new(&b, n, k).t()),
            (MatRef::new(&a, k, m).t(), MatRef::new(&b, k, n)),
        ];
        for (av, bv) in views {
            let want = naive(av, bv);
            let mut c = c0.clone();
            gemm(&mut c, n, av, bv, true, &mut s64);
            for i in 0..m * n {
                assert!((c[i] - c0[i] - want[i]).abs() < 1e-12, "f64 {m}×{k}×{n}");
            }
            let a32: Vec<f32> = av.data.iter().map(|&x| x as f32).collect();
            let b32: Vec<f32> = bv.data.iter().map(|&x| x as f32).collect();
            let av32 = MatRef {
                data: &a32,
                rows: av.rows,
                cols: av.cols,
                rs: av.rs,
                cs: av.cs,
            };
            let bv32 = MatRef {
                data: &b32,
                rows: bv.rows,
                cols: bv.cols,
                rs: bv.rs,
                cs: bv.cs,
            };
            let mut c = vec![9f32; m * n];
            gemm(&mut c, n, av32, bv32, false, &mut s32);
            for i in 0..m * n {
                assert!(
                    (c[i] as f64 - want[i]).abs() < 1e-4 * (k as f64).sqrt().max(1.0),
                    "f32 {m}×{k}×{n}"
                );
            }
        }
    }
}
