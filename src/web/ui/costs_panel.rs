//! "Costs": what the current batch size costs and buys — tokens per update,
//! updates per epoch, activation memory — and the loss it is buying.

use leptos::prelude::*;

use super::batching::Batching;
use crate::data::batcher::Window;
use crate::page::batch_shape::{shape_words, ShapeWords};
use crate::page::costs::{
    format_loss, format_megabytes, group_digits, step_costs, StepCosts, BYTES_PER_FLOAT,
    SAVED_PER_UNIT,
};
use crate::page::words::noun_for;
use crate::training::page_model::EMBED;

/// Everything the panel shows, computed once per change of any input.
#[derive(Clone, Debug, PartialEq)]
struct Shown {
    bs: usize,
    /// This step's length: the window's, or bptt before the first window.
    seq_len: usize,
    /// True when `seq_len` is the nominal bptt because there is no window yet.
    nominal: bool,
    hidden: usize,
    layers: usize,
    embed: usize,
    vocab: usize,
    shape: ShapeWords,
    costs: StepCosts,
    /// The same step with bs doubled and with seq_len doubled.
    double_bs: StepCosts,
    double_seq_len: StepCosts,
}

/// The costs of one step for the current settings, the numbers written out.
#[component]
pub fn CostsPanel(
    /// The current batching (Err = the reason it can't be batched, show it).
    batching: Memo<Result<Batching, String>>,
    /// The current window (its seq_len is this step's length).
    #[prop(into)]
    window: Signal<Option<Window>>,
    /// Hidden size of the stepping model.
    #[prop(into)]
    hidden: Signal<usize>,
    /// LSTM layers of the stepping model.
    #[prop(into)]
    layers: Signal<usize>,
    /// Loss of the last trained batch; None before a step.
    #[prop(into)]
    loss: Signal<Option<f64>>,
    /// The running (exponentially smoothed) loss; None before a step.
    #[prop(into)]
    running_loss: Signal<Option<f64>>,
) -> impl IntoView {
    let shown = Memo::new(move |_| {
        let (hidden, layers) = (hidden.get(), layers.get());
        let embed = EMBED;
        let window = window.get();
        batching.with(|b| {
            let b = b.as_ref().map_err(Clone::clone)?;
            // A window left over from an earlier batching is only trusted for
            // its length if it still fits this one.
            let seq_len = window
                .filter(|w| w.start + w.seq_len < b.epoch.matrix_rows())
                .map(|w| (w.seq_len, w.width));
            let ((seq_len, width), nominal) = match seq_len {
                Some(s) => (s, false),
                None => ((b.epoch.windows[0].seq_len, b.epoch.windows[0].width), true),
            };
            let vocab = b.corpus.vocab_size();
            let k = b.epoch.windows.len();
            let cost = |bs, seq_len| step_costs(bs, seq_len, hidden, layers, embed, vocab, k);
            Ok::<_, String>(Shown {
                bs: width,
                seq_len,
                nominal,
                hidden,
                layers,
                embed,
                vocab,
                shape: shape_words(&b.batcher),
                costs: cost(width, seq_len),
                double_bs: cost(2 * width, seq_len),
                double_seq_len: cost(width, 2 * seq_len),
            })
        })
    });
    let g = group_digits;
    view! {
        <section class="costs-panel" data-testid="costs-panel" aria-label="What this batch costs and buys">
            <h2>"Costs"</h2>
            {move || match shown.get() {
                Err(reason) => view! { <p class="costs-refused">{reason}</p> }.into_any(),
                Ok(s) => view! {
                    <dl class="costs-list">
                        <dt>"tokens per batch"</dt>
                        <dd data-testid="tokens-per-batch">
                            {format!("bs × seq_len = {} × {} = {} tokens", s.bs, s.seq_len, g(s.costs.tokens_per_batch))}
                            {s.nominal.then_some(view! { <span class="costs-note">" (the first batch's seq_len until a batch is chosen)"</span> })}
                        </dd>
                        <dt>"batches per epoch"</dt>
                        <dd data-testid="batches-per-epoch">
                            {{
                                let k = s.costs.batches_per_epoch;
                                format!("{} {} = {} weight {} per epoch", g(k), noun_for(k, "batch"), g(k), noun_for(k, "update"))
                            }}
                        </dd>
                        <dt>{s.shape.rows_label}</dt>
                        <dd data-testid="rows-per-stream">{s.shape.rows.clone()}</dd>
                        <dt>"dropped tokens"</dt>
                        <dd data-testid="dropped-tokens">{s.shape.dropped.clone()}</dd>
                        <dt>"activation memory of one step"</dt>
                        <dd data-testid="activation-memory">
                            <strong class="costs-headline">{format_megabytes(s.costs.activation_bytes)}</strong>
                            <span class="costs-formula">
                                {format!(
                                    "LSTM: bs × seq_len × hidden × gates × bytes × layers = {} × {} × {} × {} × {} × {} = {}",
                                    s.bs, s.seq_len, s.hidden, SAVED_PER_UNIT, BYTES_PER_FLOAT, s.layers, format_megabytes(s.costs.lstm_bytes)
                                )}
                            </span>
                            <span class="costs-formula">
                                {format!(
                                    "+ embeddings: bs × seq_len × embed × bytes = {} × {} × {} × {} = {}",
                                    s.bs, s.seq_len, s.embed, BYTES_PER_FLOAT, format_megabytes(s.costs.embedding_bytes)
                                )}
                            </span>
                            <span class="costs-formula">
                                {format!(
                                    "+ logits: bs × seq_len × vocab × bytes = {} × {} × {} × {} = {}",
                                    s.bs, s.seq_len, s.vocab, BYTES_PER_FLOAT, format_megabytes(s.costs.logits_bytes)
                                )}
                            </span>
                            <span class="costs-note">
                                "gates = 7 values kept per hidden unit and time step for the backward pass: the 4 gates i, f, g, o, and c, h, tanh c"
                            </span>
                            <span class="costs-scaling" data-testid="memory-scaling">
                                {format!(
                                    "Doubling bs or bptt doubles this: at bs = {}: 2× = {}; at seq_len = {}: 2× = {}.",
                                    2 * s.bs, format_megabytes(s.double_bs.activation_bytes),
                                    2 * s.seq_len, format_megabytes(s.double_seq_len.activation_bytes)
                                )}
                            </span>
                        </dd>
                    </dl>
                    <p class="costs-tradeoff">
                        {format!(
                            "The trade: a bigger bs puts more tokens into each update (a less noisy gradient) and needs more memory, \
                             but makes fewer updates per epoch — bs = {} makes {} updates of {} tokens each.",
                            s.bs, g(s.costs.batches_per_epoch), g(s.costs.tokens_per_batch)
                        )}
                    </p>
                }.into_any(),
            }}
            <dl class="costs-list costs-loss">
                <dt>"loss of this batch"</dt>
                <dd data-testid="batch-loss">{move || format_loss(loss.get())}</dd>
                <dt>"running loss"</dt>
                <dd data-testid="running-loss">{move || format_loss(running_loss.get())}</dd>
            </dl>
        </section>
    }
}
