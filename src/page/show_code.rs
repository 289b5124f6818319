//! "Show code": the PyTorch and fastai code that batches and trains the way
//! the page does for the current settings, for learners who take it with them.
//! Besides the single run below, the race and the sweep export as programs
//! of their own ([`race_program`], [`sweep_program`]) that run unchanged on a
//! bigger text, on a GPU, and in parallel.
//!
//! The PyTorch program is complete and follows the page exactly (same
//! tokenisation rules, separator, batchify, windows, carried and detached
//! state, clipping, optimizer), except for the random draws: NumPy/PyTorch's
//! generators are not the page's, so the initial weights and fastai v0.7's
//! lengths differ while following the same rules.

mod batching;
mod library;
mod program;
mod race_program;
mod sweep_program;

pub use library::library_loader;
pub use race_program::{race_program, RACE_MAX_TOKENS};
pub use sweep_program::{sweep_program, ExportedSweep};

use crate::data::corpus::TokenLevel;
use crate::nn::optimizer::OptimizerKind;
use crate::page::settings::Settings;
use crate::training::page_model::{CLIP, EMBED};

/// The PyTorch program for `s`: the page's tokenisation, the scheme's
/// batches, the model, and one epoch of training with the state carried
/// (detached) or reset as the scheme does.
pub fn pytorch(s: &Settings) -> String {
    let tokenize = match s.tokens {
        TokenLevel::Char => "def tokenize(text):\n    return list(text)                      # one token per character\nSEP = \"\\x02\"                               # between documents",
        TokenLevel::Word => "def tokenize(text):                        # words, punctuation and newlines\n    return re.findall(r\"\\w+|\\n|[^\\w\\s]\", text)\nSEP = \"xxbos\"                              # between documents",
    };
    let optimizer = match s.optimizer {
        OptimizerKind::Adam => format!("torch.optim.Adam(model.parameters(), lr={})", s.lr),
        OptimizerKind::Sgd => format!("torch.optim.SGD(model.parameters(), lr={})", s.lr),
    };
    format!(
        r#"# batchscope settings: {hash}
import functools, re, numpy as np, torch, torch.nn as nn, torch.nn.functional as F

torch.manual_seed({seed}); np.random.seed({seed})
{tokenize}
docs = [tokenize(open(f, encoding="utf-8-sig", newline="").read()) for f in ["corpus.txt"]]   # one file = one document
vocab = sorted({{t for d in docs for t in d}} | ({{SEP}} if len(docs) > 1 else set()))
index = {{t: i for i, t in enumerate(vocab)}}

def stream(order):                             # the documents joined in this order
    return torch.tensor([index[t] for k, d in enumerate(order) for t in ([SEP] if k else []) + docs[d]])

{helpers}
{batches}
def repackage_hidden(h):
    return tuple(v.detach() for v in h)        # keep the state, cut the gradient here

class RNNModel(nn.Module):                     # names as in PyTorch's word_language_model
    def __init__(self, ntoken, ninp, nhid, nlayers):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers)
        self.decoder = nn.Linear(nhid, ntoken)
    def forward(self, x, hidden):
        out, hidden = self.rnn(self.encoder(x), hidden)
        return self.decoder(out), hidden

model = RNNModel(len(vocab), {embed}, {hidden}, {layers})
opt = {optimizer}
hidden = None
for batch, (x, y) in enumerate(epoch_batches(0)):   # x, y: [seq_len, n]: seq_len unrolled LSTM cells
    if hidden is None or not CARRY or hidden[0].size(1) != x.size(1):
        hidden = (torch.zeros({layers}, x.size(1), {hidden}), torch.zeros({layers}, x.size(1), {hidden}))
    hidden = repackage_hidden(hidden)
    out, hidden = model(x, hidden)
    loss = F.cross_entropy(out.view(-1, len(vocab)), y.reshape(-1))
    opt.zero_grad()
    loss.backward()                            # through the seq_len cells, no further
    torch.nn.utils.clip_grad_norm_(model.parameters(), {clip})
    opt.step()
    print(f"batch {{batch + 1}}: seq_len {{x.size(0)}}, {{x.size(1)}} sequences, loss {{loss.item():.4f}}")
"#,
        hash = s.to_hash(),
        seed = s.seed,
        helpers = batching::HELPERS,
        batches = batching::epoch_batches(s.scheme, s.bs, s.bptt),
        embed = EMBED,
        hidden = s.hidden,
        layers = s.layers,
        clip = CLIP,
    )
}

#[cfg(test)]
mod tests;
