//! The race itself: its runs in one list of slots, which of them train now
//! (turns), which worker has died (the watchdog), and what the page must do
//! for each of the learner's actions and each of the workers' reports.
//!
//! It never touches a worker or a clock. The page hands it the learner's
//! actions, every report ([`Race::on_event`]) and the time ([`Race::tick`],
//! every [`TICK_MS`] or so), and carries out the [`Command`]s it returns:
//! spawning and ending workers, sending them messages, making files. So the
//! whole logic runs natively, with a fake clock, in its tests.
//!
//! Every worker gets a fresh id and its reports carry it, so the reports of
//! a worker that was removed, restarted or declared dead are dropped.

use super::command::Command;
use super::dead_worker::{panic_reason, silence_reason};
use super::messages::{RaceCommand, RaceEvent};
use super::race_memory::{admit, TextSize};
use super::run_slot::{Downloads, RunSlot, RunStatus};
use super::turns::{share_turns, silent_workers, TURN_MS};
use super::{run_config, LrRule, RaceValue, RaceVariable, RunConfig};
use crate::page::settings::Settings;

/// How often the page should call [`Race::tick`]: often enough that turns
/// last [`TURN_MS`] give or take a tick.
pub const TICK_MS: u64 = 50;
/// How often each training run is asked for a fresh sample.
pub const SAMPLE_EVERY_MS: u64 = 3_000;
/// Length of a sample, in tokens.
pub const SAMPLE_LEN: usize = 160;
/// The sample temperature a race starts with.
pub const DEFAULT_TEMPERATURE: f64 = 0.8;

/// A race in progress, or the last one (see the module docs).
#[derive(Clone, Debug, PartialEq)]
pub struct Race {
    slots: Vec<RunSlot>,
    /// The base settings and lr rule of the race, and the size of the text
    /// its workers hold: a chip added meanwhile starts a run of them.
    plan: Option<(Settings, LrRule, TextSize)>,
    /// Started and not stopped: adding a chip starts its run.
    racing: bool,
    paused: bool,
    /// How many runs train at once; the others wait their turn.
    at_once: usize,
    /// Counts the turns that found a run waiting.
    turn: usize,
    next_turn_ms: u64,
    next_sample_ms: u64,
    temperature: f64,
    next_id: u32,
}

impl Race {
    /// No race yet, on a machine where `at_once` runs may train together
    /// (`turns::training_slots` of its cores).
    pub fn new(at_once: usize) -> Race {
        Race {
            slots: Vec::new(),
            plan: None,
            racing: false,
            paused: false,
            at_once: at_once.max(1),
            turn: 0,
            next_turn_ms: 0,
            next_sample_ms: 0,
            temperature: DEFAULT_TEMPERATURE,
            next_id: 0,
        }
    }

    /// The runs, in chip order.
    pub fn slots(&self) -> &[RunSlot] {
        &self.slots
    }

    /// The run whose worker is `id`.
    pub fn slot(&self, id: u32) -> Option<&RunSlot> {
        self.slots.iter().find(|slot| slot.id() == id)
    }

    /// The variable and lr rule of the race in progress or the last one.
    pub fn plan(&self) -> Option<(RaceVariable, LrRule)> {
        let (_, lr_rule, _) = self.plan.as_ref()?;
        let variable = self.slots.first()?.run.config.value.variable();
        Some((variable, *lr_rule))
    }

    pub fn racing(&self) -> bool {
        self.racing
    }

    pub fn paused(&self) -> bool {
        self.paused
    }

    pub fn at_once(&self) -> usize {
        self.at_once
    }

    pub fn temperature(&self) -> f64 {
        self.temperature
    }

    /// The temperature of the samples asked for from now on.
    pub fn set_temperature(&mut self, temperature: f64) {
        self.temperature = temperature;
    }

    /// Starts a race of `values` over `base` on a text of `text`'s size (as
    /// each worker will hold it), ending the race before it. Runs that would
    /// take the race's workers over their memory budget are refused.
    pub fn start(
        &mut self,
        base: Settings,
        values: &[RaceValue],
        lr_rule: LrRule,
        text: TextSize,
        now_ms: u64,
    ) -> Vec<Command> {
        let mut commands = self.clear();
        self.plan = Some((base, lr_rule, text));
        self.racing = true;
        self.paused = false;
        self.next_turn_ms = now_ms + TURN_MS;
        for &value in values {
            commands.extend(self.add_slot(value, now_ms));
        }
        commands.extend(self.share_turns(now_ms));
        commands
    }

