//! Independent jobs on every core: a shared queue (an atomic index into the
//! job list) that `threads` workers take from until it is empty.
//!
//! The results come back in job order, whatever the number of threads or the
//! order the jobs finish in, so a job that depends only on its own input
//! gives the same output with 1 thread or 8.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;

/// `work` applied to every job on up to `threads` threads (the caller's
/// thread is one of them), results in job order. If the platform cannot
/// start a thread (wasm32 without threads), fewer workers do all the jobs.
pub fn parallel_map<J: Sync, R: Send>(
    jobs: &[J],
    threads: usize,
    work: impl Fn(&J) -> R + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new(jobs.iter().map(|_| None).collect());
    let worker = || loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let Some(job) = jobs.get(index) else { break };
        let result = work(job);
        results.lock().expect("a worker panicked")[index] = Some(result);
    };
    thread::scope(|scope| {
        for _ in 1..threads.clamp(1, jobs.len().max(1)) {
            // A thread that cannot start leaves its share to the others.
            let _ = thread::Builder::new().spawn_scoped(scope, worker);
        }
        worker();
    });
    results
        .into_inner()
        .expect("a worker panicked")
        .into_iter()
        .map(|result| result.expect("every job was taken by a worker"))
        .collect()
}

#[cfg(test)]
mod tests {
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
}
