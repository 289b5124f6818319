//! Everything that touches the browser: the page's views and the two web
//! workers (one steps the learner's run, one trains a race run or a
//! sweep run), and which build of the workers this engine runs.

pub mod race_worker;
pub mod step_worker;
pub mod sweep_session;
pub mod ui;
pub mod worker_build;
