//! "Show code": the PyTorch program and the fastai loader that batch (and, for
//! PyTorch, train) like the page does with the current settings, copyable.

use leptos::prelude::*;

use crate::page::settings::Settings;
use crate::page::show_code::{library_loader, pytorch};

/// Which program is shown.
#[derive(Clone, Copy, PartialEq)]
enum Flavour {
    Pytorch,
    Library,
}

/// A folded panel with the code for `settings`.
#[component]
pub fn ShowCode(
    /// The page's settings; the code follows every change.
    settings: Memo<Settings>,
) -> impl IntoView {
    let flavour = RwSignal::new(Flavour::Pytorch);
    let copied = RwSignal::new(false);
    // Folded, the panel shows nothing: no program is written (and sent to
    // the page) on every step of a slider drag.
    let open = RwSignal::new(false);
    let program = move || {
        settings.with(|s| match flavour.get() {
            Flavour::Pytorch => pytorch(s),
            Flavour::Library => library_loader(s),
        })
    };
    let code = move || open.get().then(program).unwrap_or_default();
    let copy = move |_| {
        // The clipboard is local: no request leaves the page.
        let _ = window().navigator().clipboard().write_text(&program());
        copied.set(true);
        set_timeout(
            move || copied.set(false),
            std::time::Duration::from_millis(1500),
        );
    };
    let tab = move |f: Flavour, label: &'static str| {
        view! {
            <button role="tab" aria-selected=move || (flavour.get() == f).to_string()
                class:active=move || flavour.get() == f on:click=move |_| flavour.set(f)>{label}</button>
        }
    };
    view! {
        <details class="show-code" data-testid="show-code"
            on:toggle=move |e| open.set(event_target::<web_sys::HtmlDetailsElement>(&e).open())>
            <summary>"Show code: this batching in PyTorch, and the library's own loader"</summary>
            <div class="code-tabs" role="tablist">
                {tab(Flavour::Pytorch, "PyTorch (complete program)")}
                {tab(Flavour::Library, "the library's own loader")}
                <button class="copy" data-testid="copy-code" on:click=copy>
                    {move || if copied.get() { "copied ✓" } else { "copy" }}
                </button>
            </div>
            <pre data-testid="code-text"><code>{code}</code></pre>
        </details>
    }
}
