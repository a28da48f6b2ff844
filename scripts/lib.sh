# Shared by scripts/run and scripts/test. Sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# The build lives outside the clone so a fresh clone on the same machine reuses it; a fresh
# machine builds from nothing.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/dieuhanh/target}"
export PATH="$HOME/.cargo/bin:${DIEUHANH_TOOLS:-$HOME/.cache/dieuhanh/tools}/binaryen/node_modules/.bin:$PATH"
# Where cargo-leptos writes the site and the server finds it.
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
export LEPTOS_OUTPUT_NAME=dieuhanh
BIN="$CARGO_TARGET_DIR/release/dieuhanh"
STAMP="$CARGO_TARGET_DIR/.dieuhanh-release-$(printf %s "$ROOT" | cksum | cut -d' ' -f1)"

# Builds the release (server binary and wasm site) unless nothing changed since the last build.
build_release() {
  if [ -x "$BIN" ] && [ -f "$STAMP" ] && [ -f "$LEPTOS_SITE_ROOT/pkg/dieuhanh.wasm" ] \
     && [ -z "$(find Cargo.toml Cargo.lock app frontend server migrations style public -newer "$STAMP" -print -quit)" ]; then
    return 0
  fi
  printf '\033[1;34m[build]\033[0m cargo leptos build --release (the first build takes several minutes)\n' >&2
  local started=$SECONDS
  # --split: pages marked #[lazy_route] (admin, account) become chunks loaded on demand.
  cargo leptos build --release --split 1>&2
  # Brotli and gzip copies of the wasm, JS and CSS, served in their place (http/site_files.rs).
  "$BIN" precompress "$LEPTOS_SITE_ROOT/pkg" 1>&2
  touch "$STAMP"
  local wasm="$LEPTOS_SITE_ROOT/pkg/dieuhanh.wasm" all
  all=$(cat "$LEPTOS_SITE_ROOT"/pkg/*.wasm.br | wc -c)
  printf '\033[1;34m[build]\033[0m done in %ss; wasm loaded by every page %s bytes, %s bytes brotli; all chunks %s bytes brotli\n' \
    "$((SECONDS - started))" "$(wc -c < "$wasm")" "$(wc -c < "$wasm.br")" "$all" >&2
}
