//! One run of a race as the page knows it: a slot of [`super::Race`] with
//! the run's configuration, where it is, its latest numbers, sample and
//! files, and its loss curve.

use super::history::LossHistory;
use super::stats::{Diverged, RunStats};
use super::RunConfig;

/// Where a run is.
#[derive(Clone, Debug, PartialEq)]
pub enum RunStatus {
    /// The worker is loading and splitting the corpus.
    Starting,
    Training,
    Paused,
    Stopped,
    Diverged(Diverged),
    /// The worker died (it panicked, or stopped answering); the sentence
    /// says why in plain words. The run can be restarted.
    Crashed(String),
    /// The worker cannot train these settings; the sentence says why.
    Refused(String),
    /// Not started: the race's workers have no memory to spare for it (the
    /// sentence says how much it needs). Restart tries again.
    NotStarted(String),
}

/// Addresses of a run's exported model and loss history, made by the page
/// (blob URLs in the browser).
#[derive(Clone, Debug, PartialEq)]
pub struct Downloads {
    pub model_url: String,
    pub csv_url: String,
}

/// What a run card shows of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunView {
    /// The id of the run's current worker: a restart gives a new one, so the
    /// reports of the worker it replaced can be told apart and dropped.
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

    /// The status in a word or sentence, as its card shows it; a run that
    /// cannot train says why.
    pub fn status_text(&self) -> String {
        match &self.status {
            RunStatus::Starting => "starting…".into(),
            RunStatus::Training if self.on_turn => "training".into(),
            RunStatus::Training => "waiting its turn".into(),
            RunStatus::Paused => "paused".into(),
            RunStatus::Stopped => "stopped".into(),
            RunStatus::Diverged(d) => {
                format!("diverged at step {}: lower the learning rate", d.step)
            }
            RunStatus::Crashed(message) => format!("crashed: {message}"),
            RunStatus::Refused(reason) => format!("cannot train: {reason}"),
            RunStatus::NotStarted(reason) => format!("not started: {reason}"),
        }
    }

    /// Whether its worker still lives (a crashed one was ended; a run not
    /// started never had one).
    pub fn worker_alive(&self) -> bool {
        !matches!(
            self.status,
            RunStatus::Crashed(_) | RunStatus::NotStarted(_)
        )
    }
}

/// One slot of a race: the run, its curve for the chart, and when its worker
/// was last heard from (for the watchdog).
#[derive(Clone, Debug, PartialEq)]
pub struct RunSlot {
    pub(super) run: RunView,
    pub(super) history: LossHistory,
    /// When the worker last reported, or was told to train, in ms.
    pub(super) heard_ms: u64,
}

impl RunSlot {
    /// A new run of `config` in worker `id`, starting at `now_ms`.
    pub(super) fn new(id: u32, config: RunConfig, now_ms: u64) -> RunSlot {
        RunSlot {
            history: LossHistory::of_bs(config.label.clone(), config.settings.bs),
            run: RunView {
                id,
                config,
                status: RunStatus::Starting,
                stats: None,
                last_loss: None,
                sample: None,
                downloads: None,
                on_turn: false,
            },
            heard_ms: now_ms,
        }
    }

    pub fn run(&self) -> &RunView {
        &self.run
    }

    /// Every point reported so far, in step order.
    pub fn history(&self) -> &LossHistory {
        &self.history
    }

    pub fn id(&self) -> u32 {
        self.run.id
    }
}
