//! The model a verb starts from: the weights of `--init FILE` (a PyTorch
//! state dict; its shapes give the sizes, and any --embed/--hidden/--layers
//! given must agree), or a new model of those sizes (defaults 32, 128, 1)
//! initialised from the seed, as `train` and `noise` both do.

use super::Args;
use crate::data::corpus::Corpus;
use crate::nn::model::{Model, ModelConfig};
use crate::nn::state_dict;

/// From --init (sizes from the file; given size flags must agree) or seeded.
pub(crate) fn initial_model(args: &Args, corpus: &Corpus, seed: u64) -> Result<Model<f32>, String> {
    let embed: Option<usize> = args
        .value("embed")?
        .map(|_| args.get("embed", 0))
        .transpose()?;
    let hidden: Option<usize> = args
        .value("hidden")?
        .map(|_| args.get("hidden", 0))
        .transpose()?;
    let layers: Option<usize> = args
        .value("layers")?
        .map(|_| args.get("layers", 0))
        .transpose()?;
    if let Some(path) = args.value("init")? {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read --init `{path}`: {e}"))?;
        let model: Model<f32> =
            state_dict::from_json(&text).map_err(|e| format!("--init `{path}`: {e}"))?;
        let c = model.config;
        for (flag, given, found) in [
            ("embed", embed, c.embed),
            ("hidden", hidden, c.hidden),
            ("layers", layers, c.layers),
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
        embed: embed.unwrap_or(32),
        hidden: hidden.unwrap_or(128),
        layers: layers.unwrap_or(1),
    };
    config.check()?;
    Ok(Model::init(config, seed))
}
