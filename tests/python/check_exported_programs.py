#!/usr/bin/env python3
"""Checks the race and sweep programs that the page's "Show code" exports
(`batchscope code --program race|sweep`) under PyTorch, against the native
core, on a tiny text (two of the embedded stories, ~5 KB):

1. Batches: every run of several exported races (all five schemes, a bs
   race over three documents, word tokens) batches the training 90% exactly
   as `batchscope batches` does: the same header figures, and batch by batch
   the same text (for fastai v0.7 and Hugging Face, whose draws come from
   NumPy/PyTorch: the same lengths rule, the same blocks in another order).
2. Training: from the same initial weights (`--init`), a race run's losses
   equal `batchscope train`'s step for step, and the race program's smoothed
   loss at its end equals the native run's at the same step.
3. Sweep: the exported sweep's steps to the target per bs, from the same
   initial weights, equal `batchscope sweep`'s (the page's sweep is the same
   computation) within noise, and from PyTorch's own initial weights they lie
   within the spread of native sweeps from other initial weights. "Noise" is
   measured here, not assumed: the spread of the native best steps per bs
   over SEEDS initial weights.

Run from the repository (needs torch and numpy, e.g. in a venv):
    /tmp/venv/bin/python tests/python/check_exported_programs.py
It builds `batchscope` with cargo unless BATCHSCOPE names a binary. Prints
what it compared and exits 1 if anything disagrees.
"""
import importlib.util
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STORIES = os.path.join(ROOT, "src", "data", "corpora", "stories")
# Native sweeps from this many seeded initial weights measure the noise.
SEEDS = 6
# The sweep: small enough to run in a minute of Python on one core. Its lrs
# follow bs as the page's sweep panel picks them: the page's lr (0.01) × ½,
# 1, 2 at the page's bs (4), × √(bs / 4) at every other bs; natively the same
# lrs (× ½ and × 2 are exact in floating point) with --lr-rule.
SWEEP = dict(settings="bs=4&bptt=16&hidden=32&scheme=pytorch&lr=0.01&seed=0",
             bs="1,2,4,8,16", factors="0.5,1,2", lrs="0.005,0.01,0.02", rule="sqrt",
             rule_bs="4", max_tokens=60000)
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def batchscope_binary():
    if os.environ.get("BATCHSCOPE"):
        return os.environ["BATCHSCOPE"]
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "batchscope"],
                   cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "batchscope")


def cli(*args):
    out = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"batchscope {' '.join(map(str, args))}: {out.stderr.strip()}")
    return out.stdout


def export(path, program, settings, *options):
    with open(path, "w") as f:
        f.write(cli("code", "--program", program, "--settings", settings, *options))
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return path


def display(m, ids):
    """A batch row as `batchscope batches --show` writes it."""
    marks = {m.SEP: "␂", "\n": "⏎", "\t": "→", "\r": "␍"}
    if m.LEVEL == "char":
        marks[" "] = "·"
    labels = [marks.get(t, t) for t in (m.vocab[i] for i in ids.tolist())]
    return ("".join if m.LEVEL == "char" else " ".join)(labels)


def shown(text):
    """(input, target) of every row of a `--show` batch."""
    rows = []
    for row in text.splitlines()[1:]:
        rest = row.split("  input: ", 1)[1]
        source, target = rest.split("  target: ", 1)
        rows.append((source.rstrip(" "), target))
    return rows


def check_batches(tmp, name, settings, runs, files):
    m = export(os.path.join(tmp, name + ".py"), "race", settings, "--runs", runs)
    data = m.prepare(files)
    m.use(data)
    join = "".join if m.LEVEL == "char" else " ".join   # re-tokenises to the same tokens
    train = [write(os.path.join(tmp, f"{name}_train{k}.txt"), join(d))
             for k, d in enumerate(data["docs"])]
    for cfg in m.RUNS:
        bs, bptt, scheme = cfg["bs"], cfg["bptt"], cfg["scheme"]
        torch.manual_seed(m.SEED)
        np.random.seed(m.SEED)
        batches = list(m.BATCHES[scheme](bs, bptt, 0))
        flags = ["--corpus", *train, "--bs", bs, "--bptt", bptt, "--scheme", scheme,
                 "--tokens", m.LEVEL, "--seed", m.SEED]
        lines = [json.loads(l) for l in cli("batches", *flags).splitlines()]
        header, windows = lines[0], lines[1:]
        stream = m.stream(range(len(m.docs)))
        what = f"{name} {cfg['label']} ({scheme}, bs {bs}, bptt {bptt}, {m.LEVEL})"
        same = header["tokens"] == len(stream) and header["vocab"] == len(m.vocab)
        if scheme in ("pytorch", "fastai-v0.7"):
            same = same and header["rows"] == len(stream) // bs
        if scheme == "fastai-v0.7":
            # Lengths drawn by NumPy: the rule, not the numbers.
            lengths = [x.size(0) for x, _ in batches]
            ok = (same and len(batches) <= header["fastai_len"]
                  and all(l >= 5 for l in lengths[:-1]) and sum(lengths) <= header["rows"] - 1)
            check(ok, f"{what}: header, {len(batches)} batches by fastai's length rule")
            continue
        shapes = [(x.size(0), x.size(1)) for x, _ in batches]
        same = same and shapes == [(w["seq_len"], w["width"]) for w in windows]
        rows_py, rows_cli = [], []
        for i, (x, y) in enumerate(batches):
            rows_py += [(display(m, x[:, j]), display(m, y[:, j])) for j in range(x.size(1))]
            rows_cli += shown(cli("batches", *flags, "--show", i))
        if scheme == "hf-blocks":
            # Blocks shuffled by PyTorch: the same blocks, in another order.
            same = same and header["blocks"] == len(m.hf_blocks(bptt))
            rows_py, rows_cli = sorted(rows_py), sorted(rows_cli)
        check(same and rows_py == rows_cli,
              f"{what}: header and {len(batches)} batches equal `batchscope batches`")


