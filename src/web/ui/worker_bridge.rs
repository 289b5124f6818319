//! `use_batch_worker`: spawns the training worker and hands its replies to a callback.

use gloo_worker::{Spawnable, WorkerBridge};
use leptos::prelude::*;

use crate::web::step_worker::{BatchWorker, WorkerReply, WorkerRequest};

/// A handle to the worker; cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct BatchWorkerHandle {
    bridge: StoredValue<WorkerBridge<BatchWorker>, LocalStorage>,
}

impl BatchWorkerHandle {
    pub fn send(&self, request: WorkerRequest) {
        self.bridge.with_value(|bridge| bridge.send(request));
    }
}

/// Spawns `worker.js` (Trunk's worker bin: a classic, not module, worker).
pub fn use_batch_worker(on_reply: impl Fn(WorkerReply) + 'static) -> BatchWorkerHandle {
    let bridge = BatchWorker::spawner()
        .as_module(false)
        .callback(on_reply)
        .spawn("./worker.js");
    BatchWorkerHandle {
        bridge: StoredValue::new_local(bridge),
    }
}
