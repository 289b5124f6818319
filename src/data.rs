//! The text and its batches: from a file or a built-in corpus to the token
//! matrices each library's loader would feed a model.

pub mod batcher;
pub mod classic_batches;
pub mod corpora;
pub mod corpus;
pub mod tokenize;
pub mod user_text;
