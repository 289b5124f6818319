//! "Show code": the PyTorch and fastai code that batches and trains the way
//! the page does for the current settings, for learners who take it with them.
//!
//! The PyTorch program is complete and follows the page exactly (same
//! tokenisation rules, separator, batchify, windows, carried and detached
//! state, clipping, optimizer), except for the random draws: NumPy/PyTorch's
//! generators are not the page's, so the initial weights and fastai v0.7's
//! lengths differ while following the same rules.

use crate::batcher::Scheme;
use crate::corpus::TokenLevel;
use crate::optimizer::OptimizerKind;
use crate::settings::Settings;
use crate::stepper::{CLIP, EMBED};

/// The PyTorch program for `s`.
pub fn pytorch(s: &Settings) -> String {
    let tokenize = match s.tokens {
        TokenLevel::Char => "def tokenize(text):\n    return list(text)                      # one token per character\nSEP = \"\\x02\"                               # between documents",
        TokenLevel::Word => "def tokenize(text):                        # words, punctuation and newlines\n    return re.findall(r\"\\w+|\\n|[^\\w\\s]\", text)\nSEP = \"xxbos\"                              # between documents",
    };
    let seq_len = match s.scheme {
        Scheme::FastaiV07 => format!(
            "    # fastai v0.7: usually bptt, 5% of the time bptt/2, plus noise\n    bptt_ = {bptt} if np.random.random() < 0.95 else {bptt} / 2.\n    seq_len = max(5, int(np.random.normal(bptt_, 5)))",
            bptt = s.bptt
        ),
        _ => format!("    seq_len = {}                              # fixed: every window is bptt rows", s.bptt),
    };
    let shuffle = match s.scheme {
        Scheme::FastaiV2 => "np.random.shuffle(docs)                     # fastai v2: new document order every epoch\n",
        _ => "",
    };
    let optimizer = match s.optimizer {
        OptimizerKind::Adam => format!("torch.optim.Adam(model.parameters(), lr={})", s.lr),
        OptimizerKind::Sgd => format!("torch.optim.SGD(model.parameters(), lr={})", s.lr),
    };
    let limit = match s.scheme {
        Scheme::FastaiV07 => format!("rows // {} - 1", s.bptt),
        _ => "float(\"inf\")".to_string(),
    };
    format!(
        r#"# batchscope settings: {hash}
import re, numpy as np, torch, torch.nn as nn, torch.nn.functional as F

torch.manual_seed({seed}); np.random.seed({seed})
{tokenize}
docs = [open(f, encoding="utf-8").read() for f in ["corpus.txt"]]   # one file = one document
{shuffle}tokens = [t for k, d in enumerate(docs) for t in ([SEP] if k else []) + tokenize(d)]
vocab = sorted(set(tokens))
data = torch.tensor([vocab.index(t) for t in tokens])

def batchify(data, bs):
    rows = data.size(0) // bs                  # tokens per stream (column)
    data = data[:rows * bs]                    # the tail that fits no column is dropped
    return data.view(bs, rows).t().contiguous()   # [rows, bs]: column j is stream j

def get_batch(source, i, seq_len):
    seq_len = min(seq_len, len(source) - 1 - i)
    return source[i:i + seq_len], source[i + 1:i + 1 + seq_len]   # input, target one row later

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

bs, bptt = {bs}, {bptt}
train_data = batchify(data, bs)                # {bs} sequences per batch
rows = train_data.size(0)
model = RNNModel(len(vocab), {embed}, {hidden}, {layers})
opt = {optimizer}
hidden = (torch.zeros({layers}, bs, {hidden}), torch.zeros({layers}, bs, {hidden}))
i, batch = 0, 0
while i < rows - 1 and batch < {limit}:
{seq_len}
    x, y = get_batch(train_data, i, seq_len)   # [seq_len, bs]: seq_len unrolled LSTM cells
    hidden = repackage_hidden(hidden)
    out, hidden = model(x, hidden)
    loss = F.cross_entropy(out.view(-1, len(vocab)), y.reshape(-1))
    opt.zero_grad()
    loss.backward()                            # through the seq_len cells, no further
    torch.nn.utils.clip_grad_norm_(model.parameters(), {clip})
    opt.step()
    print(f"batch {{batch + 1}}: rows {{i}}..{{i + x.size(0)}}, seq_len {{x.size(0)}}, loss {{loss.item():.4f}}")
    i, batch = i + x.size(0), batch + 1
"#,
        hash = s.to_hash(),
        seed = s.seed,
        bs = s.bs,
        bptt = s.bptt,
        embed = EMBED,
        hidden = s.hidden,
        layers = s.layers,
        clip = CLIP,
    )
}

