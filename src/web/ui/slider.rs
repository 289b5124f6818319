//! A labelled range slider bound to a whole-number signal, with a number box
//! beside it for typing an exact value; both always show the same value.

use leptos::prelude::*;

/// `<input type="range">` and `<input type="number">` with their label.
#[component]
pub fn Slider(
    /// What the slider sets, in the learner's words (also its aria-label).
    label: &'static str,
    /// The short name used in messages ("bs", "bptt").
    name: &'static str,
    /// The `data-testid` of the range input.
    testid: &'static str,
    /// The `data-testid` of the number box.
    input_testid: &'static str,
    /// Smallest value.
    min: usize,
    /// Largest value.
    max: usize,
    /// The value; the slider writes it on every `input` event.
    value: RwSignal<usize>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    // A value set elsewhere (the slider, a pasted link) answers the message.
    Effect::new(move |_| {
        value.track();
        if error.with_untracked(Option::is_some) {
            error.set(None);
        }
    });
    let on_input = move |ev: leptos::ev::Event| {
        // A range input only yields numbers in [min, max]; clamp anyway so a
        // hand-edited DOM cannot push the core outside its domain.
        if let Ok(v) = event_target_value(&ev).parse::<usize>() {
            value.set(v.clamp(min, max));
            error.set(None);
        }
    };
    let on_typed = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        match text.trim().parse::<usize>() {
            Ok(v) if (min..=max).contains(&v) => {
                value.set(v);
                error.set(None);
            }
            // An empty box is a learner mid-edit: no message yet.
            _ if text.trim().is_empty() => error.set(None),
            _ => error.set(Some(format!(
                "{name} is a whole number from {min} to {max}"
            ))),
        }
    };
    view! {
        <div class="slider">
            <label class="slider-label" for=testid>{label}</label>
            <div class="slider-row">
                <input
                    type="range"
                    id=testid
                    min=min.to_string()
                    max=max.to_string()
                    data-testid=testid
                    aria-label=label
                    prop:value=move || value.get().to_string()
                    on:input=on_input
                />
                <input
                    type="number"
                    class="slider-number"
                    min=min.to_string()
                    max=max.to_string()
                    step="1"
                    data-testid=input_testid
                    aria-label=format!("{name}, typed")
                    prop:value=move || value.get().to_string()
                    on:input=on_typed
                />
            </div>
            <output class="slider-value" data-testid=format!("{testid}-value")>
                {move || value.get()}
            </output>
            // The message's line is always there, so a message moves nothing.
            <span class="field-error" role="status" data-testid=format!("{input_testid}-error")>
                {move || error.get().unwrap_or_default()}
            </span>
        </div>
    }
}
