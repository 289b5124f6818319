//! Taking turns: a race may have more runs than the machine has cores.
//! Every run keeps its own worker, but only `slots` of them train at once
//! and the others wait, so the page's own thread is never starved: four busy
//! workers on two cores gave it ~33 ms frames; two give 16.7 ms, the same as
//! one, at twice the tokens per second (BENCHMARKS.md, "Race").
//! Each run's clock counts only its own training time, so its curve against
//! seconds is what it would be alone on a core.

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
/// chip order) when at most `slots` may train at once: a window of `slots`
/// runs that moves on by `slots` every turn, so that over `eligible.len()`
/// turns every run trains for exactly `slots` of them.
pub fn on_turn(eligible: &[u32], slots: usize, turn: usize) -> Vec<u32> {
    let runs = eligible.len();
    if runs <= slots {
        return eligible.to_vec();
    }
    let start = (turn % runs) * slots % runs;
    (0..slots).map(|i| eligible[(start + i) % runs]).collect()
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

#[cfg(test)]
mod tests;
