//! What the page says about a setting, computed without a browser: its
//! settings and link, its costs, its formulas and words, its code.

pub mod batch_shape;
pub mod costs;
pub mod settings;
pub mod show_code;
pub mod words;
