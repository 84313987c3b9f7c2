#!/usr/bin/env bash
# The real terminal UI on a large Maildir, driven in tmux as a person would: how long until the
# header says every message is in, the resident memory then (and its peak), and the time for
# one key press to show on screen. For `hopscope open MAILDIR` on the files, then for the same
# messages served by a private Dovecot: `hopscope --account` with the headers already in the
# cache (any start after the first), on the first start (empty cache: every header fetched and
# stored), and with `--no-cache` (every header fetched, nothing kept).
#
#   bash tests/bench/ui_rss.sh [N]      (N generated messages, default 50000)
#
# Uses ../shared/bench/gen_maildir.py for the mailbox (kept in $HOPSCOPE_BENCH_DIR, default
# /tmp/hopscope-imap-bench, shared with imap_sync.sh) and ../shared/bench/dovecot_up.sh.
# Needs tmux and Dovecot.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-50000}
SESSION=hopscope-ui-rss-$$
source tests/bench/common.sh

screen() { tmux capture-pane -p -t "$SESSION"; }
# With styles: the selection moving changes only the highlight, which plain text does not show.
styled() { tmux capture-pane -e -p -t "$SESSION"; }
now() { date +%s.%N; }
since() { awk "BEGIN { printf \"%.0f\", ($(now) - $1) * 1000 }"; }
trap 'tmux kill-session -t "$SESSION" 2>/dev/null || true; bench_dovecot_down' EXIT

# measure TITLE COMMAND...: runs the UI in tmux and prints the figures.
measure() {
  local title=$1; shift
  local start first="" loaded pid rss hwm before t key
  start=$(now)
  tmux new-session -d -s "$SESSION" -x 120 -y 40 "$*"
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
  before=$(styled)
  t=$(now)
  tmux send-keys -t "$SESSION" j
  for _ in $(seq 1 1000); do [ "$(styled)" != "$before" ] && break; sleep 0.001; done
  key=$(since "$t")
  tmux send-keys -t "$SESSION" q
  sleep 0.5
  tmux kill-session -t "$SESSION" 2>/dev/null || true
  echo "$title (N = $N, 120x40 tmux)"
  echo "  first rows on screen after          ${first:-?} ms"
  echo "  all messages listed after           $loaded ms"
  echo "  resident memory once loaded         $rss MB (peak $hwm MB)"
  echo "  key press to changed screen         $key ms (includes tmux polling)"
}

measure "hopscope open MAILDIR" "$BIN" open "$MAILDIR"

bench_dovecot_up
env $ENVS "$BIN" sync bench >/dev/null 2>&1
measure "hopscope --account (Dovecot on 127.0.0.1, cache warm)" env $ENVS "$BIN" --account bench
env $ENVS "$BIN" cache clear >/dev/null 2>&1
measure "hopscope --account, first start (empty cache)" env $ENVS "$BIN" --account bench
measure "hopscope --account --no-cache (Dovecot on 127.0.0.1, headers fetched)" env $ENVS "$BIN" --account bench --no-cache
