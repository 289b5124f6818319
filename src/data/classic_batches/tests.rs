use super::*;

fn cfg(examples: usize, bs: usize, drop_last: bool, shuffle: bool) -> ClassicConfig {
    ClassicConfig {
        examples,
        bs,
        drop_last,
        shuffle,
        seed: 9,
    }
}

#[test]
fn ten_examples_bs_four_give_three_batches_not_four() {
    let c = cfg(10, 4, false, false);
    assert_eq!(
        (c.batches_per_epoch(), c.last_batch_size(), c.dropped()),
        (3, 2, 0)
    );
    let e = c.epoch(0).unwrap();
    let batches: Vec<&[usize]> = e.batches().collect();
    assert_eq!(batches, vec![&[0, 1, 2, 3][..], &[4, 5, 6, 7], &[8, 9]]);
    assert_eq!(e.batch(2), &[8, 9]);
    assert_eq!(e.len(), 3);
}

#[test]
fn drop_last_removes_the_partial_batch() {
    let c = cfg(10, 4, true, false);
    assert_eq!(
        (c.batches_per_epoch(), c.last_batch_size(), c.dropped()),
        (2, 4, 2)
    );
    assert_eq!(c.epoch(0).unwrap().order(), &[0, 1, 2, 3, 4, 5, 6, 7]);
    let c = cfg(3, 4, true, false);
    assert_eq!(
        (c.batches_per_epoch(), c.last_batch_size(), c.dropped()),
        (0, 0, 3)
    );
    assert!(c.epoch(0).unwrap().is_empty());
    let c = cfg(8, 4, true, false);
    assert_eq!(
        (c.batches_per_epoch(), c.last_batch_size(), c.dropped()),
        (2, 4, 0)
    );
}

#[test]
fn shuffle_is_a_seeded_permutation_per_epoch() {
    let c = cfg(50, 7, false, true);
    let (a, b) = (c.epoch(0).unwrap(), c.epoch(1).unwrap());
    assert_eq!(a, c.epoch(0).unwrap());
    assert_ne!(a.order(), b.order());
    let mut sorted = a.order().to_vec();
    sorted.sort();
    assert_eq!(sorted, (0..50).collect::<Vec<_>>());
    assert_ne!(a.order(), sorted.as_slice());
    let other_seed = ClassicConfig { seed: 10, ..c };
    assert_ne!(other_seed.epoch(0).unwrap().order(), a.order());
}

#[test]
fn invalid_configs_are_errors() {
    assert_eq!(
        cfg(10, 0, false, false).epoch(0).unwrap_err(),
        ClassicError::ZeroBs
    );
    assert_eq!(
        cfg(0, 4, false, false).epoch(0).unwrap_err(),
        ClassicError::NoExamples
    );
}
