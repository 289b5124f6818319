//! What one training step costs and buys, for the settings on the page: how
//! many tokens a batch holds, how many weight updates an epoch makes, and how
//! much activation memory the backward pass needs.
//!
//! This answers the learner's second question ("how does the batch size
//! affect …?"): a larger `bs` means more tokens per update, fewer updates per
//! epoch, and proportionally more memory.
//!
//! Pure arithmetic on the model sizes; no web imports, tested natively.

/// Bytes of one `f32`, the precision the page's model trains in.
pub const BYTES_PER_FLOAT: usize = 4;

/// Values an LSTM layer keeps per hidden unit and time step for its backward
/// pass: the 4 gate activations (i, f, g, o), the cell state c, the hidden
/// state h and tanh(c). This is the "gates" factor of the formula
/// `bs × seq_len × hidden × gates × bytes` the page shows, and exactly what
/// `lstm::LstmCache` stores per layer (`acts` 4H, `cs` H, `hs` H, `tanh_c` H).
pub const SAVED_PER_UNIT: usize = 7;

/// One megabyte as the page counts it: 10⁶ bytes (what a learner reads "MB" as).
pub const MEGABYTE: f64 = 1e6;

/// The costs of one training step (one mini-batch) and of one epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepCosts {
    /// Tokens the model reads (and predicts) in one step: `bs × seq_len`.
    pub tokens_per_batch: usize,
    /// Steps per epoch; every step is one weight update.
    pub batches_per_epoch: usize,
    /// Bytes the LSTM layers keep: `bs × seq_len × hidden × 7 × 4 × layers`.
    pub lstm_bytes: usize,
    /// Bytes of the embedded input: `bs × seq_len × embed × 4`.
    pub embedding_bytes: usize,
    /// Bytes of the softmax output over the vocabulary: `bs × seq_len × vocab × 4`.
    pub logits_bytes: usize,
    /// The sum of the three above: the activation memory of one step.
    pub activation_bytes: usize,
}

/// The costs of one step of the language model Embedding(vocab, embed) →
/// LSTM(embed, hidden, layers) → Linear(hidden, vocab) on a `[seq_len, bs]`
/// batch.
///
/// Activation memory counts what the forward pass must keep for the backward
/// pass, which is what grows with the batch (the weights do not):
///
/// * per LSTM layer, per time step, per stream: the [`SAVED_PER_UNIT`] = 7
///   values of each of the `hidden` units (4 gates, c, h, tanh c);
/// * the embedded input, `embed` values per token (the first layer's input);
/// * the logits turned into softmax probabilities, `vocab` values per token
///   (needed for the gradient of the cross-entropy).
///
/// All f32, [`BYTES_PER_FLOAT`] bytes each. Left out, because they do not
/// grow with `seq_len` or are tiny: the carried-in h and c (`2 × bs × hidden`
/// per layer), the token ids, the weights, their gradients and the
/// optimizer's state, and temporary buffers. Every counted term is
/// proportional to `bs × seq_len`, so doubling either doubles the total.
pub fn step_costs(
    bs: usize,
    seq_len: usize,
    hidden: usize,
    layers: usize,
    embed: usize,
    vocab: usize,
    batches_per_epoch: usize,
) -> StepCosts {
    let tokens_per_batch = bs * seq_len;
    let lstm_bytes = tokens_per_batch * hidden * SAVED_PER_UNIT * BYTES_PER_FLOAT * layers;
    let embedding_bytes = tokens_per_batch * embed * BYTES_PER_FLOAT;
    let logits_bytes = tokens_per_batch * vocab * BYTES_PER_FLOAT;
    StepCosts {
        tokens_per_batch,
        batches_per_epoch,
        lstm_bytes,
        embedding_bytes,
        logits_bytes,
        activation_bytes: lstm_bytes + embedding_bytes + logits_bytes,
    }
}

/// `1234567` → `"1,234,567"`: numbers a person can read at a glance.
pub fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// Bytes as megabytes with as many decimals as the size needs to be read:
/// `"0.045 MB"`, `"4.9 MB"`, `"57 MB"`, `"1,234 MB"`.
pub fn format_megabytes(bytes: usize) -> String {
    let mb = bytes as f64 / MEGABYTE;
    let text = if mb >= 100.0 {
        group_digits(mb.round() as usize)
    } else if mb >= 10.0 {
        format!("{mb:.0}")
    } else if mb >= 1.0 {
        format!("{mb:.1}")
    } else if mb >= 0.1 {
        format!("{mb:.2}")
    } else {
        format!("{mb:.3}")
    };
    format!("{text} MB")
}

/// A loss for the page (3 decimals, nats), or "—" before the first step.
pub fn format_loss(loss: Option<f64>) -> String {
    match loss {
        Some(l) if l.is_finite() => format!("{l:.3}"),
        Some(l) => l.to_string(),
        None => "—".to_string(),
    }
}

#[cfg(test)]
mod tests;