    /// Starts the run of `value` in the race in progress (nothing if none is,
    /// or if `value` already races).
    pub fn add(&mut self, value: RaceValue, now_ms: u64) -> Vec<Command> {
        let mut commands = self.add_slot(value, now_ms);
        if !commands.is_empty() {
            commands.extend(self.share_turns(now_ms));
        }
        commands
    }

    /// Ends and removes the run of `value`; its turn passes on.
    pub fn remove(&mut self, value: RaceValue, now_ms: u64) -> Vec<Command> {
        let Some(index) = self.slots.iter().position(|s| s.run.config.value == value) else {
            return Vec::new();
        };
        let slot = self.slots.remove(index);
        let mut commands = Command::end_run(&slot);
        commands.extend(self.share_turns(now_ms));
        commands
    }

    /// Trains run `id` again from scratch in a new worker, in the same slot.
    pub fn restart(&mut self, id: u32, now_ms: u64) -> Vec<Command> {
        let Some(index) = self.index_of(id) else {
            return Vec::new();
        };
        let new_id = self.new_id();
        let config = self.slots[index].run.config.clone();
        let mut others = self.slots.clone();
        others.remove(index);
        let (slot, spawn) = self.new_slot(&others, new_id, config, now_ms);
        let old = std::mem::replace(&mut self.slots[index], slot);
        let mut commands = Command::end_run(&old);
        commands.extend(spawn);
        commands.extend(self.share_turns(now_ms));
        commands
    }

    /// Pauses every training run.
    pub fn pause(&mut self, now_ms: u64) -> Vec<Command> {
        self.set_paused(true, now_ms)
    }

    /// Lets the paused runs train again.
    pub fn resume(&mut self, now_ms: u64) -> Vec<Command> {
        self.set_paused(false, now_ms)
    }

    /// Stops every run for good; their curves, samples and files stay.
    pub fn stop(&mut self, now_ms: u64) -> Vec<Command> {
        let mut commands: Vec<Command> = self
            .slots
            .iter()
            .filter(|s| s.run.worker_alive())
            .map(|s| Command::Send(s.id(), RaceCommand::Stop))
            .collect();
        self.racing = false;
        self.paused = false;
        for slot in &mut self.slots {
            if slot.run.may_train() || slot.run.status == RunStatus::Paused {
                slot.run.status = RunStatus::Stopped;
            }
        }
        commands.extend(self.share_turns(now_ms));
        commands
    }

    /// Asks run `id` for its weights and loss history as files.
    pub fn export(&self, id: u32) -> Vec<Command> {
        match self.slot(id) {
            Some(slot) if slot.run.worker_alive() => vec![Command::Send(id, RaceCommand::Export)],
            _ => Vec::new(),
        }
    }

    /// The files made for run `id` after [`Command::MakeFiles`]; the run's
    /// previous files, or these if the run is gone, are released.
    pub fn files_made(&mut self, id: u32, files: Downloads) -> Vec<Command> {
        let released = match self.index_of(id) {
            Some(index) => self.slots[index].run.downloads.replace(files),
            None => Some(files),
        };
        released.map(Command::ReleaseFiles).into_iter().collect()
    }

    /// The clock moved to `now_ms`: a worker silent too long on its turn is
    /// declared dead, the next runs get their turn every [`TURN_MS`], and
    /// the training runs are asked for samples every [`SAMPLE_EVERY_MS`].
    /// Nothing the page shows changes without a command returned.
    pub fn tick(&mut self, now_ms: u64) -> Vec<Command> {
        let mut commands = self.watchdog(now_ms);
        if now_ms >= self.next_turn_ms {
            self.next_turn_ms = now_ms + TURN_MS;
            if self
                .slots
                .iter()
                .any(|s| s.run.may_train() && !s.run.on_turn)
            {
                self.turn += 1;
                commands.extend(self.share_turns(now_ms));
            }
        }
        if now_ms >= self.next_sample_ms {
            self.next_sample_ms = now_ms + SAMPLE_EVERY_MS;
            let sample = RaceCommand::Sample {
                temperature: self.temperature,
                len: SAMPLE_LEN,
            };
            commands.extend(
                self.slots
                    .iter()
                    .filter(|s| s.run.status == RunStatus::Training)
                    .map(|s| Command::Send(s.id(), sample.clone())),
            );
        }
        commands
    }

