#!/usr/bin/env bash
# Runs every test of Lantern: formatting, clippy (warnings denied), unit and API tests (with a
# private PostgreSQL cluster for the tests of the second database backend, the API suite once
# on each backend, nginx in front of two servers, aiosmtpd as a real SMTP server for the mail
# tests, and moto as the S3 server of the attachment tests on S3), the release build of the app, the end-to-end suite in
# Chromium against the real server on a free port with a temporary database, and schemathesis
# fuzzing of the API (scripts/fuzz-api.sh). Exits non-zero on the first failure, naming the
# step.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

# A CI checkout is built once: incremental compilation would only add gigabytes of its caches.
[ -z "${CI:-}" ] || export CARGO_INCREMENTAL=0

current_step=""
run_step() { # description, command...
  current_step="$1"
  shift
  step "$current_step"
  "$@"
}
trap 'status=$?; stop_postgres; stop_s3_server; [ $status -eq 0 ] || printf "\n\033[1;31mFAILED:\033[0m %s (exit %s)\n" "$current_step" "$status" >&2' EXIT

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    note "$(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
    return
  fi
  step "Installing Chromium from Debian (apt-get)"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null ||
    die "apt-get could not install chromium; the end-to-end suite needs /usr/bin/chromium."
}

ensure_e2e_dependencies() {
  require_command npm "Install Node.js and npm (apt-get install nodejs npm) and try again."
  if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    step "Installing the end-to-end test dependencies (npm ci)"
    # Playwright's browser download is skipped: the suite drives Debian's Chromium.
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) ||
      die "npm could not install the end-to-end test dependencies."
  fi
}

ensure_app_tools
step "Checking the browser and end-to-end dependencies"
ensure_chromium
ensure_e2e_dependencies

run_step "Checking formatting (cargo fmt --check)" cargo fmt --all --check
run_step "Linting the workspace (clippy, warnings denied)" cargo clippy --locked --workspace --all-targets -- -D warnings
run_step "Linting the app for WebAssembly (clippy, warnings denied)" \
  cargo clippy --locked -p lantern --target wasm32-unknown-unknown -- -D warnings
step "Checking PostgreSQL (the second database backend's tests)"
ensure_postgres
current_step="Starting a private PostgreSQL cluster"
start_postgres
step "Checking the mail tests' SMTP server (aiosmtpd)"
ensure_smtp_sink
step "Checking the two-server test's reverse proxy (nginx)"
ensure_nginx
step "Checking the attachment tests' S3 server (moto)"
ensure_s3_server
current_step="Starting moto's S3 server"
start_s3_server
run_step "Running unit and API tests" cargo test --locked --workspace
# The unit tests already run on both backends; the API suite's apps run on SQLite unless told.
# `--workspace` as above: with `-p lantern-server` cargo unifies other features, and rebuilds
# every dependency a second time.
run_step "Running the API tests again on PostgreSQL (LANTERN_TEST_BACKEND=postgres)" \
  env LANTERN_TEST_BACKEND=postgres cargo test --locked --workspace --test '*'
# The attachment tests (modules of the API test binary), with the content in a bucket, on each
# backend. The filters match parts of names, so `tickets::` would also take `my_tickets::`.
attachment_tests=(--test api -- tickets:: limits:: abuse:: --skip my_tickets::)
run_step "Running the attachment tests on S3 storage (LANTERN_TEST_ATTACHMENT_STORE=s3)" \
  env LANTERN_TEST_ATTACHMENT_STORE=s3 cargo test --locked --workspace "${attachment_tests[@]}"
run_step "Running the attachment tests on S3 storage and PostgreSQL" \
  env LANTERN_TEST_ATTACHMENT_STORE=s3 LANTERN_TEST_BACKEND=postgres \
  cargo test --locked --workspace "${attachment_tests[@]}"
current_step="Building the release app"
build_app
run_step "Building the server for the end-to-end suite" cargo build --locked --workspace --bin lantern-server

LANTERN_E2E_PORT="$(free_port)"
export LANTERN_E2E_PORT
run_step "Running the end-to-end suite in Chromium (server on 127.0.0.1:$LANTERN_E2E_PORT)" \
  bash -c 'cd end2end && npx playwright test'
run_step "Fuzzing the API against its OpenAPI document (schemathesis)" scripts/fuzz-api.sh

step "All tests passed"
