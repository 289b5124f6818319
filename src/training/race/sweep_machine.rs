//! The page's sweep (issue #12): every (bs, lr) of a [`SweepPlan`] trained
//! in a race worker of its own until its smoothed validation loss reaches
//! the target or its budget runs out, after a pilot run that sets the target
//! when none is given; the runs' results, the best lr per bs, the fit of the
//! critical batch size, and the verdict, as results arrive.
//!
//! Like [`super::Race`], it never touches a worker or a clock: the page
//! hands it the learner's actions, the workers' reports and the time, and
//! carries out the [`SweepCommand`]s it returns. At most `at_once` workers
//! live at a time (one per core, as the race's turns allow), and only as
//! many as fit the race's memory budget: a run's worker is ended as soon as
//! its run ends, and the next run starts.

use super::dead_worker::{panic_reason, silence_reason};
use super::messages::RaceEvent;
use super::race_memory::{run_bytes, TextSize, RACE_BUDGET_BYTES};
use super::sweep_plan::SweepPlan;
use super::turns::silence_limit_ms;
use crate::page::costs::format_megabytes;
use crate::page::tour::format_lr;
use crate::training::sweep::fit::{fit_critical_batch, Fit};
use crate::training::sweep::page_run::PageSweepRun;
use crate::training::sweep::pilot::{pilot_from_run, Pilot};
use crate::training::sweep::run::RunResult;
use crate::training::sweep::{best_lrs, BestLr};
use report::pilot_failure;

/// The fit is drawn and read once this many batch sizes reached the target:
/// two points always fit the curve's two numbers exactly, so they would say
/// nothing about whether the curve bends.
pub const FIT_AFTER_BS: usize = 3;

/// What the page must do for the sweep.
#[derive(Clone, Debug, PartialEq)]
pub enum SweepCommand {
    /// Start a race worker for run `id` and send it
    /// [`super::messages::RaceCommand::SweepRun`] with this run.
    Spawn(u32, PageSweepRun),
    /// End worker `id`: its run ended, or the sweep did.
    Terminate(u32),
}

/// Which job: the pilot, or run `i` of the plan's jobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Which {
    Pilot,
    Run(usize),
}

/// A sweep in progress, or the last one (see the module docs).
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    plan: Option<SweepPlan>,
    /// The text each worker holds.
    text: TextSize,
    /// What the sweep's workers may hold together.
    budget_bytes: usize,
    at_once: usize,
    /// The run that sets the target, when the plan gives none.
    pilot: Option<SweepJob>,
    pilot_result: Option<Pilot>,
    target: Option<f64>,
    jobs: Vec<SweepJob>,
    running: bool,
    /// Why the sweep ended before its runs did.
    failure: Option<String>,
    next_id: u32,
}

impl Sweep {
    /// No sweep yet, on a machine where `at_once` runs may train together
    /// (`turns::training_slots` of its cores).
    pub fn new(at_once: usize) -> Sweep {
        Sweep {
            plan: None,
            text: TextSize {
                tokens: 0,
                vocab: 0,
                bytes: 0,
            },
            budget_bytes: RACE_BUDGET_BYTES,
            at_once: at_once.max(1),
            pilot: None,
            pilot_result: None,
            target: None,
            jobs: Vec::new(),
            running: false,
            failure: None,
            next_id: 0,
        }
    }

    /// Starts `plan` on a text of `text`'s size (as each worker holds it),
    /// ending the sweep before it. `held_elsewhere` bytes of the race's
    /// memory budget are taken by other workers (a stopped race's).
    pub fn start(
        &mut self,
        plan: SweepPlan,
        text: TextSize,
        held_elsewhere: usize,
        now_ms: u64,
    ) -> Vec<SweepCommand> {
        let mut commands = self.stop(now_ms);
        self.jobs = plan.jobs().into_iter().map(SweepJob::waiting).collect();
        self.pilot = plan
            .target
            .is_none()
            .then(|| SweepJob::waiting(plan.pilot_job()));
        self.target = plan.target;
        self.pilot_result = None;
        self.plan = Some(plan);
        self.text = text;
        self.budget_bytes = RACE_BUDGET_BYTES.saturating_sub(held_elsewhere);
        self.running = true;
        self.failure = None;
        commands.extend(self.fill(now_ms));
        commands
    }

