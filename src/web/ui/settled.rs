//! A value that follows another once it has rested: views that are read,
//! not watched (the lens, the classic example's squares), update when a
//! slider drag pauses instead of in every frame of it.

use leptos::prelude::*;

/// How long a drag must rest before such views follow it.
pub const SETTLE_MS: u64 = 120;

/// `source`, `ms` milliseconds after its last change (at once the first time).
pub fn use_settled<T>(source: Signal<T>, ms: u64) -> Signal<T>
where
    T: Clone + Send + Sync + 'static,
{
    let settled = RwSignal::new(source.get_untracked());
    let timer = StoredValue::new_local(None::<TimeoutHandle>);
    Effect::new(move |first: Option<()>| {
        let value = source.get();
        if first.is_none() {
            return;
        }
        timer.update_value(|t| {
            if let Some(old) = t.take() {
                old.clear();
            }
        });
        let handle = set_timeout_with_handle(
            move || settled.set(value),
            std::time::Duration::from_millis(ms),
        );
        timer.set_value(handle.ok());
    });
    settled.into()
}
