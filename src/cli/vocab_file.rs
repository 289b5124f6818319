//! The vocabulary saved next to a model (`model.json` → `model.vocab.json`).
//!
//! Why a separate file: `model.json` stays a pure PyTorch state dict (it
//! loads with `load_state_dict` as is), but `sample` must turn a primer into
//! ids and ids back into text, which needs the token list and its level.

use crate::data::corpus::{Corpus, TokenLevel, CHAR_SEPARATOR, WORD_SEPARATOR};
use serde::{Deserialize, Serialize};

/// What `train --save` writes beside the weights.
#[derive(Serialize, Deserialize)]
struct VocabFile {
    level: TokenLevel,
    vocab: Vec<String>,
}

/// `run.json` → `run.vocab.json` (any other name just gains `.vocab.json`).
pub(crate) fn vocab_path(model_path: &str) -> String {
    match model_path.strip_suffix(".json") {
        Some(stem) => format!("{stem}.vocab.json"),
        None => format!("{model_path}.vocab.json"),
    }
}

pub(crate) fn save(model_path: &str, corpus: &Corpus) -> Result<(), String> {
    let file = VocabFile {
        level: corpus.level(),
        vocab: corpus.vocab().to_vec(),
    };
    let path = vocab_path(model_path);
    std::fs::write(
        &path,
        serde_json::to_string(&file).expect("strings serialise"),
    )
    .map_err(|e| format!("cannot write `{path}`: {e}"))
}

/// A corpus whose vocabulary is exactly the saved one, so its `encode` and
/// `decode` are the training run's.
pub(crate) fn load(model_path: &str) -> Result<Corpus, String> {
    let path = vocab_path(model_path);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read `{path}` ({e}): `train --save {model_path}` writes the vocabulary there, and sampling needs it"))?;
    let file: VocabFile = serde_json::from_str(&text)
        .map_err(|e| format!("`{path}` is not a vocabulary file: {e}"))?;
    // Rebuild through the corpus's own tokenizer: one document holding every
    // token (and a second one if the separator was in the vocabulary).
    let separator = match file.level {
        TokenLevel::Char => CHAR_SEPARATOR.to_string(),
        TokenLevel::Word => WORD_SEPARATOR.to_string(),
    };
    let tokens: Vec<&str> = file
        .vocab
        .iter()
        .map(String::as_str)
        .filter(|t| *t != separator)
        .collect();
    let joined = match file.level {
        TokenLevel::Char => tokens.concat(),
        TokenLevel::Word => tokens.join(" "),
    };
    let mut documents = vec![joined];
    if file.vocab.contains(&separator) {
        documents.push(tokens.first().copied().unwrap_or("a").to_string());
    }
    let corpus =
        Corpus::from_documents(&documents, file.level).map_err(|e| format!("`{path}`: {e}"))?;
    if corpus.vocab() != file.vocab.as_slice() {
        return Err(format!(
            "`{path}`: the vocabulary does not rebuild the same tokens; was it edited?"
        ));
    }
    Ok(corpus)
}
