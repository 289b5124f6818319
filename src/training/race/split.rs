//! The held-out validation text: the last ~10% of the corpus's tokens, which
//! no run trains on, so every run's validation loss measures the same
//! unseen text.
//!
//! Document-aware when that is simple: if the corpus has several documents
//! and some trailing whole documents hold close to the wanted share (within
//! half of it either way), those documents are held out. Otherwise (one
//! document, or documents too long for that) the cut falls inside a
//! document, at the token that leaves exactly the wanted count.
//!
//! The training corpus is built from the training text alone, so its
//! vocabulary is what the model learns; held-out tokens whose text never
//! occurs in training (a rare character, a new word) have no embedding and
//! are skipped, and counted in [`ValidationSplit::unknown`].

use crate::data::corpus::{Corpus, TokenLevel};

/// The share of the corpus's tokens held out for validation.
pub const VALIDATION_FRACTION: f64 = 0.1;

/// Where the training text ends and the held-out text begins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    /// Documents `first_held..` are held out, whole.
    Documents { first_held: usize },
    /// Document `document` is cut before its token `token` (0-based, ≥ 1):
    /// its first `token` tokens train, the rest and every later document are held out.
    InsideDocument { document: usize, token: usize },
}

/// A corpus split into the text runs train on and the text they are validated on.
#[derive(Clone, Debug)]
pub struct ValidationSplit {
    /// What the runs train on (build trainers from this corpus).
    pub train: Corpus,
    /// The held-out stream as ids of `train`'s vocabulary, in text order,
    /// documents joined by the separator like the training stream.
    pub validation: Vec<u32>,
    /// Tokens of the whole corpus that were held out, unknown ones included.
    pub held_out: usize,
    /// Held-out tokens skipped because their text is not in `train`'s vocabulary.
    pub unknown: usize,
    pub cut: Cut,
}

/// Splits `docs` (tokenised at `level`) into training text and a held-out
/// tail of `fraction` of the tokens (see the module docs for where the cut
/// falls). Fails when the corpus cannot be tokenised or is too small to
/// leave at least 2 tokens on each side.
pub fn split_validation<S: AsRef<str>>(
    docs: &[S],
    level: TokenLevel,
    fraction: f64,
) -> Result<ValidationSplit, String> {
    let full = Corpus::from_documents(docs, level).map_err(|e| e.to_string())?;
    let total = full.num_tokens();
    let wanted = (total as f64 * fraction).round().max(2.0) as usize;
    if wanted + 2 > total {
        return Err(format!("the corpus has {total} tokens: too few to hold out {wanted} for validation and still train on at least 2"));
    }
    // Stream position of each document's first token (a separator sits before every document but the first).
    let mut starts = Vec::with_capacity(full.documents().len());
    let mut position = 0;
    for document in full.documents() {
        starts.push(position);
        position += document.len() + 1;
    }
    let cut = choose_cut(&starts, total, wanted);
    let (first_held, train_texts): (usize, Vec<&str>) = match cut {
        Cut::Documents { first_held } => (
            starts[first_held],
            docs[..first_held].iter().map(AsRef::as_ref).collect(),
        ),
        Cut::InsideDocument { document, token } => {
            let byte = full
                .token_offset(starts[document] + token)
                .expect("a cut inside a document is at a token");
            let mut texts: Vec<&str> = docs[..document].iter().map(AsRef::as_ref).collect();
            texts.push(&docs[document].as_ref()[..byte]);
            (starts[document] + token, texts)
        }
    };
    let train = Corpus::from_documents(&train_texts, level).map_err(|e| e.to_string())?;
    let order: Vec<usize> = (0..full.documents().len()).collect();
    let held = &full.stream(&order)[first_held..];
    let validation: Vec<u32> = held
        .iter()
        .filter_map(|&id| train.id_of(&full.vocab()[id as usize]))
        .collect();
    Ok(ValidationSplit {
        train,
        held_out: held.len(),
        unknown: held.len() - validation.len(),
        validation,
        cut,
    })
}

/// The cut for a stream of `total` tokens whose documents start at `starts`.
fn choose_cut(starts: &[usize], total: usize, wanted: usize) -> Cut {
    let held_from = |first: usize| total - starts[first];
    let closest = (1..starts.len()).min_by_key(|&first| held_from(first).abs_diff(wanted));
    if let Some(first_held) =
        closest.filter(|&first| 2 * held_from(first).abs_diff(wanted) <= wanted)
    {
        return Cut::Documents { first_held };
    }
    let position = total - wanted;
    let document = starts
        .iter()
        .rposition(|&start| start <= position)
        .expect("the first document starts at 0");
    let length = starts.get(document + 1).map_or(total, |next| next - 1) - starts[document];
    match position - starts[document] {
        // On a document's first token, or on the separator before the next
        // one: hold the documents from there out whole.
        0 => Cut::Documents {
            first_held: document,
        },
        token if token >= length => Cut::Documents {
            first_held: document + 1,
        },
        token => Cut::InsideDocument { document, token },
    }
}

#[cfg(test)]
mod tests;
