//! The race's web worker: one instance per run, training that run without a
//! pause until told otherwise (its messages are in
//! [`crate::training::race::messages`]).
//!
//! Training goes in slices of about [`SLICE_MS`]: steps until the slice is
//! used up, then a 0 ms timeout before the next slice, so Pause, Stop,
//! Sample and Export messages (which queue behind the running slice) are
//! handled within a slice's time. Points are sent in batches at most every
//! [`REPORT_MS`], which also keeps the page's stats text to a few updates a
//! second however fast a small batch trains.

use std::cell::RefCell;

use gloo_worker::{HandlerId, Registrable, Worker, WorkerScope};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

use crate::data::corpus::Corpus;
use crate::page::settings::OWN_TEXT;
use crate::training::race::history::DEFAULT_SMOOTHING;
use crate::training::race::messages::{RaceCommand, RaceEvent};
use crate::training::race::run::RaceRun;
use crate::training::race::validation::VALIDATE_EVERY_TOKENS;
use crate::training::race::RunConfig;
use crate::web::sweep_session::SweepSession;

/// Training time of one slice before the worker looks at its messages.
pub const SLICE_MS: f64 = 50.0;
/// Shortest time between two progress reports.
pub const REPORT_MS: f64 = 200.0;

/// Wakes the worker for its next slice.
pub struct NextSlice;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Training,
    Paused,
    Stopped,
}

/// A race run in its worker.
struct Session {
    run: RaceRun,
    corpus: Corpus,
    /// Training time so far (pauses and reports excluded), ms.
    trained_ms: f64,
    /// Points of `run.history` already sent.
    reported: usize,
    last_report_ms: f64,
}

/// One run's worker (see the module docs).
pub struct RaceWorker {
    session: Option<Session>,
    /// A sweep run, when the worker trains one instead.
    sweep: Option<SweepSession>,
    mode: Mode,
    /// Who started the run: progress goes there.
    page: Option<HandlerId>,
    /// A slice is scheduled (at most one at a time, however often Resume is sent).
    scheduled: bool,
}

/// How a crash report reaches the page.
type CrashReport = Box<dyn Fn(String)>;

thread_local! {
    /// Sends a crash report to the page; set when a run starts (see [`install_panic_hook`]).
    static CRASH_REPORT: RefCell<Option<CrashReport>> = const { RefCell::new(None) };
}

/// Panics still reach the console (they are bugs), and the page also hears
/// of them so it can mark the run crashed and offer a restart; gloo-worker
/// does not expose the Worker's `onerror`.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let message = info.to_string();
        let _ = CRASH_REPORT.try_with(|report| {
            if let Ok(report) = report.try_borrow() {
                if let Some(report) = report.as_ref() {
                    report(message);
                }
            }
        });
    }));
}

/// Runs the worker: the panic hook, then gloo-worker's registrar answers
/// the page's messages.
pub fn run_in_worker() {
    install_panic_hook();
    RaceWorker::registrar().register();
}

/// The worker's clock, in ms (`performance.now()` where there is one).
pub fn now_ms() -> f64 {
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).ok();
    let now = performance
        .as_ref()
        .and_then(|p| js_sys::Reflect::get(p, &"now".into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match (performance, now) {
        (Some(p), Some(now)) => now
            .call0(&p)
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or_else(js_sys::Date::now),
        _ => js_sys::Date::now(),
    }
}

/// The text a run trains on: `documents` sent by the page (the learner's
/// own text), or the embedded corpus `corpus`.
pub fn run_documents(documents: Option<Vec<String>>, corpus: &str) -> Result<Vec<String>, String> {
    match documents {
        Some(docs) => Ok(docs),
        None if corpus == OWN_TEXT => Err("no text was sent for this run".into()),
        None => crate::data::corpora::documents(corpus)
            .ok_or_else(|| format!("unknown corpus `{corpus}`")),
    }
}

/// Runs `f` from a 0 ms timeout: after the messages already queued.
fn after_queued_messages(f: impl FnOnce() + 'static) {
    let global = js_sys::global();
    if let Ok(set_timeout) = js_sys::Reflect::get(&global, &"setTimeout".into())
        .and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = set_timeout.call2(&global, &Closure::once_into_js(f), &JsValue::from(0));
    }
}

impl Session {
    fn start(documents: Option<Vec<String>>, config: RunConfig) -> Result<Session, String> {
        let documents = run_documents(documents, &config.settings.corpus)?;
        let (run, corpus) = RaceRun::from_documents(&documents, config, VALIDATE_EVERY_TOKENS)?;
        Ok(Session {
            run,
            corpus,
            trained_ms: 0.0,
            reported: 0,
            last_report_ms: f64::NEG_INFINITY,
        })
    }

    /// The points not yet sent, and the stats after them.
    fn progress(&mut self, now: f64) -> RaceEvent {
        let points = self.run.history.points[self.reported..].to_vec();
        self.reported = self.run.history.points.len();
        self.last_report_ms = now;
        RaceEvent::Progress {
            points,
            stats: self.run.stats(),
        }
    }

    fn sample(&self, temperature: f64, len: usize) -> Result<String, String> {
        // A primer every English text knows; else the text's first token.
        let mut primer = self.corpus.encode("The ");
        if primer.is_empty() {
            primer = self
                .corpus
                .documents()
                .iter()
                .find_map(|d| d.first().copied())
                .into_iter()
                .collect();
        }
        let model = &self.run.trainer().model;
        let ids = crate::nn::sample::sample(
            model,
            &primer,
            len,
            temperature,
            self.run.history.points.len() as u64,
        )?;
        Ok(format!(
            "{}{}",
            self.corpus.decode(&primer),
            self.corpus.decode(&ids)
        ))
    }
}

