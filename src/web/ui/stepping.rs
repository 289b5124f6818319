//! `use_stepping`: the page's step-by-step run, trained in the worker.
//!
//! The page keeps the reports of the steps taken (for the views) and the
//! worker keeps the model; every request carries a run number so replies to a
//! run that a settings change has replaced are dropped. A [`WorkerWatch`]
//! keeps count of what the worker owes: a Reset or a settings change during
//! a step ends the worker instead of waiting for it, and a worker that dies
//! (a panic, running out of memory, silence) is replaced and the run loaded
//! again, with a sentence saying what happened.

use std::sync::Arc;

use leptos::prelude::*;

use super::settled::Debounce;
use super::step_activity::announced_activity;
use super::worker_bridge::{use_step_worker, StepWorker, WorkerNews};
use crate::data::user_text::UserText;
use crate::page::settings::{Settings, OWN_TEXT};
use crate::training::trainer::StepReport;
use crate::training::worker_watch::{Order, WorkerWatch};
use crate::web::step_worker::{Command, Event, WorkerReply};

/// Pause between automatic steps while playing, so each batch can be seen.
const PLAY_DELAY_MS: u64 = 250;
/// Smoothing of the running loss (weight of the newest batch).
const RUNNING_LOSS_WEIGHT: f64 = 0.1;
/// How often a worker that owes answers is checked for silence.
const WATCH_EVERY_MS: u64 = 1_000;
/// How long new settings must rest before the worker builds their run: a
/// slider drag would otherwise have it rebuild the run in every frame, on a
/// core the page's own rendering needs. A request in the meantime (Step)
/// sends the run at once.
const LOAD_AFTER_MS: u64 = 120;

/// Handle to the run; `Copy`, so every closure can hold it.
#[derive(Clone, Copy)]
pub struct Stepping {
    worker: StepWorker,
    watch: StoredValue<WorkerWatch>,
    settings: Memo<Settings>,
    own_text: RwSignal<Option<Arc<UserText>>>,
    /// The text the worker holds, so a slider drag does not resend megabytes.
    text_sent: StoredValue<Option<Arc<UserText>>>,
    run: RwSignal<u32>,
    reports: RwSignal<Vec<StepReport>>,
    /// Requests of this run not yet answered in full.
    pending: RwSignal<usize>,
    /// True from a `Load` until the worker has the run ready (or refused it).
    loading: RwSignal<bool>,
    /// The settings of a run not yet sent to the worker, and the timer
    /// that sends it once they rest ([`LOAD_AFTER_MS`]).
    unsent_load: StoredValue<Option<Settings>>,
    load_rest: StoredValue<Option<Debounce>, LocalStorage>,
    error: RwSignal<Option<String>>,
    /// Whether the page steps on its own.
    pub playing: RwSignal<bool>,
    /// Steps "◀ back" can still undo (the worker keeps what fits its budget).
    pub back_left: RwSignal<usize>,
    /// Said when a settings change restarted a run that had trained or was
    /// playing: the learner sees why batch 1 is back.
    pub restarted: RwSignal<Option<String>>,
}

