//! The values a race compares, as chips: × removes one, and for bs and bptt
//! a number field adds one (for the scheme and hidden-state races, the
//! values removed can be added back).

use leptos::prelude::*;

use crate::page::settings::{BPTT_RANGE, BS_RANGE};
use crate::training::race::{RaceValue, RaceVariable};

/// The chips of a race.
#[component]
pub fn RaceChips(
    /// What the race varies (which values can be added).
    #[prop(into)]
    variable: Signal<RaceVariable>,
    /// The values, in race order; the chips edit it.
    values: RwSignal<Vec<RaceValue>>,
    /// Called after a value was added (a race in progress starts its run).
    on_add: Callback<RaceValue>,
    /// Called after a value was removed (a race in progress stops its run).
    on_remove: Callback<RaceValue>,
) -> impl IntoView {
    let draft = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = move |value: RaceValue| {
        if values.with_untracked(|v| v.contains(&value)) {
            return error.set(Some(format!("{value} is already racing")));
        }
        error.set(None);
        values.update(|v| v.push(value));
        on_add.run(value);
    };
    let add_typed = move || {
        let text = draft.get_untracked();
        let (range, make): ((usize, usize), fn(usize) -> RaceValue) = match variable.get_untracked()
        {
            RaceVariable::BatchSize => (BS_RANGE, RaceValue::Bs),
            RaceVariable::Bptt => (BPTT_RANGE, RaceValue::Bptt),
            _ => return,
        };
        match text.trim().parse::<usize>() {
            Ok(n) if (range.0..=range.1).contains(&n) => {
                draft.set(String::new());
                add(make(n));
            }
            _ => error.set(Some(format!(
                "{} must be a whole number from {} to {}",
                variable.get_untracked(),
                range.0,
                range.1
            ))),
        }
    };
    let remove = move |value: RaceValue| {
        values.update(|v| v.retain(|&x| x != value));
        on_remove.run(value);
    };
    let typed = move || matches!(variable.get(), RaceVariable::BatchSize | RaceVariable::Bptt);
    // Scheme and carry races pick from a fixed list: offer the ones not raced.
    let missing = move || {
        let variable = variable.get();
        if typed() {
            return Vec::new();
        }
        values.with(|v| {
            variable
                .choices()
                .into_iter()
                .filter(|d| !v.contains(d))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="race-chips" data-testid="bs-chips" role="group" aria-label="values that race">
            <For each=move || values.get() key=|v| *v let:value>
                <span class="chip" data-testid="chip" data-value=value.to_string()>
                    {value.to_string()}
                    <button class="chip-remove" data-testid="chip-remove" aria-label=format!("remove {value}") on:click=move |_| remove(value)>"×"</button>
                </span>
            </For>
            <Show when=typed>
                <input
                    class="chip-input"
                    data-testid="chip-input"
                    inputmode="numeric"
                    size="4"
                    placeholder=move || format!("{}…", variable.get())
                    aria-label=move || format!("add a {} value", variable.get())
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                    on:keydown=move |ev| if ev.key() == "Enter" { add_typed() }
                />
                <button data-testid="chip-add" on:click=move |_| add_typed()>"+ add"</button>
            </Show>
            <For each=missing key=|v| *v let:value>
                <button data-testid="chip-add-back" on:click=move |_| add(value)>{format!("+ {value}")}</button>
            </For>
            <Show when=move || error.with(Option::is_some)>
                <span class="chip-error" data-testid="chip-error" role="alert">{move || error.get().unwrap_or_default()}</span>
            </Show>
        </div>
    }
}
