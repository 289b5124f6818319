//! The training web worker built with the cargo feature `relaxed-simd` (its
//! products use fused multiply-adds); the page loads it only where the
//! engine has relaxed SIMD (`batchscope::web::worker_build`).

fn main() {
    batchscope::web::step_worker::run_in_worker();
}
