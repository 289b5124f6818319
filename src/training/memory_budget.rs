//! How much memory a training run takes in its web worker, the budget a
//! worker may use, and — when a run does not fit — what to lower.
//!
//! The step's part starts from the activation memory the costs panel shows
//! ([`step_costs`]) and adds what the backward pass really allocates next to
//! it; the text's part counts the token ids and batch grids the worker keeps;
//! the model's part counts weights, gradients, the optimizer's state and the
//! copies "◀ back" keeps. Pure arithmetic, tested against real allocations
//! (`tests/memory_estimate.rs`).

use crate::data::batcher::{Scheme, Window};
use crate::nn::model::ModelConfig;
use crate::page::costs::{format_megabytes, group_digits, step_costs, BYTES_PER_FLOAT};
use crate::page::settings::{Settings, BPTT_RANGE, BS_RANGE, HIDDEN_CHOICES, LAYERS_RANGE};
use crate::training::page_model::EMBED;
use crate::training::race::validation::VALIDATION_TOKENS;
use crate::training::stepper::back_limit;

/// The memory one worker may use for a run: 1.5 GiB.
///
/// Why this number: a wasm32 worker can address 4 GiB at most, and Rust
/// refuses any single allocation over 2 GiB there. The whole tab should stay
/// under 4 GB: the browser itself takes ~0.4 GB, the page keeps its own copy
/// of the largest text it accepts (32 MiB) as tokens (~0.7 GB), so a
/// training worker at 1.5 GiB leaves the tab ~1.2 GB for the race. And the
/// largest text alone costs its worker ~1 GB (token ids, offsets and the
/// batch grids, [`TEXT_BYTES_PER_TOKEN`] per character): with 1.5 GiB such a
/// text still trains at the default settings.
pub const WORKER_BUDGET_BYTES: usize = 1536 * 1024 * 1024;

/// Bytes the worker keeps per token of the text: ids and byte offsets (4 +
/// 4), the stream joined in document order (4), and this epoch's joined
/// stream and batch grid (4 + 4) twice, because the run's first state (for
/// Reset) keeps epoch 0's while training moves on to epoch 1.
pub const TEXT_BYTES_PER_TOKEN: usize = 28;

/// How much longer than bptt a fastai 0.7 window may be: its length is drawn
/// from N(bptt, 5), and 5 standard deviations are never passed in practice
/// (once in 3.5 million draws).
pub const FASTAI_V07_SPREAD: usize = 25;

/// Columns of a packed matrix panel (`matmul::NR`): packed copies are
/// padded to a multiple of it.
const PANEL: usize = 16;

/// What decides a run's memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunShape {
    pub scheme: Scheme,
    pub bs: usize,
    pub bptt: usize,
    pub hidden: usize,
    pub layers: usize,
    pub embed: usize,
    pub vocab: usize,
    /// Tokens of the joined stream.
    pub tokens: usize,
    /// Bytes of the text the worker keeps (its documents as UTF-8).
    pub text_bytes: usize,
    /// Whether the run keeps its first state and "◀ back" snapshots (the
    /// page's stepping run does; a race run does not).
    pub keeps_back: bool,
    /// Tokens of one validation pass (a forward pass beside training's
    /// buffers; 0 for the page's stepping run).
    pub validation_tokens: usize,
}

/// A run's memory in its worker, in bytes, by part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunMemory {
    /// The text and its tokens, streams and batch grids.
    pub text: usize,
    /// Weights, optimizer state and gradients, and every copy of the run kept.
    pub model: usize,
    /// The softmax over the vocabulary of one step (bs × seq_len × vocab).
    pub softmax: usize,
    /// Everything else one step allocates: LSTM activations, embeddings and
    /// their gradients, packed copies for the matrix products.
    pub activations: usize,
}

impl RunMemory {
    pub fn total(&self) -> usize {
        self.text + self.model + self.softmax + self.activations
    }
}

impl RunShape {
    /// The page's stepping run of `settings` on a text of `tokens` tokens,
    /// `vocab` distinct ones and `text_bytes` bytes.
    pub fn stepping(settings: &Settings, tokens: usize, vocab: usize, text_bytes: usize) -> Self {
        RunShape {
            scheme: settings.scheme,
            bs: settings.bs,
            bptt: settings.bptt,
            hidden: settings.hidden,
            layers: settings.layers,
            embed: EMBED,
            vocab,
            tokens,
            text_bytes,
            keeps_back: true,
            validation_tokens: 0,
        }
    }

