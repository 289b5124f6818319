//! A race worker's session when it trains one run of the page's sweep:
//! the sweep's [`TargetRun`], stepped in slices like a race run, reporting
//! its steps, tokens and validation loss at most every
//! [`super::race_worker::REPORT_MS`], and its result when it ends.

use super::race_worker::{now_ms, run_documents, REPORT_MS, SLICE_MS};
use crate::training::race::messages::RaceEvent;
use crate::training::sweep::page_run::PageSweepRun;
use crate::training::sweep::run::TargetRun;

/// One sweep run in its worker.
pub struct SweepSession {
    run: TargetRun,
    /// Training time so far (reports excluded), ms.
    trained_ms: f64,
    last_report_ms: f64,
}

impl SweepSession {
    /// The run of `page_run` on `documents` (the learner's own text) or its
    /// embedded corpus; the error is the sentence the page shows.
    pub fn start(documents: Option<Vec<String>>, page_run: &PageSweepRun) -> Result<Self, String> {
        let documents = run_documents(documents, &page_run.settings.corpus)?;
        Ok(SweepSession {
            run: page_run.start(&documents)?,
            trained_ms: 0.0,
            last_report_ms: f64::NEG_INFINITY,
        })
    }

    /// Trains for about [`SLICE_MS`]; returns what to report: progress when
    /// a report is due, and the result (or why it cannot go on) once the run
    /// has ended. `true` with it: the run has ended.
    pub fn slice(&mut self) -> (Vec<RaceEvent>, bool) {
        let started = now_ms();
        let mut ended = Ok(None);
        while matches!(ended, Ok(None)) && now_ms() - started < SLICE_MS {
            ended = self.run.step();
        }
        let now = now_ms();
        self.trained_ms += now - started;
        let mut events = Vec::new();
        let over = !matches!(ended, Ok(None));
        if over || now - self.last_report_ms >= REPORT_MS {
            self.last_report_ms = now;
            let steps = self.run.steps();
            events.push(RaceEvent::SweepProgress {
                steps,
                tokens: self.run.tokens_seen(),
                val_loss: self.run.val_loss(),
                ms_per_step: self.trained_ms / steps.max(1) as f64,
            });
        }
        match ended {
            Ok(Some(result)) => events.push(RaceEvent::SweepFinished(result)),
            Err(reason) => events.push(RaceEvent::Refused(reason)),
            Ok(None) => {}
        }
        (events, over)
    }
}