    /// Ends every worker; finished runs keep their results.
    pub fn stop(&mut self, _now_ms: u64) -> Vec<SweepCommand> {
        let mut commands = Vec::new();
        self.running = false;
        for job in self.pilot.iter_mut().chain(self.jobs.iter_mut()) {
            if let Some(training) = job.training() {
                commands.push(SweepCommand::Terminate(training.id));
            }
            if matches!(job.status, JobStatus::Waiting | JobStatus::Training(_)) {
                job.status = JobStatus::Stopped;
            }
        }
        commands
    }

    /// The clock moved to `now_ms`: a worker silent for too long has died
    /// (a trap ends a worker without a word), and its run fails.
    pub fn tick(&mut self, now_ms: u64) -> Vec<SweepCommand> {
        let silent: Vec<(Which, u32, u64)> = self
            .all()
            .filter_map(|(which, job)| {
                let t = job.training()?;
                let silent_ms = now_ms.saturating_sub(t.heard_ms);
                let limit = silence_limit_ms(t.ms_per_step.filter(|_| t.steps > 0));
                (silent_ms as f64 > limit).then_some((which, t.id, silent_ms))
            })
            .collect();
        silent
            .into_iter()
            .flat_map(|(which, id, silent_ms)| {
                let reason = silence_reason(silent_ms);
                self.end(which, id, JobStatus::Failed(reason), now_ms)
            })
            .collect()
    }

    /// Worker `id` reported `event` at `now_ms`.
    pub fn on_event(&mut self, id: u32, event: RaceEvent, now_ms: u64) -> Vec<SweepCommand> {
        let Some(which) = self.find(id) else {
            return Vec::new(); // an ended run's worker
        };
        let JobStatus::Training(training) = &mut self.job_mut(which).status else {
            return Vec::new();
        };
        training.heard_ms = now_ms;
        let ended = match event {
            RaceEvent::SweepProgress {
                steps,
                tokens,
                val_loss,
                ms_per_step,
            } => {
                training.steps = steps;
                training.tokens = tokens;
                training.val_loss = val_loss.or(training.val_loss);
                training.ms_per_step = Some(ms_per_step);
                return Vec::new();
            }
            RaceEvent::SweepFinished(result) => JobStatus::Done(result),
            RaceEvent::Refused(reason) => JobStatus::Failed(reason),
            RaceEvent::Crashed(report) => JobStatus::Failed(panic_reason(&report)),
            _ => return Vec::new(),
        };
        self.end(which, id, ended, now_ms)
    }

    pub fn plan(&self) -> Option<&SweepPlan> {
        self.plan.as_ref()
    }

    /// Whether runs are still to come.
    pub fn running(&self) -> bool {
        self.running
    }

    /// The runs, in the order they start (the pilot not among them).
    pub fn jobs(&self) -> &[SweepJob] {
        &self.jobs
    }

    /// The pilot run, when the plan gave no target.
    pub fn pilot_job(&self) -> Option<&SweepJob> {
        self.pilot.as_ref()
    }

    /// The pilot's outcome, once it set the target.
    pub fn pilot(&self) -> Option<Pilot> {
        self.pilot_result
    }

    /// The validation loss the runs train to, once known.
    pub fn target(&self) -> Option<f64> {
        self.target
    }

    /// Why the sweep ended early, if it did.
    pub fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// The results of the runs that ended, in job order.
    pub fn results(&self) -> Vec<RunResult> {
        self.jobs
            .iter()
            .filter_map(|job| match &job.status {
                JobStatus::Done(result) => Some(*result),
                _ => None,
            })
            .collect()
    }

    /// Per bs of the plan, its best reached run so far.
    pub fn best(&self) -> Vec<BestLr> {
        let sizes = self.plan.as_ref().map(SweepPlan::batch_sizes);
        best_lrs(&sizes.unwrap_or_default(), &self.results())
    }

    /// The fit to the best runs' steps, once [`FIT_AFTER_BS`] batch sizes
    /// reached the target.
    pub fn fit(&self) -> Option<Fit> {
        let points: Vec<(f64, f64)> = self
            .best()
            .iter()
            .filter_map(|b| Some((b.bs as f64, b.steps? as f64)))
            .collect();
        (points.len() >= FIT_AFTER_BS)
            .then(|| fit_critical_batch(&points))
            .flatten()
    }

