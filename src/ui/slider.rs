//! A labelled range slider bound to a whole-number signal.

use leptos::prelude::*;

/// `<input type="range">` with its label and current value.
#[component]
pub fn Slider(
    /// What the slider sets, in the learner's words (also its aria-label).
    label: &'static str,
    /// The `data-testid` of the range input.
    testid: &'static str,
    /// Smallest value.
    min: usize,
    /// Largest value.
    max: usize,
    /// The value; the slider writes it on every `input` event.
    value: RwSignal<usize>,
) -> impl IntoView {
    let on_input = move |ev: leptos::ev::Event| {
        // A range input only yields numbers in [min, max]; clamp anyway so a
        // hand-edited DOM cannot push the core outside its domain.
        if let Ok(v) = event_target_value(&ev).parse::<usize>() {
            value.set(v.clamp(min, max));
        }
    };
    view! {
        <label class="slider">
            <span class="slider-label">{label}</span>
            <input
                type="range"
                min=min.to_string()
                max=max.to_string()
                data-testid=testid
                aria-label=label
                prop:value=move || value.get().to_string()
                on:input=on_input
            />
            <output class="slider-value" data-testid=format!("{testid}-value")>
                {move || value.get()}
            </output>
        </label>
    }
}