def check_training(tmp, tiny):
    settings = "bs=16&bptt=35&scheme=pytorch&hidden=32&lr=0.003&seed=0"
    m = export(os.path.join(tmp, "race_train.py"), "race", settings, "--runs", "bs=4,bs=16")
    data = m.prepare([tiny])
    m.use(data)
    init = m.initial_state(None)
    init_file = os.path.join(tmp, "race_init.json")
    with open(init_file, "w") as f:
        json.dump({k: v.tolist() for k, v in init.items()}, f)
    train = write(os.path.join(tmp, "race_train0.txt"), "".join(data["docs"][0]))
    steps = 60
    for cfg in m.RUNS:
        run = m.Run(init, cfg["bs"], cfg["lr"], cfg["bptt"], cfg["scheme"], cfg["carry"])
        ours = [run.step() for _ in range(steps)]
        native = [json.loads(l)["loss"] for l in cli(
            "train", "--corpus", train, "--bs", cfg["bs"], "--bptt", cfg["bptt"], "--hidden",
            m.HIDDEN, "--lr", cfg["lr"], "--clip", m.CLIP, "--init", init_file,
            "--steps", steps).splitlines()]
        worst = max(abs(a - b) for a, b in zip(ours, native))
        check(len(native) == steps and worst < 1e-4,
              f"race {cfg['label']}: {steps} losses equal `batchscope train`'s "
              f"(largest difference {worst:.1e}, through {steps * cfg['bs'] * 35} tokens)")
    # The whole program, as a learner runs it.
    tokens = 30000
    out = subprocess.run([sys.executable, os.path.join(tmp, "race_train.py"), "--corpus", tiny,
                          "--init", init_file, "--max-tokens", str(tokens), "--device", "cpu"],
                         capture_output=True, text=True, env=dict(os.environ, OMP_NUM_THREADS="1"))
    lines = [json.loads(l) for l in out.stdout.splitlines()]
    summaries = {l["run"]: l for l in lines if "best_val_loss" in l}
    for cfg in m.RUNS:
        s = summaries.get(cfg["label"])
        if s is None:
            check(False, f"race program {cfg['label']}: no summary ({out.stderr.strip()[-200:]})")
            continue
        native = [json.loads(l)["loss"] for l in cli(
            "train", "--corpus", train, "--bs", cfg["bs"], "--bptt", cfg["bptt"], "--hidden",
            m.HIDDEN, "--lr", cfg["lr"], "--clip", m.CLIP, "--init", init_file,
            "--steps", s["steps"]).splitlines()]
        smoother = m.Smoother(m.SMOOTHING)
        native_loss = [smoother.add(v) for v in native][-1]
        passes = [l for l in lines if l.get("run") == cfg["label"] and "val_loss" in l]
        check(abs(s["loss"] - native_loss) < 0.01 * native_loss and passes
              and all(math.isfinite(p["val_loss"]) for p in passes),
              f"race program {cfg['label']}: {s['steps']} updates, smoothed loss "
              f"{s['loss']:.4f} vs native {native_loss:.4f}; {len(passes)} validation passes, "
              f"best {s['best_val_loss']:.4f}")


def sweep_lines(text):
    lines = [json.loads(l) for l in text.splitlines()]
    target = next(l for l in lines if "target_loss" in l)["target_loss"]
    best = {l["bs"]: l["steps"] for l in lines if "best_lr" in l}
    runs = {(l["bs"], l["lr"]): l for l in lines if "reached" in l}
    fit = next(l for l in lines if "fit" in l)["fit"]
    return target, best, runs, fit