    /// A race run of `settings`: no snapshots, a second copy of the text
    /// (split into training and held-out documents) and a validation pass
    /// of [`VALIDATION_TOKENS`]. The race adds its runs' totals up, one
    /// worker per run, against what the tab may use.
    pub fn racing(settings: &Settings, tokens: usize, vocab: usize, text_bytes: usize) -> Self {
        RunShape {
            keeps_back: false,
            text_bytes: 2 * text_bytes,
            validation_tokens: VALIDATION_TOKENS + settings.bs,
            ..RunShape::stepping(settings, tokens, vocab, text_bytes)
        }
    }

    /// Rows (time steps) of the longest window a step can train on.
    pub fn longest_seq_len(&self) -> usize {
        let rows = self.tokens.div_ceil(self.bs.max(1)).max(1);
        match self.scheme {
            // Streams wrap round: every window is bptt long, whatever the text.
            Scheme::FastaiV1 => self.bptt,
            Scheme::FastaiV07 => (self.bptt + FASTAI_V07_SPREAD).min(rows),
            _ => self.bptt.min(rows),
        }
    }

    /// Windows in an epoch, at most.
    pub fn windows(&self) -> usize {
        self.tokens.div_ceil((self.bs * self.bptt).max(1)) + 1
    }

    fn model_config(&self) -> ModelConfig {
        ModelConfig {
            vocab: self.vocab,
            embed: self.embed,
            hidden: self.hidden,
            layers: self.layers,
        }
    }

    /// Bytes of one copy of the run (what `Trainer::snapshot_bytes` counts):
    /// weights, the optimizer's two state vectors, the carried (h, c) and the
    /// epoch's windows.
    pub fn snapshot_bytes(&self) -> usize {
        let params = self.model_config().num_params();
        let state = 2 * self.layers * self.bs * self.hidden;
        (3 * params + state) * BYTES_PER_FLOAT + self.windows() * std::mem::size_of::<Window>()
    }

    /// The estimate, part by part (see [`RunMemory`]).
    pub fn memory(&self) -> RunMemory {
        let (bs, seq_len) = (self.bs, self.longest_seq_len());
        let (e, h, l, v) = (self.embed, self.hidden, self.layers, self.vocab);
        let n = bs * seq_len;
        let pad = |x: usize| x.div_ceil(PANEL) * PANEL;
        let wide = e.max(h);
        let shown = step_costs(bs, seq_len, h, l, e, v, 0);
        // Beside what the costs panel counts (7 values per unit, the embedded
        // input, the softmax): the ids, the LSTM's copy of its input, h and c
        // of the carried state in each layer's cache, dL/d(output), the gate
        // gradients, two input-gradient buffers, and the packed right-hand
        // sides of the products with n rows (output and [input | h]).
        let floats = n * e
            + 2 * bs * h * l
            + n * h
            + 4 * n * h
            + 2 * n * wide
            + n.max(v) * pad(h)
            + n * pad(wide + h);
        // Packed weights (decoder, W_hh twice, W_ih) and the packed-A scratch
        // of three products.
        let fixed = h * pad(v)
            + 2 * 4 * h * pad(h)
            + 4 * h * pad(wide)
            + 3 * (64 * 1024).max(16 * v.max(4 * h));
        // A validation pass: a forward pass's cache and softmax of its own.
        let validation = step_costs(1, self.validation_tokens, h, l, e, v, 0);
        let activations = shown.lstm_bytes
            + shown.embedding_bytes
            + n * 4
            + (floats + fixed) * BYTES_PER_FLOAT
            + validation.activation_bytes
            + self.validation_tokens * (e + 2 * h * l) * BYTES_PER_FLOAT;
        let params = self.model_config().num_params();
        let lstm_params = params - v * e - v * h - v;
        // The trainer, its gradients (the model's and the LSTM's own), and,
        // for the page's run, its first state and the "◀ back" snapshots
        // (one more than kept while a step runs).
        let snapshot = self.snapshot_bytes();
        let copies = if self.keeps_back {
            2 + back_limit(snapshot) + 1
        } else {
            1
        };
        let model =
            copies * snapshot + (params + lstm_params + 4 * h * (wide + h)) * BYTES_PER_FLOAT;
        RunMemory {
            text: self.text_bytes + self.tokens * TEXT_BYTES_PER_TOKEN,
            model,
            softmax: shown.logits_bytes,
            activations,
        }
    }

