//! `use_race`: the page's side of a race. The race itself (its runs, their
//! turns, the watchdog, restarts) is the core's [`Race`]; this hook keeps
//! it in a signal for the views, hands it the learner's actions, the
//! workers' reports and the time, and carries out the [`Command`]s it
//! returns: one web worker (`race_worker.js`, or its relaxed-SIMD build,
//! see [`WorkerBuild`]) per run, messages to them,
//! and blob URLs for a run's files.

use std::sync::Arc;
use std::time::Duration;

use gloo_worker::{Spawnable, WorkerBridge};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::data::user_text::UserText;
use crate::page::settings::{Settings, OWN_TEXT};
use crate::training::race::messages::{RaceCommand, RaceEvent};
use crate::training::race::race_machine::TICK_MS;
use crate::training::race::race_memory::race_documents;
use crate::training::race::run_slot::Downloads;
use crate::training::race::turns::training_slots;
use crate::training::race::{Command, LrRule, Race, RaceValue, RunConfig, TextSize};
use crate::web::race_worker::RaceWorker;
use crate::web::worker_build::WorkerBuild;

/// Every run's worker reports a few times a second: the race takes the
/// reports at most this often, all at once, so twelve runs cost the page no
/// more redraws than one, and every view reads the race as of one moment.
const NOTIFY_MS: u64 = 100;

/// The page's hold on the race; `Copy`, so every closure can keep it.
#[derive(Clone, Copy)]
pub struct RaceHandle {
    /// The race, as every view of it reads it.
    pub state: RwSignal<Race>,
    /// The worker of each run, by the id the race gave it.
    workers: StoredValue<Vec<(u32, WorkerBridge<RaceWorker>)>, LocalStorage>,
    /// The learner's own text, sent to a worker when it is the corpus.
    own_text: RwSignal<Option<Arc<UserText>>>,
    /// The size of the page's text, whole.
    text: Signal<TextSize>,
    /// Reports not yet handed to the race, by worker id, in arrival order.
    inbox: StoredValue<Vec<(u32, RaceEvent)>>,
}

/// The race and the timer that moves its clock; `text` is the size of the
/// page's text, whole.
pub fn use_race(own_text: RwSignal<Option<Arc<UserText>>>, text: Signal<TextSize>) -> RaceHandle {
    let race = RaceHandle {
        state: RwSignal::new(Race::new(training_slots(cores()))),
        workers: StoredValue::new_local(Vec::new()),
        own_text,
        text,
        inbox: StoredValue::new(Vec::new()),
    };
    if let Ok(handle) =
        set_interval_with_handle(move || race.tick(), Duration::from_millis(TICK_MS))
    {
        on_cleanup(move || handle.clear());
    }
    on_cleanup(move || {
        race.workers
            .try_update_value(|w| w.clear())
            .unwrap_or_default()
    });
    race
}

/// The page's clock for the race's and the sweep's machines, in ms.
pub(super) fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Logical cores of this machine (`navigator.hardwareConcurrency`), 0 if unknown.
pub(super) fn cores() -> usize {
    web_sys::window().map_or(0.0, |w| w.navigator().hardware_concurrency()) as usize
}

impl RaceHandle {
    /// Starts a race of `values` over `base` (ending any race in progress).
    pub fn start(&self, base: Settings, values: &[RaceValue], lr_rule: LrRule) {
        let text = self.text.get_untracked().raced();
        self.update(|race, now| race.start(base, values, lr_rule, text, now));
    }

    /// Starts the run of `value` in the race in progress.
    pub fn add(&self, value: RaceValue) {
        self.update(|race, now| race.add(value, now));
    }

    /// Ends and removes the run of `value`.
    pub fn remove(&self, value: RaceValue) {
        self.update(|race, now| race.remove(value, now));
    }

    /// Trains run `id` again from scratch, in a new worker.
    pub fn restart(&self, id: u32) {
        self.update(|race, now| race.restart(id, now));
    }

    pub fn set_paused(&self, paused: bool) {
        self.update(|race, now| {
            if paused {
                race.pause(now)
            } else {
                race.resume(now)
            }
        });
    }

    /// Stops every run; their curves, samples and files stay.
    pub fn stop(&self) {
        self.update(|race, now| race.stop(now));
    }

    /// Asks run `id` for its weights and loss history as files.
    pub fn export(&self, id: u32) {
        let commands = self.state.with_untracked(|race| race.export(id));
        self.carry_out(commands);
    }

    pub fn set_temperature(&self, temperature: f64) {
        self.state.update(|race| race.set_temperature(temperature));
    }

