//! batchscope: mini-batching and truncated back-propagation through time, made
//! visible.
//!
//! The numeric core (everything outside `ui` and `worker`) imports no web
//! crate: it compiles natively, is tested with plain `cargo test`, and is shared
//! by the page, the training worker and the `batchscope` CLI.

pub mod cli;
pub mod rng;

#[cfg(feature = "web")]
pub mod ui;
#[cfg(feature = "web")]
pub mod worker;
