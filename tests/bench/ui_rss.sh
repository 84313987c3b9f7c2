#!/usr/bin/env bash
# The real terminal UI on a large Maildir, driven in tmux as a person would: how long until the
# header says every message is in, the resident memory then (and its peak), and the time for
# one key press to show on screen.
#
#   bash tests/bench/ui_rss.sh [N]      (N generated messages, default 50000)
#
# Uses ../shared/bench/gen_maildir.py for the mailbox (kept in $HOPSCOPE_BENCH_DIR, default
# /tmp/hopscope-imap-bench, shared with imap_sync.sh). Needs tmux.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-50000}
BENCH=$(realpath ../shared/bench)
WORK=${HOPSCOPE_BENCH_DIR:-/tmp/hopscope-imap-bench}
MAILDIR=$WORK/maildir-$N
SESSION=hopscope-ui-rss-$$
mkdir -p "$WORK"

cargo build --release --quiet
BIN=$PWD/target/release/hopscope
if [ ! -d "$MAILDIR/cur" ] || [ "$(ls "$MAILDIR/cur" | wc -l)" -ne "$N" ]; then
  echo "generating $N messages into $MAILDIR" >&2
  python3 "$BENCH/gen_maildir.py" "$MAILDIR" "$N" --clean >&2
fi

screen() { tmux capture-pane -p -t "$SESSION"; }
now() { date +%s.%N; }
since() { awk "BEGIN { printf \"%.0f\", ($(now) - $1) * 1000 }"; }
trap 'tmux kill-session -t "$SESSION" 2>/dev/null || true' EXIT

start=$(now)
tmux new-session -d -s "$SESSION" -x 120 -y 40 "$BIN open $MAILDIR"
first=""
for _ in $(seq 1 6000); do
  s=$(screen)
  if [ -z "$first" ] && grep -q "Messages [1-9]" <<<"$s"; then first=$(since "$start"); fi
  if grep -q "│ $N messages │" <<<"$s"; then break; fi
  sleep 0.01
done
loaded=$(since "$start")
pid=$(tmux list-panes -t "$SESSION" -F '#{pane_pid}')
rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$pid/status")
hwm=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$pid/status")

# One key press until the screen shows it: move down and wait for the selection to change.
before=$(screen)
t=$(now)
tmux send-keys -t "$SESSION" j
for _ in $(seq 1 1000); do [ "$(screen)" != "$before" ] && break; sleep 0.001; done
key=$(since "$t")

tmux send-keys -t "$SESSION" q
echo "N = $N messages (hopscope open MAILDIR, 120x40 tmux)"
echo "first rows on screen after          ${first:-?} ms"
echo "all messages listed after           $loaded ms"
echo "resident memory once loaded         $rss MB (peak $hwm MB)"
echo "key press to changed screen         $key ms (includes tmux polling)"
