"""Summary of a bench/run.sh log: per hidden size, each system's median
step over the rounds (the median of the rounds' medians), its best step,
its median CPU time per step (one thread only: the time the scheduler
actually gave it, which a busy machine does not stretch as much), and
batchscope's speed-up over PyTorch by each. Reads JSON lines on stdin.

    bench/run.sh | tee run.log; python bench/summary.py < run.log
"""
import json
import statistics
import sys


def main():
    runs = {}
    for line in sys.stdin:
        if line.startswith("{"):
            d = json.loads(line)
            runs.setdefault((d["hidden"], d["system"]), []).append(d)
    print("| H | threads | batchscope ms/step: median; best; CPU | PyTorch ms/step: median; best; CPU | speed-up: median; best; CPU |")
    print("|---|---|---|---|---|")
    for hidden in sorted({h for h, _ in runs}):
        ours, theirs = runs.get((hidden, "batchscope"), []), runs.get((hidden, "pytorch"), [])
        if not ours or not theirs:
            continue
        med = lambda rs: statistics.median(r["ms_per_step"] for r in rs)
        best = lambda rs: min(r["best_ms"] for r in rs)
        cpus = lambda rs: [r["cpu_ms"] for r in rs if r.get("cpu_ms") is not None]
        cpu = lambda rs: statistics.median(cpus(rs)) if cpus(rs) else float("nan")
        print(f"| {hidden} | {ours[0].get('threads', 1)} | {med(ours):.1f}; {best(ours):.1f}; {cpu(ours):.1f} | "
              f"{med(theirs):.1f}; {best(theirs):.1f}; {cpu(theirs):.1f} | "
              f"**{med(theirs) / med(ours):.2f}×**; {best(theirs) / best(ours):.2f}×; "
              f"{cpu(theirs) / cpu(ours):.2f}× |")


if __name__ == "__main__":
    main()
