//! Training the model on batches: one step at a time, a race of runs, a sweep
//! over batch sizes and the gradient noise scale that predicts its outcome.

pub mod memory_budget;
pub mod noise_probe;
pub mod noise_scale;
pub mod page_model;
pub mod race;
pub mod stepper;
pub mod sweep;
pub mod trainer;
pub mod worker_watch;
