//! "What does bs mean?": the classic case (N lines → ⌈N/bs⌉ batches of
//! bs) next to the language-model case (the stream cut into bs columns, each
//! batch one slice of every column), each with the misreading struck through.
//!
//! The forum question this answers: "does bs = 64 mean 64 batches or 64
//! examples per batch?" In both cases bs is the number of examples
//! (sequences) per batch; it is never the number of batches.

use leptos::prelude::*;

use super::batching::Batching;
use std::sync::Arc;

use super::classic_example::{
    classic_examples, classic_misreading, classic_sentence, doubling_sentence, ClassicBatches,
};
use crate::data::batcher::{BatchConfig, LmBatcher, Scheme};
use crate::data::corpus::Corpus;
use crate::page::costs::group_digits;

/// Columns drawn in the language-model sketch; more would be hairlines.
const MAX_DRAWN_COLUMNS: usize = 64;

/// `"batch"` or `"batches"`.
fn batches_word(count: usize) -> &'static str {
    if count == 1 {
        "batch"
    } else {
        "batches"
    }
}

/// `n / d` as a learner would write it: `"2.5"`, `"0.3125"`, `"≈13.33"`.
pub fn format_ratio(n: usize, d: usize) -> String {
    let value = n as f64 / d as f64;
    let exact = format!("{value:.4}");
    let trimmed = exact
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string();
    if (trimmed.parse::<f64>().unwrap_or(f64::NAN) - value).abs() < 1e-12 {
        trimmed
    } else {
        format!("≈{value:.2}")
    }
}

/// The language-model batching written out: "the token stream (120,345
/// tokens) is cut into bs = 64 columns of 1,880 rows; each batch = 64
/// sequences × ~70 tokens (one slice of every column)". `varying` marks
/// fastai v0.7's random window lengths with a "~".
pub fn lm_sentence(tokens: usize, bs: usize, rows: usize, bptt: usize, varying: bool) -> String {
    format!(
        "the token stream ({} tokens) is cut into bs = {bs} columns of {} rows; each batch = {bs} sequences × {} tokens (one slice of every column)",
        group_digits(tokens),
        group_digits(rows),
        sequence_length(bptt, varying)
    )
}

/// A sequence's length in tokens as the page writes it: `70`, or `~70`
/// where each batch draws its own (fastai v0.7).
fn sequence_length(bptt: usize, varying: bool) -> String {
    let about = if varying { "~" } else { "" };
    format!("{about}{bptt}")
}

/// Hugging Face's blocks written out: "the token stream (120,345 tokens) is
/// cut into 1,719 blocks of 70 tokens; each batch = 64 blocks drawn at random
/// (64 sequences × 69 tokens)".
pub fn blocks_sentence(tokens: usize, blocks: usize, block_len: usize, bs: usize) -> String {
    format!(
        "the token stream ({} tokens) is cut into {} blocks of {block_len} tokens; each batch = {bs} blocks drawn at random ({bs} sequences × {} tokens, since the target is the block shifted by one)",
        group_digits(tokens),
        group_digits(blocks),
        block_len - 1
    )
}

/// The misreading in the language-model case: "not: 64 batches".
pub fn lm_misreading(bs: usize) -> String {
    format!("not: {bs} {}", batches_word(bs))
}

/// The one line that reconciles the two readings of the same number.
pub fn reconciliation(bs: usize, scheme: Scheme) -> String {
    if scheme == Scheme::HfBlocks {
        return format!("Hugging Face's blocks take the classic reading: {bs} blocks (examples) in every batch, no columns and no state carried between batches.");
    }
    format!("Both readings of {bs}: {bs} columns, and {bs} sequences in every batch.")
}

/// The language-model case, drawn: bs columns side by side, one slice of
/// each lit — that slice, across all columns, is one batch.
#[component]
fn LmColumns(
    /// Number of columns (streams).
    bs: usize,
) -> impl IntoView {
    let drawn = bs.min(MAX_DRAWN_COLUMNS);
    let columns = (0..drawn)
        .map(|_| view! { <span class="bs-column"><span class="bs-slice"></span></span> })
        .collect_view();
    let more = (bs > drawn).then(
        || view! { <span class="bs-more">{format!("… + {} more columns", bs - drawn)}</span> },
    );
    view! {
        <div class="bs-columns" aria-label=format!("{bs} columns; the lit band across them is one batch")>
            {columns}
            {more}
        </div>
    }
}

/// Hugging Face's case, drawn: the first blocks in corpus order, the ones
/// the first batch drew lit wherever they fall.
#[component]
fn LmBlocks(
    /// Blocks in the corpus.
    blocks: usize,
    /// Blocks of the first batch (corpus-order numbers).
    lit: Vec<usize>,
) -> impl IntoView {
    let drawn = blocks.min(MAX_DRAWN_COLUMNS);
    let cells = (0..drawn)
        .map(|k| {
            let class = if lit.contains(&k) {
                "bs-block bs-block-lit"
            } else {
                "bs-block"
            };
            view! { <span class=class></span> }
        })
        .collect_view();
    let more = (blocks > drawn).then(
        || view! { <span class="bs-more">{format!("… + {} more blocks", blocks - drawn)}</span> },
    );
    view! {
        <div class="bs-blocks" aria-label=format!("{blocks} blocks in corpus order; the lit ones are one batch")>
            {cells}
            {more}
        </div>
    }
}