/// Starts the worker and a run for `settings`, restarting it when they (or
/// the learner's own text, if that is the corpus) change.
pub fn use_stepping(
    settings: Memo<Settings>,
    own_text: RwSignal<Option<Arc<UserText>>>,
) -> Stepping {
    // The worker's callback needs the handle the worker is part of.
    let handle = StoredValue::new_local(None::<Stepping>);
    let worker = use_step_worker(move |news| {
        if let Some(stepping) = handle.get_value() {
            stepping.hear(news);
        }
    });
    let stepping = Stepping {
        worker,
        watch: StoredValue::new(WorkerWatch::default()),
        settings,
        own_text,
        text_sent: StoredValue::new(None),
        run: RwSignal::new(0),
        reports: RwSignal::new(Vec::new()),
        pending: RwSignal::new(0),
        loading: RwSignal::new(false),
        unsent_load: StoredValue::new(None),
        load_rest: StoredValue::new_local(None),
        error: RwSignal::new(None),
        playing: RwSignal::new(false),
        back_left: RwSignal::new(0),
        restarted: RwSignal::new(None),
    };
    handle.set_value(Some(stepping));
    stepping
        .load_rest
        .set_value(Some(Debounce::new(LOAD_AFTER_MS, move || {
            stepping.send_load()
        })));
    let (playing, reports, pending) = (stepping.playing, stepping.reports, stepping.pending);
    Effect::new(move |_| {
        let s = settings.get();
        let text = if s.corpus == OWN_TEXT {
            own_text.get()
        } else {
            None
        };
        let (was_playing, steps) = (playing.get_untracked(), reports.with_untracked(Vec::len));
        let note = (was_playing || steps > 0).then(|| {
            let play = if was_playing { " Play stopped; press it again to go on." } else { "" };
            format!("The settings changed, so the run restarted from new weights at batch 1 (it had made {steps} update{}).{play}", if steps == 1 { "" } else { "s" })
        });
        // A drag goes on restarting an empty run: keep the note until a step.
        if note.is_some() {
            stepping.restarted.set(note);
        }
        stepping.end_a_step_in_progress();
        stepping.load(s, text);
    });
    // Play: one step whenever nothing is pending, after a short pause. At
    // most one pause is scheduled, however often Play is toggled within it.
    let scheduled = StoredValue::new(false);
    Effect::new(move |_| {
        if playing.get() && pending.get() == 0 && !scheduled.get_value() {
            scheduled.set_value(true);
            set_timeout(
                move || {
                    scheduled.set_value(false);
                    if playing.get_untracked() && pending.get_untracked() == 0 {
                        stepping.step()
                    }
                },
                std::time::Duration::from_millis(PLAY_DELAY_MS),
            );
        }
    });
    // A worker that owes answers and stays silent past the limit is dead.
    if let Ok(timer) = set_interval_with_handle(
        move || {
            let silent = stepping
                .watch
                .try_with_value(|w| w.tick(now_ms()))
                .flatten();
            if let Some(death) = silent {
                stepping.hear(WorkerNews::Died(death));
            }
        },
        std::time::Duration::from_millis(WATCH_EVERY_MS),
    ) {
        on_cleanup(move || timer.clear());
    }
    stepping
}

