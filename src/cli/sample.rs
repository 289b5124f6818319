//! `batchscope sample`: continue a primer with a trained model.

use super::vocab_file;
use crate::nn::model::Model;
use crate::nn::sample::sample;
use crate::nn::state_dict;
use clap::Args;

/// The options of `sample`.
#[derive(Args, Debug)]
pub(crate) struct SampleArgs {
    /// weights saved by `train --save FILE` (FILE's .vocab.json next to it
    /// holds the vocabulary)
    #[arg(long = "model", value_name = "FILE")]
    path: String,
    /// text to start from [default: a newline]
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    primer: Option<String>,
    /// tokens to generate
    #[arg(long, value_name = "N", default_value_t = 200)]
    len: usize,
    /// 0 = always the likeliest token; < 1 sharper, > 1 flatter
    #[arg(long, value_name = "T", default_value_t = 0.8)]
    temperature: f64,
    /// seeds the draws
    #[arg(long, value_name = "S", default_value_t = 0)]
    seed: u64,
}

pub(crate) fn run(args: &SampleArgs) -> Result<(), String> {
    let path = &args.path;
    let primer = args.primer.as_deref().unwrap_or("\n");
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("cannot read --model `{path}`: {e}"))?;
    let model: Model<f32> =
        state_dict::from_json(&text).map_err(|e| format!("--model `{path}`: {e}"))?;
    let corpus = vocab_file::load(path)?;
    if corpus.vocab_size() != model.config.vocab {
        return Err(format!(
            "`{path}` has {} tokens but its vocabulary file has {}",
            model.config.vocab,
            corpus.vocab_size()
        ));
    }
    let ids = corpus.encode(primer);
    let generated = sample(&model, &ids, args.len, args.temperature, args.seed)?;
    println!("{primer}{}", corpus.decode(&generated));
    Ok(())
}
