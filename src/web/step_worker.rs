//! The web worker that trains off the page's thread, and the messages the page
//! exchanges with it.
//!
//! It runs the same core as the CLI (`Stepper` over `Trainer`), so a step's
//! loss here is what `batchscope train` prints for the same settings.

use gloo_worker::{HandlerId, Worker, WorkerScope};
use serde::{Deserialize, Serialize};

use crate::data::corpus::{Corpus, TokenLevel};
use crate::page::settings::{Settings, OWN_TEXT};
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

/// What the worker answers, tagged with the request's run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkerReply {
    pub run: u32,
    pub event: Event,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// The learner's text arrived.
    TextSet,
    /// The run is ready at step 0; `vocab` and `params` describe the model.
    Loaded { vocab: usize, params: usize },
    /// One real training step; `ms` is its wall-clock time in the worker.
    /// `back` = steps "◀ back" can still undo (bounded by memory).
    Stepped {
        report: StepReport,
        ms: f64,
        back: usize,
    },
    /// The last step was undone; `steps` remain.
    WentBack { steps: usize, back: usize },
    /// The run is back at step 0.
    WasReset,
    /// The request cannot be done; the sentence is for the learner.
    Refused(String),
}

/// The training worker.
#[derive(Default)]
pub struct BatchWorker {
    stepper: Option<Stepper>,
    own_text: Vec<String>,
    /// The last corpus tokenised, by (corpus id, token level): dragging a
    /// slider sends a `Load` per value, and a large text must not be
    /// tokenised again for each.
    corpus: Option<((String, TokenLevel), Corpus)>,
}

impl BatchWorker {
    fn corpus(&mut self, settings: &Settings) -> Result<Corpus, String> {
        let key = (settings.corpus.clone(), settings.tokens);
        if let Some((k, corpus)) = &self.corpus {
            if *k == key {
                return Ok(corpus.clone());
            }
        }
        let docs = if settings.corpus == OWN_TEXT {
            self.own_text.clone()
        } else {
            crate::data::corpora::documents(&settings.corpus)
                .ok_or_else(|| format!("unknown corpus `{}`", settings.corpus))?
        };
        let corpus = Corpus::from_documents(&docs, settings.tokens).map_err(|e| e.to_string())?;
        self.corpus = Some((key, corpus.clone()));
        Ok(corpus)
    }

    fn load(&mut self, settings: &Settings) -> Result<Stepper, String> {
        Stepper::new(&self.corpus(settings)?, settings)
    }

    fn handle(&mut self, command: Command, mut reply: impl FnMut(Event)) {
        if let Command::SetText(documents) = command {
            self.own_text = documents;
            self.corpus = None;
            return reply(Event::TextSet);
        }
        if let Command::Load(settings) = &command {
            match self.load(settings) {
                Ok(stepper) => {
                    let (vocab, params) = (
                        stepper.trainer().model.config.vocab,
                        stepper.trainer().model.params.len(),
                    );
                    self.stepper = Some(stepper);
                    reply(Event::Loaded { vocab, params });
                }
                Err(reason) => {
                    self.stepper = None;
                    reply(Event::Refused(reason));
                }
            }
            return;
        }
        let Some(stepper) = self.stepper.as_mut() else {
            return reply(Event::Refused(
                "nothing to train: the current settings cannot be batched".into(),
            ));
        };
        let step = |stepper: &mut Stepper| {
            let started = js_sys::Date::now();
            match stepper.step() {
                Ok(report) => Event::Stepped {
                    report,
                    ms: js_sys::Date::now() - started,
                    back: stepper.back_remaining(),
                },
                Err(reason) => Event::Refused(reason),
            }
        };
        match command {
            Command::Load(_) | Command::SetText(_) => unreachable!("handled above"),
            Command::Step => reply(step(stepper)),
            Command::Back => {
                if stepper.back() {
                    reply(Event::WentBack {
                        steps: stepper.steps(),
                        back: stepper.back_remaining(),
                    });
                } else {
                    reply(Event::Refused(
                        "nothing to undo: this is the first batch (or the oldest step kept)".into(),
                    ));
                }
            }
            Command::Reset => {
                stepper.reset();
                reply(Event::WasReset);
            }
            Command::ReplayTo(steps) => {
                stepper.reset();
                reply(Event::WasReset);
                for _ in 0..steps {
                    let event = step(stepper);
                    let stop = matches!(event, Event::Refused(_));
                    reply(event);
                    if stop {
                        break;
                    }
                }
            }
        }
    }
}

impl Worker for BatchWorker {
    type Message = ();
    type Input = WorkerRequest;
    type Output = WorkerReply;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        BatchWorker::default()
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Self::Input, id: HandlerId) {
        let run = msg.run;
        self.handle(msg.command, |event| {
            scope.respond(id, WorkerReply { run, event })
        });
    }
}