/// The fastai loader with the same batching for `s` (fastai trains its own
/// AWD-LSTM, not this page's model).
pub fn fastai(s: &Settings) -> String {
    match s.scheme {
        Scheme::FastaiV07 => format!(
            r#"# fastai 0.7 (fastai/nlp.py): variable seq_len around bptt, as on this page
from fastai.nlp import *
md = LanguageModelData.from_text_files(PATH, TEXT, train="train", validation="valid",
                                       test="valid", bs={bs}, bptt={bptt}, min_freq=1)
# md.trn_dl is a LanguageModelLoader: {bs} columns, windows of ~{bptt} rows
"#,
            bs = s.bs,
            bptt = s.bptt
        ),
        _ => format!(
            r#"# fastai v2: LMDataLoader concatenates the documents (shuffled each epoch),
# cuts the stream into bs={bs} streams and yields windows of seq_len={bptt}
from fastai.text.all import *
dls = TextDataLoaders.from_folder(path, is_lm=True, bs={bs}, seq_len={bptt})
learn = language_model_learner(dls, AWD_LSTM, pretrained=False)
learn.fit_one_cycle(1, {lr})
"#,
            bs = s.bs,
            bptt = s.bptt,
            lr = s.lr
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pytorch_program_carries_the_settings() {
        let s = Settings {
            bs: 16,
            bptt: 35,
            scheme: Scheme::Pytorch,
            hidden: 128,
            layers: 2,
            seed: 7,
            ..Settings::default()
        };
        let code = pytorch(&s);
        for needle in [
            "bs, bptt = 16, 35",
            "RNNModel(len(vocab), 32, 128, 2)",
            "torch.manual_seed(7)",
            "seq_len = 35 ",
            "clip_grad_norm_(model.parameters(), 1)",
            "torch.optim.Adam(model.parameters(), lr=0.003)",
            "def repackage_hidden",
            "while i < rows - 1 and batch < float(\"inf\"):",
        ] {
            assert!(code.contains(needle), "missing {needle:?} in\n{code}");
        }
        assert!(!code.contains("np.random.normal") && !code.contains("shuffle"));
    }

    #[test]
    fn each_scheme_gets_its_rule() {
        let v07 = Settings {
            scheme: Scheme::FastaiV07,
            bptt: 70,
            ..Settings::default()
        };
        assert!(pytorch(&v07).contains("bptt_ = 70 if np.random.random() < 0.95 else 70 / 2."));
        assert!(pytorch(&v07).contains("batch < rows // 70 - 1"));
        assert!(fastai(&v07).contains("bs=64, bptt=70"));
        let v2 = Settings {
            scheme: Scheme::FastaiV2,
            tokens: TokenLevel::Word,
            optimizer: OptimizerKind::Sgd,
            lr: 20.0,
            ..Settings::default()
        };
        let code = pytorch(&v2);
        assert!(
            code.contains("np.random.shuffle(docs)")
                && code.contains("SEP = \"xxbos\"")
                && code.contains("torch.optim.SGD(model.parameters(), lr=20)")
        );
        assert!(fastai(&v2)
            .contains("TextDataLoaders.from_folder(path, is_lm=True, bs=64, seq_len=70)"));
    }

    #[test]
    fn python_sees_no_unbalanced_braces() {
        // format! escapes: the f-string's {{…}} must come out single.
        let code = pytorch(&Settings::default());
        assert!(
            code.contains(r#"print(f"batch {batch + 1}: rows {i}..{i + x.size(0)}"#),
            "{code}"
        );
    }
}
