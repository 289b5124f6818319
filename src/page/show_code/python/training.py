# ---- The model, one training run, the validation loss -----------------------
DEVICE = torch.device("cpu")                   # set by --device


class CannotTrain(Exception):
    """A run that cannot start (its message says why)."""


class RNNModel(nn.Module):                    # names as in PyTorch's word_language_model
    def __init__(self, ntoken, ninp, nhid, nlayers):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers)
        self.decoder = nn.Linear(nhid, ntoken)

    def forward(self, x, hidden):
        out, hidden = self.rnn(self.encoder(x), hidden)
        return self.decoder(out), hidden


def initial_state(init_file):
    """The weights every run starts from: --init FILE (a state dict as JSON,
    what `batchscope train --save` writes), or PyTorch's own initialisation
    from SEED (the same distributions as the page's, not the same numbers)."""
    if init_file:
        with open(init_file) as f:
            return {k: torch.tensor(v) for k, v in json.load(f).items()}
    torch.manual_seed(SEED)
    return RNNModel(len(vocab), EMBED, HIDDEN, LAYERS).state_dict()


def zeros(width):
    return tuple(torch.zeros(LAYERS, width, HIDDEN, device=DEVICE) for _ in range(2))


class Run:
    """One training run: the model, its optimizer, this epoch's batches and
    the (h, c) carried from batch to batch."""

    def __init__(self, init, bs, lr, bptt, scheme, carry):
        torch.manual_seed(SEED)                # every run draws the same batches
        np.random.seed(SEED)
        self.model = RNNModel(len(vocab), EMBED, HIDDEN, LAYERS).to(DEVICE)
        self.model.load_state_dict(init)
        kind = torch.optim.Adam if OPTIMIZER == "adam" else torch.optim.SGD
        self.opt = kind(self.model.parameters(), lr=lr)
        self.bs, self.bptt, self.scheme = bs, bptt, scheme
        self.carry = carry and CARRIES[scheme]
        self.epoch, self.steps, self.tokens, self.hidden = 0, 0, 0, None
        self.batches = BATCHES[scheme](bs, bptt, 0)

    def next_batch(self):
        batch = next(self.batches, None)
        if batch is None:
            self.epoch += 1                    # a new epoch starts from zeros
            self.hidden = None
            self.batches = BATCHES[self.scheme](self.bs, self.bptt, self.epoch)
            batch = next(self.batches, None)
        if batch is None:
            raise CannotTrain(f"bs = {self.bs}, bptt = {self.bptt}: the training text "
                              f"({sum(len(d) for d in docs)} tokens) gives no batch")
        return batch

    def step(self):
        """Trains on the next mini-batch and returns its loss (before the
        update); None when the loss or the gradient is not finite (then
        nothing is updated: the run diverged)."""
        x, y = (t.to(DEVICE) for t in self.next_batch())
        if self.hidden is None or not self.carry or self.hidden[0].size(1) != x.size(1):
            self.hidden = zeros(x.size(1))
        hidden = tuple(h.detach() for h in self.hidden)   # the gradient stops here
        out, hidden = self.model(x, hidden)
        loss = F.cross_entropy(out.view(-1, out.size(-1)), y.reshape(-1))
        if not torch.isfinite(loss):
            return None
        self.opt.zero_grad()
        loss.backward()                        # through the seq_len cells, no further
        norm = torch.nn.utils.clip_grad_norm_(self.model.parameters(), CLIP or math.inf)
        if not torch.isfinite(norm):
            return None
        self.opt.step()
        self.hidden = hidden
        self.steps += 1
        self.tokens += x.numel()
        return loss.item()


@torch.no_grad()
def validation_loss(model, ids, bs, bptt, carry, max_targets):
    """Mean loss on the held-out ids read in bs streams, windows of bptt rows
    from row 0, the state carried (or reset) as in training; about
    max_targets targets: whole rows until that many are read."""
    bs = max(1, min(bs, len(ids) // 2))
    rows = len(ids) // bs
    if rows < 2:
        return None
    columns = batchify(ids, bs).to(DEVICE)
    end = min(-(-max_targets // bs), rows - 1)
    hidden, total, targets, start = zeros(bs), 0.0, 0, 0
    while start < end:
        seq_len = min(bptt, end - start)
        x, y = columns[start:start + seq_len], columns[start + 1:start + 1 + seq_len]
        out, last = model(x, hidden if carry else zeros(bs))
        total += F.cross_entropy(out.view(-1, out.size(-1)), y.reshape(-1), reduction="sum").item()
        targets += seq_len * bs
        hidden, start = last, start + seq_len
    return total / targets


class Smoother:
    """A moving average debiased like TensorBoard's: the first value is itself."""

    def __init__(self, weight):
        self.weight, self.last, self.count = weight, 0.0, 0

    def add(self, value):
        if not math.isfinite(value):
            return value
        self.last = self.last * self.weight + (1 - self.weight) * value
        self.count += 1
        return self.last / (1 - self.weight ** self.count)


# ---- Running the runs: on one device, or in parallel --------------------------
# --workers N trains N runs at a time in processes of torch.multiprocessing
# (spawned, so it works with CUDA; on one GPU the runs share it, on a CPU
# they share its cores). On several machines, give each its own --runs and
# gather the JSON lines they print.
def worker_init(data, device, threads):
    use(data)
    globals()["DEVICE"] = device
    torch.set_num_threads(threads)


def run_all(work, jobs, args, data):
    if args.workers <= 1:
        return [work(job) for job in jobs]
    threads = max(1, (os.cpu_count() or 1) // args.workers)
    ctx = torch.multiprocessing.get_context("spawn")
    with ctx.Pool(args.workers, worker_init, (data, DEVICE, threads)) as pool:
        return pool.map(work, jobs, chunksize=1)


def common_args(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--corpus", nargs="+", default=CORPUS, metavar="FILE",
                   help="UTF-8 text files, one document each (default: %(default)s)")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu",
                   help="cpu, cuda, cuda:1, mps … (default: %(default)s)")
    p.add_argument("--workers", type=int, default=1, help="runs trained at a time")
    p.add_argument("--runs", help="train only these runs (0-based, comma-separated)")
    p.add_argument("--init", metavar="FILE", help="initial weights (state-dict JSON)")
    p.add_argument("--seed", type=int, default=SEED,
                   help="seeds the initial weights and the random batch draws (default: "
                        "%(default)s); other seeds show how much of a result is chance")
    p.add_argument("--max-tokens", type=int, default=MAX_TOKENS,
                   help="training tokens per run (default: %(default)s)")
    return p


def setup(args):
    """Reads the corpus, chooses the device and the seed; the data for run_all."""
    global DEVICE
    DEVICE = torch.device(args.device)
    data = prepare(args.corpus)
    data["SEED"] = args.seed
    use(data)
    return data


def chosen(runs, count):
    if not runs:
        return list(range(count))
    picked = [int(r) for r in runs.split(",")]
    if any(not 0 <= r < count for r in picked):
        sys.exit(f"--runs: there are runs 0 to {count - 1}")
    return picked


def line(**fields):
    print(json.dumps(fields, separators=(",", ":")), flush=True)

