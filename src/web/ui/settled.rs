//! Resting: views that are read, not watched (the lens, the costs, the
//! unrolled cells, the batch as text, "What does bs mean?"), follow a slider
//! drag once it pauses instead of in every frame of it; and work that must
//! wait for the learner to stop (the URL, the worker's new run) waits with
//! one timer, not a cleared and re-set one per event.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;

/// How long a drag must rest before such views follow it.
pub const SETTLE_MS: u64 = 120;

struct Rest {
    ms: f64,
    last_poke: Cell<f64>,
    armed: Cell<bool>,
    then: Box<dyn Fn()>,
}

/// Runs an action once calls to [`Debounce::poke`] have stopped for `ms`.
///
/// A poke only notes the time: the one armed timer, when it fires early,
/// re-arms itself for what is left. Clearing and setting a timer on every
/// input event of a drag cost about a millisecond of each frame.
#[derive(Clone)]
pub struct Debounce(Rc<Rest>);

impl Debounce {
    pub fn new(ms: u64, then: impl Fn() + 'static) -> Self {
        Debounce(Rc::new(Rest {
            ms: ms as f64,
            last_poke: Cell::new(0.0),
            armed: Cell::new(false),
            then: Box::new(then),
        }))
    }

    /// (Re)starts the wait.
    pub fn poke(&self) {
        self.0.last_poke.set(now_ms());
        if !self.0.armed.replace(true) {
            arm(self.0.clone(), self.0.ms);
        }
    }
}

fn arm(rest: Rc<Rest>, wait_ms: f64) {
    set_timeout(
        move || {
            let left = rest.ms - (now_ms() - rest.last_poke.get());
            // Timers fire a little late or early; a millisecond is at rest.
            if left > 1.0 {
                arm(rest, left);
            } else {
                rest.armed.set(false);
                (rest.then)();
            }
        },
        std::time::Duration::from_millis(wait_ms.ceil() as u64),
    );
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// `source`, `ms` milliseconds after its last change (at once the first time).
pub fn use_settled<T>(source: Signal<T>, ms: u64) -> Signal<T>
where
    T: Clone + Send + Sync + 'static,
{
    use_settled_unless(source, ms, |_, _| false)
}

/// Like [`use_settled`], but a change that `at_once(shown, new)` accepts
/// shows at once: a step of the run moves the views without a wait, a drag
/// of the settings waits for rest.
pub fn use_settled_unless<T>(source: Signal<T>, ms: u64, at_once: fn(&T, &T) -> bool) -> Signal<T>
where
    T: Clone + Send + Sync + 'static,
{
    let settled = RwSignal::new(source.get_untracked());
    let rest = Debounce::new(ms, move || {
        if let Some(value) = source.try_get_untracked() {
            settled.try_set(value);
        }
    });
    Effect::new(move |first: Option<()>| {
        source.track();
        if first.is_none() {
            return;
        }
        let now = source.with_untracked(|new| settled.with_untracked(|shown| at_once(shown, new)));
        if now {
            settled.set(source.get_untracked());
        } else {
            rest.poke();
        }
    });
    settled.into()
}