    /// Ends the run of `which` (worker `id`) with `status`, and starts the
    /// next runs: a pilot's result sets the target, or ends the sweep.
    fn end(&mut self, which: Which, id: u32, status: JobStatus, now_ms: u64) -> Vec<SweepCommand> {
        let mut commands = vec![SweepCommand::Terminate(id)];
        self.job_mut(which).status = status.clone();
        if which == Which::Pilot {
            let pilot = self.pilot.clone().expect("the pilot ended");
            match status {
                JobStatus::Done(run) => match pilot_from_run(&run) {
                    Ok(result) => {
                        self.target = Some(result.target_loss);
                        self.pilot_result = Some(result);
                    }
                    Err(failure) => self.fail(pilot_failure(&pilot, failure)),
                },
                JobStatus::Failed(reason) => self.fail(format!(
                    "The pilot run (bs={}, lr={}), which sets the target, could not train: {reason}",
                    pilot.bs,
                    format_lr(pilot.lr)
                )),
                _ => {}
            }
        }
        commands.extend(self.fill(now_ms));
        commands
    }

    fn fail(&mut self, reason: String) {
        self.failure = Some(reason);
        self.running = false;
    }

    /// Starts waiting runs while workers and memory allow; marks the sweep
    /// done when no run is left.
    fn fill(&mut self, now_ms: u64) -> Vec<SweepCommand> {
        let mut commands = Vec::new();
        while self.running {
            let alive = self
                .all()
                .filter(|(_, job)| job.training().is_some())
                .count();
            let Some(which) = self.next_waiting().filter(|_| alive < self.at_once) else {
                break;
            };
            let plan = self.plan.as_ref().expect("a running sweep has a plan");
            let job = self.job(which);
            let run = plan.run(
                (job.bs, job.lr),
                self.target.filter(|_| which != Which::Pilot),
            );
            let bytes = run_bytes(&run.settings, self.text);
            if bytes > self.budget_bytes {
                let reason = format!(
                    "its worker would need about {}, more than the {} a sweep may use in this tab: lower bs, bptt, hidden or layers",
                    format_megabytes(bytes),
                    format_megabytes(self.budget_bytes)
                );
                self.job_mut(which).status = JobStatus::Failed(reason.clone());
                if which == Which::Pilot {
                    self.fail(format!(
                        "The pilot run, which sets the target, cannot train: {reason}."
                    ));
                }
                continue;
            }
            if self.held_bytes() + bytes > self.budget_bytes {
                break; // it waits for a worker to end
            }
            let id = self.next_id;
            self.next_id += 1;
            self.job_mut(which).status = JobStatus::Training(Training {
                id,
                steps: 0,
                tokens: 0,
                val_loss: None,
                ms_per_step: None,
                heard_ms: now_ms,
            });
            commands.push(SweepCommand::Spawn(id, run));
        }
        let left = self
            .all()
            .any(|(_, j)| matches!(j.status, JobStatus::Waiting | JobStatus::Training(_)));
        if self.running && !left {
            self.running = false;
        }
        commands
    }

    /// Bytes the live workers hold.
    fn held_bytes(&self) -> usize {
        let Some(plan) = &self.plan else { return 0 };
        self.all()
            .filter(|(_, job)| job.training().is_some())
            .map(|(_, job)| run_bytes(&plan.run((job.bs, job.lr), None).settings, self.text))
            .sum()
    }

    /// The next run to start: the pilot until the target is known, then
    /// the plan's runs in order.
    fn next_waiting(&self) -> Option<Which> {
        if self.target.is_none() {
            return self
                .pilot
                .as_ref()
                .filter(|p| p.status == JobStatus::Waiting)
                .map(|_| Which::Pilot);
        }
        self.jobs
            .iter()
            .position(|job| job.status == JobStatus::Waiting)
            .map(Which::Run)
    }

    fn all(&self) -> impl Iterator<Item = (Which, &SweepJob)> {
        let pilot = self.pilot.iter().map(|p| (Which::Pilot, p));
        pilot.chain(
            self.jobs
                .iter()
                .enumerate()
                .map(|(i, j)| (Which::Run(i), j)),
        )
    }

    fn find(&self, id: u32) -> Option<Which> {
        self.all()
            .find(|(_, job)| job.training().is_some_and(|t| t.id == id))
            .map(|(which, _)| which)
    }

    fn job(&self, which: Which) -> &SweepJob {
        match which {
            Which::Pilot => self.pilot.as_ref().expect("a pilot"),
            Which::Run(i) => &self.jobs[i],
        }
    }

    fn job_mut(&mut self, which: Which) -> &mut SweepJob {
        match which {
            Which::Pilot => self.pilot.as_mut().expect("a pilot"),
            Which::Run(i) => &mut self.jobs[i],
        }
    }
}

mod job;
mod report;

pub use job::{JobStatus, SweepJob, Training};

#[cfg(test)]
mod tests;
