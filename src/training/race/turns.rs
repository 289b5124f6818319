//! Taking turns: a race may have more runs than the machine has cores.
//! Every run keeps its own worker, but only a few of them train at once
//! and the others wait, so the page's own thread is never starved: four busy
//! workers on two cores gave it ~33 ms frames; two give 16.7 ms, the same as
//! one, at twice the tokens per second (BENCHMARKS.md, "Race").
//! Each run's clock counts only its own training time, so its curve against
//! seconds is what it would be alone on a core.
//!
//! A run on its turn reports often; one that falls silent for too long has
//! died without a word ([`silent_workers`]).

use super::command::Command;
use super::messages::RaceCommand;
use super::run_slot::{RunSlot, RunStatus};

/// How long a run trains before the next ones take over, in milliseconds:
/// several of a worker's 50 ms slices, short enough that every curve moves
/// within a second.
pub const TURN_MS: u64 = 250;

/// How many runs train at once on a machine with `cores` logical cores: one
/// per core (the page's thread needs little and gets its share); at least one.
pub fn training_slots(cores: usize) -> usize {
    cores.max(1)
}

/// The runs that train during turn `turn`, out of the `eligible` ones (in
/// chip order) when `at_once` may train together: a window of `at_once`
/// runs that moves on by `at_once` every turn, so that over `eligible.len()`
/// turns every run trains for exactly `at_once` of them.
pub fn on_turn(eligible: &[u32], at_once: usize, turn: usize) -> Vec<u32> {
    let runs = eligible.len();
    if runs <= at_once {
        return eligible.to_vec();
    }
    let start = (turn % runs) * at_once % runs;
    (0..at_once).map(|i| eligible[(start + i) % runs]).collect()
}

/// A training run reports at least every few hundred milliseconds and after
/// each step; one silent for longer than this has died in a way its panic
/// hook could not report (a trap: out of memory, stack overflow).
pub const SILENCE_MIN_MS: f64 = 15_000.0;

/// Before a run's first report its step time is unknown, and one step of a
/// large model on a long window (bs 256 × bptt 200 at H = 512) takes ~15 s.
pub const SILENCE_BEFORE_FIRST_REPORT_MS: f64 = 120_000.0;

/// How long a run on its turn may stay silent before the page calls it
/// crashed: [`SILENCE_MIN_MS`], or four of its steps if a step takes longer;
/// [`SILENCE_BEFORE_FIRST_REPORT_MS`] while its step time is unknown.
pub fn silence_limit_ms(ms_per_step: Option<f64>) -> f64 {
    ms_per_step
        .filter(|ms| ms.is_finite())
        .map_or(SILENCE_BEFORE_FIRST_REPORT_MS, |ms| {
            (4.0 * ms).max(SILENCE_MIN_MS)
        })
}

/// Tells the runs whose turn `turn` it is to train and the others to wait,
/// and marks them on their turn; none trains unless `racing`. A run told to
/// train is heard from now: it was silent because it was waiting.
pub fn share_turns(
    slots: &mut [RunSlot],
    racing: bool,
    at_once: usize,
    turn: usize,
    now_ms: u64,
) -> Vec<Command> {
    let eligible: Vec<u32> = slots
        .iter()
        .filter(|s| racing && s.run.may_train())
        .map(|s| s.id())
        .collect();
    let chosen = on_turn(&eligible, at_once, turn);
    let mut commands = Vec::new();
    for slot in slots.iter_mut() {
        let turn = chosen.contains(&slot.id());
        if slot.run.on_turn && !turn && slot.run.worker_alive() {
            commands.push(Command::Send(slot.id(), RaceCommand::Pause));
        }
        if turn && !slot.run.on_turn {
            commands.push(Command::Send(slot.id(), RaceCommand::Resume));
            slot.heard_ms = now_ms;
        }
        slot.run.on_turn = turn;
    }
    commands
}

/// The slots whose worker stayed silent on its turn (or while loading) for
/// longer than its [`silence_limit_ms`], with how long, in ms.
pub fn silent_workers(slots: &[RunSlot], now_ms: u64) -> Vec<(usize, u64)> {
    slots
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.run.status == RunStatus::Starting
                || (s.run.status == RunStatus::Training && s.run.on_turn)
        })
        .filter_map(|(index, s)| {
            let silent_ms = now_ms.saturating_sub(s.heard_ms);
            // A run paused before its first step reports stats of 0 steps.
            let ms_per_step = s.run.stats.as_ref().filter(|st| st.steps > 0);
            let limit = silence_limit_ms(ms_per_step.map(|st| st.ms_per_step));
            (silent_ms as f64 > limit).then_some((index, silent_ms))
        })
        .collect()
}

#[cfg(test)]
mod tests;
