//! `use_sweep`: the page's side of a sweep. The sweep itself (its runs,
//! which of them train, the pilot, the fit, the verdict) is the core's
//! [`Sweep`]; this hook keeps it in a signal for the views, hands it the
//! learner's actions, the workers' reports and the time, and carries out
//! the [`SweepCommand`]s it returns: a race worker (`race_worker.js`) per
//! run, ended when its run ends.

use std::sync::Arc;
use std::time::Duration;

use gloo_worker::WorkerBridge;
use leptos::prelude::*;

use super::race_state::{cores, documents_for, now_ms, spawn_race_worker};
use crate::data::user_text::UserText;
use crate::training::race::messages::{RaceCommand, RaceEvent};
use crate::training::race::race_machine::TICK_MS;
use crate::training::race::sweep_machine::{Sweep, SweepCommand};
use crate::training::race::sweep_plan::SweepPlan;
use crate::training::race::turns::training_slots;
use crate::training::race::TextSize;
use crate::training::sweep::page_run::PageSweepRun;
use crate::web::race_worker::RaceWorker;

/// The page's hold on the sweep; `Copy`, so every closure can keep it.
#[derive(Clone, Copy)]
pub struct SweepHandle {
    /// The sweep, as every view of it reads it.
    pub state: RwSignal<Sweep>,
    /// The worker of each running run, by the id the sweep gave it.
    workers: StoredValue<Vec<(u32, WorkerBridge<RaceWorker>)>, LocalStorage>,
    /// The learner's own text, sent to a worker when it is the corpus.
    own_text: RwSignal<Option<Arc<UserText>>>,
    /// The size of the page's text, whole.
    text: Signal<TextSize>,
}

/// The sweep and the timer that moves its clock (for its watchdog).
pub fn use_sweep(own_text: RwSignal<Option<Arc<UserText>>>, text: Signal<TextSize>) -> SweepHandle {
    let sweep = SweepHandle {
        state: RwSignal::new(Sweep::new(training_slots(cores()))),
        workers: StoredValue::new_local(Vec::new()),
        own_text,
        text,
    };
    if let Ok(handle) =
        set_interval_with_handle(move || sweep.tick(), Duration::from_millis(TICK_MS))
    {
        on_cleanup(move || handle.clear());
    }
    on_cleanup(move || {
        sweep
            .workers
            .try_update_value(|w| w.clear())
            .unwrap_or_default()
    });
    sweep
}

impl SweepHandle {
    /// Starts `plan` (ending any sweep in progress) beside other workers
    /// that hold `held_elsewhere` bytes.
    pub fn start(&self, plan: SweepPlan, held_elsewhere: usize) {
        let text = self.text.get_untracked().raced();
        self.update(|sweep, now| sweep.start(plan, text, held_elsewhere, now));
    }

    /// Ends every run's worker; finished runs keep their results.
    pub fn stop(&self) {
        self.update(|sweep, now| sweep.stop(now));
    }

    /// Moves the sweep's clock; the views hear of a tick only when it ends a run.
    fn tick(&self) {
        let now = now_ms();
        let Some(commands) = self.state.try_update_untracked(|s| s.tick(now)) else {
            return; // the page is gone
        };
        if !commands.is_empty() {
            self.state.notify();
            self.carry_out(commands);
        }
    }

    fn update(&self, change: impl FnOnce(&mut Sweep, u64) -> Vec<SweepCommand>) {
        let now = now_ms();
        if let Some(commands) = self.state.try_update(|sweep| change(sweep, now)) {
            self.carry_out(commands);
        }
    }

    fn carry_out(&self, commands: Vec<SweepCommand>) {
        for command in commands {
            match command {
                SweepCommand::Spawn(id, run) => self.spawn(id, run),
                // Dropping the bridge ends the worker.
                SweepCommand::Terminate(id) => self
                    .workers
                    .try_update_value(|w| w.retain(|(w_id, _)| *w_id != id))
                    .unwrap_or_default(),
            }
        }
    }

    fn spawn(&self, id: u32, run: PageSweepRun) {
        let sweep = *self;
        let bridge = spawn_race_worker(move |event: RaceEvent| {
            sweep.update(|s, now| s.on_event(id, event, now))
        });
        let documents = documents_for(&run.settings, self.own_text);
        bridge.send(RaceCommand::SweepRun { documents, run });
        self.workers.update_value(|w| w.push((id, bridge)));
    }
}
