use super::*;

#[test]
fn results_come_back_in_job_order_for_any_thread_count() {
    let jobs: Vec<u64> = (0..37).collect();
    // Uneven work, so the jobs finish out of order on several threads.
    let work = |&n: &u64| (0..(37 - n) * 1000).fold(n, |acc, i| acc.wrapping_mul(31) ^ i);
    let one = parallel_map(&jobs, 1, work);
    for threads in [2, 3, 8, 100] {
        assert_eq!(parallel_map(&jobs, threads, work), one, "{threads} threads");
    }
    assert!(parallel_map(&[] as &[u64], 4, work).is_empty());
}
