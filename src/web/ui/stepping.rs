//! `use_stepping`: the page's step-by-step run, trained in the worker.
//!
//! The page keeps the reports of the steps taken (for the views) and the
//! worker keeps the model; every request carries a run number so replies to a
//! run that a settings change has replaced are dropped.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;

use super::worker_bridge::{use_batch_worker, BatchWorkerHandle};
use crate::data::user_text::UserText;
use crate::page::settings::{Settings, OWN_TEXT};
use crate::training::trainer::StepReport;
use crate::web::step_worker::{Command, Event};

/// Pause between automatic steps while playing, so each batch can be seen.
const PLAY_DELAY_MS: u64 = 250;
/// Work shorter than this is not announced: a slider drag reloads the run on
/// every frame, and a "loading…" flashing on and off would only repaint the
/// step bar in every frame of the drag.
const ANNOUNCE_AFTER_MS: u64 = 200;
/// Smoothing of the running loss (weight of the newest batch).
const RUNNING_LOSS_WEIGHT: f64 = 0.1;

/// Handle to the run; `Copy`, so every closure can hold it.
#[derive(Clone, Copy)]
pub struct Stepping {
    worker: BatchWorkerHandle,
    run: RwSignal<u32>,
    reports: RwSignal<Vec<StepReport>>,
    pending: RwSignal<usize>,
    /// True from a `Load` until the worker has the run ready (or refused it).
    loading: RwSignal<bool>,
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
    let run = RwSignal::new(0u32);
    let reports = RwSignal::new(Vec::<StepReport>::new());
    let pending = RwSignal::new(0usize);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let playing = RwSignal::new(false);
    let restarted = RwSignal::new(None::<String>);
    let back_left = RwSignal::new(0usize);
    let worker = use_batch_worker(move |reply| {
        if reply.run != run.get_untracked() {
            return; // a reply to a run the page has replaced
        }
        pending.update(|p| *p = p.saturating_sub(1));
        if matches!(reply.event, Event::Loaded { .. } | Event::Refused(_)) {
            loading.set(false);
        }
        match reply.event {
            Event::TextSet => {}
            Event::Loaded { .. } | Event::WasReset => {
                set_if_changed(reports, Vec::new());
                set_if_changed(back_left, 0);
            }
            Event::Stepped { report, back, .. } => {
                back_left.set(back);
                error.set(None);
                reports.update(|r| r.push(report));
            }
            Event::WentBack { back, .. } => reports.update(|r| {
                back_left.set(back);
                r.pop();
            }),
            Event::Refused(reason) => {
                playing.set(false);
                error.set(Some(reason));
            }
        }
    });
    let stepping = Stepping {
        worker,
        run,
        reports,
        pending,
        loading,
        error,
        playing,
        restarted,
        back_left,
    };
    // The text the worker holds, so a slider drag does not resend megabytes.
    let text_sent = StoredValue::new(None::<Arc<UserText>>);
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
            restarted.set(note);
        }
        run.update(|r| *r += 1);
        // Only real changes: each set wakes every view of the run.
        set_if_changed(reports, Vec::new());
        set_if_changed(back_left, 0);
        set_if_changed(error, None);
        set_if_changed(playing, false);
        set_if_changed(pending, 0);
        if let Some(text) = text {
            if !text_sent.with_value(|sent| sent.as_ref().is_some_and(|t| Arc::ptr_eq(t, &text))) {
                stepping.send(Command::SetText(text.documents.clone()));
                text_sent.set_value(Some(text));
            }
        }
        loading.set(true);
        stepping.send(Command::Load(s));
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
    stepping
}

fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    if signal.with_untracked(|v| *v != value) {
        signal.set(value);
    }
}

impl Stepping {
    fn send(&self, command: Command) {
        // ReplayTo answers once per step plus once for its reset.
        let replies = match command {
            Command::ReplayTo(steps) => steps + 1,
            _ => 1,
        };
        self.pending.update(|p| *p += replies);
        self.worker.send(crate::web::step_worker::WorkerRequest {
            run: self.run.get_untracked(),
            command,
        });
    }

    pub fn step(&self) {
        set_if_changed(self.restarted, None);
        self.send(Command::Step);
    }

    pub fn back(&self) {
        self.playing.set(false);
        self.send(Command::Back);
    }

    pub fn reset(&self) {
        self.playing.set(false);
        self.send(Command::Reset);
    }

    pub fn replay_to(&self, steps: usize) {
        self.playing.set(false);
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

    /// What the worker is doing, for the step bar: "loading…" while a new
    /// run is prepared, "training…" while steps are queued, else nothing —
    /// said only once it has lasted [`ANNOUNCE_AFTER_MS`].
    pub fn activity(&self) -> Signal<Option<&'static str>> {
        let (pending, loading) = (self.pending, self.loading);
        let now = Memo::new(move |_| {
            if loading.get() {
                Some("loading…")
            } else if pending.get() > 0 {
                Some("training…")
            } else {
                None
            }
        });
        let shown = RwSignal::new(None);
        let timer = StoredValue::new_local(None::<TimeoutHandle>);
        Effect::new(move |_| {
            let current = now.get();
            timer.update_value(|t| t.take().into_iter().for_each(|handle| handle.clear()));
            if current.is_none() || shown.get_untracked().is_some() {
                // Ending, or switching from one announced activity to another: at once.
                set_if_changed(shown, current);
                return;
            }
            let announce = move || {
                if now.get_untracked() == current {
                    shown.set(current);
                }
            };
            timer.set_value(
                set_timeout_with_handle(
                    announce,
                    std::time::Duration::from_millis(ANNOUNCE_AFTER_MS),
                )
                .ok(),
            );
        });
        shown.into()
    }

    pub fn can_back(&self) -> Signal<bool> {
        let (reports, back_left) = (self.reports, self.back_left);
        Signal::derive(move || back_left.get() > 0 && reports.with(|r| !r.is_empty()))
    }

    pub fn error(&self) -> Option<String> {
        self.error.get()
    }

    /// → step, ← back, space play/pause, r reset — unless the learner is
    /// typing or dragging a control, which owns those keys.
    pub fn install_keyboard(self) {
        let handle = window_event_listener(ev::keydown, move |e| {
            let in_control = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .map(|el| {
                    matches!(
                        el.tag_name().as_str(),
                        "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON"
                    )
                })
                .unwrap_or(false);
            if in_control || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            match e.key().as_str() {
                "ArrowRight" => self.step(),
                "ArrowLeft" => self.back(),
                " " => self.playing.update(|p| *p = !*p),
                "r" | "R" => self.reset(),
                _ => return,
            }
            e.prevent_default();
        });
        on_cleanup(move || handle.remove());
    }
}
