//! The race's web worker (Trunk `data-type="worker"`): one per run of a race,
//! so runs train side by side on the machine's cores.

use gloo_worker::Registrable;

fn main() {
    batchscope::web::race_worker::install_panic_hook();
    batchscope::web::race_worker::RaceWorker::registrar().register();
}
