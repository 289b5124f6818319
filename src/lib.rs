//! batchscope: mini-batching and truncated back-propagation through time, made
//! visible.
//!
//! The crate is laid out in rooms, from the text to the page:
//! - [`data`]: the corpus, its tokens and how each library's loader batches them;
//! - [`nn`]: the PyTorch-exact LSTM language model and its optimizers;
//! - [`training`]: stepping, racing, sweeping and measuring that model;
//! - [`page`]: what the page says about a setting (costs, formulas, code);
//! - `cli` (native only): the `batchscope` command;
//! - `web` (feature `web`): the views and the two web workers.
//!
//! Everything but `web` imports no web crate: it compiles natively, is tested
//! with plain `cargo test`, and is shared by the page, the workers and the CLI.

// The command line is native only: its crates (clap, indicatif) are not
// built for wasm32, where the page needs none of it.
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod data;
pub mod nn;
pub mod page;
pub mod training;

#[cfg(feature = "web")]
pub mod web;
