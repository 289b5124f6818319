//! The learner's own text: a file picker (one or many .txt files, one
//! document each), drag and drop anywhere on the page, and a paste box. Large
//! files load with a progress bar; nothing is uploaded.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{File, FileList, HtmlInputElement};

use super::file_reading::{after_next_paint, read_files};
use crate::data::user_text::{check_size, from_files, from_paste, megabytes, UserText};

/// Bytes read so far and in total, while files are being read.
type Progress = Option<(f64, f64)>;

fn file_vec(list: Option<FileList>) -> Vec<File> {
    list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
        .unwrap_or_default()
}

/// Picker, drop target and paste box.
#[component]
pub fn CorpusLoader(
    /// Receives the decoded text once every file is read.
    on_text: Callback<Arc<UserText>>,
    /// Receives each refusal or repair, for the page's notice bar.
    on_notice: Callback<String>,
) -> impl IntoView {
    let progress = RwSignal::new(Progress::None);
    let preparing = RwSignal::new(false);
    let paste_open = RwSignal::new(false);
    let paste = RwSignal::new(String::new());

    // Hand the text over only after "preparing…" is on screen: tokenising
    // a large text takes a moment on the page's thread.
    let deliver = move |result: Result<UserText, String>| {
        spawn_local(async move {
            match result {
                Ok(text) => {
                    preparing.set(true);
                    after_next_paint().await;
                    text.warnings.iter().for_each(|w| on_notice.run(w.clone()));
                    on_text.run(Arc::new(text));
                    preparing.set(false);
                }
                Err(reason) => on_notice.run(reason),
            }
        })
    };
    let load = move |files: Vec<File>| {
        if files.is_empty() {
            return;
        }
        if progress.get_untracked().is_some() {
            return on_notice.run("a text is still loading; wait for it to finish".into());
        }
        let total: f64 = files.iter().map(|f| f.size()).sum();
        if let Err(reason) = check_size(total) {
            return on_notice.run(reason);
        }
        progress.set(Some((0.0, total)));
        spawn_local(async move {
            let read = read_files(files, move |loaded| progress.set(Some((loaded, total)))).await;
            progress.set(None);
            deliver(read.and_then(from_files));
        });
    };

    // Dropping a file anywhere must not make the browser navigate away to it;
    // other drags (text into the paste box) keep their usual behaviour.
    let carries_files = |e: &web_sys::DragEvent| {
        e.data_transfer()
            .is_some_and(|d| d.types().includes(&"Files".into(), 0))
    };
    let over = window_event_listener(ev::dragover, move |e| {
        if carries_files(&e) {
            e.prevent_default();
        }
    });
    let dropped = window_event_listener(ev::drop, move |e| {
        if carries_files(&e) {
            e.prevent_default();
            load(file_vec(e.data_transfer().and_then(|d| d.files())));
        }
    });
    on_cleanup(move || {
        over.remove();
        dropped.remove();
    });

    let on_pick = move |e: ev::Event| {
        let input: HtmlInputElement = e.target().expect("target").unchecked_into();
        load(file_vec(input.files()));
        input.set_value(""); // so choosing the same file again reloads it
    };
    let use_paste = move |_| {
        let result = from_paste(&paste.get_untracked());
        if result.is_ok() {
            paste_open.set(false);
        }
        deliver(result);
    };
    let status = move || match (progress.get(), preparing.get()) {
        (Some((loaded, total)), _) => Some(format!(
            "reading {} of {}…",
            megabytes(loaded as usize),
            megabytes(total as usize)
        )),
        (None, true) => Some("preparing the text…".to_string()),
        (None, false) => None,
    };
    view! {
        <div class="corpus-loader" aria-label="Use your own text">
            <span class="choice-label">"your own text"</span>
            <label class="file-button">
                "Choose .txt files…"
                <input type="file" multiple accept=".txt,text/plain" data-testid="file-input"
                    aria-label="Choose one or more text files (one document each)" on:change=on_pick />
            </label>
            <button data-testid="paste-toggle" aria-expanded=move || paste_open.get().to_string()
                on:click=move |_| paste_open.update(|o| *o = !*o)>"Paste text…"</button>
            <span class="hint">"or drop files anywhere on the page · stays in this tab, nothing is uploaded"</span>
            <Show when=move || progress.get().is_some()>
                <progress data-testid="load-progress" max=move || progress.get().map(|p| p.1).unwrap_or(1.0)
                    value=move || progress.get().map(|p| p.0).unwrap_or(0.0)></progress>
            </Show>
            <span class="load-status" data-testid="load-status" aria-live="polite">{status}</span>
            <Show when=move || paste_open.get()>
                <div class="paste">
                    <textarea data-testid="paste-box" rows="5" aria-label="Paste a text to batch and train on"
                        placeholder="Paste any text here (one document)…"
                        prop:value=move || paste.get() on:input=move |e| paste.set(event_target_value(&e))></textarea>
                    <button data-testid="paste-button" on:click=use_paste>"Use this text"</button>
                </div>
            </Show>
        </div>
    }
}
