//! The model the page trains for a [`Settings`]: the stepped run and every
//! race run are built here, so they share one embedding width, one clip and
//! one vocabulary cap. The learner varies hidden size and layers (what the
//! unrolled view shows); the rest is fixed.

use crate::data::corpus::{Corpus, TokenLevel};
use crate::nn::model::{Model, ModelConfig};
use crate::nn::optimizer::OptimizerConfig;
use crate::page::settings::Settings;
use crate::training::trainer::Trainer;

/// Embedding width of the page's model; the page varies hidden size and
/// layers, which are what the unrolled view shows.
pub const EMBED: usize = 32;
/// Gradient clipping of the page's model (total norm), as in PyTorch's
/// word_language_model default of 0.25 scaled for Adam's step sizes.
pub const CLIP: f64 = 1.0;

/// Largest vocabulary the page's model trains on. The decoder and its softmax
/// grow with the vocabulary: at 10,000 tokens one step of the default batch
/// already costs ~9 GFLOP (seconds in a browser), and a word-level
/// vocabulary of a large text is easily ten times that.
pub const MAX_VOCAB: usize = 10_000;

/// A trainer for `settings` on `corpus`, initialised from the settings' seed.
pub fn trainer_for(corpus: &Corpus, settings: &Settings) -> Result<Trainer, String> {
    let model = model_for(corpus, settings)?;
    Trainer::new(
        corpus,
        model,
        settings.batch_config(),
        OptimizerConfig::new(settings.optimizer, settings.lr),
        Some(CLIP),
    )
    .map_err(|e| e.to_string())
}

/// The page's model for `settings` on `corpus`, initialised from the
/// settings' seed (so every run of one seed starts from the same weights),
/// or why the page will not train one.
pub fn model_for(corpus: &Corpus, settings: &Settings) -> Result<Model<f32>, String> {
    if corpus.vocab_size() > MAX_VOCAB {
        return Err(format!(
            "the vocabulary has {} distinct {}s, more than the {MAX_VOCAB} the page's model trains on (its decoder and softmax grow with every token). The batches are still shown; to train, use characters or a smaller text.",
            corpus.vocab_size(),
            match settings.tokens { TokenLevel::Char => "character", TokenLevel::Word => "word" },
        ));
    }
    let config = ModelConfig {
        vocab: corpus.vocab_size(),
        embed: EMBED,
        hidden: settings.hidden,
        layers: settings.layers,
    };
    Ok(Model::init(config, settings.seed))
}
