//! The race's web worker (Trunk `data-type="worker"`): one per run of a race,
//! so runs train side by side on the machine's cores.

fn main() {
    batchscope::web::race_worker::run_in_worker();
}
