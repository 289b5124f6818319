//! Training as a value: a [`Trainer`] owns the model, the optimizer state, the
//! batcher, this epoch's batches and the hidden state carried between
//! batches. `step` trains on exactly one mini-batch; cloning a trainer
//! snapshots the whole run (the page's "◀ back" restores a clone).
//!
//! Truncated BPTT, step by step: forward through the window's seq_len
//! unrolled cells from the carried (h, c); backward through all of them (and
//! no further); clip; update; carry the final (h, c), detached, into the next
//! window of the same streams. A new epoch restarts at row 0 from zero state.
//!
//! No clock in here: `std::time` panics on wasm32-unknown-unknown, so the
//! driver (CLI, worker) times the steps.

use crate::data::batcher::{BatchConfig, BatchError, EpochBatches, LmBatcher, Window};
use crate::data::corpus::Corpus;
use crate::nn::float::Float;
use crate::nn::lstm::LstmState;
use crate::nn::model::{Gradients, Model, ModelCache};
use crate::nn::optimizer::{clip_grad_norm, Optimizer, OptimizerConfig};
use crate::training::noise_scale::two_size::TwoSize;
use serde::{Deserialize, Serialize};
use shards::Shard;
use std::fmt;

mod shards;

/// What one step did, for the loss curve, the JSON lines and the unrolled view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepReport {
    /// Sequences in this batch: bs, fewer in hf-blocks' last batch.
    pub bs: usize,
    /// 1-based count of updates so far.
    pub step: usize,
    pub epoch: usize,
    /// The window's index within its epoch.
    pub index: usize,
    /// First row of the window.
    pub start: usize,
    pub seq_len: usize,
    /// Mean cross-entropy of the batch (nats per token), before the update.
    pub loss: f64,
    /// Total gradient norm before clipping.
    pub grad_norm: f64,
    /// Target tokens trained on so far, this step included.
    pub tokens_seen: usize,
    /// ‖dL/dh_t‖ of the top layer per unrolled cell, t = 0..seq_len.
    pub cell_grad_norms: Vec<f32>,
    /// ‖dℓ_last/dh_t‖ of the top layer per unrolled cell, t = 0..seq_len,
    /// where ℓ_last is the mean loss of the last step's bs targets only: one
    /// loss's gradient fading back to the window's left edge.
    #[serde(default)]
    pub last_loss_grad_norms: Vec<f32>,
}

/// A batch's mean loss above this many times the loss of guessing
/// (ln vocabulary) counts as divergence, like a NaN: a model that puts the
/// right token at e^-1000 or less does not come back, and whether its loss
/// overflows to infinity at such weights is an accident of rounding.
pub const DIVERGED_LOSS_FACTOR: f64 = 100.0;

/// Whether a batch's mean `loss` means training has diverged, for a model
/// of `vocab` tokens.
pub fn loss_diverged(loss: f64, vocab: usize) -> bool {
    !loss.is_finite() || loss > DIVERGED_LOSS_FACTOR * (vocab.max(2) as f64).ln()
}

/// A diverged loss as a message shows it: `NaN`, `inf`, `2.17e37`, `412.5`.
pub fn shown_loss(loss: f64) -> String {
    if loss.is_finite() && loss.abs() >= 1e6 {
        format!("{loss:.2e}")
    } else if loss.is_finite() {
        format!("{loss:.1}")
    } else {
        loss.to_string()
    }
}

