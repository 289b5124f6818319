//! Button icons as inline SVG: every browser draws them, whatever its fonts
//! (a symbol such as ⏸ is a box in a font that lacks it).

use leptos::prelude::*;

/// Which icon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IconKind {
    Play,
    Pause,
    Step,
    Back,
    Reset,
}

/// A 1em icon in the current text colour, hidden from screen readers (the
/// button's label says what it does).
#[component]
pub fn Icon(
    /// The icon to draw.
    kind: IconKind,
) -> impl IntoView {
    let path = match kind {
        IconKind::Play => "M2 2 L7 8 L2 14 Z M8 2 L13 8 L8 14 Z",
        IconKind::Pause => "M3 2 H6 V14 H3 Z M10 2 H13 V14 H10 Z",
        IconKind::Step => "M4 2 L12 8 L4 14 Z",
        IconKind::Back => "M12 2 L4 8 L12 14 Z",
        IconKind::Reset => "M8 2 A6 6 0 1 1 2.4 6 L1 6 L3.5 2.5 L6 6 L4.5 6 A4 4 0 1 0 8 4 Z",
    };
    view! {
        <svg class="icon" viewBox="0 0 16 16" width="1em" height="1em" aria-hidden="true" focusable="false">
            <path d=path fill="currentColor"></path>
        </svg>
    }
}
