use super::*;

#[test]
fn shards_cover_every_stream_once_and_differ_by_at_most_one() {
    for bs in 1..40 {
        for count in 1..=bs.min(9) {
            let ranges: Vec<_> = (0..count).map(|k| streams(bs, count, k)).collect();
            assert_eq!(ranges[0].start, 0);
            assert_eq!(ranges[count - 1].end, bs);
            for pair in ranges.windows(2) {
                assert_eq!(pair[0].end, pair[1].start, "bs {bs}, {count} shards");
            }
            let sizes: Vec<usize> = ranges.iter().map(|r| r.len()).collect();
            let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            assert!(max - min <= 1 && *min >= 1, "bs {bs}: {sizes:?}");
        }
    }
}

#[test]
fn gathering_then_scattering_columns_gives_the_matrix_back() {
    let (rows, width) = (3, 10);
    let whole: Vec<u32> = (0..(rows * width) as u32).collect();
    let mut again = vec![0; whole.len()];
    for cols in [0..4, 4..7, 7..10] {
        let mut part = Vec::new();
        gather_columns(&mut part, &whole, rows, width, cols.clone());
        assert_eq!(part.len(), rows * cols.len());
        assert_eq!(part[0], cols.start as u32);
        scatter_columns(&mut again, &part, rows, width, cols);
    }
    assert_eq!(again, whole);
}
