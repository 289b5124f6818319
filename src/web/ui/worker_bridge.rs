//! `use_step_worker`: the training worker as the page holds it — spawned
//! from `worker.js`, sent requests (queued until it says it listens), and
//! ended and replaced whenever the page wants: a step it no longer needs, or
//! a worker that died. Its replies and its death reach one callback.

use std::rc::Rc;

use gloo_worker::{Bincode, Codec};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::training::worker_watch::Death;
use crate::web::step_worker::{ToPage, WorkerReply, WorkerRequest};
use crate::web::worker_build::WorkerBuild;

/// What the page hears from its worker.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkerNews {
    Reply(WorkerReply),
    Died(Death),
}

/// A handle to the worker; cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct StepWorker {
    live: StoredValue<Live, LocalStorage>,
}

struct Live {
    worker: Option<web_sys::Worker>,
    /// Bumped for every worker started: news from an ended one is dropped.
    generation: u32,
    /// The worker said `Ready`; until then requests wait in `queue`.
    ready: bool,
    queue: Vec<WorkerRequest>,
    on_news: Rc<dyn Fn(WorkerNews)>,
}

/// A worker for the page's stepping run; `on_news` hears its replies and
/// its death. The worker starts with the first request.
pub fn use_step_worker(on_news: impl Fn(WorkerNews) + 'static) -> StepWorker {
    let worker = StepWorker {
        live: StoredValue::new_local(Live {
            worker: None,
            generation: 0,
            ready: false,
            queue: Vec::new(),
            on_news: Rc::new(on_news),
        }),
    };
    on_cleanup(move || worker.end());
    worker
}

impl StepWorker {
    /// Sends `request`, starting a worker if there is none.
    pub fn send(&self, request: WorkerRequest) {
        if self.live.with_value(|l| l.worker.is_none()) {
            self.start();
        }
        self.live.update_value(|l| match (&l.worker, l.ready) {
            (Some(worker), true) => post(worker, &request),
            _ => l.queue.push(request),
        });
    }

    /// Ends the worker at once, whatever it is doing (a step is not waited
    /// for), and starts a fresh one; requests not yet sent are dropped.
    pub fn replace(&self) {
        self.end();
        self.start();
    }

    /// Ends the worker; the next request starts a new one.
    pub fn end(&self) {
        self.live.try_update_value(|l| {
            if let Some(worker) = l.worker.take() {
                worker.terminate();
            }
            l.generation += 1;
            l.ready = false;
            l.queue.clear();
        });
    }

    fn start(&self) {
        let generation = self.live.with_value(|l| l.generation);
        let live = self.live;
        // No borrow of `live` is held while the callback runs: it may send
        // requests or replace this very worker.
        let deliver = move |news: WorkerNews| {
            let Some((current, on_news)) =
                live.try_with_value(|l| (l.generation, Rc::clone(&l.on_news)))
            else {
                return;
            };
            if current == generation {
                on_news(news);
            }
        };
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                match Bincode::decode::<ToPage>(e.data()) {
                    ToPage::Ready => live.update_value(|l| {
                        if l.generation == generation {
                            l.ready = true;
                            if let Some(worker) = &l.worker {
                                l.queue.drain(..).for_each(|r| post(worker, &r));
                            }
                        }
                    }),
                    ToPage::Reply(reply) => deliver(WorkerNews::Reply(reply)),
                    ToPage::Panicked(message) => {
                        deliver(WorkerNews::Died(Death::Panicked(message)))
                    }
                }
            });
        let on_error =
            Closure::<dyn Fn(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
                // Said on the page in words; not left for the console.
                e.prevent_default();
                deliver(WorkerNews::Died(Death::Failed(e.message())));
            });
        match web_sys::Worker::new(&loader_url()) {
            Ok(worker) => {
                worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
                self.live.update_value(|l| l.worker = Some(worker));
            }
            Err(_) => {
                let _ = set_timeout_with_handle(
                    move || {
                        deliver(WorkerNews::Died(Death::Failed(
                            "the browser refused to start a worker".into(),
                        )))
                    },
                    std::time::Duration::ZERO,
                );
            }
        }
        // An ended worker may still have an error queued for the page: its
        // handlers stay valid (they drop news of an old generation).
        on_message.forget();
        on_error.forget();
    }
}

fn post(worker: &web_sys::Worker, request: &WorkerRequest) {
    let _ = worker.post_message(&Bincode::encode(request));
}

/// A script that loads `worker.js` (Trunk's classic worker, built with
/// wasm-bindgen's no-modules target), or its relaxed-SIMD build where the
/// engine has relaxed SIMD, and starts its wasm, as a blob URL.
fn loader_url() -> String {
    let build = WorkerBuild::of_this_engine();
    let base = window().location().href().unwrap_or_default();
    let absolute = |path: &str| {
        web_sys::Url::new_with_base(path, &base)
            .map(|u| u.href())
            .unwrap_or_else(|_| path.to_string())
    };
    let script = format!(
        "importScripts({:?}); wasm_bindgen({:?});",
        absolute(&build.script("worker")),
        absolute(&build.wasm("worker"))
    );
    let parts = js_sys::Array::of1(&JsValue::from_str(&script));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/javascript");
    web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .and_then(|blob| web_sys::Url::create_object_url_with_blob(&blob))
        .unwrap_or_default()
}
