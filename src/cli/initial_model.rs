//! The model a verb starts from: the weights of `--init FILE` (a PyTorch
//! state dict; its shapes give the sizes, and any --embed/--hidden/--layers
//! given must agree), or a new model of those sizes initialised from the
//! seed, as `train`, `noise` and `sweep` all do.

use crate::data::corpus::Corpus;
use crate::nn::model::{Model, ModelConfig};
use crate::nn::state_dict;
use crate::training::page_model::EMBED;
use clap::Args;

/// The sizes without --init; the embedding is the page's, so a CLI run and
/// the page's run of the same settings are the same model.
const DEFAULT_EMBED: usize = EMBED;
const DEFAULT_HIDDEN: usize = 128;
const DEFAULT_LAYERS: usize = 1;

/// The model's sizes. Optional rather than defaulted, so that a size given
/// next to --init can be checked against the file's.
#[derive(Args, Debug)]
pub(crate) struct ModelFlags {
    #[arg(long, value_name = "E", help = format!("embedding size [default: {DEFAULT_EMBED}]"))]
    pub embed: Option<usize>,
    #[arg(long, value_name = "H", help = format!("LSTM hidden size [default: {DEFAULT_HIDDEN}]"))]
    pub hidden: Option<usize>,
    #[arg(long, value_name = "L", help = format!("LSTM layers, 1 to 3 [default: {DEFAULT_LAYERS}]"))]
    pub layers: Option<usize>,
}

/// From `init` (sizes from the file; given size flags must agree) or seeded.
pub(crate) fn initial_model(
    sizes: &ModelFlags,
    init: Option<&str>,
    corpus: &Corpus,
    seed: u64,
) -> Result<Model<f32>, String> {
    if let Some(path) = init {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read --init `{path}`: {e}"))?;
        let model: Model<f32> =
            state_dict::from_json(&text).map_err(|e| format!("--init `{path}`: {e}"))?;
        let c = model.config;
        for (flag, given, found) in [
            ("embed", sizes.embed, c.embed),
            ("hidden", sizes.hidden, c.hidden),
            ("layers", sizes.layers, c.layers),
        ] {
            if let Some(given) = given.filter(|&g| g != found) {
                return Err(format!(
                    "--{flag} {given} disagrees with --init `{path}`, whose {flag} is {found}"
                ));
            }
        }
        if c.vocab != corpus.vocab_size() {
            return Err(format!("--init `{path}` has a vocabulary of {} tokens (encoder.weight [{}, {}]) but the corpus has {}", c.vocab, c.vocab, c.embed, corpus.vocab_size()));
        }
        return Ok(model);
    }
    let config = ModelConfig {
        vocab: corpus.vocab_size(),
        embed: sizes.embed.unwrap_or(DEFAULT_EMBED),
        hidden: sizes.hidden.unwrap_or(DEFAULT_HIDDEN),
        layers: sizes.layers.unwrap_or(DEFAULT_LAYERS),
    };
    config.check()?;
    Ok(Model::init(config, seed))
}
