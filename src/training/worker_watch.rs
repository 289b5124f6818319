//! Watching the training worker: which requests it still owes an answer,
//! whether it is in the middle of a step (a Reset or a settings change then
//! ends it instead of waiting), and what to do when it dies — a panic, an
//! uncaught error such as running out of memory, or silence.
//!
//! A plain state machine fed events and a clock, returning orders; the page
//! delivers the events and carries the orders out (`ui/stepping.rs`), and the
//! logic is tested natively with a fake clock.

use std::collections::VecDeque;

/// Silence shorter than this is never taken for death: the longest step the
/// memory budget allows takes some seconds, tokenising the largest text too.
pub const SILENCE_FLOOR_MS: f64 = 60_000.0;
/// Silence is also death past this many times the slowest answer seen.
pub const SILENCE_FACTOR: f64 = 4.0;
/// The slowest a step is ever assumed to run, in floating-point operations
/// per millisecond (1 GFLOP/s: some twenty times slower than a worker here),
/// so that the longest step the budget allows (~500 GFLOP) is never taken
/// for silence.
pub const SLOWEST_FLOPS_PER_MS: f64 = 1e6;
/// Deaths in a row without a single answer before the page stops
/// restarting: a worker that cannot even start would otherwise loop.
pub const MAX_DEATHS_UNANSWERED: usize = 3;

/// How a worker died.
#[derive(Clone, Debug, PartialEq)]
pub enum Death {
    /// A Rust panic (a bug), with its message.
    Panicked(String),
    /// An uncaught error ended the worker's code; `unreachable` is how an
    /// allocation that found no memory left ends in WebAssembly.
    Failed(String),
    /// Requests were pending and nothing came back for this long.
    Silent { seconds: u64 },
}

/// What the page must do about a death.
#[derive(Clone, Debug, PartialEq)]
pub enum Order {
    /// End the worker, start a new one and load the run again; say `message`.
    Restart { message: String },
    /// Stop trying: the worker dies before it answers anything; say
    /// `message`. The learner's next request tries once more
    /// ([`WorkerWatch::revive`]).
    GiveUp { message: String },
}

/// The worker's obligations and health (see the module docs).
#[derive(Clone, Debug, Default)]
pub struct WorkerWatch {
    /// Requests sent and not yet fully answered, oldest first; true for a
    /// step (Step or a replay).
    pending: VecDeque<bool>,
    /// When the worker was last heard from, or given work while idle (ms).
    heard_ms: f64,
    /// The longest wait for one answer so far (ms).
    slowest_ms: f64,
    /// Deaths since the worker last answered anything.
    deaths_unanswered: usize,
    /// The longest a step of the current run may take at the slowest (ms).
    step_ms: f64,
    /// The page gave up on the worker and ended it: no run is loaded.
    given_up: bool,
}

impl WorkerWatch {
    /// A request went out at `now`; `step` if it trains.
    pub fn sent(&mut self, now: f64, step: bool) {
        if self.pending.is_empty() {
            self.heard_ms = now;
        }
        self.pending.push_back(step);
    }

    /// An answer came at `now`; `done` if it was its request's last.
    pub fn answered(&mut self, now: f64, done: bool) {
        self.slowest_ms = self.slowest_ms.max(now - self.heard_ms);
        self.heard_ms = now;
        self.deaths_unanswered = 0;
        if done {
            self.pending.pop_front();
        }
    }

    /// Requests still owed an answer.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Whether a step is under way or queued: then a Reset or a settings
    /// change ends the worker instead of waiting behind it.
    pub fn stepping(&self) -> bool {
        self.pending.iter().any(|&step| step)
    }

    /// The run's longest step costs `flops`: silence that long is a step.
    pub fn expect_steps_of(&mut self, flops: f64) {
        self.step_ms = flops / SLOWEST_FLOPS_PER_MS;
    }

    /// How long silence may last before it counts as death (ms).
    pub fn silence_limit_ms(&self) -> f64 {
        SILENCE_FLOOR_MS
            .max(SILENCE_FACTOR * self.slowest_ms)
            .max(self.step_ms)
    }

    /// The clock at `now`: a worker owing answers and silent past the limit is dead.
    pub fn tick(&self, now: f64) -> Option<Death> {
        let silent = now - self.heard_ms;
        (!self.pending.is_empty() && silent > self.silence_limit_ms()).then(|| Death::Silent {
            seconds: (silent / 1000.0).round() as u64,
        })
    }

    /// The worker died: what to do. Its pending requests are dropped.
    pub fn died(&mut self, death: &Death) -> Order {
        self.pending.clear();
        self.deaths_unanswered += 1;
        if self.deaths_unanswered >= MAX_DEATHS_UNANSWERED {
            self.given_up = true;
            return Order::GiveUp {
                message: format!(
                    "The training worker could not start ({}), so the page stopped trying. Press Step or Reset, or change a setting, to try once more.",
                    cause(death)
                ),
            };
        }
        Order::Restart {
            message: format!(
                "The training worker {} and was restarted: the run starts again from batch 1 with fresh weights. Press Step to go on.",
                cause(death)
            ),
        }
    }

    /// The learner asks for work: whether the page had given up, and so
    /// must load the run again (in a new worker) first. A worker that dies
    /// again before answering is given up on at once, not retried in a loop.
    pub fn revive(&mut self) -> bool {
        std::mem::take(&mut self.given_up)
    }

    /// The page ended the worker on purpose (a Reset or a settings change
    /// during a step) and started a new one: nothing is owed any more.
    pub fn replaced(&mut self) {
        self.pending.clear();
    }
}

/// A death in the learner's words: what happened, never a Rust source path.
fn cause(death: &Death) -> String {
    match death {
        Death::Panicked(message) => format!("stopped on an internal error (“{}”)", short(message)),
        Death::Failed(message) if message.contains("unreachable") || message.contains("memory") => {
            "ran out of memory".to_string()
        }
        Death::Failed(message) => format!("stopped on an error (“{}”)", short(message)),
        Death::Silent { seconds } => format!("stopped answering for {seconds} s"),
    }
}

/// The first line of a message, at most 80 characters, without a source
/// location (`src/…rs:12:5`) if one slipped in.
fn short(message: &str) -> String {
    let line = message.lines().next().unwrap_or("").trim();
    let mut words: Vec<&str> = Vec::new();
    for word in line.split(' ') {
        if word.contains(".rs:") {
            // "… at src/x.rs:1:2": the place goes, with its "at".
            if words.last() == Some(&"at") {
                words.pop();
            }
        } else {
            words.push(word);
        }
    }
    let line = words.join(" ");
    match line.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

#[cfg(test)]
mod tests;
