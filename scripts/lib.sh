# Shared by scripts/run and scripts/test. Sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Tools built once and shared by every clone on the machine (sitebuild, the benchmarks) work on
# this clone, not on the one they were compiled in.
export DIEUHANH_ROOT="$ROOT"
# The build lives outside the clone so a fresh clone on the same machine reuses it; a fresh
# machine builds from nothing.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/dieuhanh/target}"
export PATH="$HOME/.cargo/bin:${DIEUHANH_TOOLS:-$HOME/.cache/dieuhanh/tools}/binaryen/node_modules/.bin:$PATH"
# Where sitebuild writes the site and the server finds it.
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
export LEPTOS_OUTPUT_NAME=dieuhanh
BIN="$CARGO_TARGET_DIR/release/dieuhanh"
STAMP="$CARGO_TARGET_DIR/.dieuhanh-release-$(printf %s "$ROOT" | cksum | cut -d' ' -f1)"

# Builds the release (server binary and the site under $LEPTOS_SITE_ROOT) unless nothing changed
# since the last build.
build_release() {
  if [ -x "$BIN" ] && [ -f "$STAMP" ] && [ -f "$LEPTOS_SITE_ROOT/BUILD" ] \
     && [ -z "$(find Cargo.toml Cargo.lock app frontend server sitebuild migrations style public -newer "$STAMP" -print -quit)" ]; then
    return 0
  fi
  printf '\033[1;34m[build]\033[0m the server and the site, side by side (the first build takes several minutes)\n' >&2
  # The stamp takes the time the build began: a source saved while it ran is newer, so the
  # next call builds again rather than trusting a build that may have read the older file.
  local started=$SECONDS began build server
  began=$(date +%s)
  # Two target folders, so that neither build waits for the other's lock and both cores stay
  # busy while the other links. The server's warnings go to the log of the second.
  cargo build --release -p server --bin dieuhanh 1>&2 &
  server=$!
  # The wasm, its lazy chunks (#[lazy_route] pages), the JS glue, wasm-opt, CSS and fonts into
  # $LEPTOS_SITE_ROOT/pkg/<build>/ (sitebuild/src/main.rs); prints the build on its last line.
  if ! build=$(cargo run -q -p sitebuild --target-dir "$CARGO_TARGET_DIR/front" | tail -1); then
    kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true
    return 1
  fi
  wait "$server"
  # Brotli and gzip copies of the wasm, JS and CSS, served in their place (http/site_files.rs).
  "$BIN" precompress "$LEPTOS_SITE_ROOT/pkg/$build" 1>&2
  touch -d "@$began" "$STAMP"
  local pkg="$LEPTOS_SITE_ROOT/pkg/$build" all
  # Each module once (the bundles hold the same modules again, a page's in one file).
  all=$(cat "$pkg"/dieuhanh.wasm.br "$pkg"/chunk_*.wasm.br "$pkg"/split_*.wasm.br | wc -c)
  printf '\033[1;34m[build]\033[0m build %s done in %ss; wasm loaded by every page %s bytes, %s bytes brotli; all chunks %s bytes brotli\n' \
    "$build" "$((SECONDS - started))" "$(wc -c < "$pkg/dieuhanh.wasm")" "$(wc -c < "$pkg/dieuhanh.wasm.br")" "$all" >&2
}
