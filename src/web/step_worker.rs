//! The web worker that trains off the page's thread, and the messages the page
//! exchanges with it.
//!
//! It runs the same core as the CLI (`Stepper` over `Trainer`), so a step's
//! loss here is what `batchscope train` prints for the same settings.
//!
//! The page spawns it and may end it at any time (a long step it no longer
//! wants, or a worker that died), so the protocol is the page's own rather
//! than gloo-worker's bridge, which can neither end a worker nor report its
//! death: requests and [`ToPage`] messages travel as bincode (gloo-worker's
//! codec), and the worker says [`ToPage::Ready`] once it listens.

use std::cell::RefCell;

use gloo_worker::{Bincode, Codec};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::data::corpus::{Corpus, TokenLevel};
use crate::page::settings::{Settings, OWN_TEXT};
use crate::training::memory_budget::{RunShape, WORKER_BUDGET_BYTES};
use crate::training::stepper::Stepper;
use crate::training::trainer::StepReport;

/// What the page asks. `run` tags every request so that replies to a run the
/// page has already replaced are recognised and dropped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkerRequest {
    pub run: u32,
    pub command: Command,
}

/// The stepping commands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// The learner's own documents, used by runs whose corpus is
    /// [`OWN_TEXT`]; sent once per new text, not with every `Load`.
    SetText(Vec<String>),
    /// Start a new run for these settings (the corpus they name).
    Load(Settings),
    /// Train on the next mini-batch.
    Step,
    /// Undo the last step.
    Back,
    /// Back to the initial model and batch 0.
    Reset,
    /// Reset, then replay until `steps` steps are done (one reply per step).
    ReplayTo(usize),
}

/// Everything the worker says to the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ToPage {
    /// The worker listens: requests sent before this were queued by the page.
    Ready,
    Reply(WorkerReply),
    /// The worker panicked (a bug) with this message; it cannot go on.
    Panicked(String),
}

/// What the worker answers, tagged with the request's run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkerReply {
    pub run: u32,
    pub event: Event,
    /// The request's last reply (`ReplayTo` answers once per step, and stops
    /// early at a refusal): the page counts requests, not replies.
    pub done: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// The learner's text arrived.
    TextSet,
    /// The run is ready at step 0. `step_flops`: the cost of its longest
    /// step, for how long the page waits before it takes silence for a dead
    /// worker.
    Loaded { step_flops: f64 },
    /// One real training step; `back` = steps "◀ back" can still undo
    /// (bounded by memory).
    Stepped { report: StepReport, back: usize },
    /// The last step was undone; `back` more can be.
    WentBack { back: usize },
    /// The run is back at step 0.
    WasReset,
    /// The request cannot be done; the sentence is for the learner.
    Refused(String),
}

/// The training worker.
pub struct BatchWorker {
    /// The run, or why there is none (for the learner).
    stepper: Result<Stepper, String>,
    own_text: Vec<String>,
    /// The last corpus tokenised, by (corpus id, token level), with the bytes
    /// of its text: dragging a slider sends a `Load` per value, and a large
    /// text must not be tokenised again for each.
    corpus: Option<((String, TokenLevel), Corpus, usize)>,
    /// The cost of the run's longest step.
    step_flops: f64,
}

impl Default for BatchWorker {
    fn default() -> Self {
        BatchWorker {
            stepper: Err("nothing to train: the current settings cannot be batched".into()),
            own_text: Vec::new(),
            corpus: None,
            step_flops: 0.0,
        }
    }
}