    /// Moves the race's clock. Most ticks change nothing, so the views hear
    /// of one only when it has commands (every change comes with one).
    fn tick(&self) {
        let now = now_ms();
        let Some(commands) = self.state.try_update_untracked(|race| race.tick(now)) else {
            return; // the page is gone
        };
        if !commands.is_empty() {
            self.state.notify();
            self.carry_out(commands);
        }
    }

    /// A worker's report: the race takes it within [`NOTIFY_MS`], with
    /// every other report that came meanwhile.
    fn on_event(&self, id: u32, event: RaceEvent) {
        let Some(first) = self.inbox.try_update_value(|inbox| {
            inbox.push((id, event));
            inbox.len() == 1
        }) else {
            return; // the page is gone
        };
        if first {
            let race = *self;
            set_timeout(
                move || race.take_reports(),
                Duration::from_millis(NOTIFY_MS),
            );
        }
    }

    fn take_reports(&self) {
        let Some(reports) = self.inbox.try_update_value(std::mem::take) else {
            return;
        };
        self.update(|race, now| {
            reports
                .into_iter()
                .flat_map(|(id, event)| race.on_event(id, event, now))
                .collect()
        });
    }

    fn update(&self, change: impl FnOnce(&mut Race, u64) -> Vec<Command>) {
        let now = now_ms();
        if let Some(commands) = self.state.try_update(|race| change(race, now)) {
            self.carry_out(commands);
        }
    }

    fn carry_out(&self, commands: Vec<Command>) {
        for command in commands {
            match command {
                Command::Spawn(id, config) => self.spawn(id, config),
                Command::Send(id, message) => self.send(id, message),
                // Dropping the bridge ends the worker.
                Command::Terminate(id) => self
                    .workers
                    .try_update_value(|w| w.retain(|(w_id, _)| *w_id != id))
                    .unwrap_or_default(),
                Command::MakeFiles {
                    id,
                    model_json,
                    csv,
                } => {
                    if let Some((model_url, csv_url)) =
                        object_url(&model_json).zip(object_url(&csv))
                    {
                        let files = Downloads { model_url, csv_url };
                        self.update(|race, _| race.files_made(id, files));
                    }
                }
                Command::ReleaseFiles(files) => revoke(files),
            }
        }
    }

    fn spawn(&self, id: u32, config: RunConfig) {
        let race = *self;
        let bridge = spawn_race_worker(move |event| race.on_event(id, event));
        let documents = documents_for(&config.settings, self.own_text);
        bridge.send(RaceCommand::Start { documents, config });
        self.workers.update_value(|w| w.push((id, bridge)));
    }

    fn send(&self, id: u32, message: RaceCommand) {
        self.workers.with_value(|w| {
            w.iter()
                .filter(|(w_id, _)| *w_id == id)
                .for_each(|(_, bridge)| bridge.send(message.clone()))
        });
    }
}

/// A new race worker (of [`WorkerBuild::of_this_engine`]) whose reports go to `on_event`.
pub(super) fn spawn_race_worker(
    on_event: impl Fn(RaceEvent) + 'static,
) -> WorkerBridge<RaceWorker> {
    RaceWorker::spawner()
        .as_module(false)
        .callback(on_event)
        .spawn(&WorkerBuild::of_this_engine().script("race_worker"))
}

/// The text a run of `settings` is sent: the learner's own (its race share),
/// or `None` for an embedded corpus, which the worker has.
pub(super) fn documents_for(
    settings: &Settings,
    own_text: RwSignal<Option<Arc<UserText>>>,
) -> Option<Vec<String>> {
    (settings.corpus == OWN_TEXT).then(|| {
        own_text
            .with_untracked(|t| t.as_ref().map(|t| race_documents(&t.documents)))
            .unwrap_or_default()
    })
}

/// A blob URL holding `text` (nothing leaves the page).
fn object_url(text: &str) -> Option<String> {
    let blob =
        web_sys::Blob::new_with_str_sequence(&js_sys::Array::of1(&JsValue::from_str(text))).ok()?;
    let url = js_sys::Reflect::get(&js_sys::global(), &"URL".into()).ok()?;
    let create: js_sys::Function = js_sys::Reflect::get(&url, &"createObjectURL".into())
        .ok()?
        .dyn_into()
        .ok()?;
    create.call1(&url, &blob).ok()?.as_string()
}

fn revoke(files: Downloads) {
    let Ok(url) = js_sys::Reflect::get(&js_sys::global(), &"URL".into()) else {
        return;
    };
    if let Ok(revoke) = js_sys::Reflect::get(&url, &"revokeObjectURL".into())
        .and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        for u in [files.model_url, files.csv_url] {
            let _ = revoke.call1(&url, &JsValue::from_str(&u));
        }
    }
}
