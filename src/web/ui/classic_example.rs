//! The classic reading of bs, on the learner's own corpus: its lines as the
//! examples of a classifier (N lines → ⌈N/bs⌉ batches of bs), so the default
//! bs shows several batches, with the misreading struck through.

use leptos::prelude::*;

use super::bs_meaning::format_ratio;
use crate::data::classic_batches::ClassicConfig;
use crate::data::corpus::Corpus;
use crate::page::costs::group_digits;
use crate::page::words::{count, noun_for};

/// Batches drawn square by square; the rest are counted.
const DRAWN_BATCHES: usize = 3;

/// The classic examples a corpus offers: its lines (what a sentence
/// classifier would batch), or its documents if it has fewer lines.
pub fn classic_examples(corpus: &Corpus) -> (usize, &'static str) {
    let documents = corpus.documents().len();
    let lines = corpus.id_of("\n").map_or(0, |newline| {
        corpus
            .documents()
            .iter()
            .map(|d| d.iter().filter(|&&t| t == newline).count())
            .sum::<usize>()
    });
    if lines > documents {
        (lines, "line")
    } else {
        (documents, "document")
    }
}

/// The classic batching of `n` examples, numbers written out:
/// "N = 40 documents, bs = 16 → ⌈40/16⌉ = 3 batches of 16 (the last holds 8)".
pub fn classic_sentence(n: usize, noun: &str, bs: usize) -> String {
    let cfg = ClassicConfig {
        examples: n,
        bs,
        drop_last: false,
        shuffle: false,
        seed: 0,
    };
    let n_text = count(n, noun).replacen(&n.to_string(), &group_digits(n), 1);
    if cfg.validate().is_err() {
        return format!("N = {n_text}, bs = {bs}: no batches (bs and N must both be at least 1)");
    }
    let batches = cfg.batches_per_epoch();
    let head = format!(
        "N = {n_text}, bs = {bs} → ⌈{n}/{bs}⌉ = {}",
        count(batches, "batch")
    );
    if bs > n {
        format!(
            "{head}, partial: bs = {bs} is more than the {n_text}, so the one batch holds all {n}"
        )
    } else if cfg.last_batch_size() == bs {
        format!("{head} of {bs} (all full)")
    } else {
        format!("{head} of {bs} (the last holds {})", cfg.last_batch_size())
    }
}

/// The misreading "bs = number of batches", with its numbers:
/// "not: 16 batches of 40/16 = 2.5 documents".
pub fn classic_misreading(n: usize, noun: &str, bs: usize) -> String {
    format!(
        "not: {} of {n}/{bs} = {} {}",
        count(bs, "batch"),
        format_ratio(n, bs.max(1)),
        noun_for(2, noun)
    )
}

/// What doubling bs does to both readings: half the batches, each twice as
/// big. `tokens` is a sequence's length as the page writes it: `70`, or
/// `~70` where each batch draws its own.
pub fn doubling_sentence(
    n: usize,
    noun: &str,
    bs: usize,
    lm_batches: usize,
    lm_batches_doubled: Option<usize>,
    tokens: &str,
) -> String {
    let classic = |b: usize| n.div_ceil(b.max(1));
    let lm = match lm_batches_doubled {
        Some(k) => format!(
            "the language model makes {} per epoch instead of {}, each {} × {tokens} tokens",
            count(k, "batch"),
            group_digits(lm_batches),
            count(2 * bs, "sequence")
        ),
        None => format!(
            "the language model cannot cut this text into {} streams",
            2 * bs
        ),
    };
    format!(
        "Doubling bs to {}: {} classic batches instead of {}, each of {} {}; {lm}. Half the weight updates per epoch, each on twice the data.",
        2 * bs,
        group_digits(classic(2 * bs)),
        group_digits(classic(bs)),
        2 * bs,
        noun_for(2, noun)
    )
}

/// The classic case, drawn: the first batches as groups of bs squares,
/// examples numbered from 1, the empty places of a partial batch hollow.
#[component]
pub fn ClassicBatches(
    /// N, the number of examples.
    examples: usize,
    /// Examples per batch.
    bs: usize,
) -> impl IntoView {
    let cfg = ClassicConfig {
        examples,
        bs,
        drop_last: false,
        shuffle: false,
        seed: 0,
    };
    let Ok(epoch) = cfg.epoch(0) else {
        return ().into_any();
    };
    let total = cfg.batches_per_epoch();
    let groups = epoch
        .batches()
        .take(DRAWN_BATCHES)
        .enumerate()
        .map(|(k, batch)| {
            let docs = batch.iter().map(|&d| view! { <span class="bs-doc">{d + 1}</span> }).collect_view();
            let empty = (batch.len()..bs).map(|_| view! { <span class="bs-doc bs-empty"></span> }).collect_view();
            view! {
                <div class="bs-batch" aria-label=format!("batch {}: {} of {bs} places filled", k + 1, batch.len())>
                    <span class="bs-batch-label">{format!("batch {}", k + 1)}</span>
                    <div class="bs-docs">{docs}{empty}</div>
                </div>
            }
        })
        .collect_view();
    let more = (total > DRAWN_BATCHES).then(|| view! { <p class="bs-more">{format!("… and {} more", count(total - DRAWN_BATCHES, "batch"))}</p> });
    view! { <div class="bs-batches">{groups}</div>{more} }.into_any()
}

#[cfg(test)]
mod tests;
