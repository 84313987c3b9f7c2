#!/usr/bin/env bash
# IMAP sync benchmark: hopscope beside the two reference clients of ../shared/bench, against a
# private Dovecot on 127.0.0.1 (cache warm on the server side), in one run.
#
#   bash tests/bench/imap_sync.sh [N]        (N messages, default 50000)
#
# Prints wall-clock seconds (median of 3) for:
#   limit    bench_limit.py --mode batched: a raw TLS client that sends the same FETCH and parses
#            nothing (the ceiling);
#   python   bench_python_peer.py: imaplib + email, what a user scripts today;
#   hopscope `hopscope sync --no-cache`: full sync, headers fetched and kept in memory only;
#   hopscope `hopscope analyze --json --no-cache --account`: fetch, analyse and print every
#            message (the python peer's equivalent: it parses too);
#   hopscope `hopscope sync` twice: full sync into an empty cache, then the re-sync of an
#            unchanged mailbox.
# Needs the shared bench folder (../shared/bench from the project root) and Dovecot.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-50000}
source tests/bench/common.sh
bench_dovecot_up
trap bench_dovecot_down EXIT
export $ENVS

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_cmd() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); awk "BEGIN { printf \"%.3f\", $e - $s }"; }
wall() { tail -n 1 | python3 -c 'import json, sys; print(json.load(sys.stdin)["median_wall_s"])'; }

# Warm the server: the first touch builds Dovecot's index and header cache.
python3 "$BENCH/bench_limit.py" 127.0.0.1 "$TLS_PORT" benchuser benchpass 0 --cafile "$CERT" --runs 1 --mode single >/dev/null

limit=(); python=(); full=(); nocache=(); resync=(); analyze=()
for round in 1 2 3; do
  limit+=("$(python3 "$BENCH/bench_limit.py" 127.0.0.1 "$TLS_PORT" benchuser benchpass 0 --cafile "$CERT" --runs 1 --mode batched --json | wall)")
  python+=("$(python3 "$BENCH/bench_python_peer.py" 127.0.0.1 "$TLS_PORT" benchuser benchpass 0 --cafile "$CERT" --runs 1 --json | wall)")
  nocache+=("$(time_cmd "$BIN" --no-cache sync bench)")
  analyze+=("$(time_cmd "$BIN" --no-cache analyze --json --account bench)")
  "$BIN" cache clear >/dev/null 2>&1
  full+=("$(time_cmd "$BIN" sync bench)")
  resync+=("$(time_cmd "$BIN" sync bench)")
done
printf '%-44s %s\n' "N = $N messages, median of 3 (seconds)" ""
printf '%-44s %s\n' "limit (raw TLS client, batched FETCH)" "$(printf '%s\n' "${limit[@]}" | median)"
printf '%-44s %s\n' "python peer (imaplib + email)" "$(printf '%s\n' "${python[@]}" | median)"
printf '%-44s %s\n' "hopscope sync --no-cache (full)" "$(printf '%s\n' "${nocache[@]}" | median)"
printf '%-44s %s\n' "hopscope analyze --json --no-cache (full)" "$(printf '%s\n' "${analyze[@]}" | median)"
printf '%-44s %s\n' "hopscope sync (full, into an empty cache)" "$(printf '%s\n' "${full[@]}" | median)"
printf '%-44s %s\n' "hopscope sync (unchanged mailbox, re-sync)" "$(printf '%s\n' "${resync[@]}" | median)"