/// Why training cannot start or go on.
#[derive(Clone, Debug, PartialEq)]
pub enum TrainError {
    /// The loss or the gradient became NaN or infinite, or the loss absurd
    /// ([`loss_diverged`]); the model was not updated.
    Diverged {
        step: usize,
        loss: f64,
    },
    /// The model's vocabulary is not the corpus's.
    VocabMismatch {
        model: usize,
        corpus: usize,
    },
    Batch(BatchError),
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrainError::Diverged { step, loss } => write!(
                f,
                "training diverged at step {step}: the loss is {}. The weights were left as they were before this step; try a lower learning rate (--lr) or gradient clipping (--clip).",
                shown_loss(*loss)
            ),
            TrainError::VocabMismatch { model, corpus } => {
                write!(f, "the model's vocabulary has {model} tokens but the corpus has {corpus}: train with the corpus the model was made for")
            }
            TrainError::Batch(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for TrainError {}

impl From<BatchError> for TrainError {
    fn from(e: BatchError) -> Self {
        TrainError::Batch(e)
    }
}

/// A training run in progress (see the module docs).
#[derive(Clone, Debug)]
pub struct Trainer<T = f32> {
    pub model: Model<T>,
    pub optimizer: Optimizer<T>,
    /// Max total gradient norm; `None` = no clipping.
    pub clip: Option<f64>,
    batcher: LmBatcher,
    batches: EpochBatches,
    /// Index of the next window in `batches.windows`.
    next: usize,
    hidden: LstmState<T>,
    steps: usize,
    tokens_seen: usize,
    /// Whether `step` fills `StepReport::last_loss_grad_norms`.
    last_loss_norms: bool,
    /// Shards a step splits its streams into (see [`shards`]).
    threads: usize,
    /// Whether those shards run on threads of their own (else in turn).
    threaded: bool,
    /// The last step's gradient noise estimate, when it ran in shards.
    noise: Option<TwoSize>,
    work: Workspace<T>,
}

/// Buffers reused from step to step (no allocation per step once warm). A
/// clone starts with empty ones: a snapshot of the run does not need them.
#[derive(Debug)]
struct Workspace<T>(Option<Box<Buffers<T>>>);

#[derive(Debug, Default)]
struct Buffers<T> {
    /// One thread's step.
    cache: ModelCache<T>,
    grads: Gradients<T>,
    /// A step on several threads.
    shards: Vec<Shard<T>>,
}

impl<T> Clone for Workspace<T> {
    fn clone(&self) -> Self {
        Workspace(None)
    }
}

impl<T: Float> Trainer<T> {
    pub fn new(
        corpus: &Corpus,
        model: Model<T>,
        batch: BatchConfig,
        optimizer: OptimizerConfig,
        clip: Option<f64>,
    ) -> Result<Self, TrainError> {
        if model.config.vocab != corpus.vocab_size() {
            return Err(TrainError::VocabMismatch {
                model: model.config.vocab,
                corpus: corpus.vocab_size(),
            });
        }
        let batcher = LmBatcher::new(corpus, batch)?;
        let batches = batcher.epoch(0);
        let hidden = LstmState::zeros(&model.config.lstm(), batch.bs);
        let optimizer = Optimizer::new(optimizer, model.params.len());
        Ok(Trainer {
            model,
            optimizer,
            clip,
            batcher,
            batches,
            next: 0,
            hidden,
            steps: 0,
            tokens_seen: 0,
            last_loss_norms: true,
            threads: 1,
            threaded: true,
            noise: None,
            work: Workspace(None),
        })
    }

    /// Trains on the next mini-batch. On divergence nothing changes.
    pub fn step(&mut self) -> Result<StepReport, TrainError> {
        let w = self.batches.windows[self.next];
        let bs = w.width;
        if !self.batcher.config().scheme.carries_state() {
            // Independent blocks: every batch starts from zeros, sized to it.
            self.hidden = LstmState::zeros(&self.model.config.lstm(), bs);
        }
        let (input, target) = (self.batches.input(&w), self.batches.target(&w));
        let Buffers {
            cache,
            grads,
            shards,
        } = &mut **self.work.0.get_or_insert_with(Default::default);
        let step = self.steps + 1;
        let threads = self.threads.min(bs).max(1);
        self.noise = None;
        let (loss, last, grads) = if threads == 1 {
            let forward =
                self.model
                    .forward_into(input, target, w.seq_len, bs, &self.hidden, cache);
            if loss_diverged(forward.loss, self.model.config.vocab) {
                return Err(TrainError::Diverged {
                    step,
                    loss: forward.loss,
                });
            }
            self.model.backward_into(cache, grads);
            (forward.loss, forward.last, grads)
        } else {
            // The last loss's pass runs in the shards' threads too (before
            // any check: it is cheap next to the work already spent).
            shards.resize_with(threads, Default::default);
            let sharded = shards::forward_backward(
                &self.model,
                input,
                target,
                w.seq_len,
                bs,
                &self.hidden,
                self.last_loss_norms,
                shards,
                self.threaded,
            );
            if loss_diverged(sharded.loss, self.model.config.vocab) {
                return Err(TrainError::Diverged {
                    step,
                    loss: sharded.loss,
                });
            }
            self.noise = sharded.noise;
            (sharded.loss, sharded.last, &mut shards[0].grads)
        };
        let grad_norm = match self.clip {
            Some(max_norm) => clip_grad_norm(&mut grads.params, max_norm),
            None => grads
                .params
                .iter()
                .map(|g| g.to_f64() * g.to_f64())
                .sum::<f64>()
                .sqrt(),
        };
        if !grad_norm.is_finite() {
            return Err(TrainError::Diverged { step, loss });
        }
        if !self
            .optimizer
            .step_stays_finite(&self.model.params, &grads.params)
        {
            return Err(TrainError::Diverged {
                step,
                loss: f64::INFINITY,
            });
        }
        // Before the update: the extra pass must use the weights of forward.
        if threads == 1 {
            if self.last_loss_norms {
                self.model.last_loss_backward_into(cache, grads);
            } else {
                grads.last_loss_grad_norms.clear();
            }
        }
        self.optimizer.step(&mut self.model.params, &grads.params);
        let to_f32 = |v: &[T]| -> Vec<f32> { v.iter().map(|g| g.to_f64() as f32).collect() };
        let cell_grad_norms = to_f32(&grads.cell_grad_norms);
        let last_loss_grad_norms = to_f32(&grads.last_loss_grad_norms);
        self.hidden = last;
        self.steps = step;
        self.tokens_seen += w.seq_len * bs;
        self.next += 1;
        if self.next == self.batches.windows.len() {
            self.start_epoch(w.epoch + 1);
        }
        Ok(StepReport {
            bs,
            step,
            epoch: w.epoch,
            index: w.index,
            start: w.start,
            seq_len: w.seq_len,
            loss,
            grad_norm,
            tokens_seen: self.tokens_seen,
            cell_grad_norms,
            last_loss_grad_norms,
        })
    }

    fn start_epoch(&mut self, epoch: usize) {
        self.batches = self.batcher.epoch(epoch);
        self.next = 0;
        self.hidden = LstmState::zeros(&self.model.config.lstm(), self.batches.bs());
    }

    /// Whether each step also follows the last time step's loss alone back
    /// through the window (`StepReport::last_loss_grad_norms`, which the
    /// page's unrolled view draws): one more pass back through the top
    /// layer's recurrence, ~¼ of the step at H = 128. On from `new`; runs
    /// that never show those norms (the CLI, a sweep, a race) turn it off,
    /// and their reports carry an empty list.
    pub fn set_last_loss_norms(&mut self, on: bool) {
        self.last_loss_norms = on;
    }

    /// Splits each step's streams across `threads` threads (natively; at
    /// most one per stream), summing their gradients: the same numbers as
    /// one thread up to f32 rounding. 1 (the default) runs the step on the
    /// caller's thread; wasm32 runs the shards one after another.
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.max(1);
        self.threaded = true;
    }

    /// Splits each step's streams into `shards` shards run one after another
    /// on the caller's thread: the numbers of [`Trainer::set_threads`] with
    /// as many threads, for a gradient noise estimate
    /// ([`Trainer::last_noise`]) where every core already trains a run of
    /// its own (a sweep's pool) and a thread more would only crowd them.
    pub fn set_shards_in_turn(&mut self, shards: usize) {
        self.threads = shards.max(1);
        self.threaded = false;
    }

    /// The gradient noise estimate of the last step, if it ran in two or
    /// more shards ([`Trainer::set_threads`]): its shards' gradients, before
    /// clipping, as small batches of the whole.
    pub fn last_noise(&self) -> Option<TwoSize> {
        self.noise
    }

    /// Forgets the carried (h, c): the next step starts from zeros, as at the
    /// start of an epoch. A race calls it before every step to show what
    /// carrying the state across batches is worth.
    pub fn reset_hidden(&mut self) {
        self.hidden = LstmState::zeros(&self.model.config.lstm(), self.batches.bs());
    }

    /// The window the next `step` will train on.
    pub fn next_window(&self) -> Window {
        self.batches.windows[self.next]
    }

    /// This epoch's batches (the window of the next step is among them).
    pub fn batches(&self) -> &EpochBatches {
        &self.batches
    }

    pub fn batcher(&self) -> &LmBatcher {
        &self.batcher
    }

    /// The (h, c) the next step starts from, [layers, bs, hidden] each.
    pub fn hidden(&self) -> &LstmState<T> {
        &self.hidden
    }

    /// Bytes a clone of this run holds (what "◀ back" keeps per step): the
    /// weights, the optimizer's state, the carried state and the epoch's
    /// windows. The corpus and its batch storage are shared, not copied.
    pub fn snapshot_bytes(&self) -> usize {
        let values = self.model.params.len()
            + self.optimizer.state_len()
            + self.hidden.h.len()
            + self.hidden.c.len();
        values * std::mem::size_of::<T>()
            + std::mem::size_of_val(self.batches.windows.as_slice())
            + std::mem::size_of_val(self.batches.document_order())
    }

    /// Updates applied so far.
    pub fn steps(&self) -> usize {
        self.steps
    }

    pub fn tokens_seen(&self) -> usize {
        self.tokens_seen
    }

    pub fn epoch(&self) -> usize {
        self.batches.epoch
    }
}
