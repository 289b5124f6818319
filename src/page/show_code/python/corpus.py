# ---- The text: tokens, vocabulary, the held-out 10% -------------------------
SEP = "\x02" if LEVEL == "char" else "xxbos"   # the token between documents


def tokenize(text):
    if LEVEL == "char":
        return list(text)                                  # one token per character
    return re.findall(r"\w+|\n|[^\w\s]", text)             # words, punctuation and newlines


def read_docs(files):
    """One document per file, read as batchscope reads it: a byte-order mark
    is dropped, line ends stay as they are."""
    docs = []
    for name in files:
        with open(name, encoding="utf-8-sig", newline="") as f:
            tokens = tokenize(f.read())
        if not tokens:
            sys.exit(f"{name} has no text: an empty corpus cannot be batched")
        if SEP in tokens:
            sys.exit(f"{name} contains the separator token {SEP!r}, which marks where documents meet")
        docs.append(tokens)
    return docs


def split_validation(docs):
    """(training documents, held-out tokens): the last VALIDATION_FRACTION of
    the stream is held out, as whole trailing documents when some hold close
    to that share (within half of it either way), else cut inside a document."""
    starts, position = [], 0
    for d in docs:
        starts.append(position)
        position += len(d) + 1
    total = position - 1                       # tokens, separators included
    wanted = max(2, math.floor(total * VALIDATION_FRACTION + 0.5))
    if wanted + 2 > total:
        sys.exit(f"the corpus has {total} tokens: too few to hold out {wanted} "
                 "for validation and still train on at least 2")
    held_from = lambda first: total - starts[first]
    closest = min(range(1, len(docs)), key=lambda f: abs(held_from(f) - wanted), default=None)
    if closest is not None and 2 * abs(held_from(closest) - wanted) <= wanted:
        first_held, train = starts[closest], docs[:closest]
    else:
        position = total - wanted
        d = max(k for k, start in enumerate(starts) if start <= position)
        length = (starts[d + 1] - 1 if d + 1 < len(docs) else total) - starts[d]
        token = position - starts[d]
        if token == 0:                         # on a document's first token
            first_held, train = starts[d], docs[:d]
        elif token >= length:                  # on the separator after it
            first_held, train = starts[d + 1], docs[:d + 1]
        else:
            first_held, train = position, docs[:d] + [docs[d][:token]]
    full = [t for k, d in enumerate(docs) for t in ([SEP] if k else []) + d]
    return train, full[first_held:]


def prepare(files):
    """What every run reads: the training documents and their ids, the
    vocabulary (of the training text alone) and the held-out ids (tokens the
    training text never has are left out)."""
    train, held = split_validation(read_docs(files))
    vocab = sorted({t for d in train for t in d} | ({SEP} if len(train) > 1 else set()))
    index = {t: i for i, t in enumerate(vocab)}
    return {
        "docs": train,
        "vocab": vocab,
        "index": index,
        "doc_ids": [torch.tensor([index[t] for t in d]) for d in train],
        "validation": torch.tensor([index[t] for t in held if t in index]),
    }


def use(data):
    """Makes `data` (from prepare) the globals the batching reads."""
    globals().update(data)


def stream(order):
    """The training documents in `order` as one stream of ids."""
    parts = []
    for k, d in enumerate(order):
        if k:
            parts.append(torch.tensor([index[SEP]]))
        parts.append(doc_ids[d])
    return torch.cat(parts)

