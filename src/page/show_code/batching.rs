//! The Python `epoch_batches(epoch)` of each scheme for the exported PyTorch
//! program: the same rules as `crate::data::batcher`, written the way each library
//! writes them, yielding `(x, y)` as `[seq_len, n]` tensors.

use crate::data::batcher::Scheme;

/// The Python that defines `epoch_batches` (and `CARRY`) for `scheme`.
pub fn epoch_batches(scheme: Scheme, bs: usize, bptt: usize) -> String {
    let body = match scheme {
        Scheme::Pytorch => r#"# PyTorch word_language_model: batchify + get_batch, windows of bptt rows
def epoch_batches(epoch):
    source = batchify(stream(range(len(docs))), bs)
    for i in range(0, source.size(0) - 1, bptt):
        yield get_batch(source, i, bptt)
CARRY = True                                   # the hidden state flows down each column"#
            .to_string(),
        Scheme::FastaiV07 => r#"# fastai 0.7 LanguageModelLoader (fastai/nlp.py): usually bptt, 5% of the time bptt/2, plus noise
def epoch_batches(epoch):
    source = batchify(stream(range(len(docs))), bs)
    rows, i, n = source.size(0), 0, 0
    while i < rows - 1 and n < max(1, rows // bptt - 1):   # fastai's len(): rows // bptt - 1
        bptt_ = bptt if np.random.random() < 0.95 else bptt / 2.
        seq_len = max(5, int(np.random.normal(bptt_, 5)))
        x, y = get_batch(source, i, seq_len)
        yield x, y
        i, n = i + x.size(0), n + 1
CARRY = True"#
            .to_string(),
        Scheme::FastaiV1 => r#"# fastai 1 LanguageModelPreLoader (fastai/text/data.py): streams start at int(j*T/bs),
# every batch bptt long, one token of overlap, wrapping round the corpus
def epoch_batches(epoch):
    data = stream(np.random.permutation(len(docs)))         # documents shuffled every epoch
    T = len(data)
    step = T / bs
    starts = [int(step * j) for j in range(bs)]
    for i in range(-(-T // (bptt * bs))):                   # ceil(T / (bptt * bs)) batches
        idx = torch.tensor([[(s + i * bptt + r) % T for s in starts] for r in range(bptt + 1)])
        b = data[idx]                                       # [bptt + 1, bs]
        yield b[:-1], b[1:]
CARRY = True"#
            .to_string(),
        Scheme::FastaiV2 => r#"# fastai 2 LMDataLoader (fastai/text/data.py): bl = round_down(T - 1, bs) // bs rows per stream;
# a stream's last target is the next stream's first token
def epoch_batches(epoch):
    data = stream(np.random.permutation(len(docs)))         # LMDataLoader.shuffle_fn, every epoch
    bl = (len(data) - 1) // bs
    n_batches = -(-bl // bptt)
    for i in range(n_batches):
        sl = bl - (n_batches - 1) * bptt if i == n_batches - 1 else bptt
        b = torch.stack([data[j * bl + i * bptt : j * bl + i * bptt + sl + 1] for j in range(bs)]).t()
        yield b[:-1], b[1:]                                 # [sl, bs] each
CARRY = True"#
            .to_string(),
        Scheme::HfBlocks => r#"# Hugging Face run_clm.py group_texts (datasets.map hands it 1,000 documents at a time),
# then the Trainer's RandomSampler: blocks of bptt tokens, shuffled, bs at a time
items = [([SEP] if k else []) + tokenize(d) for k, d in enumerate(docs)]
groups = [sum(items[g:g + 1000], []) for g in range(0, len(items), 1000)]
blocks = torch.tensor([[index[t] for t in grp[i:i + bptt]]
                       for grp in groups for i in range(0, len(grp) // bptt * bptt, bptt)])
def epoch_batches(epoch):
    order = torch.randperm(len(blocks))
    for k in range(0, len(order), bs):                      # the last batch holds the rest
        b = blocks[order[k:k + bs]].t()                     # [bptt, n]
        yield b[:-1], b[1:]                                 # the model shifts the labels by one
CARRY = False                                  # independent blocks: every batch starts from zeros"#
            .to_string(),
    };
    format!("bs, bptt = {bs}, {bptt}\n{body}\n")
}
