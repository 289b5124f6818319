//! `use_own_corpus`: the learner's text tokenised a slice at a time between
//! frames, so that tens of megabytes never freeze the page (the worker
//! tokenises its own copy off the page's thread).

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::file_reading::after_next_paint;
use crate::data::corpus::{Corpus, CorpusBuilder, TokenLevel};
use crate::data::user_text::UserText;

/// Tokenising time per frame: leaves most of a 60 Hz frame to the page.
const SLICE_MS: f64 = 8.0;
/// Bytes fed between clock checks.
const PIECE_BYTES: usize = 64 * 1024;

/// Where the learner's text is on its way to a corpus.
#[derive(Clone, Debug)]
pub enum OwnCorpus {
    /// No text, or not for the current token level yet.
    Waiting,
    /// Tokenising; the share done.
    Preparing(f64),
    /// Done for `level`: the corpus, or why the text cannot be one.
    Ready(TokenLevel, Result<Arc<Corpus>, String>),
}

/// Tokenises `own_text` at `tokens` whenever either changes (and `active`
/// says the page uses the learner's text).
pub fn use_own_corpus(
    own_text: RwSignal<Option<Arc<UserText>>>,
    tokens: Signal<TokenLevel>,
    active: Signal<bool>,
) -> RwSignal<OwnCorpus> {
    let state = RwSignal::new(OwnCorpus::Waiting);
    Effect::new(move |_| {
        let (Some(text), level, true) = (own_text.get(), tokens.get(), active.get()) else {
            return;
        };
        state.set(OwnCorpus::Preparing(0.0));
        spawn_local(async move {
            // A newer text or level replaces this run: stop quietly.
            let docs = text.clone();
            let current = move || {
                own_text.with_untracked(|t| t.as_ref().is_some_and(|t| Arc::ptr_eq(t, &text)))
                    && tokens.get_untracked() == level
            };
            let mut builder = CorpusBuilder::new(&docs.documents, level);
            loop {
                let started = now_ms();
                let mut done = false;
                while !done && now_ms() - started < SLICE_MS {
                    done = builder.feed(PIECE_BYTES);
                }
                if done {
                    break;
                }
                state.set(OwnCorpus::Preparing(builder.progress()));
                after_next_paint().await;
                if !current() {
                    return;
                }
            }
            if current() {
                state.set(OwnCorpus::Ready(
                    level,
                    builder.finish().map(Arc::new).map_err(|e| e.to_string()),
                ));
            }
        });
    });
    state
}

fn now_ms() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}