/// "What does bs mean?": classic mini-batches next to the language model,
/// numbers from the settings. Up to 3 × bs squares and a re-batch at 2 × bs:
/// the page hands it the settings once a drag rests, not in every frame.
#[component]
pub fn BsMeaning(
    /// The current batching (documents count from batching.corpus.documents().len(), tokens, rows…).
    batching: Memo<Result<Batching, String>>,
    /// Current bs.
    #[prop(into)]
    bs: Signal<usize>,
    /// Current bptt.
    #[prop(into)]
    bptt: Signal<usize>,
) -> impl IntoView {
    // Counting a corpus's lines reads every token: once per corpus, not per drag.
    let examples_cache = StoredValue::new(None::<(usize, (usize, &'static str))>);
    let examples_of = move |corpus: &Arc<Corpus>| {
        let key = Arc::as_ptr(corpus) as usize;
        if let Some((k, found)) = examples_cache.get_value() {
            if k == key {
                return found;
            }
        }
        let found = classic_examples(corpus);
        examples_cache.set_value(Some((key, found)));
        found
    };
    view! {
        <section class="bs-meaning" data-testid="bs-meaning" aria-label="What does bs mean?">
            <h2>"What does bs mean?"</h2>
            {move || {
                let (bs, bptt) = (bs.get(), bptt.get());
                batching.with(|b| match b {
                    Err(reason) => view! { <p class="bs-refused">{reason.clone()}</p> }.into_any(),
                    Ok(b) => {
                        let (examples, noun) = examples_of(&b.corpus);
                        // The columns are the batcher's: its bs is the one its rows belong to.
                        let lm_bs = b.batcher.config().bs;
                        let scheme = b.batcher.config().scheme;
                        let varying = scheme.draws_seq_len();
                        let batches = b.epoch.windows.len();
                        let doubled_cfg = BatchConfig { bs: 2 * lm_bs, ..b.batcher.config() };
                        let doubled = LmBatcher::new(&b.corpus, doubled_cfg).ok().map(|d| d.batches_per_epoch());
                        // A sequence as long as the sentence above says: bptt (~ when drawn), or a block's.
                        let sequence_tokens = match b.batcher.blocks() {
                            Some(_) => b.epoch.windows[0].seq_len.to_string(),
                            None => sequence_length(bptt, varying),
                        };
                        let sentence = match b.batcher.blocks() {
                            Some(blocks) => blocks_sentence(b.batcher.tokens(), blocks, b.batcher.rows(), lm_bs),
                            None => lm_sentence(b.batcher.tokens(), lm_bs, b.batcher.rows(), bptt, varying),
                        };
                        view! {
                            <div class="bs-panels">
                                <div class="bs-panel bs-classic" data-testid="bs-classic">
                                    <h3>"Classic mini-batches"</h3>
                                    <p class="bs-sentence" data-testid="bs-classic-sentence">{classic_sentence(examples, noun, bs)}</p>
                                    <ClassicBatches examples=examples bs=bs />
                                    <p class="bs-misreading"><s data-testid="bs-classic-misreading">{classic_misreading(examples, noun, bs)}</s></p>
                                </div>
                                <div class="bs-panel bs-lm" data-testid="bs-lm">
                                    <h3>"Language model"</h3>
                                    <p class="bs-sentence" data-testid="bs-lm-sentence">{sentence}</p>
                                    {match b.batcher.blocks() {
                                        Some(blocks) => {
                                            let w = b.epoch.windows[0];
                                            let lit = (0..w.width).map(|j| b.epoch.batch_column(&w, j)).collect();
                                            view! { <LmBlocks blocks=blocks lit=lit /> }.into_any()
                                        }
                                        None => view! { <LmColumns bs=lm_bs /> }.into_any(),
                                    }}
                                    <p class="bs-count" data-testid="bs-lm-batches">
                                        {format!("→ {} {} per epoch", group_digits(batches), batches_word(batches))}
                                    </p>
                                    <p class="bs-misreading"><s data-testid="bs-lm-misreading">{lm_misreading(lm_bs)}</s></p>
                                </div>
                            </div>
                            <p class="bs-reconciliation" data-testid="bs-reconciliation">{reconciliation(lm_bs, scheme)}</p>
                            <p class="bs-doubling" data-testid="bs-doubling">{doubling_sentence(examples, noun, lm_bs, batches, doubled, &sequence_tokens)}</p>
                        }
                        .into_any()
                    }
                })
            }}
        </section>
    }
}

#[cfg(test)]
mod tests;
