//! One run of the page's sweep as the sweep knows it: its bs and lr, and
//! where it is.

use crate::training::sweep::run::RunResult;

/// A run being trained by worker `id`, as its last report left it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Training {
    pub id: u32,
    pub steps: usize,
    pub tokens: usize,
    /// The last smoothed validation loss.
    pub val_loss: Option<f64>,
    pub(super) ms_per_step: Option<f64>,
    /// When the worker last reported, in ms.
    pub(super) heard_ms: u64,
}

/// Where one run of the sweep is.
#[derive(Clone, Debug, PartialEq)]
pub enum JobStatus {
    Waiting,
    Training(Training),
    Done(RunResult),
    /// It could not train, or its worker died; the sentence says why.
    Failed(String),
    /// The sweep was stopped before this run ended.
    Stopped,
}

/// One (bs, lr) run of the sweep, or its pilot.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepJob {
    pub bs: usize,
    pub lr: f64,
    pub status: JobStatus,
}

impl SweepJob {
    pub(super) fn waiting((bs, lr): (usize, f64)) -> SweepJob {
        SweepJob {
            bs,
            lr,
            status: JobStatus::Waiting,
        }
    }

    /// The run's live numbers while a worker trains it.
    pub fn training(&self) -> Option<&Training> {
        match &self.status {
            JobStatus::Training(training) => Some(training),
            _ => None,
        }
    }
}
