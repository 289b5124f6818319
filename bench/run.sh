#!/usr/bin/env bash
# Side-by-side training-step speed: batchscope (native, release) and PyTorch
# (CPU, one thread), same sizes, same machine, same run.
#
#   bench/run.sh                 # creates bench/.venv and installs torch from PyPI once
#                                # (PyPI's Linux wheel pulls CUDA libraries, a few GB;
#                                # PIP_INDEX_URL=https://download.pytorch.org/whl/cpu
#                                # installs the CPU-only wheel instead)
#   PYTHON=/path/to/python bench/run.sh   # use an existing interpreter with torch
#   bench/run.sh --hidden 128 --steps 40  # options go to both sides
#   bench/run.sh --threads 2              # a step on 2 threads on both sides
#   ROUNDS=5 bench/run.sh                 # more alternations (default 2)
# Ends with bench/summary.py's table of the rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PYTHON:-}" ]; then
    if [ ! -x bench/.venv/bin/python ]; then
        python3 -m venv bench/.venv
        bench/.venv/bin/pip install --quiet torch
    fi
    PYTHON=bench/.venv/bin/python
fi
cargo build --quiet --release --no-default-features --bin batchscope
BATCHSCOPE="${CARGO_TARGET_DIR:-target}/release/batchscope"
echo "# machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load: $(cut -d' ' -f1-3 /proc/loadavg)"
# PyTorch's OpenMP threads follow --threads (torch.set_num_threads).
threads=1
args=("$@")
for i in "${!args[@]}"; do
    if [ "${args[$i]}" = "--threads" ]; then threads="${args[$((i + 1))]}"; fi
done
# Alternate the two systems so that a change in machine load hits both.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for round in $(seq "${ROUNDS:-2}"); do
    echo "# round $round, load: $(cut -d' ' -f1-3 /proc/loadavg)"
    "$BATCHSCOPE" bench "$@" | tee -a "$log"
    OMP_NUM_THREADS="$threads" "$PYTHON" bench/pytorch_lstm.py "$@" 2> >(grep -v -i -e numpy -e _conversion_method >&2) | tee -a "$log"
done
echo "# load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PYTHON" bench/summary.py < "$log"
