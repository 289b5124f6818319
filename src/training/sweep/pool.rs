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
mod tests;
