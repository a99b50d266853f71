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

# Debian's PostgreSQL 15 (the `postgresql` package), for the tests of the second database
# backend (issue 18). Installed when its server programs are missing.
POSTGRES_BIN="/usr/lib/postgresql/15/bin"

# A Python with aiosmtpd in tools/venv, the real SMTP server of the mail tests
# (crates/server/tests/api/mail_outage.rs), exported as LANTERN_TEST_SMTP_PYTHON.
AIOSMTPD_VERSION="1.4.6"
ensure_smtp_sink() {
  local venv="$TOOLS/venv"
  if ! "$venv/bin/python" -c "import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != '$AIOSMTPD_VERSION')" 2>/dev/null; then
    require_command python3 "Install Python 3 with venv (apt-get install python3-venv) and try again."
    step "Installing aiosmtpd $AIOSMTPD_VERSION from PyPI into tools/venv (the mail tests' SMTP server)"
    python3 -m venv "$venv" || die "python3 could not create tools/venv (apt-get install python3-venv)."
    "$venv/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION" ||
      die "pip could not install aiosmtpd $AIOSMTPD_VERSION; check that PyPI is reachable."
  fi
  export LANTERN_TEST_SMTP_PYTHON="$venv/bin/python"
}

# moto in server mode in tools/venv, the S3-compatible server of the attachment tests on S3
# storage (crates/server/src/attachments/store.rs, LANTERN_TEST_ATTACHMENT_STORE=s3).
MOTO_VERSION="5.2.5"
ensure_s3_server() {
  local venv="$TOOLS/venv"
  if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('moto') != '$MOTO_VERSION')" 2>/dev/null ||
    [ ! -x "$venv/bin/moto_server" ]; then
    require_command python3 "Install Python 3 with venv (apt-get install python3-venv) and try again."
    step "Installing moto $MOTO_VERSION from PyPI into tools/venv (the attachment tests' S3 server)"
    python3 -m venv "$venv" || die "python3 could not create tools/venv (apt-get install python3-venv)."
    "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" ||
      die "pip could not install moto $MOTO_VERSION; check that PyPI is reachable."
  fi
}

# Starts moto's S3 server on a free loopback port and exports LANTERN_TEST_S3_URL; the tests
# create their buckets in it. stop_s3_server ends it.
start_s3_server() {
  local port attempt
  port="$(free_port)"
  s3_log="$(mktemp "${TMPDIR:-/tmp}/lantern-moto.XXXXXX.log")"
  "$TOOLS/venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$s3_log" 2>&1 &
  s3_pid=$!
  for attempt in $(seq 1 100); do
    if "$TOOLS/venv/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null; then
      export LANTERN_TEST_S3_URL="http://127.0.0.1:$port"
      note "S3 (moto $MOTO_VERSION) for the tests: $LANTERN_TEST_S3_URL"
      return
    fi
    kill -0 "$s3_pid" 2>/dev/null || break
    sleep 0.2
  done
  cat "$s3_log" >&2
  die "moto did not answer on 127.0.0.1:$port (log above)."
}

stop_s3_server() {
  if [ -n "${s3_pid:-}" ]; then
    kill "$s3_pid" 2>/dev/null || true
    wait "$s3_pid" 2>/dev/null || true
    rm -f "$s3_log"
    s3_pid=""
    unset LANTERN_TEST_S3_URL
  fi
}

# Installs Debian packages without their recommendations, through sudo unless root.
apt_install() { # package...
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq &&
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Debian's nginx, the reverse proxy of the two-server test
# (crates/server/tests/servers/several_servers.rs), exported as LANTERN_TEST_NGINX. Installed when missing; the test runs its own nginx process.
NGINX_BIN="/usr/sbin/nginx"
ensure_nginx() {
  if [ ! -x "$NGINX_BIN" ]; then
    step "Installing nginx from Debian (apt-get), the two-server test's reverse proxy"
    apt_install nginx || die "apt-get could not install nginx; the two-server test needs $NGINX_BIN."
  fi
  note "$("$NGINX_BIN" -v 2>&1)"
  export LANTERN_TEST_NGINX="$NGINX_BIN"
}

ensure_postgres() {
  if [ -x "$POSTGRES_BIN/initdb" ] && [ -x "$POSTGRES_BIN/pg_ctl" ]; then
    note "$("$POSTGRES_BIN/postgres" --version)"
    return
  fi
  step "Installing PostgreSQL 15 from Debian (apt-get)"
  apt_install postgresql ||
    die "apt-get could not install postgresql; the tests on PostgreSQL need $POSTGRES_BIN/initdb."
  [ -x "$POSTGRES_BIN/initdb" ] || die "the postgresql package did not install $POSTGRES_BIN/initdb."
}

# Starts a private PostgreSQL cluster of its own in a new temporary folder, listening on a free
# port of 127.0.0.1 only and trusting every connection that reaches it (loopback and its own
# socket folder), and exports LANTERN_TEST_POSTGRES_URL (its `postgres` database, as the
# superuser `postgres`: the tests create a database of their own in it). PostgreSQL refuses
# to run as root, so as root the cluster belongs to the `postgres` user the package creates.
# stop_postgres ends it and removes the folder.
start_postgres() { # extra server options (-c NAME=VALUE ...), after the tests' fsync=off
  local port
  postgres_dir="$(mktemp -d "${TMPDIR:-/tmp}/lantern-postgres.XXXXXX")"
  postgres_as=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$postgres_dir"
    postgres_as=(runuser -u postgres --)
  fi
  port="$(free_port)"
  "${postgres_as[@]}" "$POSTGRES_BIN/initdb" -D "$postgres_dir/data" -U postgres -A trust -E UTF8 --locale=C \
    >"$postgres_dir/initdb.log" 2>&1 || {
    cat "$postgres_dir/initdb.log" >&2
    die "initdb could not create a PostgreSQL cluster in $postgres_dir (log above)."
  }
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' |
    "${postgres_as[@]}" tee "$postgres_dir/data/pg_hba.conf" >/dev/null
  "${postgres_as[@]}" "$POSTGRES_BIN/pg_ctl" start -w -t 60 -D "$postgres_dir/data" -l "$postgres_dir/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $postgres_dir -c fsync=off ${1:-}" >/dev/null || {
    cat "$postgres_dir/server.log" >&2
    die "PostgreSQL did not start on 127.0.0.1:$port (log above)."
  }
  export LANTERN_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  note "PostgreSQL for the tests: $LANTERN_TEST_POSTGRES_URL (cluster in $postgres_dir)"
}

stop_postgres() {
  if [ -n "${postgres_dir:-}" ]; then
    "${postgres_as[@]}" "$POSTGRES_BIN/pg_ctl" stop -D "$postgres_dir/data" -m fast >/dev/null 2>&1 || true
    rm -rf "$postgres_dir"
    postgres_dir=""
    unset LANTERN_TEST_POSTGRES_URL
  fi
}

# Starts `binary serve` on a free loopback port with its database in `dir` (a new folder) and
# the extra environment given as NAME=VALUE (SERVER_DATABASE_URL, when set, names another
# database); sets server_pid, server_url and
# server_database_url. The log goes to dir/server.log. Large knowledge bases are imported
# before the server listens, so it waits up to 5 minutes.
start_server() { # binary, dir, NAME=VALUE...
  local binary="$1" dir="$2" port
  shift 2
  port="$(free_port)"
  server_database_url="${SERVER_DATABASE_URL:-sqlite://$dir/lantern.db}"
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
