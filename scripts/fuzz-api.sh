#!/usr/bin/env bash
# Property-based fuzzing of the public API against its own OpenAPI document (schemathesis):
# no request may get a 5xx, and every response must match the documented status codes, content
# types and schemas. Runs three times against the debug server with demo data in a temporary
# database: anonymous, signed in as a customer (session cookie), and as the support team (agent
# bearer token). Exits non-zero on any failure.
# Usage: scripts/fuzz-api.sh [SCHEMATHESIS OPTION...]   e.g. --seed 42 to replay a run
# Tunables: FUZZ_EXAMPLES (test cases per operation and run, default 30), FUZZ_SECONDS (time limit
# per run, default 90; a run that does not finish in time fails).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

SCHEMATHESIS_VERSION="4.32.5"
VENV="$TOOLS/venv"
SCHEMATHESIS="$VENV/bin/schemathesis"
EXAMPLES="${FUZZ_EXAMPLES:-30}"
SECONDS_PER_RUN="${FUZZ_SECONDS:-90}"
CHECKS="not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
CSRF_HEADER="X-Requested-With: lantern"
DEMO_EMAIL="alice@northwind.example"
AGENT_TOKEN="fuzz-agent-token-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
SERVER="$ROOT/target/debug/lantern-server"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/lantern-fuzz-XXXXXX")"
trap 'stop_server; rm -rf "$WORK"' EXIT

ensure_schemathesis() {
  step "Checking schemathesis"
  if "$SCHEMATHESIS" --version 2>/dev/null | grep -q "version $SCHEMATHESIS_VERSION\$"; then
    note "schemathesis $SCHEMATHESIS_VERSION is installed"
    return
  fi
  require_command python3 "Install Python 3 with venv (apt-get install python3-venv) and try again."
  step "Installing schemathesis $SCHEMATHESIS_VERSION from PyPI into tools/venv"
  python3 -m venv "$VENV" || die "python3 could not create tools/venv (apt-get install python3-venv)."
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" ||
    die "pip could not install schemathesis $SCHEMATHESIS_VERSION; check that PyPI is reachable."
}

# Prints a value of the JSON read on stdin, e.g. json_value '["number"]'.
json_value() { # python subscript
  "$VENV/bin/python" -c "import json, sys; print(json.load(sys.stdin)$1)"
}

# Calls the API as the signed-in demo customer.
as_customer() { # curl option...
  curl -sf -H "Cookie: $cookie" -H "$CSRF_HEADER" "$@"
}

# Writes the schemathesis configuration: the demo data has no tickets or uploads, and random
# ticket numbers, slugs and ids only ever reach a 404, so one real ticket, upload and article
# are offered for most path parameters.
write_config() {
  local ticket attachment article
  ticket="$(as_customer -H 'Content-Type: application/json' -H 'Idempotency-Key: fuzz-seed' \
    -d '{"product":"harbor-backup","version":"8.2.1","case_type":"question","severity":"minor",
      "subject":"Seed ticket of the API fuzzer","description":"A ticket for the fuzzer to read, reply to and resolve.",
      "contact":{"name":"Alice Andersen","email":"alice@northwind.example"}}' \
    "$server_url/api/v1/tickets" | json_value '["number"]')" || die "the demo customer could not file a ticket."
  printf 'Seed attachment of the API fuzzer\n' >"$WORK/fuzz-seed.log"
  attachment="$(as_customer -F kind=log -F "file=@$WORK/fuzz-seed.log" "$server_url/api/v1/attachments" |
    json_value '["id"]')" || die "the demo customer could not upload a file."
  article="$(curl -sf "$server_url/api/v1/kb/index" | json_value '["articles"][0]["slug"]')" ||
    die "the knowledge-base index names no article."
  note "real path parameters: ticket $ticket, attachment $attachment, article $article"
  cat >"$WORK/schemathesis.toml" <<TOML
[dictionaries.tickets]
values = ["$ticket"]
[dictionaries.attachments]
values = ["$attachment"]
[dictionaries.articles]
values = ["$article"]

[parameters]
"path.number" = { dictionary = "tickets", probability = 0.7 }
"path.id" = { dictionary = "attachments", probability = 0.5 }
"path.slug" = { dictionary = "articles", probability = 0.7 }
TOML
}

fuzz() { # who, schemathesis option...
  local who="$1" status=0
  shift
  step "Fuzzing the API $who ($EXAMPLES cases per operation)"
  # Run inside the work folder: schemathesis and hypothesis keep caches in the current directory.
  # One worker: with threads, CPython before 3.11.8 (this machine has 3.11.7) can crash inside
  # hypothesis with "SystemError: AST constructor recursion depth mismatch" (CPython gh-106905).
  (cd "$WORK" && timeout --kill-after=10 "$SECONDS_PER_RUN" \
    "$SCHEMATHESIS" --config-file "$WORK/schemathesis.toml" run "$server_url/api/v1/openapi.json" \
    --checks "$CHECKS" --max-examples "$EXAMPLES" --workers 1 \
    --generation-database none --no-color --header "$CSRF_HEADER" "$@" "${extra_options[@]}") || status=$?
  case "$status" in
  0) ;;
  124 | 137) failed+=("$who (not finished within ${SECONDS_PER_RUN}s)") ;;
  *) failed+=("$who") ;;
  esac
}

extra_options=("$@")
failed=()
require_command curl "Install curl (apt-get install curl) and try again."
require_command node "Install Node.js (apt-get install nodejs) and try again."
ensure_schemathesis
# --workspace: the features the test step built the dependencies with, so nothing is rebuilt.
step "Building the server (cargo build --workspace --bin lantern-server)"
cargo build --quiet --locked --workspace --bin lantern-server || die "cargo could not build the server."
start_server "$SERVER" "$WORK" LANTERN_CONTENT="$ROOT/content/kb" LANTERN_DEMO=1 \
  LANTERN_DEMO_AGENT_TOKEN="$AGENT_TOKEN" LANTERN_ATTACHMENTS="$WORK/attachments"
note "server on $server_url"
cookie="$(demo_session_cookie "$DEMO_EMAIL")"
[ -n "$cookie" ] || die "the demo customer $DEMO_EMAIL could not sign in."
write_config

fuzz "anonymously"
# Signing out would end the session the rest of the run depends on.
fuzz "signed in as $DEMO_EMAIL" --header "Cookie: $cookie" --exclude-name "DELETE /api/v1/session"
fuzz "with the agent token" --header "Authorization: Bearer $AGENT_TOKEN"

if [ ${#failed[@]} -gt 0 ]; then
  mkdir -p "$ROOT/target" && cp "$WORK/server.log" "$ROOT/target/fuzz-api-server.log"
  summary="$(printf '%s; ' "${failed[@]}")"
  die "schemathesis found failures when fuzzing the API ${summary%; } (above; server log: target/fuzz-api-server.log)."
fi
step "The API answered every fuzzed request as documented"
