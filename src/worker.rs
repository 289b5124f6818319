//! The web worker that does the heavy lifting off the page's thread, and the
//! messages the page exchanges with it.
//!
//! It runs the same core as the CLI, so what it answers is what
//! `batchscope batches` prints for the same settings.

use gloo_worker::{HandlerId, Worker, WorkerScope};
use serde::{Deserialize, Serialize};

use crate::batcher::{BatchConfig, LmBatcher, Scheme};
use crate::corpus::{Corpus, TokenLevel};

/// What the page asks the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WorkerRequest {
    /// Batch the embedded default corpus with these settings and summarise.
    Summarize { bs: usize, bptt: usize },
}

/// What the worker answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WorkerReply {
    /// The language-model batching of the default corpus.
    Summary { bs: usize, bptt: usize, tokens: usize, rows: usize, dropped: usize, batches_per_epoch: usize },
    /// The settings cannot be batched; the message is for the learner.
    Refused { bs: usize, bptt: usize, reason: String },
}

/// The batching/training worker; holds the corpus so each request only sends
/// settings, never the text.
pub struct BatchWorker {
    corpus: Result<Corpus, String>,
}

impl BatchWorker {
    fn summarize(&self, bs: usize, bptt: usize) -> WorkerReply {
        let refused = |reason: String| WorkerReply::Refused { bs, bptt, reason };
        let corpus = match &self.corpus {
            Ok(corpus) => corpus,
            Err(reason) => return refused(reason.clone()),
        };
        let cfg = BatchConfig { bs, bptt, scheme: Scheme::Pytorch, seed: 0 };
        match LmBatcher::new(corpus, cfg) {
            Ok(b) => WorkerReply::Summary {
                bs,
                bptt,
                tokens: b.tokens(),
                rows: b.rows(),
                dropped: b.dropped(),
                batches_per_epoch: b.batches_per_epoch(),
            },
            Err(e) => refused(e.to_string()),
        }
    }
}

impl Worker for BatchWorker {
    type Message = ();
    type Input = WorkerRequest;
    type Output = WorkerReply;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        let docs = crate::corpora::documents(crate::corpora::DEFAULT_ID).unwrap_or_default();
        let corpus = Corpus::from_documents(&docs, TokenLevel::Char).map_err(|e| e.to_string());
        BatchWorker { corpus }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Self::Input, id: HandlerId) {
        let reply = match msg {
            WorkerRequest::Summarize { bs, bptt } => self.summarize(bs, bptt),
        };
        scope.respond(id, reply);
    }
}