impl BatchWorker {
    /// The corpus of `settings` and the bytes of its text.
    fn corpus(&mut self, settings: &Settings) -> Result<(Corpus, usize), String> {
        let key = (settings.corpus.clone(), settings.tokens);
        if let Some((k, corpus, bytes)) = &self.corpus {
            if *k == key {
                return Ok((corpus.clone(), *bytes));
            }
        }
        let docs = if settings.corpus == OWN_TEXT {
            self.own_text.clone()
        } else {
            crate::data::corpora::documents(&settings.corpus)
                .ok_or_else(|| format!("unknown corpus `{}`", settings.corpus))?
        };
        let bytes = docs.iter().map(String::len).sum();
        let corpus = Corpus::from_documents(&docs, settings.tokens).map_err(|e| e.to_string())?;
        self.corpus = Some((key, corpus.clone(), bytes));
        Ok((corpus, bytes))
    }

    /// A run for `settings`, refused before anything big is allocated when
    /// it would not fit the worker's memory budget.
    fn load(&mut self, settings: &Settings) -> Result<Stepper, String> {
        let (corpus, bytes) = self.corpus(settings)?;
        let shape = RunShape::stepping(settings, corpus.num_tokens(), corpus.vocab_size(), bytes);
        shape.check(WORKER_BUDGET_BYTES)?;
        self.step_flops = shape.step_flops();
        Stepper::new(&corpus, settings)
    }

    /// Answers one command through `reply(event, done)`; `done` marks the
    /// command's last reply.
    pub fn handle(&mut self, command: Command, mut reply: impl FnMut(Event, bool)) {
        if let Command::SetText(documents) = command {
            self.own_text = documents;
            self.corpus = None;
            return reply(Event::TextSet, true);
        }
        if let Command::Load(settings) = &command {
            // The old run goes first: its memory is free for the new one.
            self.stepper = Err(String::new());
            self.stepper = self.load(settings);
            let event = match &self.stepper {
                Ok(_) => Event::Loaded {
                    step_flops: self.step_flops,
                },
                Err(reason) => Event::Refused(reason.clone()),
            };
            return reply(event, true);
        }
        let stepper = match self.stepper.as_mut() {
            Ok(stepper) => stepper,
            // Every press says why this run cannot train.
            Err(reason) => return reply(Event::Refused(reason.clone()), true),
        };
        let step = |stepper: &mut Stepper| match stepper.step() {
            Ok(report) => Event::Stepped {
                report,
                back: stepper.back_remaining(),
            },
            Err(reason) => Event::Refused(reason),
        };
        match command {
            Command::Load(_) | Command::SetText(_) => unreachable!("handled above"),
            Command::Step => reply(step(stepper), true),
            Command::Back => {
                let event = if stepper.back() {
                    Event::WentBack {
                        back: stepper.back_remaining(),
                    }
                } else {
                    Event::Refused(
                        "nothing to undo: this is the first batch (or the oldest step kept)".into(),
                    )
                };
                reply(event, true);
            }
            Command::Reset => {
                stepper.reset();
                reply(Event::WasReset, true);
            }
            Command::ReplayTo(steps) => {
                stepper.reset();
                reply(Event::WasReset, steps == 0);
                for done in 1..=steps {
                    let event = step(stepper);
                    let stop = matches!(event, Event::Refused(_));
                    reply(event, stop || done == steps);
                    if stop {
                        break;
                    }
                }
            }
        }
    }
}

/// Runs the worker: listens for requests and answers them; a panic is
/// reported to the page (in place of the console: the page says it in
/// words) before the worker stops.
pub fn run_in_worker() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let post = {
        let scope = scope.clone();
        move |message: ToPage| {
            let _ = scope.post_message(&Bincode::encode(message));
        }
    };
    let report = post.clone();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "an unexpected error".to_string());
        report(ToPage::Panicked(message));
    }));
    let worker = RefCell::new(BatchWorker::default());
    let reply = post.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let request: WorkerRequest = Bincode::decode(event.data());
            // A worker that panicked is ended by the page; nothing more to do here.
            let Ok(mut worker) = worker.try_borrow_mut() else {
                return;
            };
            let run = request.run;
            worker.handle(request.command, |event, done| {
                reply(ToPage::Reply(WorkerReply { run, event, done }))
            });
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(ToPage::Ready);
}
