//! `use_batch_worker`: spawns the worker and exposes its latest reply as a signal.

use gloo_worker::{Spawnable, WorkerBridge};
use leptos::prelude::*;

use crate::worker::{BatchWorker, WorkerReply, WorkerRequest};

/// A handle to the worker; cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct BatchWorkerHandle {
    bridge: StoredValue<WorkerBridge<BatchWorker>, LocalStorage>,
    /// The most recent reply, `None` until the worker first answers.
    pub reply: ReadSignal<Option<WorkerReply>>,
}

impl BatchWorkerHandle {
    pub fn send(&self, request: WorkerRequest) {
        self.bridge.with_value(|bridge| bridge.send(request));
    }
}

/// Spawns `worker.js` (Trunk's worker bin; classic, not module, worker).
pub fn use_batch_worker() -> BatchWorkerHandle {
    let (reply, set_reply) = signal(None);
    let bridge = BatchWorker::spawner()
        .as_module(false)
        .callback(move |out| set_reply.set(Some(out)))
        .spawn("./worker.js");
    BatchWorkerHandle { bridge: StoredValue::new_local(bridge), reply }
}
