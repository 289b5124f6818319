"""PyTorch side of `batchscope bench`: the same training step on the CPU,
one thread unless --threads says more (torch.set_num_threads).

Embedding(V, E) → LSTM(E, H) → Linear(H, V), cross-entropy, backward through
all bptt steps, clip_grad_norm_(0.25), Adam — float32.
Prints one JSON line per hidden size, like `batchscope bench`.

    python bench/pytorch_lstm.py [--hidden 64,128,256] [--steps 20] [--threads 1]
"""
import argparse
import json
import time

import torch
import torch.nn as nn


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--hidden", default="64,128,256")
    p.add_argument("--vocab", type=int, default=65)
    p.add_argument("--embed", type=int, default=32)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--bs", type=int, default=64)
    p.add_argument("--bptt", type=int, default=70)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}")
    for hidden in [int(h) for h in a.hidden.split(",")]:
        enc = nn.Embedding(a.vocab, a.embed)
        rnn = nn.LSTM(a.embed, hidden, a.layers)
        dec = nn.Linear(hidden, a.vocab)
        params = list(enc.parameters()) + list(rnn.parameters()) + list(dec.parameters())
        opt = torch.optim.Adam(params, lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        hid = (torch.zeros(a.layers, a.bs, hidden), torch.zeros(a.layers, a.bs, hidden))

        def step(hid):
            x = torch.randint(0, a.vocab, (a.bptt, a.bs))
            y = torch.randint(0, a.vocab, (a.bptt * a.bs,))
            hid = tuple(h.detach() for h in hid)
            opt.zero_grad()
            out, hid = rnn(enc(x), hid)
            loss = loss_fn(dec(out).view(-1, a.vocab), y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 0.25)
            opt.step()
            return hid

        for _ in range(3):
            hid = step(hid)
        times, cpu_times = [], []
        for _ in range(a.steps):
            t0, cpu0 = time.perf_counter(), time.thread_time()
            hid = step(hid)
            times.append(time.perf_counter() - t0)
            cpu_times.append(time.thread_time() - cpu0)
        times.sort()
        cpu_times.sort()
        median, best = times[len(times) // 2], times[0]
        tokens = a.bs * a.bptt
        per_token = sum(4 * hidden * ((a.embed if l == 0 else hidden) + hidden) for l in range(a.layers)) + hidden * a.vocab
        gflop = 6 * tokens * per_token / 1e9
        print(json.dumps({"system": "pytorch", "hidden": hidden, "threads": a.threads, "ms_per_step": round(median * 1e3, 2),
                          "best_ms": round(best * 1e3, 2),
                          "cpu_ms": round(cpu_times[len(cpu_times) // 2] * 1e3, 2) if a.threads == 1 else None,
                          "tokens_per_s": round(tokens / median),
                          "gflop_per_step": round(gflop, 3), "gflop_per_s": round(gflop / median, 1)}))


if __name__ == "__main__":
    main()
