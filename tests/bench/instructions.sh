#!/usr/bin/env bash
# Instructions per analysed message, counted by valgrind (cachegrind): a figure that does not move
# with the load of a shared machine, as wall-clock time does. Runs the analyze benchmark's single
# pass (parse with handed-over buffers, then decide) over N generated messages, and subtracts a
# run that only generates and prepares them.
#
#   bash tests/bench/instructions.sh [N]      (N generated messages, default 10000)
#
# Needs valgrind (Debian: apt-get install valgrind). Takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-10000}
if ! command -v valgrind >/dev/null; then
  echo "instructions.sh: valgrind is not installed (Debian: apt-get install valgrind)" >&2
  exit 1
fi
bin=$(cargo bench --bench analyze --no-run 2>&1 | grep -o 'target/release/deps/analyze-[0-9a-f]*' | head -1)
# The last count is the benchmark's own (criterion starts a short-lived child first).
count() {
  HOPSCOPE_BENCH_N=$N HOPSCOPE_BENCH_PASS=$1 \
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$bin" --bench 2>&1 \
    | awk '/I *refs/ { gsub(",", "", $NF); n = $NF } END { print n }'
}
base=$(count generate)
full=$(count analyze)
echo "analysis of $N generated messages: $(( (full - base) / N )) instructions per message"