impl RaceWorker {
    fn schedule(&mut self, scope: &WorkerScope<Self>) {
        if self.mode == Mode::Training && !self.scheduled {
            self.scheduled = true;
            let scope = scope.clone();
            after_queued_messages(move || scope.send_message(NextSlice));
        }
    }

    fn reply(&self, scope: &WorkerScope<Self>, event: RaceEvent) {
        if let Some(page) = self.page {
            scope.respond(page, event);
        }
    }

    /// Trains a sweep run for one slice; its worker stops when it ends.
    fn sweep_slice(&mut self, scope: &WorkerScope<Self>) {
        let Some(sweep) = self.sweep.as_mut() else {
            return;
        };
        let (events, ended) = sweep.slice();
        for event in events {
            self.reply(scope, event);
        }
        if ended {
            self.mode = Mode::Stopped;
        }
        self.schedule(scope);
    }

    /// Trains for one slice and reports when a report is due.
    fn slice(&mut self, scope: &WorkerScope<Self>) {
        if self.sweep.is_some() {
            return self.sweep_slice(scope);
        }
        let Some(session) = self.session.as_mut() else {
            return;
        };
        let started = now_ms();
        let mut outcome = Ok(());
        while outcome.is_ok() && now_ms() - started < SLICE_MS {
            let seconds = (session.trained_ms + now_ms() - started) / 1000.0;
            outcome = session.run.step(seconds).map(|_| ());
        }
        let now = now_ms();
        session.trained_ms += now - started;
        let failed = outcome.err();
        if failed.is_none() && now - session.last_report_ms < REPORT_MS {
            return self.schedule(scope);
        }
        let progress = session.progress(now);
        let stats = session.run.stats();
        self.reply(scope, progress);
        // A step that failed, or a loss that climbed past chance (each step finite), ends the run.
        if let Some(diverged) = failed.or_else(|| stats.diverged.clone()) {
            self.mode = Mode::Stopped;
            self.reply(scope, RaceEvent::Diverged { diverged, stats });
        }
        self.schedule(scope);
    }

    fn handle(&mut self, scope: &WorkerScope<Self>, command: RaceCommand) {
        if let RaceCommand::Start { documents, config } = command {
            match Session::start(documents, config) {
                Ok(session) => {
                    let event = RaceEvent::Started;
                    self.session = Some(session);
                    self.mode = Mode::Training;
                    self.reply(scope, event);
                    self.schedule(scope);
                }
                Err(reason) => {
                    self.mode = Mode::Stopped;
                    self.reply(scope, RaceEvent::Refused(reason));
                }
            }
            return;
        }
        if let RaceCommand::SweepRun { documents, run } = command {
            match SweepSession::start(documents, &run) {
                Ok(sweep) => {
                    self.sweep = Some(sweep);
                    self.mode = Mode::Training;
                    self.reply(scope, RaceEvent::Started);
                    self.schedule(scope);
                }
                Err(reason) => {
                    self.mode = Mode::Stopped;
                    self.reply(scope, RaceEvent::Refused(reason));
                }
            }
            return;
        }
        let Some(session) = self.session.as_mut() else {
            return self.reply(scope, RaceEvent::Refused("this run has not started".into()));
        };
        match command {
            RaceCommand::Start { .. } | RaceCommand::SweepRun { .. } => {
                unreachable!("handled above")
            }
            RaceCommand::Pause | RaceCommand::Stop => {
                // The last points, so the page's counters stop where training did.
                let progress = session.progress(now_ms());
                if self.mode == Mode::Training {
                    self.mode = if command == RaceCommand::Pause {
                        Mode::Paused
                    } else {
                        Mode::Stopped
                    };
                } else if command == RaceCommand::Stop {
                    self.mode = Mode::Stopped;
                }
                self.reply(scope, progress);
            }
            RaceCommand::Resume => {
                if self.mode == Mode::Paused {
                    self.mode = Mode::Training;
                    self.schedule(scope);
                }
            }
            RaceCommand::Sample { temperature, len } => {
                let event = session
                    .sample(temperature, len)
                    .map_or_else(RaceEvent::Refused, RaceEvent::Sampled);
                self.reply(scope, event);
            }
            RaceCommand::Export => {
                let event = RaceEvent::Exported {
                    model_json: crate::nn::state_dict::to_json(&session.run.trainer().model),
                    csv: session.run.history.to_csv(DEFAULT_SMOOTHING),
                };
                self.reply(scope, event);
            }
        }
    }
}

impl Worker for RaceWorker {
    type Message = NextSlice;
    type Input = RaceCommand;
    type Output = RaceEvent;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        RaceWorker {
            session: None,
            sweep: None,
            mode: Mode::Stopped,
            page: None,
            scheduled: false,
        }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, _msg: NextSlice) {
        self.scheduled = false;
        if self.mode == Mode::Training {
            self.slice(scope);
        }
    }

    fn received(&mut self, scope: &WorkerScope<Self>, command: Self::Input, id: HandlerId) {
        if matches!(
            command,
            RaceCommand::Start { .. } | RaceCommand::SweepRun { .. }
        ) {
            self.page = Some(id);
            let scope = scope.clone();
            CRASH_REPORT.with(|report| {
                *report.borrow_mut() = Some(Box::new(move |message| {
                    scope.respond(id, RaceEvent::Crashed(message))
                }))
            });
        }
        self.handle(scope, command);
    }
}
