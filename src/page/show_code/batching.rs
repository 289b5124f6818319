//! Each scheme's batches in Python for the exported programs: the same rules
//! as `crate::data::batcher`, written the way each library writes them, as a
//! generator `name(bs, bptt, epoch)` of `(x, y)` tensors `[seq_len, n]`.
//!
//! The functions read the program's globals: `docs` (token lists), `index`
//! (token → id), `SEP` and `stream(order)` (the documents in `order` joined
//! into one tensor of ids, separated by `SEP`).

use crate::data::batcher::Scheme;

/// PyTorch word_language_model's `batchify` and `get_batch`, which every
/// column scheme uses.
pub const HELPERS: &str = r#"def batchify(data, bs):
    rows = data.size(0) // bs                  # tokens per stream (column)
    data = data[:rows * bs]                    # the tail that fits no column is dropped
    return data.view(bs, rows).t().contiguous()   # [rows, bs]: column j is stream j


def get_batch(source, i, seq_len):
    seq_len = min(seq_len, len(source) - 1 - i)
    return source[i:i + seq_len], source[i + 1:i + 1 + seq_len]   # input, target one row later
"#;

/// The Python name of `scheme`'s batch generator.
pub fn function_name(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::Pytorch => "pytorch_batches",
        Scheme::FastaiV07 => "fastai_v07_batches",
        Scheme::FastaiV1 => "fastai_v1_batches",
        Scheme::FastaiV2 => "fastai_v2_batches",
        Scheme::HfBlocks => "hf_blocks_batches",
    }
}

/// The Python that defines `scheme`'s generator (see the module docs).
pub fn scheme_function(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::Pytorch => {
            r#"def pytorch_batches(bs, bptt, epoch):
    # PyTorch word_language_model: batchify + get_batch, windows of bptt rows
    source = batchify(stream(range(len(docs))), bs)
    for i in range(0, source.size(0) - 1, bptt):
        yield get_batch(source, i, bptt)
"#
        }
        Scheme::FastaiV07 => {
            r#"def fastai_v07_batches(bs, bptt, epoch):
    # fastai 0.7 LanguageModelLoader (fastai/nlp.py): usually bptt, 5% of the time bptt/2, plus noise
    source = batchify(stream(range(len(docs))), bs)
    rows, i, n = source.size(0), 0, 0
    while i < rows - 1 and n < max(1, rows // bptt - 1):   # fastai's len(): rows // bptt - 1
        bptt_ = bptt if np.random.random() < 0.95 else bptt / 2.
        seq_len = max(5, int(np.random.normal(bptt_, 5)))
        x, y = get_batch(source, i, seq_len)
        yield x, y
        i, n = i + x.size(0), n + 1
"#
        }
        Scheme::FastaiV1 => {
            r#"def fastai_v1_batches(bs, bptt, epoch):
    # fastai 1 LanguageModelPreLoader (fastai/text/data.py): streams start at int(j*T/bs),
    # every batch bptt long, one token of overlap, wrapping round the corpus
    data = stream(np.random.permutation(len(docs)))         # documents shuffled every epoch
    T = len(data)
    step = T / bs
    starts = [int(step * j) for j in range(bs)]
    for i in range(-(-T // (bptt * bs))):                   # ceil(T / (bptt * bs)) batches
        idx = torch.tensor([[(s + i * bptt + r) % T for s in starts] for r in range(bptt + 1)])
        b = data[idx]                                       # [bptt + 1, bs]
        yield b[:-1], b[1:]
"#
        }
        Scheme::FastaiV2 => {
            r#"def fastai_v2_batches(bs, bptt, epoch):
    # fastai 2 LMDataLoader (fastai/text/data.py): bl = round_down(T - 1, bs) // bs rows per stream;
    # a stream's last target is the next stream's first token
    data = stream(np.random.permutation(len(docs)))         # LMDataLoader.shuffle_fn, every epoch
    bl = (len(data) - 1) // bs
    n_batches = -(-bl // bptt)
    for i in range(n_batches):
        sl = bl - (n_batches - 1) * bptt if i == n_batches - 1 else bptt
        b = torch.stack([data[j * bl + i * bptt : j * bl + i * bptt + sl + 1] for j in range(bs)]).t()
        yield b[:-1], b[1:]                                 # [sl, bs] each
"#
        }
        Scheme::HfBlocks => {
            r#"@functools.lru_cache(maxsize=None)
def hf_blocks(bptt):
    # Hugging Face run_clm.py group_texts (datasets.map hands it 1,000 documents at a time)
    items = [([SEP] if k else []) + d for k, d in enumerate(docs)]
    groups = [sum(items[g:g + 1000], []) for g in range(0, len(items), 1000)]
    return torch.tensor([[index[t] for t in grp[i:i + bptt]]
                         for grp in groups for i in range(0, len(grp) // bptt * bptt, bptt)])


def hf_blocks_batches(bs, bptt, epoch):
    # then the Trainer's RandomSampler: blocks of bptt tokens, shuffled, bs at a time
    blocks = hf_blocks(bptt)
    order = torch.randperm(len(blocks))
    for k in range(0, len(order), bs):                      # the last batch holds the rest
        b = blocks[order[k:k + bs]].t()                     # [bptt, n]
        yield b[:-1], b[1:]                                 # the model shifts the labels by one
"#
        }
    }
}

/// Whether `scheme` carries the hidden state from batch to batch, in Python.
fn carries(scheme: Scheme) -> &'static str {
    match scheme.carries_state() {
        true => "True",
        false => "False",
    }
}

/// The single-run program's `epoch_batches(epoch)` and `CARRY` for `scheme`
/// at this `bs` and `bptt`.
pub fn epoch_batches(scheme: Scheme, bs: usize, bptt: usize) -> String {
    let comment = match scheme.carries_state() {
        true => "the hidden state flows down each column",
        false => "independent blocks: every batch starts from zeros",
    };
    format!(
        "bs, bptt = {bs}, {bptt}\n{function}\n\ndef epoch_batches(epoch):\n    return {name}(bs, bptt, epoch)\n\n\nCARRY = {carry}                                   # {comment}\n",
        function = scheme_function(scheme),
        name = function_name(scheme),
        carry = carries(scheme),
    )
}

/// The generators of `schemes` (each once) and the tables the race and
/// sweep programs look a run's scheme up in: `BATCHES` and `CARRIES`.
pub fn scheme_tables(schemes: &[Scheme]) -> String {
    let mut used: Vec<Scheme> = Vec::new();
    for &scheme in schemes {
        if !used.contains(&scheme) {
            used.push(scheme);
        }
    }
    let mut code = String::new();
    for &scheme in &used {
        code += scheme_function(scheme);
        code += "\n\n";
    }
    let entries = |value: &dyn Fn(Scheme) -> String| {
        used.iter()
            .map(|&s| format!("\"{s}\": {}", value(s)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    code += &format!(
        "BATCHES = {{{}}}\nCARRIES = {{{}}}                 # does the hidden state flow from batch to batch?\n",
        entries(&|s| function_name(s).to_string()),
        entries(&|s| carries(s).to_string()),
    );
    code
}
