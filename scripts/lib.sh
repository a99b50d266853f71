# Shared by scripts/run.sh and scripts/test.sh: announce each step, and install what is missing.
# Every install is skipped when the right version is already there, so a second run is quick.
# shellcheck shell=bash

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/tools"
TRUNK_VERSION="0.21.14"
# Also checked by the build (WASM_OPT_VERSION in xtask/src/app.rs).
BINARYEN_VERSION="132"
# Lighthouse for scripts/bench.sh (issue 14); newer ones need Node 22 (these machines have 20).
LIGHTHOUSE_VERSION="12.2.3"
export PATH="$TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() {
  printf '\n\033[1;31merror:\033[0m %s\n' "$*" >&2
  exit 1
}

require_command() { # name, what to do when it is missing
  command -v "$1" >/dev/null 2>&1 || die "'$1' was not found. $2"
}

# A free TCP port on the loopback interface, for a server started by a test or benchmark.
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Starts `binary serve` on a free loopback port with its database in `dir` (a new folder) and
# the extra environment given as NAME=VALUE; sets server_pid, server_url and
# server_database_url. The log goes to dir/server.log. Large knowledge bases are imported
# before the server listens, so it waits up to 5 minutes.
start_server() { # binary, dir, NAME=VALUE...
  local binary="$1" dir="$2" port
  shift 2
  port="$(free_port)"
  server_database_url="sqlite://$dir/lantern.db"
  env LANTERN_ADDR="127.0.0.1:$port" LANTERN_DATABASE_URL="$server_database_url" \
    LANTERN_DIST="$ROOT/dist" LANTERN_POLICY="$ROOT/policies/default.toml" LANTERN_LOG=warn "$@" \
    "$binary" serve >"$dir/server.log" 2>&1 &
  server_pid=$!
  server_url="http://127.0.0.1:$port"
  for _ in $(seq 1 600); do
    curl -sf "$server_url/api/v1/health" >/dev/null && return
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
  done
  tail -n 20 "$dir/server.log" >&2
  die "the server did not start (log above)."
}

# Signs a demo account in at server_url and prints the `name=value` of its session cookie.
demo_session_cookie() { # email
  curl -sf -o /dev/null -D - -H 'X-Requested-With: lantern' -H 'Content-Type: application/json' \
    --data "{\"email\":\"$1\",\"password\":\"bright-lantern-demo\"}" "$server_url/api/v1/session" |
    tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -n 1
}

stop_server() {
  if [ -n "${server_pid:-}" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}

ensure_rust() {
  step "Checking the Rust toolchain"
  require_command cargo "Install Rust with rustup (https://rustup.rs) and try again."
  require_command rustup "Lantern needs rustup to add the wasm32 target."
  note "$(cargo --version)"
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown || die "rustup could not add the wasm32-unknown-unknown target."
  fi
}

ensure_trunk() {
  if trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
    note "trunk $TRUNK_VERSION is installed"
    return
  fi
  step "Installing trunk $TRUNK_VERSION (compiles from source: about 10 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked ||
    die "cargo could not install trunk $TRUNK_VERSION; check that crates.io is reachable."
}

ensure_binaryen() {
  # Debian's wasm-opt (version 108) produces a module that fails at run time, so a known-good
  # binaryen comes from npm into the project's own, git-ignored tools folder.
  if wasm-opt --version 2>/dev/null | grep -q "version_$BINARYEN_VERSION"; then
    note "wasm-opt version_$BINARYEN_VERSION is installed"
    return
  fi
  require_command npm "Install Node.js and npm (apt-get install nodejs npm) and try again."
  step "Installing binaryen@$BINARYEN_VERSION from npm into tools/"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-save --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION" ||
    die "npm could not install binaryen@$BINARYEN_VERSION."
  wasm-opt --version | grep -q "version_$BINARYEN_VERSION" || die "tools/ holds a wasm-opt that is not version_$BINARYEN_VERSION."
}

ensure_lighthouse() {
  # Its own folder under tools/: npm install prunes what a folder's package.json does not list,
  # so installing it beside binaryen (installed with --no-save) would remove binaryen.
  local dir="$TOOLS/lighthouse"
  if [ "$("$dir/node_modules/.bin/lighthouse" --version 2>/dev/null)" = "$LIGHTHOUSE_VERSION" ]; then
    note "lighthouse $LIGHTHOUSE_VERSION is installed"
    return
  fi
  require_command npm "Install Node.js and npm (apt-get install nodejs npm) and try again."
  step "Installing lighthouse@$LIGHTHOUSE_VERSION from npm into tools/lighthouse/"
  mkdir -p "$dir"
  npm i -E --prefix "$dir" --no-audit --no-fund --loglevel=error "lighthouse@$LIGHTHOUSE_VERSION" ||
    die "npm could not install lighthouse@$LIGHTHOUSE_VERSION."
  [ "$("$dir/node_modules/.bin/lighthouse" --version)" = "$LIGHTHOUSE_VERSION" ] ||
    die "tools/lighthouse holds a lighthouse that is not version $LIGHTHOUSE_VERSION."
}

ensure_app_tools() {
  ensure_rust
  step "Checking the app's build tools"
  ensure_trunk
  ensure_binaryen
}

# The release app in dist/: `cargo xtask dist` runs `trunk build --release` unless dist/ was
# built from exactly the present sources (xtask/, see DEVELOPERS.md).
build_app() {
  step "Building the release app (cargo xtask dist: Trunk, wasm-split, wasm-bindgen, wasm-opt)"
  (cd "$ROOT" && cargo xtask dist) || die "the app could not be built."
  step "Release app sizes (bytes)"
  node "$ROOT/scripts/app-sizes.mjs" "$ROOT/dist"
}