    /// Floating-point operations of the longest step: the matrix products of
    /// the forward pass (decoder 2·n·H·V, each layer's input and recurrent
    /// products 8·n·H·(in + H)) and twice as many backward.
    pub fn step_flops(&self) -> f64 {
        let n = (self.bs * self.longest_seq_len()) as f64;
        let (e, h, v) = (self.embed as f64, self.hidden as f64, self.vocab as f64);
        let layers = (0..self.layers)
            .map(|l| 8.0 * n * h * (if l == 0 { e } else { h } + h))
            .sum::<f64>();
        3.0 * (2.0 * n * h * v + layers)
    }

    /// Whether the run fits `budget` bytes; if not, a sentence for the
    /// learner with the estimate, its largest part and what to lower.
    pub fn check(&self, budget: usize) -> Result<RunMemory, String> {
        let memory = self.memory();
        if memory.total() <= budget {
            return Ok(memory);
        }
        Err(self.over_budget(memory, budget))
    }

    fn fits(&self, budget: usize) -> bool {
        self.memory().total() <= budget
    }

    /// The first of `candidates` that makes the run fit when `set` on it.
    fn first_fitting(
        &self,
        budget: usize,
        candidates: impl IntoIterator<Item = usize>,
        set: fn(&mut RunShape, usize),
    ) -> Option<usize> {
        candidates.into_iter().find(|&x| {
            let mut shape = *self;
            set(&mut shape, x);
            shape.fits(budget)
        })
    }

    fn over_budget(&self, memory: RunMemory, budget: usize) -> String {
        let largest = [
            (
                memory.softmax,
                format!(
                    "the softmax over {} tokens for bs × seq_len = {} × {}",
                    group_digits(self.vocab),
                    self.bs,
                    self.longest_seq_len()
                ),
            ),
            (
                memory.activations,
                format!(
                    "the LSTM's activations ({} layer{} of {} units)",
                    self.layers,
                    if self.layers == 1 { "" } else { "s" },
                    self.hidden
                ),
            ),
            (
                memory.text,
                format!("the text ({} tokens)", group_digits(self.tokens)),
            ),
            (
                memory.model,
                "the model and its copies for ◀ back".to_string(),
            ),
        ]
        .into_iter()
        .max_by_key(|(bytes, _)| *bytes)
        .map(|(bytes, what)| format!("{what} takes {}", format_megabytes(bytes)))
        .unwrap_or_default();
        let mut lower = Vec::new();
        if let Some(bs) = self.first_fitting(budget, (BS_RANGE.0..self.bs).rev(), |s, x| s.bs = x) {
            lower.push(format!("bs to {bs} or less"));
        }
        if let Some(bptt) =
            self.first_fitting(budget, (BPTT_RANGE.0..self.bptt).rev(), |s, x| s.bptt = x)
        {
            lower.push(format!("bptt to {bptt} or less"));
        }
        let smaller_hidden = HIDDEN_CHOICES
            .iter()
            .rev()
            .copied()
            .filter(|&x| x < self.hidden);
        if let Some(hidden) = self.first_fitting(budget, smaller_hidden, |s, x| s.hidden = x) {
            lower.push(format!("hidden to {hidden}"));
        }
        if let Some(layers) =
            self.first_fitting(budget, (LAYERS_RANGE.0..self.layers).rev(), |s, x| {
                s.layers = x
            })
        {
            lower.push(format!("layers to {layers}"));
        }
        // A shorter text: the largest share of it (in twentieths) that fits.
        let share = (1..20).rev().find(|&twentieths| {
            let mut shape = *self;
            shape.tokens = self.tokens * twentieths / 20;
            shape.text_bytes = self.text_bytes * twentieths / 20;
            shape.fits(budget)
        });
        if let Some(twentieths) = share {
            lower.push(format!(
                "the text to {} or less",
                crate::data::user_text::megabytes(self.text_bytes * twentieths / 20)
            ));
        }
        let what = match lower.len() {
            0 => "Lower several of bs, bptt, hidden and layers together, or use a smaller text."
                .to_string(),
            1 => format!("To train, lower {}.", lower[0]),
            _ => {
                let last = lower.pop().unwrap_or_default();
                format!("To train, lower {}, or {last}.", lower.join(", "))
            }
        };
        format!(
            "This run needs about {} in its worker, more than the {} a worker may use: {largest}. {what} The batches are still shown.",
            format_megabytes(memory.total()),
            format_megabytes(budget),
        )
    }
}

#[cfg(test)]
mod tests;