    /// Worker `id` reported `event` at `now_ms`.
    pub fn on_event(&mut self, id: u32, event: RaceEvent, now_ms: u64) -> Vec<Command> {
        let Some(index) = self.index_of(id) else {
            return Vec::new(); // a removed or restarted run's worker
        };
        let paused = self.paused;
        let slot = &mut self.slots[index];
        if !slot.run.worker_alive() {
            return Vec::new(); // declared dead: whatever it still says is late
        }
        slot.heard_ms = now_ms;
        let run = &mut slot.run;
        match event {
            RaceEvent::Started => {
                // A run stopped while it was loading stays stopped.
                if run.status == RunStatus::Starting {
                    run.status = if paused {
                        RunStatus::Paused
                    } else {
                        RunStatus::Training
                    };
                }
                Vec::new()
            }
            RaceEvent::Progress { points, stats } => {
                run.last_loss = points.last().map(|p| p.loss).or(run.last_loss);
                run.stats = Some(stats);
                slot.history.points.extend(points);
                Vec::new()
            }
            RaceEvent::Sampled(text) => {
                run.sample = Some(text);
                Vec::new()
            }
            RaceEvent::Exported { model_json, csv } => vec![Command::MakeFiles {
                id,
                model_json,
                csv,
            }],
            RaceEvent::Diverged { diverged, stats } => {
                run.stats = Some(stats);
                run.status = RunStatus::Diverged(diverged);
                self.share_turns(now_ms)
            }
            RaceEvent::Refused(reason) => {
                run.status = RunStatus::Refused(reason);
                self.share_turns(now_ms)
            }
            RaceEvent::Crashed(report) => self.declare_dead(index, panic_reason(&report), now_ms),
        }
    }

    fn add_slot(&mut self, value: RaceValue, now_ms: u64) -> Vec<Command> {
        let Some((base, lr_rule, _)) = &self.plan else {
            return Vec::new();
        };
        if !self.racing || self.slots.iter().any(|s| s.run.config.value == value) {
            return Vec::new();
        }
        let config = run_config(base, value, *lr_rule);
        let id = self.new_id();
        let (slot, spawn) = self.new_slot(&self.slots, id, config, now_ms);
        self.slots.push(slot);
        spawn
    }

    /// A slot for a run of `config` in worker `id` beside `others`, and the
    /// commands that start its worker; a run over the race's memory budget
    /// gets no worker and its card says why.
    fn new_slot(
        &self,
        others: &[RunSlot],
        id: u32,
        config: RunConfig,
        now_ms: u64,
    ) -> (RunSlot, Vec<Command>) {
        let admitted = match &self.plan {
            Some((_, _, text)) => admit(others, &config, *text),
            None => Ok(()),
        };
        let mut slot = RunSlot::new(id, config.clone(), now_ms);
        match admitted {
            Ok(()) => (slot, Command::spawn(id, config)),
            Err(reason) => {
                slot.run.status = RunStatus::NotStarted(reason);
                (slot, Vec::new())
            }
        }
    }

    fn set_paused(&mut self, paused: bool, now_ms: u64) -> Vec<Command> {
        if !self.racing {
            return Vec::new();
        }
        self.paused = paused;
        let (from, to) = if paused {
            (RunStatus::Training, RunStatus::Paused)
        } else {
            (RunStatus::Paused, RunStatus::Training)
        };
        for slot in &mut self.slots {
            if slot.run.status == from {
                slot.run.status = to.clone();
            }
        }
        self.share_turns(now_ms)
    }

    /// Declares dead the workers that stayed silent too long.
    fn watchdog(&mut self, now_ms: u64) -> Vec<Command> {
        silent_workers(&self.slots, now_ms)
            .into_iter()
            .flat_map(|(index, silent_ms)| {
                self.declare_dead(index, silence_reason(silent_ms), now_ms)
            })
            .collect()
    }

    /// Ends the worker of slot `index` and says why on its card; the race
    /// goes on with the others.
    fn declare_dead(&mut self, index: usize, reason: String, now_ms: u64) -> Vec<Command> {
        let run = &mut self.slots[index].run;
        run.status = RunStatus::Crashed(reason);
        run.on_turn = false;
        let mut commands = vec![Command::Terminate(run.id)];
        commands.extend(self.share_turns(now_ms));
        commands
    }

    /// Tells the runs whose turn it is to train and the others to wait.
    fn share_turns(&mut self, now_ms: u64) -> Vec<Command> {
        let racing = self.racing && !self.paused;
        share_turns(&mut self.slots, racing, self.at_once, self.turn, now_ms)
    }

    /// Ends every run.
    fn clear(&mut self) -> Vec<Command> {
        self.slots
            .drain(..)
            .flat_map(|s| Command::end_run(&s))
            .collect()
    }

    fn index_of(&self, id: u32) -> Option<usize> {
        self.slots.iter().position(|s| s.id() == id)
    }

    fn new_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }
}

#[cfg(test)]
mod tests;
