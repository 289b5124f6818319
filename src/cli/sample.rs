//! `batchscope sample`: continue a primer with a trained model.

use super::{vocab_file, Args};
use crate::nn::model::Model;
use crate::nn::sample::sample;
use crate::nn::state_dict;

const HELP: &str = "\
batchscope sample — generate text with a trained model

USAGE:
    batchscope sample --model FILE [OPTIONS]

OPTIONS:
    --model FILE       weights saved by `train --save FILE` (FILE's .vocab.json
                       next to it holds the vocabulary)
    --primer TEXT      text to start from (default: a newline)
    --len N            tokens to generate (default 200)
    --temperature T    0 = always the likeliest token; < 1 sharper,
                       > 1 flatter (default 0.8)
    --seed S           seeds the draws (default 0)

Prints the primer followed by the generated text.
";

pub(crate) fn run(args: &Args) -> Result<(), String> {
    if args.flag("help") {
        print!("{HELP}");
        return Ok(());
    }
    args.only(&["model", "primer", "len", "temperature", "seed"])?;
    let path = args
        .value("model")?
        .ok_or("sample needs --model FILE (try --help)")?;
    let primer = args.value("primer")?.unwrap_or("\n");
    let len: usize = args.get("len", 200)?;
    let temperature: f64 = args.get("temperature", 0.8)?;
    let seed: u64 = args.get("seed", 0)?;
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
    let generated = sample(&model, &ids, len, temperature, seed)?;
    println!("{primer}{}", corpus.decode(&generated));
    Ok(())
}
