#!/usr/bin/env bash
# Runs every check hopscope has, on a fresh Debian machine or a developer's:
# installs what the tests need (tmux, Dovecot, OpenSSL tools) when missing, then
# rustfmt, clippy, and all tests (unit, golden tables, corpus, UI snapshots, CLI,
# tmux end to end, and the IMAP tests against a private Dovecot on 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v tmux >/dev/null || need+=(tmux)
[ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
command -v openssl >/dev/null || need+=(openssl)
command -v keyctl >/dev/null || need+=(keyutils)
command -v pkg-config >/dev/null || need+=(pkg-config)
dpkg -s libssl-dev >/dev/null 2>&1 || need+=(libssl-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "tests/run.sh: installing ${need[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  # Debian's postinst would start a system-wide Dovecot on ports 143/993; the tests start
  # their own private instances, so keep service starts blocked during the install.
  blocker=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    blocker=yes
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
  [ -z "$blocker" ] || $SUDO rm -f /usr/sbin/policy-rc.d
fi

# Everything the tests need is installed now: tests that need Dovecot or tmux must run, not
# skip (they only skip for a developer's plain `cargo test` without them, and say so).
export HOPSCOPE_REQUIRE_TOOLS=1

cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked
