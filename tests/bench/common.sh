# Shared by the benchmark scripts (sourced, not run): the generated mailbox, the release
# binary, and a private Dovecot serving the mailbox with a config that points hopscope at it.
#
#   N          messages (set before sourcing; default 50000)
#   WORK       $HOPSCOPE_BENCH_DIR, default /tmp/hopscope-imap-bench (kept between runs)
#   BIN        the release binary;   MAILDIR  the generated Maildir
#   bench_dovecot_up  starts Dovecot (stopped on exit) and sets CONF, CERT and ENVS, the
#                     environment (config dir, cache dir, password) for `env $ENVS hopscope ...`

N=${N:-50000}
BENCH=$(realpath ../shared/bench)
WORK=${HOPSCOPE_BENCH_DIR:-/tmp/hopscope-imap-bench}
STATE=$WORK/dovecot-$N
MAILDIR=$WORK/maildir-$N
PLAIN_PORT=${PLAIN_PORT:-20143}
TLS_PORT=${TLS_PORT:-20993}
mkdir -p "$WORK"

cargo build --release --quiet
BIN=$PWD/target/release/hopscope

if [ ! -d "$MAILDIR/cur" ] || [ "$(ls "$MAILDIR/cur" | wc -l)" -ne "$N" ]; then
  echo "generating $N messages into $MAILDIR" >&2
  python3 "$BENCH/gen_maildir.py" "$MAILDIR" "$N" --clean >&2
fi

bench_dovecot_down() { bash "$BENCH/dovecot_down.sh" "$STATE" >/dev/null 2>&1 || true; }

bench_dovecot_up() {
  bash "$BENCH/dovecot_up.sh" "$MAILDIR" "$STATE" "$PLAIN_PORT" "$TLS_PORT" benchuser benchpass >/dev/null
  CERT=$STATE/cert.pem
  CONF=$WORK/config
  mkdir -p "$CONF"
  cat > "$CONF/config.toml" <<TOML
[accounts.bench]
host = "127.0.0.1"
port = $TLS_PORT
username = "benchuser"
password = { source = "env", var = "HOPSCOPE_BENCH_PW" }
ca-file = "$CERT"
TOML
  ENVS="HOPSCOPE_CONFIG_DIR=$CONF HOPSCOPE_CACHE_DIR=$WORK/cache HOPSCOPE_BENCH_PW=benchpass"
}
