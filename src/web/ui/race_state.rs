//! `use_race`: the runs of a race, each trained by its own worker
//! (`race_worker.js`), their loss histories for the chart and their live
//! numbers, samples and downloads for the run cards. When there are more
//! runs than cores to spare, they take turns ([`crate::training::race::turns`]).
//!
//! Every run started gets a fresh id; a reply carries the id of the run it
//! belongs to, so replies from a run that was removed or restarted are dropped.

use std::sync::Arc;
use std::time::Duration;

use gloo_worker::{Spawnable, WorkerBridge};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::data::user_text::UserText;
use crate::page::settings::{Settings, OWN_TEXT};
use crate::training::race::history::LossHistory;
use crate::training::race::stats::{Diverged, RunStats};
use crate::training::race::turns::{on_turn, silence_limit_ms, training_slots, TURN_MS};
use crate::training::race::{run_config, LrRule, RaceValue, RunConfig};
use crate::web::race_worker::{RaceCommand, RaceEvent, RaceWorker};

/// How often each training run is asked for a fresh sample.
pub const SAMPLE_EVERY_MS: u64 = 3_000;
/// Length of a sample, in tokens.
pub const SAMPLE_LEN: usize = 160;

/// Where a run is.
#[derive(Clone, Debug, PartialEq)]
pub enum RunStatus {
    /// The worker is loading and splitting the corpus.
    Starting,
    Training,
    Paused,
    Stopped,
    Diverged(Diverged),
    /// The worker failed (a bug); the run can be restarted.
    Crashed(String),
    /// The worker cannot train these settings; the sentence says why.
    Refused(String),
}

/// Blob URLs of a run's exported model and loss history.
#[derive(Clone, Debug, PartialEq)]
pub struct Downloads {
    pub model_url: String,
    pub csv_url: String,
}

/// What the page knows of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunView {
    pub id: u32,
    pub config: RunConfig,
    pub status: RunStatus,
    pub stats: Option<RunStats>,
    /// The loss of the last step reported.
    pub last_loss: Option<f64>,
    pub sample: Option<String>,
    pub downloads: Option<Downloads>,
    /// Training now, rather than waiting for its turn.
    pub on_turn: bool,
}

impl RunView {
    /// Whether the run wants a turn: it is loading or training, not paused
    /// or ended.
    pub fn may_train(&self) -> bool {
        matches!(self.status, RunStatus::Starting | RunStatus::Training)
    }
}

/// Handle to the race; `Copy`, so every closure can hold it.
#[derive(Clone, Copy)]
pub struct Race {
    /// The runs, in chip order.
    pub runs: RwSignal<Vec<RunView>>,
    /// One history per run, in the same order (the chart reads these alone).
    pub histories: RwSignal<Vec<LossHistory>>,
    /// A race was started and not stopped: adding a chip starts its run.
    pub racing: RwSignal<bool>,
    pub paused: RwSignal<bool>,
    /// Temperature of the samples.
    pub temperature: RwSignal<f64>,
    /// How many runs train at once; the others wait their turn.
    pub slots: usize,
    turn: StoredValue<usize>,
    /// When each run's worker was last heard from (or told to train), ms.
    heard: StoredValue<Vec<(u32, f64)>>,
    workers: StoredValue<Vec<(u32, WorkerBridge<RaceWorker>)>, LocalStorage>,
    next_id: StoredValue<u32>,
    /// The base settings and lr rule of the race in progress.
    base: StoredValue<Option<(Settings, LrRule)>>,
    own_text: RwSignal<Option<Arc<UserText>>>,
}

