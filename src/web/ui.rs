//! The page. Views only read settings and core values and wire signals; all
//! batching and training is done by the core (in the worker where it is heavy).

pub mod app;
pub mod batch_lens;
pub mod batch_text;
pub mod batching;
pub mod bs_meaning;
pub mod chart_curves;
pub mod choice;
pub mod classic_example;
pub mod corpus_loader;
pub mod corpus_matrix;
pub mod costs_panel;
pub mod file_reading;
pub mod icons;
pub mod loss_chart;
pub mod loss_chart_draw;
pub mod matrix_caption;
pub mod matrix_draw;
pub mod matrix_grid;
pub mod own_corpus;
pub mod pixel_buffer;
pub mod race_chips;
pub mod race_panel;
pub mod race_state;
pub mod run_card;
pub mod seq_len_history;
pub mod settings_panel;
pub mod settled;
pub mod show_code;
pub mod slider;
pub mod step_controls;
pub mod stepping;
pub mod unroll_cells;
pub mod unroll_layout;
pub mod unroll_view;
pub mod worker_bridge;
