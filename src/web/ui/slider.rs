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
    // The value when the learner started typing, and whether the box itself
    // just put it back (its message then stays to say why).
    let before_edit = StoredValue::new(None::<usize>);
    let put_back = StoredValue::new(false);
    // A value set elsewhere (the slider, a pasted link) answers the message.
    Effect::new(move |_| {
        value.track();
        if put_back.get_value() {
            put_back.set_value(false);
        } else if error.with_untracked(Option::is_some) {
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
    // Typing applies each valid value at once, so "1000" passes through bs =
    // 100 on its way: an edit that ends (Enter, or leaving the box) on a
    // value outside the range puts back the value from before it began.
    let on_commit = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let valid = matches!(text.trim().parse::<usize>(), Ok(v) if (min..=max).contains(&v));
        if valid {
            return;
        }
        let back = before_edit
            .get_value()
            .unwrap_or_else(|| value.get_untracked());
        if back != value.get_untracked() {
            put_back.set_value(!text.trim().is_empty());
            value.set(back);
        }
        event_target::<web_sys::HtmlInputElement>(&ev).set_value(&back.to_string());
        before_edit.set_value(Some(back));
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
                    on:focus=move |_| before_edit.set_value(Some(value.get_untracked()))
                    on:change=on_commit
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
