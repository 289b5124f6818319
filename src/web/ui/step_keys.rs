//! The stepping keys: → step, ← back, space play/pause, r reset.

use leptos::ev;
use leptos::prelude::*;

use super::stepping::Stepping;

impl Stepping {
    /// → step, ← back, space play/pause, r reset — unless the learner is
    /// typing or dragging a control, which owns those keys.
    pub fn install_keyboard(self) {
        let handle = window_event_listener(ev::keydown, move |e| {
            let in_control = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .map(|el| {
                    matches!(
                        el.tag_name().as_str(),
                        "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON"
                    )
                })
                .unwrap_or(false);
            if in_control || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            match e.key().as_str() {
                "ArrowRight" => self.step(),
                "ArrowLeft" => self.back(),
                " " => self.playing.update(|p| *p = !*p),
                "r" | "R" => self.reset(),
                _ => return,
            }
            e.prevent_default();
        });
        on_cleanup(move || handle.remove());
    }
}
