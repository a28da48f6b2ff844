#!/usr/bin/env bash
# A new user's first `scripts/run`, timed from the command to the first page: a fresh clone of
# this repository's committed state, with an empty tool cache, target folder, cargo registry and
# npm cache (all in a new temporary folder; only rustup's toolchain and its wasm target, the
# machine's, are kept). Prints the seconds on its last line. Takes as long as it measures: run it
# alone on the machine.
#   bench/first_start.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FRESH="$(mktemp -d /tmp/dieuhanh-fresh.XXXXXX)"
git clone -q "$ROOT" "$FRESH/clone"
export CARGO_HOME="$FRESH/cargo" CARGO_TARGET_DIR="$FRESH/target" DIEUHANH_TOOLS="$FRESH/tools" \
  npm_config_cache="$FRESH/npm"
export PATH="$HOME/.cargo/bin:$PATH"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export DIEUHANH_LISTEN="127.0.0.1:$PORT"
started=$(date +%s)
(cd "$FRESH/clone" && exec scripts/run) > "$FRESH/run.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; pkill -f "$FRESH/target/release/dieuhanh" 2>/dev/null || true' EXIT
until curl -fsS -o /dev/null "http://127.0.0.1:$PORT/"; do
  kill -0 $pid 2>/dev/null || { tail -30 "$FRESH/run.log" >&2; echo "scripts/run stopped before the first page" >&2; exit 1; }
  sleep 2
done
elapsed=$(( $(date +%s) - started ))
grep -E '^\S*\[(build|setup)\]|sitebuild:|Finished' "$FRESH/run.log" >&2 || true
echo "first page after ${elapsed} s (log: $FRESH/run.log; delete $FRESH when done)"
echo "$elapsed"
