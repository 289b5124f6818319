//! What the page says about a setting, computed without a browser: its
//! settings and link, its costs, its formulas and words, its code, and the
//! scenes of its tour.

pub mod batch_shape;
pub mod costs;
pub mod hash_fields;
pub mod race_link;
pub mod settings;
pub mod show_code;
pub mod tour;
pub mod words;