pub(super) fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    if signal.with_untracked(|v| *v != value) {
        signal.set(value);
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Stepping {
    /// Starts a new run of `settings` (on `text`, for the learner's own).
    fn load(&self, settings: Settings, text: Option<Arc<UserText>>) {
        self.watch.update_value(|w| {
            w.revive();
        });
        self.run.update(|r| *r += 1);
        // Only real changes: each set wakes every view of the run.
        set_if_changed(self.reports, Vec::new());
        set_if_changed(self.back_left, 0);
        set_if_changed(self.error, None);
        set_if_changed(self.playing, false);
        set_if_changed(self.pending, 0);
        if let Some(text) = text {
            let sent = self
                .text_sent
                .with_value(|sent| sent.as_ref().is_some_and(|t| Arc::ptr_eq(t, &text)));
            if !sent {
                self.send(Command::SetText(text.documents.clone()));
                self.text_sent.set_value(Some(text));
            }
        }
        self.loading.set(true);
        self.unsent_load.set_value(Some(settings));
        self.load_rest
            .with_value(|rest| rest.iter().for_each(Debounce::poke));
    }

    /// Sends the run waiting for its settings to rest, if one is.
    fn send_load(&self) {
        if let Some(Some(settings)) = self.unsent_load.try_update_value(Option::take) {
            self.send(Command::Load(settings));
        }
    }

    /// The current settings' run, loaded again (into a new worker).
    fn reload(&self) {
        let settings = self.settings.get_untracked();
        let text = (settings.corpus == OWN_TEXT)
            .then(|| self.own_text.get_untracked())
            .flatten();
        self.load(settings, text);
    }

    /// After the page gave up on its worker, the learner's next request
    /// loads the run again first; true if it did.
    fn revive(&self) -> bool {
        let again = self
            .watch
            .try_update_value(WorkerWatch::revive)
            .unwrap_or(false);
        if again {
            self.reload();
        }
        again
    }

    /// A step under way is not waited for: its worker is ended and replaced.
    fn end_a_step_in_progress(&self) {
        if self.watch.with_value(WorkerWatch::stepping) {
            self.replace_worker();
        }
    }

    fn replace_worker(&self) {
        self.worker.replace();
        self.watch.update_value(WorkerWatch::replaced);
        // The new worker has no text yet.
        self.text_sent.set_value(None);
    }

    /// A reply or the worker's death.
    fn hear(&self, news: WorkerNews) {
        match news {
            WorkerNews::Reply(reply) => self.answered(reply),
            WorkerNews::Died(death) => match self.watch.try_update_value(|w| w.died(&death)) {
                Some(Order::Restart { message }) => {
                    self.replace_worker();
                    self.reload();
                    self.error.set(Some(message));
                }
                Some(Order::GiveUp { message }) => {
                    self.worker.end();
                    self.watch.update_value(WorkerWatch::replaced);
                    self.text_sent.set_value(None);
                    set_if_changed(self.pending, 0);
                    self.loading.set(false);
                    self.playing.set(false);
                    self.error.set(Some(message));
                }
                None => {}
            },
        }
    }

    fn answered(&self, reply: WorkerReply) {
        self.watch
            .update_value(|w| w.answered(now_ms(), reply.done));
        if reply.run != self.run.get_untracked() {
            return; // a reply to a run the page has replaced
        }
        if reply.done {
            self.pending.update(|p| *p = p.saturating_sub(1));
        }
        if matches!(reply.event, Event::Loaded { .. } | Event::Refused(_)) {
            self.loading.set(false);
        }
        match reply.event {
            Event::TextSet => {}
            Event::Loaded { step_flops } => {
                self.watch.update_value(|w| w.expect_steps_of(step_flops));
                set_if_changed(self.reports, Vec::new());
                set_if_changed(self.back_left, 0);
            }
            Event::WasReset => {
                set_if_changed(self.reports, Vec::new());
                set_if_changed(self.back_left, 0);
            }
            Event::Stepped { report, back } => {
                self.back_left.set(back);
                self.error.set(None);
                self.reports.update(|r| r.push(report));
            }
            Event::WentBack { back } => self.reports.update(|r| {
                self.back_left.set(back);
                r.pop();
            }),
            Event::Refused(reason) => {
                self.playing.set(false);
                self.error.set(Some(reason));
            }
        }
    }

    fn send(&self, command: Command) {
        if !matches!(command, Command::Load(_) | Command::SetText(_)) {
            self.send_load();
        }
        let step = matches!(command, Command::Step | Command::ReplayTo(_));
        self.pending.update(|p| *p += 1);
        self.watch.update_value(|w| w.sent(now_ms(), step));
        self.worker.send(crate::web::step_worker::WorkerRequest {
            run: self.run.get_untracked(),
            command,
        });
    }

    pub fn step(&self) {
        set_if_changed(self.restarted, None);
        self.revive();
        self.send(Command::Step);
    }

    pub fn back(&self) {
        self.playing.set(false);
        if !self.revive() {
            self.send(Command::Back);
        }
    }

    /// Back to batch 1 with the first weights; a step under way is ended
    /// (with its worker) rather than waited for.
    pub fn reset(&self) {
        self.playing.set(false);
        if self.revive() {
            return;
        }
        if self.watch.with_value(WorkerWatch::stepping) {
            self.replace_worker();
            self.reload();
        } else {
            self.send(Command::Reset);
        }
    }

    pub fn replay_to(&self, steps: usize) {
        self.playing.set(false);
        self.revive();
        self.send(Command::ReplayTo(steps));
    }

    pub fn last_report(&self) -> Option<StepReport> {
        self.reports.with(|r| r.last().cloned())
    }

    pub fn steps(&self) -> usize {
        self.reports.with(Vec::len)
    }

    /// Steps taken before epoch `epoch` (0-based) began.
    pub fn steps_before_epoch(&self, epoch: usize) -> usize {
        self.reports
            .with_untracked(|r| r.iter().filter(|r| r.epoch < epoch).count())
    }

    pub fn seq_len_history(&self) -> Vec<usize> {
        self.reports.with(|r| r.iter().map(|r| r.seq_len).collect())
    }

    /// Exponentially smoothed loss over the steps so far.
    pub fn running_loss(&self) -> Option<f64> {
        self.reports.with(|r| {
            r.iter()
                .map(|r| r.loss)
                .reduce(|avg, loss| (1.0 - RUNNING_LOSS_WEIGHT) * avg + RUNNING_LOSS_WEIGHT * loss)
        })
    }

    /// Whether the worker has a load or steps queued, at once.
    pub fn busy(&self) -> Signal<bool> {
        let (pending, loading) = (self.pending, self.loading);
        Signal::derive(move || loading.get() || pending.get() > 0)
    }

    /// What the worker is doing, for the step bar (see [`announced_activity`]).
    pub fn activity(&self) -> Signal<Option<&'static str>> {
        announced_activity(self.pending, self.loading)
    }

    pub fn can_back(&self) -> Signal<bool> {
        let (reports, back_left) = (self.reports, self.back_left);
        Signal::derive(move || back_left.get() > 0 && reports.with(|r| !r.is_empty()))
    }

    pub fn error(&self) -> Option<String> {
        self.error.get()
    }
}
