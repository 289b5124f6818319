//! The training web worker (Trunk `data-type="worker"`): heavy work runs here
//! so the page never freezes.

use gloo_worker::Registrable;

fn main() {
    console_error_panic_hook::set_once();
    batchscope::web::step_worker::BatchWorker::registrar().register();
}
