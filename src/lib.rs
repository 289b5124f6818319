//! batchscope: mini-batching and truncated back-propagation through time, made
//! visible.
//!
//! The numeric core (everything outside `ui`, `worker` and `race_worker`) imports no web
//! crate: it compiles natively, is tested with plain `cargo test`, and is shared
//! by the page, the training worker and the `batchscope` CLI.

pub mod batch_shape;
pub mod batcher;
pub mod classic_batches;
pub mod cli;
pub mod corpora;
pub mod corpus;
pub mod costs;
pub mod float;
pub mod lstm;
pub mod lstm_cell;
pub mod matmul;
pub mod memory_budget;
pub mod model;
pub mod noise_scale;
pub mod optimizer;
pub mod race;
pub mod rng;
pub mod sample;
pub mod settings;
pub mod show_code;
pub mod state_dict;
pub mod stepper;
pub mod sweep;
pub mod tokenize;
pub mod trainer;
pub mod user_text;
pub mod words;
pub mod work_buffer;
pub mod worker_watch;

#[cfg(feature = "web")]
pub mod race_worker;
#[cfg(feature = "web")]
pub mod ui;
#[cfg(feature = "web")]
pub mod worker;
