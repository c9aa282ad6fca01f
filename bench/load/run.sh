#!/bin/sh
# The load benchmark of docs/PERFORMANCE.md, on big.dat and on a 10 M-event
# capture generated here (big.dat's pages replicated with shifted timestamps,
# bench/load/replicate_capture.py; deleted afterwards, ~490 MB in $TMPDIR).
#   bench/load/run.sh [BENCH_BINARY] [RUNS]
# Each file is measured in its own process, so each peak RSS is that file's.
set -eu
bench=${1:-build/ci/bin/irqlens-bench-load}
runs=${2:-3}
big=$(dirname "$0")/../../tests/data/big.dat
tmp=$(mktemp -d "${TMPDIR:-/tmp}/irqlens-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

trace-cmd convert --file-version 6 --compression none -i "$big" -o "$tmp/big_v6.dat" >/dev/null 2>&1
python3 "$(dirname "$0")/replicate_capture.py" "$tmp/big_v6.dat" "$tmp/big_10m.dat" 3.08
rm -f "$tmp/big_v6.dat"

"$bench" "$big" --runs "$runs"
echo
"$bench" "$tmp/big_10m.dat" --runs "$runs"
