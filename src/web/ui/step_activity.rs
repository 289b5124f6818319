//! The step bar's word for what the training worker is doing, said only
//! when the work lasts: a slider drag reloads the run on every frame, and a
//! "loading…" flashing on and off would only repaint the step bar in every
//! frame of the drag.

use leptos::prelude::*;

use super::stepping::set_if_changed;

/// Work shorter than this is not announced.
const ANNOUNCE_AFTER_MS: u64 = 200;

/// What the worker is doing: "loading…" while a new run is prepared
/// (`loading`), "training…" while requests are owed (`pending`), else
/// nothing — said only once it has lasted [`ANNOUNCE_AFTER_MS`].
pub fn announced_activity(
    pending: RwSignal<usize>,
    loading: RwSignal<bool>,
) -> Signal<Option<&'static str>> {
    let now = Memo::new(move |_| {
        if loading.get() {
            Some("loading…")
        } else if pending.get() > 0 {
            Some("training…")
        } else {
            None
        }
    });
    let shown = RwSignal::new(None);
    let timer = StoredValue::new_local(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let current = now.get();
        timer.update_value(|t| t.take().into_iter().for_each(|handle| handle.clear()));
        if current.is_none() || shown.get_untracked().is_some() {
            // Ending, or switching from one announced activity to another: at once.
            set_if_changed(shown, current);
            return;
        }
        let announce = move || {
            if now.get_untracked() == current {
                shown.set(current);
            }
        };
        timer.set_value(
            set_timeout_with_handle(
                announce,
                std::time::Duration::from_millis(ANNOUNCE_AFTER_MS),
            )
            .ok(),
        );
    });
    shown.into()
}
