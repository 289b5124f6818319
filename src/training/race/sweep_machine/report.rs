//! What the sweep says about itself: a line of progress, and the verdict.

use super::{JobStatus, Sweep, SweepJob};
use crate::page::costs::group_digits;
use crate::page::tour::format_lr;
use crate::training::sweep::pilot::{pilot_budget, PilotFailure};
use crate::training::sweep::verdict::{sweep_verdict, SweepFacts};

impl Sweep {
    /// What trains now, or how the sweep ended, in a line:
    /// "run 7 of 24: bs=8, lr=0.006 (120 updates, val loss 2.310)".
    pub fn progress(&self) -> String {
        if let Some(failure) = &self.failure {
            return failure.clone();
        }
        if let Some(t) = self.pilot.as_ref().and_then(SweepJob::training) {
            let pilot = self.pilot.as_ref().expect("training");
            let budget = self.plan.as_ref().map_or(0, |p| pilot_budget(p.max_tokens));
            return format!(
                "pilot run: bs={}, lr={}, {} of {} tokens; its validation loss then is the target",
                pilot.bs,
                format_lr(pilot.lr),
                group_digits(t.tokens),
                group_digits(budget)
            );
        }
        let total = self.jobs.len();
        let training: Vec<String> = self
            .jobs
            .iter()
            .enumerate()
            .filter_map(|(i, job)| {
                let t = job.training()?;
                let val = t
                    .val_loss
                    .map_or(String::new(), |v| format!(", val loss {v:.3}"));
                Some(format!(
                    "run {} of {total}: bs={}, lr={} ({} updates{val})",
                    i + 1,
                    job.bs,
                    format_lr(job.lr),
                    group_digits(t.steps)
                ))
            })
            .collect();
        if !training.is_empty() {
            return training.join(" · ");
        }
        let results = self.results();
        let reached = results.iter().filter(|r| r.reached).count();
        match (self.plan.is_some(), self.running) {
            (false, _) => String::new(),
            (true, true) => format!("{} of {total} runs done", results.len()),
            (true, false) if results.len() == total => format!(
                "all {total} runs done: {reached} reached the target, {} did not",
                total - reached
            ),
            (true, false) => format!("stopped after {} of {total} runs", results.len()),
        }
    }

    /// The verdict in plain words, from the results so far.
    pub fn verdict(&self) -> String {
        let Some(plan) = &self.plan else {
            return String::new();
        };
        let best = self.best();
        let untuned = |edge: fn(&[f64]) -> Option<&f64>| -> Vec<usize> {
            best.iter()
                .filter(|b| {
                    let lrs = plan.lrs(b.bs);
                    lrs.len() > 1 && b.best_lr.is_some() && b.best_lr == edge(&lrs).copied()
                })
                .map(|b| b.bs)
                .collect()
        };
        let unreached = plan
            .batch_sizes()
            .into_iter()
            .filter(|&bs| {
                let runs: Vec<&SweepJob> = self.jobs.iter().filter(|j| j.bs == bs).collect();
                runs.iter()
                    .all(|j| !matches!(j.status, JobStatus::Waiting | JobStatus::Training(_)))
                    && !runs
                        .iter()
                        .any(|j| matches!(&j.status, JobStatus::Done(r) if r.reached))
            })
            .collect();
        sweep_verdict(&SweepFacts {
            target: self.target,
            best: &best,
            fit: self.fit(),
            best_at_largest_lr: untuned(|lrs| lrs.last()),
            best_at_smallest_lr: untuned(|lrs| lrs.first()),
            unreached,
            max_tokens: plan.max_tokens,
            noise_at_target: self
                .results()
                .iter()
                .filter(|r| r.reached)
                .filter_map(|r| r.noise_scale)
                .collect(),
        })
    }
}

/// Why a pilot gave no target, in the page's words.
pub(super) fn pilot_failure(pilot: &SweepJob, failure: PilotFailure) -> String {
    let run = format!(
        "The pilot run (bs={}, lr={})",
        pilot.bs,
        format_lr(pilot.lr)
    );
    match failure {
        PilotFailure::Diverged { step } => format!(
            "{run}, which sets the target, diverged at step {step}: lower the page's lr, or type a target loss."
        ),
        PilotFailure::NoValidation => format!(
            "{run}, which sets the target, ended before its first validation pass: raise the token budget, or type a target loss."
        ),
    }
}
