//! The root component: owns the settings and hands views their signals.

use std::sync::Arc;

use leptos::prelude::*;

use super::batching::Batching;
use super::corpus_matrix::CorpusMatrix;
use super::slider::Slider;
use super::worker_answer::WorkerAnswer;
use super::worker_bridge::use_batch_worker;
use crate::batcher::{BatchConfig, Scheme};
use crate::corpus::{Corpus, TokenLevel};
use crate::worker::WorkerRequest;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let bs = RwSignal::new(64usize);
    let bptt = RwSignal::new(70usize);
    let docs = crate::corpora::documents(crate::corpora::DEFAULT_ID).unwrap_or_default();
    let corpus = Corpus::from_documents(&docs, TokenLevel::Char).map(Arc::new).map_err(|e| e.to_string());
    let batching = Memo::new(move |_| {
        let corpus = corpus.clone()?;
        let cfg = BatchConfig { bs: bs.get(), bptt: bptt.get(), scheme: Scheme::Pytorch, seed: 0 };
        Batching::new(corpus, cfg, 0)
    });
    let worker = use_batch_worker();
    Effect::new(move |_| worker.send(WorkerRequest::Summarize { bs: bs.get(), bptt: bptt.get() }));
    view! {
        <main class="app">
            <header>
                <h1>"batchscope"</h1>
                <p class="tagline">"How a corpus becomes mini-batches, and how far back the gradient reaches."</p>
            </header>
            <section class="controls">
                <Slider label="bs — sequences per batch" testid="bs-slider" min=1 max=256 value=bs />
                <Slider label="bptt — time steps per batch" testid="bptt-slider" min=2 max=200 value=bptt />
            </section>
            <CorpusMatrix batching=batching />
            <WorkerAnswer reply=worker.reply />
        </main>
    }
}
