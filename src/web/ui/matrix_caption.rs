//! The matrix's caption: what the picture shows, in words, with the numbers
//! of the current batching and the rule of its scheme.

use super::batching::Batching;
use crate::data::batcher::Scheme;

/// What the picture shows, in words, for the scheme it follows.
pub fn matrix_caption(b: &Batching) -> String {
    let (cfg, tokens, dropped) = (b.batcher.config(), b.batcher.tokens(), b.batcher.dropped());
    let lit = "Lit: this batch's input; red outline: its target, one token later; grey: already trained this epoch";
    if let Some(blocks) = b.batcher.blocks() {
        return format!(
            "{tokens} tokens → {blocks} blocks of {} tokens, one per row in corpus order ({dropped} dropped: each group of 1,000 documents loses its remainder). Every epoch the blocks are shuffled and taken {} at a time, so a batch's blocks light up scattered over the text (the ribbon shows where); none carries a hidden state to the next. {lit}.",
            cfg.bptt, cfg.bs
        );
    }
    let unreached = b.epoch.unreached_rows();
    let tail = if unreached.is_empty() {
        String::new()
    } else {
        format!(
            "; rows {}–{} (pink) are never reached this epoch",
            unreached.start,
            unreached.end - 1
        )
    };
    let rows = b.epoch.matrix_rows();
    let usable = rows - 1;
    let cut = if cfg.bptt > usable {
        format!(" bptt = {} is more than the {usable} rows a window can use here, so the window is cut to {usable}.", cfg.bptt)
    } else {
        String::new()
    };
    let layout = match cfg.scheme {
        Scheme::FastaiV2 => format!(
            " fastai 2 gives each stream bl = {} rows; its last row (under the blue line) is the next stream's first token, read only as the last target.",
            b.batcher.rows()
        ),
        Scheme::FastaiV1 => format!(
            " fastai 1 starts stream j at token int(j·{tokens}/{}) and reads {} rows, overlapping the next stream and wrapping round to the corpus's start: nothing is dropped, some tokens are read twice.",
            cfg.bs, b.batcher.rows()
        ),
        _ => String::new(),
    };
    format!(
        "{tokens} tokens → {} columns (streams) × {rows} rows (time), {dropped} token{} dropped (crossed out on the ribbon).{layout} {lit}{tail}.{cut}",
        cfg.bs,
        if dropped == 1 { "" } else { "s" }
    )
}
