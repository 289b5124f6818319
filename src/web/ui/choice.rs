//! A labelled `<select>` bound to a signal of any type that prints and parses
//! itself (schemes, token levels, optimizers, sizes).

use std::fmt::Display;
use std::str::FromStr;

use leptos::prelude::*;

/// A drop-down choosing one of `options`.
#[component]
pub fn Choice<T>(
    /// What is chosen, in the learner's words (also the aria-label).
    label: &'static str,
    /// The `data-testid` of the `<select>`.
    testid: &'static str,
    /// (value, text shown) pairs.
    options: Vec<(T, String)>,
    /// The chosen value; written on every `change`.
    value: RwSignal<T>,
) -> impl IntoView
where
    T: Display + FromStr + Clone + PartialEq + Send + Sync + 'static,
{
    let on_change = move |ev: leptos::ev::Event| {
        if let Ok(v) = event_target_value(&ev).parse::<T>() {
            value.set(v);
        }
    };
    view! {
        <label class="choice">
            <span class="choice-label">{label}</span>
            <select data-testid=testid aria-label=label on:change=on_change prop:value=move || value.get().to_string()>
                {options
                    .into_iter()
                    .map(|(v, text)| {
                        let key = v.to_string();
                        let selected = move || value.get() == v;
                        view! { <option value=key selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
