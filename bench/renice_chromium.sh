#!/usr/bin/env bash
# Runs a command (a browser benchmark) with every thread of its headless
# Chromium's renderers at nice -15, so other work on a shared machine takes
# less of the page and its workers. Chrome sets its renderers to nice 0
# itself, so a plain `nice` on the command does not reach them; this
# renices them every 0.3 s while the command runs. Needs root (or
# CAP_SYS_NICE). Figures measured this way say so in BENCHMARKS.md.
#
#   bench/renice_chromium.sh cargo test --test e2e_race one_and_four -- --ignored --nocapture
set -euo pipefail
(
    while true; do
        for pid in $(pgrep -f 'chromium --type=renderer' || true); do
            for task in /proc/"$pid"/task/*; do
                renice -n -15 -p "${task##*/}" >/dev/null 2>&1 || true
            done
        done
        sleep 0.3
    done
) &
renicer=$!
trap 'kill "$renicer"' EXIT
"$@"
