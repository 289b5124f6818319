//! The training web worker (Trunk `data-type="worker"`): heavy work runs here
//! so the page never freezes.

fn main() {
    batchscope::web::step_worker::run_in_worker();
}