def check_sweep(tmp, tiny):
    path = os.path.join(tmp, "sweep.py")
    m = export(path, "sweep", SWEEP["settings"], "--bs", SWEEP["bs"], "--lr-rule", SWEEP["rule"],
               "--lr-factors", SWEEP["factors"], "--max-tokens", SWEEP["max_tokens"])
    m.use(m.prepare([tiny]))
    init_file = os.path.join(tmp, "sweep_init.json")
    with open(init_file, "w") as f:
        json.dump({k: v.tolist() for k, v in m.initial_state(None).items()}, f)
    native_flags = ["sweep", "--corpus", tiny, "--bs", SWEEP["bs"], "--lrs", SWEEP["lrs"],
                    "--lr-rule", SWEEP["rule"], "--lr-rule-bs", SWEEP["rule_bs"], "--bptt", m.BPTT, "--hidden", m.HIDDEN, "--clip", m.CLIP,
                    "--max-tokens", SWEEP["max_tokens"]]
    target, native, native_runs, native_fit = sweep_lines(cli(*native_flags, "--init", init_file))

    def python_sweep(*options):
        out = subprocess.run([sys.executable, path, "--corpus", tiny, "--device", "cpu", *options],
                             capture_output=True, text=True,
                             env=dict(os.environ, OMP_NUM_THREADS="1"))
        if out.returncode:
            sys.exit(f"sweep program: {out.stderr.strip()}")
        return sweep_lines(out.stdout)

    # The pilot (no --target-loss) from the same weights sets the same target.
    py_target, ours, our_runs, our_fit = python_sweep("--init", init_file)
    check(abs(py_target - target) < 1e-4 * target,
          f"sweep: the pilot's target {py_target:.5f} = native {target:.5f}")
    # Noise: native best steps per bs from other initial weights, toward the same target.
    seeds = [sweep_lines(cli(*native_flags, "--seed", s, "--target-loss", target))
             for s in range(1, SEEDS + 1)]
    spread = {}
    for bs in native:
        logs = [math.log(s[1][bs]) for s in seeds if s[1].get(bs)]
        spread[bs] = (min(logs), max(logs)) if logs else None
    check(set(our_runs) == set(native_runs),
          f"sweep: the same (bs, lr) runs, {len(native_runs)}, e.g. bs 1 at "
          f"{sorted(lr for b, lr in native_runs if b == 1)}")
    equal = sum(our_runs[k]["steps"] == native_runs.get(k, {}).get("steps") for k in our_runs)
    print(f"      same weights: {equal} of {len(native_runs)} runs need exactly the native "
          f"steps; best steps per bs {ours} vs native {native}")
    for bs, steps in native.items():
        lo, hi = spread[bs]
        noise = max(hi - lo, math.log(1.05))       # at least 5%: rounding to whole steps
        deviation = abs(math.log(ours[bs] / steps))
        check(deviation <= noise,
              f"sweep bs {bs}, same weights: {ours[bs]} steps vs native {steps} "
              f"(|log ratio| {deviation:.3f} ≤ native seeds' spread {noise:.3f})")
    # PyTorch's own initial weights from another seed: one more draw from the
    # distribution the native seeds sample.
    _, own, _, own_fit = python_sweep("--target-loss", str(target), "--seed", "100")
    for bs in native:
        lo, hi = spread[bs]
        width = max(hi - lo, math.log(1.05))
        ok = own.get(bs) and lo - width <= math.log(own[bs]) <= hi + width
        check(bool(ok), f"sweep bs {bs}, PyTorch's own weights: {own.get(bs)} steps; native "
              f"seeds {round(math.exp(lo))}–{round(math.exp(hi))} (± their spread)")
    b_crits = [s[3]["b_crit"] for s in seeds if s[3]]
    print(f"      B_crit: exported {our_fit['b_crit']:.2f} (same weights), "
          f"{own_fit['b_crit']:.2f} (own weights); native {native_fit['b_crit']:.2f}, "
          f"native seeds {min(b_crits):.2f}–{max(b_crits):.2f}")


def main():
    global BIN
    BIN = batchscope_binary()
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as tmp:
        stories = sorted(os.listdir(STORIES))
        texts = [open(os.path.join(STORIES, s), encoding="utf-8").read() for s in stories[:3]]
        tiny = write(os.path.join(tmp, "tiny.txt"), texts[0] + texts[1])
        # Three documents, the last ~10% of the tokens: held out whole.
        docs = [write(os.path.join(tmp, "a.txt"), texts[0]), write(os.path.join(tmp, "b.txt"), texts[1]),
                write(os.path.join(tmp, "c.txt"), texts[2][:560])]
        base = "bs=16&bptt=20&seed=3&hidden=16"
        check_batches(tmp, "schemes", base + "&scheme=pytorch",
                      "scheme=pytorch,scheme=fastai-v1,scheme=fastai-v2,scheme=hf-blocks,"
                      "scheme=fastai-v0.7", [tiny])
        check_batches(tmp, "sizes", base + "&scheme=pytorch", "bs=1,bs=4,bs=16,bs=64", docs)
        check_batches(tmp, "words", base + "&scheme=pytorch&tokens=word", "bptt=5,bptt=12", docs)
        check_training(tmp, tiny)
        check_sweep(tmp, tiny)
    print(f"{len(failures)} failed" if failures else "all agree")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