/// The race's state and its sampling timer.
pub fn use_race(own_text: RwSignal<Option<Arc<UserText>>>) -> Race {
    let race = Race {
        runs: RwSignal::new(Vec::new()),
        histories: RwSignal::new(Vec::new()),
        racing: RwSignal::new(false),
        paused: RwSignal::new(false),
        temperature: RwSignal::new(0.8),
        slots: training_slots(cores()),
        turn: StoredValue::new(0),
        heard: StoredValue::new(Vec::new()),
        workers: StoredValue::new_local(Vec::new()),
        next_id: StoredValue::new(0),
        base: StoredValue::new(None),
        own_text,
    };
    if let Ok(handle) = set_interval_with_handle(
        move || race.request_samples(),
        Duration::from_millis(SAMPLE_EVERY_MS),
    ) {
        on_cleanup(move || handle.clear());
    }
    if let Ok(handle) =
        set_interval_with_handle(move || race.next_turn(), Duration::from_millis(TURN_MS))
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

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Logical cores of this machine (`navigator.hardwareConcurrency`), 0 if unknown.
fn cores() -> usize {
    web_sys::window().map_or(0.0, |w| w.navigator().hardware_concurrency()) as usize
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

fn revoke(downloads: Option<Downloads>) {
    let Some(downloads) = downloads else { return };
    let Ok(url) = js_sys::Reflect::get(&js_sys::global(), &"URL".into()) else {
        return;
    };
    if let Ok(revoke) = js_sys::Reflect::get(&url, &"revokeObjectURL".into())
        .and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        for u in [downloads.model_url, downloads.csv_url] {
            let _ = revoke.call1(&url, &JsValue::from_str(&u));
        }
    }
}

impl Race {
    /// Starts a race of `values` over `base` (stopping any race in progress).
    pub fn start(&self, base: Settings, values: &[RaceValue], lr_rule: LrRule) {
        self.clear();
        self.base.set_value(Some((base, lr_rule)));
        self.racing.set(true);
        self.paused.set(false);
        for &value in values {
            self.add(value);
        }
    }

    /// Starts the run of `value` in the race in progress (nothing if none is).
    pub fn add(&self, value: RaceValue) {
        let Some((base, lr_rule)) = self.base.get_value() else {
            return;
        };
        if !self.racing.get_untracked()
            || self
                .runs
                .with_untracked(|r| r.iter().any(|run| run.config.value == value))
        {
            return;
        }
        let config = run_config(&base, value, lr_rule);
        let id = self.spawn(config.clone());
        self.histories
            .update(|h| h.push(LossHistory::new(config.label.clone())));
        self.runs.update(|r| {
            r.push(RunView {
                id,
                config,
                status: RunStatus::Starting,
                stats: None,
                last_loss: None,
                sample: None,
                downloads: None,
                on_turn: false,
            })
        });
        self.share_turns();
    }

    /// Stops and removes the run of `value`.
    pub fn remove(&self, value: RaceValue) {
        let Some(index) = self
            .runs
            .with_untracked(|r| r.iter().position(|run| run.config.value == value))
        else {
            return;
        };
        let run = self
            .runs
            .try_update(|r| r.remove(index))
            .expect("the run exists");
        self.histories.update(|h| {
            h.remove(index);
        });
        // Dropping the bridge ends the worker.
        self.workers
            .update_value(|w| w.retain(|(id, _)| *id != run.id));
        revoke(run.downloads);
        self.share_turns();
    }

    /// Trains a crashed (or any) run again from scratch, in a new worker.
    pub fn restart(&self, id: u32) {
        let Some(index) = self.index_of(id) else {
            return;
        };
        self.workers
            .update_value(|w| w.retain(|(w_id, _)| *w_id != id));
        let config = self.runs.with_untracked(|r| r[index].config.clone());
        let new_id = self.spawn(config.clone());
        self.histories
            .update(|h| h[index] = LossHistory::new(config.label.clone()));
        self.runs.update(|r| {
            revoke(r[index].downloads.take());
            r[index] = RunView {
                id: new_id,
                config,
                status: RunStatus::Starting,
                stats: None,
                last_loss: None,
                sample: None,
                downloads: None,
                on_turn: false,
            };
        });
        self.share_turns();
    }

    pub fn set_paused(&self, paused: bool) {
        self.paused.set(paused);
        let (from, to) = if paused {
            (RunStatus::Training, RunStatus::Paused)
        } else {
            (RunStatus::Paused, RunStatus::Training)
        };
        self.set_status_where(|s| *s == from, to);
        self.share_turns();
    }

    /// Stops every run; their curves, samples and downloads stay.
    pub fn stop(&self) {
        self.broadcast(RaceCommand::Stop);
        self.racing.set(false);
        self.paused.set(false);
        self.set_status_where(
            |s| {
                matches!(
                    s,
                    RunStatus::Starting | RunStatus::Training | RunStatus::Paused
                )
            },
            RunStatus::Stopped,
        );
        self.share_turns();
    }

    /// The next runs' turn to train, after marking runs whose worker died
    /// silently as crashed.
    fn next_turn(&self) {
        self.mark_silent_runs_crashed();
        let Some(waiting) = self
            .runs
            .try_with_untracked(|r| r.iter().any(|run| run.may_train() && !run.on_turn))
        else {
            return;
        };
        if waiting {
            self.turn.update_value(|t| *t += 1);
            self.share_turns();
        }
    }

    fn mark_silent_runs_crashed(&self) {
        let now = now_ms();
        let heard = self.heard.get_value();
        let Some(silent) = self.runs.try_with_untracked(|r| {
            r.iter()
                .filter(|run| run.on_turn && run.status == RunStatus::Training)
                .filter_map(|run| {
                    let last = heard.iter().find(|(id, _)| *id == run.id)?.1;
                    // A run paused before its first step reports stats of 0 steps.
                    let limit = silence_limit_ms(
                        run.stats
                            .as_ref()
                            .filter(|s| s.steps > 0)
                            .map(|s| s.ms_per_step),
                    );
                    (now - last > limit).then_some((run.id, ((now - last) / 1000.0).round()))
                })
                .collect::<Vec<_>>()
        }) else {
            return;
        };
        for (id, seconds) in silent {
            let Some(index) = self.index_of(id) else {
                continue;
            };
            // Its worker is gone or stuck: end it, so Restart starts afresh.
            self.workers
                .update_value(|w| w.retain(|(w_id, _)| *w_id != id));
            self.set_status(
                index,
                RunStatus::Crashed(format!(
                    "its worker stopped answering {seconds} s ago (out of memory?)"
                )),
            );
            self.share_turns();
        }
    }

    /// Tells the runs whose turn it is to train and the others to wait.
    fn share_turns(&self) {
        let racing = self.racing.get_untracked() && !self.paused.get_untracked();
        let (eligible, granted): (Vec<u32>, Vec<u32>) = self.runs.with_untracked(|r| {
            let ids = |keep: &dyn Fn(&RunView) -> bool| {
                r.iter().filter(|run| keep(run)).map(|run| run.id).collect()
            };
            (
                ids(&|run| racing && run.may_train()),
                ids(&|run| run.on_turn),
            )
        });
        let chosen = on_turn(&eligible, self.slots, self.turn.get_value());
        for &id in granted.iter().filter(|id| !chosen.contains(id)) {
            self.send(id, RaceCommand::Pause);
        }
        for &id in chosen.iter().filter(|id| !granted.contains(id)) {
            self.send(id, RaceCommand::Resume);
            self.heard_from(id);
        }
        if self
            .runs
            .with_untracked(|r| r.iter().any(|run| run.on_turn != chosen.contains(&run.id)))
        {
            self.runs.update(|r| {
                r.iter_mut()
                    .for_each(|run| run.on_turn = chosen.contains(&run.id))
            });
        }
    }

    /// Asks run `id` for its weights and loss history as files.
    pub fn export(&self, id: u32) {
        self.send(id, RaceCommand::Export);
    }

    fn request_samples(&self) {
        let Some(training) = self.runs.try_with_untracked(|r| {
            r.iter()
                .filter(|run| run.status == RunStatus::Training)
                .map(|run| run.id)
                .collect::<Vec<_>>()
        }) else {
            return;
        };
        let temperature = self.temperature.get_untracked();
        for id in training {
            self.send(
                id,
                RaceCommand::Sample {
                    temperature,
                    len: SAMPLE_LEN,
                },
            );
        }
    }

    /// Removes every run and ends its worker.
    fn clear(&self) {
        self.workers.update_value(|w| w.clear());
        self.heard.set_value(Vec::new());
        self.runs
            .update(|r| r.drain(..).for_each(|run| revoke(run.downloads)));
        self.histories.set(Vec::new());
    }

    fn spawn(&self, config: RunConfig) -> u32 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        let race = *self;
        let bridge = RaceWorker::spawner()
            .as_module(false)
            .callback(move |event| race.on_event(id, event))
            .spawn("./race_worker.js");
        let documents = (config.settings.corpus == OWN_TEXT).then(|| {
            self.own_text
                .with_untracked(|t| t.as_ref().map(|t| t.documents.clone()).unwrap_or_default())
        });
        bridge.send(RaceCommand::Start { documents, config });
        // Every run starts waiting; `share_turns` says when to train.
        bridge.send(RaceCommand::Pause);
        self.workers.update_value(|w| w.push((id, bridge)));
        id
    }

    fn heard_from(&self, id: u32) {
        let now = now_ms();
        self.heard
            .update_value(|h| match h.iter_mut().find(|(h_id, _)| *h_id == id) {
                Some(entry) => entry.1 = now,
                None => h.push((id, now)),
            });
    }

    fn on_event(&self, id: u32, event: RaceEvent) {
        let Some(index) = self.index_of(id) else {
            return;
        }; // a removed or restarted run
        self.heard_from(id);
        let paused = self.paused.get_untracked();
        match event {
            RaceEvent::Started { .. } => self.set_status(
                index,
                if paused {
                    RunStatus::Paused
                } else {
                    RunStatus::Training
                },
            ),
            RaceEvent::Progress { points, stats } => {
                let last_loss = points.last().map(|p| p.loss);
                if !points.is_empty() {
                    self.histories.update(|h| h[index].points.extend(points));
                }
                self.runs.update(|r| {
                    r[index].stats = Some(stats);
                    r[index].last_loss = last_loss.or(r[index].last_loss);
                });
            }
            RaceEvent::Diverged { diverged, stats } => {
                self.runs.update(|r| {
                    r[index].stats = Some(stats);
                    r[index].status = RunStatus::Diverged(diverged);
                });
                self.share_turns();
            }
            RaceEvent::Sampled(text) => self.runs.update(|r| r[index].sample = Some(text)),
            RaceEvent::Exported { model_json, csv } => {
                let downloads = object_url(&model_json)
                    .zip(object_url(&csv))
                    .map(|(model_url, csv_url)| Downloads { model_url, csv_url });
                self.runs
                    .update(|r| revoke(std::mem::replace(&mut r[index].downloads, downloads)));
            }
            RaceEvent::Refused(reason) => {
                self.set_status(index, RunStatus::Refused(reason));
                self.share_turns();
            }
            RaceEvent::Crashed(message) => {
                self.set_status(index, RunStatus::Crashed(message));
                self.share_turns();
            }
        }
    }

    fn index_of(&self, id: u32) -> Option<usize> {
        self.runs
            .try_with_untracked(|r| r.iter().position(|run| run.id == id))
            .flatten()
    }

    fn set_status(&self, index: usize, status: RunStatus) {
        self.runs.update(|r| r[index].status = status);
    }

    fn set_status_where(&self, old: impl Fn(&RunStatus) -> bool, new: RunStatus) {
        self.runs.update(|r| {
            r.iter_mut()
                .filter(|run| old(&run.status))
                .for_each(|run| run.status = new.clone())
        });
    }

    fn send(&self, id: u32, command: RaceCommand) {
        self.workers.with_value(|w| {
            w.iter()
                .filter(|(w_id, _)| *w_id == id)
                .for_each(|(_, bridge)| bridge.send(command.clone()))
        });
    }

    fn broadcast(&self, command: RaceCommand) {
        self.workers.with_value(|w| {
            w.iter()
                .for_each(|(_, bridge)| bridge.send(command.clone()))
        });
    }
}
