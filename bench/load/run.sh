#!/bin/sh
# The load benchmark of docs/PERFORMANCE.md, on big.dat, on a 10 M-event and
# on a ~100 M-event capture generated here (big.dat's pages replicated with
# shifted timestamps, bench/load/replicate_capture.py; deleted afterwards:
# ~490 MB and ~4.8 GB in $TMPDIR).
#   bench/load/run.sh [BENCH_BINARY] [RUNS] [RUNS_100M]
# Each file is measured in its own process, so each peak RSS is that file's.
# The 100 M file's exact event count is known: 30 copies of big.dat's pages
# plus 80 % of them, whose events `trace-cmd report` counts on a copy of just
# that 80 % (a small file).  libkshark is left out on it (48 B/entry plus
# libtracecmd's mappings: about 10 GB), trace-cmd report is given 10 minutes.
set -eu
bench=${1:-build/ci/bin/irqlens-bench-load}
runs=${2:-3}
runs100=${3:-1}
big=$(dirname "$0")/../../tests/data/big.dat
replicate="python3 $(dirname "$0")/replicate_capture.py"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/irqlens-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
records() { trace-cmd report "$1" 2>/dev/null | grep -c '^ '; }

trace-cmd convert --file-version 6 --compression none -i "$big" -o "$tmp/big_v6.dat" >/dev/null 2>&1
$replicate "$tmp/big_v6.dat" "$tmp/big_10m.dat" 3.08
$replicate "$tmp/big_v6.dat" "$tmp/big_0.8.dat" 0.8
expected100=$(( 30 * $(records "$tmp/big_v6.dat") + $(records "$tmp/big_0.8.dat") ))
rm -f "$tmp/big_0.8.dat"

"$bench" "$big" --runs "$runs"
echo
"$bench" "$tmp/big_10m.dat" --runs "$runs"
rm -f "$tmp/big_10m.dat"
echo
$replicate "$tmp/big_v6.dat" "$tmp/big_100m.dat" 30.8
rm -f "$tmp/big_v6.dat"
"$bench" "$tmp/big_100m.dat" --runs "$runs100" --no-kshark --expect "$expected100"
