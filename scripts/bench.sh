#!/usr/bin/env bash
# Measures Lantern against the budgets of issues 4, 8, 13 and 14 and prints a table per part:
#   download      raw/gzip/brotli bytes of what a first visit of the home page fetches in
#                 Chromium (release app, built first when its sources changed)
#   native        instant search per keystroke, natively, at 1k/10k/50k articles
#   browser       instant search per keystroke in Chromium (wasm) at 1k/10k/50k articles
#   startup       cold start-up of the home page in headless Chromium, demo knowledge base
#   takeover      the app taking over each server-rendered page at the visitor's first use, in
#                 headless Chromium, 4x and unthrottled: time, longest task, blocking time
#   index         bytes of GET /api/v1/kb/index at 10k articles
#   load          full-text search API under concurrent load (wrk) at 10k articles: repeated
#                 queries (answered by the result cache), then all different ones (by the engine)
#   tickets       ticket list (organisation of 100k tickets) and ticket creation under load (wrk)
#   tickets-postgres  the same on a private PostgreSQL 15 cluster
#   tickets-two-servers  the same through nginx in front of two servers on one PostgreSQL cluster
#   load-postgres the full-text search load on PostgreSQL
#   search-quality  recall, MRR, nDCG and confidence of full-text search, instant search and ticket
#                 suggestions on the judged query set (crates/server/benches/search_quality.rs),
#                 beside tantivy's default English setup and a reworked SQLite FTS5
#   lighthouse    Lighthouse 12.2.3 (installed into tools/lighthouse/) in Debian's Chromium on the
#                 home page, a category, an article and /support, mobile and desktop, median of 3
#                 runs each (release app, built first when its sources changed; demo data):
#                 scores, FCP, LCP, TBT, CLS, bytes, bytes before an article's text shows
# Usage: scripts/bench.sh [--no-build] [PART...]   (all parts by default)
#   --no-build    measure dist/ as it is instead of rebuilding a stale release app
# All figures, with the core count, the date and the machine load, go to target/bench/latest.json.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ALL_PARTS=(download native browser startup takeover index load load_postgres tickets tickets_postgres tickets_two_servers search_quality lighthouse)
SIZES=(1000 10000 50000)
LOAD_ARTICLES=10000
LOAD_SECONDS=10
LOAD_CONNECTIONS=8
LOAD_TICKETS=100000
LIGHTHOUSE_RUNS=3
OUT_DIR="$ROOT/target/bench"
SERVER="$ROOT/target/server/lantern-server"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/lantern-bench-XXXXXX")"
trap 'stop_second_server; stop_server; stop_postgres; rm -rf "$WORK"' EXIT

# Starts the server with a new database that imports `content` (see start_server in lib.sh);
# extra environment (e.g. LANTERN_DEMO=1) comes as NAME=VALUE arguments.
start_bench_server() { # content, NAME=VALUE...
  local content="$1"
  shift
  start_server "$SERVER" "$(mktemp -d "$WORK/db-XXXXXX")" LANTERN_CONTENT="$content" "$@"
}

# Writes a synthetic knowledge base of `count` articles and prints its folder.
synthetic_kb() { # count
  local dir="$WORK/kb-$1"
  # The admin command opens a database too: a throw-away one, never data/lantern.db.
  [ -d "$dir" ] || LANTERN_DATABASE_URL="sqlite://$WORK/generate.db" \
    "$SERVER" admin generate-kb --count "$1" --out "$dir" >/dev/null ||
    die "lantern-server could not generate a knowledge base of $1 articles."
  echo "$dir"
}

# Announces a part and records the machine load as it starts.
begin_part() { # part, title
  step "$2"
  uptime | tee "$WORK/$1.load" | sed 's/^/    load: /'
}

# Keeps the BENCH_JSON lines of a producer's output (read on stdin) for `part`; prints the rest.
collect() { # part
  local line
  while IFS= read -r line; do
    case "$line" in
    "BENCH_JSON "*) printf '%s\n' "${line#BENCH_JSON }" >>"$WORK/$1.jsonl" ;;
    *) printf '%s\n' "$line" ;;
    esac
  done
}

report() { # part
  node scripts/bench/report.mjs show "$1" "$WORK/$1.jsonl"
}

bench_download() {
  begin_part download "Download of the release app: what a first visit fetches (the index is not counted)"
  if [ "$rebuild" = 1 ]; then
    ensure_app_tools
    build_app
  fi
  start_bench_server "$ROOT/content/kb" LANTERN_DEMO=1
  node end2end/bench/first-visit.mjs --url "$server_url" --dist "$ROOT/dist" | collect download
  stop_server
  report download
}

bench_native() {
  begin_part instant_search_native "Instant search per keystroke, native (crates/core/examples/search_bench.rs)"
  cargo run --quiet --locked --release -p lantern-core --example search_bench | collect instant_search_native
  report instant_search_native
}

bench_browser() {
  begin_part instant_search_browser "Instant search per keystroke in Chromium (wasm): input event to the kb-instant-results mark"
  local size kb
  for size in "${SIZES[@]}"; do
    note "$size articles: generating, importing, typing"
    kb="$(synthetic_kb "$size")"
    start_bench_server "$kb"
    node end2end/bench/instant-search.mjs --url "$server_url" --articles "$size" | collect instant_search_browser
    stop_server
    rm -rf "$WORK/kb-$size"
  done
  report instant_search_browser
}

# Cold loads of the app in headless Chromium against a server with the demo data.
bench_demo_loads() { # part, title, script, loads
  begin_part "$1" "$2 (median of $4 cold loads)"
  start_bench_server "$ROOT/content/kb" LANTERN_DEMO=1
  node "$3" --url "$server_url" --loads "$4" | collect "$1"
  stop_server
  report "$1"
}

bench_startup() {
  bench_demo_loads startup "Start-up in headless Chromium, demo knowledge base" end2end/bench/startup.mjs 10
}

bench_takeover() {
  bench_demo_loads takeover "The app taking over each server-rendered page at first use" end2end/bench/takeover.mjs 5
}

bench_index() {
  begin_part kb_index "Knowledge-base index download at $LOAD_ARTICLES articles (bytes on the wire)"
  local kb url raw gzip br chromium_bytes chromium_encoding
  kb="$(synthetic_kb "$LOAD_ARTICLES")"
  start_bench_server "$kb"
  url="$server_url/api/v1/kb/index"
  raw="$(curl -sf -o /dev/null -w '%{size_download}' "$url")"
  gzip="$(curl -sf -o /dev/null -H 'Accept-Encoding: gzip' -w '%{size_download}' "$url")"
  br="$(curl -sf -o /dev/null -H 'Accept-Encoding: br' -w '%{size_download}' "$url")"
  # What Chromium sends; the server chooses the encoding.
  chromium_bytes="$(curl -sf -o /dev/null -H 'Accept-Encoding: gzip, deflate, br, zstd' -w '%{size_download}' "$url")"
  chromium_encoding="$(curl -sf -o /dev/null -D - -H 'Accept-Encoding: gzip, deflate, br, zstd' "$url" |
    tr -d '\r' | awk -F': ' 'tolower($1) == "content-encoding" { print $2 }')"
  stop_server
  printf '{"kb_index":{"articles":%d,"raw":%d,"gzip":%d,"br":%d,"chromium":{"encoding":"%s","bytes":%d}}}\n' \
    "$LOAD_ARTICLES" "$raw" "$gzip" "$br" "${chromium_encoding:-identity}" "$chromium_bytes" >"$WORK/kb_index.jsonl"
  report kb_index
}

ensure_wrk() {
  command -v wrk >/dev/null 2>&1 && return
  step "Installing the load generator wrk from Debian (apt-get)"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -qq wrk >/dev/null || die "apt-get could not install wrk."
}

# Runs wrk with a script of scripts/bench/ against the server and writes its BENCH_JSON line,
# with the server's peak memory, as the figures of `part`. Extra environment as NAME=VALUE.
wrk_part() { # part, script, NAME=VALUE...
  local part="$1" script="$2" payload peak_kib
  shift 2
  payload="$(env BENCH_CONNECTIONS="$LOAD_CONNECTIONS" "$@" \
    wrk -t 2 -c "$LOAD_CONNECTIONS" -d "${LOAD_SECONDS}s" --timeout 2s -s "scripts/bench/$script" "$server_url" |
    sed -n 's/^BENCH_JSON //p')"
  [ -n "$payload" ] || die "wrk printed no figures for $part."
  # The script names its figures after its own part; a variant (_postgres, ...) is a part of its own.
  payload="{\"$part\":${payload#*:}"
  peak_kib="$(awk '/^VmHWM:/ { print $2 }' "/proc/$server_pid/status" 2>/dev/null || echo 0)"
  printf '%s\n' "${payload%\}\}},\"peak_rss_mib\":$((peak_kib / 1024))}}" >"$WORK/$part.jsonl"
}

bench_load() { # part suffix and title note, for another database (bench_load_postgres)
  ensure_wrk
  local suffix="${1:-}" on="${2:-}"
  begin_part "kb_search_load$suffix" "Full-text search API under load$on at $LOAD_ARTICLES articles, 5 repeated queries (wrk: $LOAD_CONNECTIONS connections, ${LOAD_SECONDS}s, loopback)"
  start_bench_server "$(synthetic_kb "$LOAD_ARTICLES")"
  wrk_part "kb_search_load$suffix" kb-search.lua BENCH_ARTICLES="$LOAD_ARTICLES"
  report "kb_search_load$suffix"
  begin_part "kb_search_distinct_load$suffix" "Full-text search API under load$on at $LOAD_ARTICLES articles, every query different (wrk: $LOAD_CONNECTIONS connections, ${LOAD_SECONDS}s, loopback)"
  wrk_part "kb_search_distinct_load$suffix" kb-search-distinct.lua BENCH_ARTICLES="$LOAD_ARTICLES"
  stop_server
  report "kb_search_distinct_load$suffix"
}

bench_search_quality() {
  begin_part search_quality "Search quality on the judged query set (crates/server/benches/search-quality.toml)"
  cargo bench --quiet --locked --profile server -p lantern-server --bench search_quality | collect search_quality
  report search_quality
}

bench_tickets() { # part suffix, title note, "two" for two servers behind nginx
  ensure_wrk
  local admin=olivia@northwind.example contact=alice@northwind.example cookie
  local suffix="${1:-}" on="${2:-}" servers="${3:-one}"
  begin_part "ticket_list_load$suffix" "Organisation tickets under load$on: 50 per page of $LOAD_TICKETS (wrk: $LOAD_CONNECTIONS connections, ${LOAD_SECONDS}s)"
  # Ticket creation under load is one person filing as fast as the server takes it.
  start_bench_server "$ROOT/content/kb" LANTERN_DEMO=1 LANTERN_TICKETS_PER_HOUR=100000000
  note "generating $LOAD_TICKETS tickets"
  LANTERN_DATABASE_URL="$server_database_url" "$SERVER" admin generate-tickets --email "$admin" \
    --count "$LOAD_TICKETS" >/dev/null || die "lantern-server could not generate tickets."
  [ "$servers" = one ] || start_second_server_behind_nginx
  cookie="$(demo_session_cookie "$admin")"
  [ -n "$cookie" ] || die "could not sign $admin in."
  wrk_part "ticket_list_load$suffix" ticket-list.lua BENCH_COOKIE="$cookie" BENCH_TICKETS="$LOAD_TICKETS"
  report "ticket_list_load$suffix"

  begin_part "ticket_create_load$suffix" "Ticket creation under load$on (wrk: $LOAD_CONNECTIONS connections, ${LOAD_SECONDS}s, one Idempotency-Key each)"
  cookie="$(demo_session_cookie "$contact")"
  [ -n "$cookie" ] || die "could not sign $contact in."
  wrk_part "ticket_create_load$suffix" ticket-create.lua BENCH_COOKIE="$cookie"
  stop_second_server
  stop_server
  report "ticket_create_load$suffix"
}

# A second server on the running server's database, and nginx in front of both (round robin,
# keep-alive to the servers); server_url becomes nginx's. The peak memory reported is the first
# server's. stop_second_server ends both.
start_second_server_behind_nginx() {
  local first_pid="$server_pid" first_url="$server_url" dir port
  ensure_nginx
  start_server "$SERVER" "$(mktemp -d "$WORK/db-XXXXXX")" LANTERN_CONTENT="$ROOT/content/kb" \
    LANTERN_IMPORT_KB_AT_START=false LANTERN_TICKETS_PER_HOUR=100000000 LANTERN_TRUSTED_PROXIES=127.0.0.1
  second_server_pid="$server_pid"
  dir="$WORK/nginx"
  mkdir -p "$dir"
  port="$(free_port)"
  cat >"$dir/nginx.conf" <<NGINX
daemon off; master_process off; worker_processes 1; pid $dir/nginx.pid; error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/body; proxy_temp_path $dir/proxy; fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
  upstream lantern { server ${first_url#http://}; server ${server_url#http://}; keepalive 32; }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://lantern; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host \$host; proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    }
  }
}
NGINX
  "$NGINX_BIN" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" &
  nginx_pid=$!
  server_pid="$first_pid"
  server_url="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    curl -sf "$server_url/api/v1/health" >/dev/null && return
    sleep 0.1
  done
  cat "$dir/error.log" >&2
  die "nginx did not answer in front of the two servers (log above)."
}

stop_second_server() {
  local pid
  for pid in "${nginx_pid:-}" "${second_server_pid:-}"; do
    [ -n "$pid" ] || continue
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  nginx_pid=""
  second_server_pid=""
}

# Runs a bench function on a database of a private PostgreSQL 15 cluster (issue 18). Durable as
# SQLite's WAL with synchronous=NORMAL is: no fsync per commit (synchronous_commit=off), fsync
# otherwise, so a crash loses at most the last moments and never corrupts.
on_postgres() { # bench function, its arguments...
  ensure_postgres
  start_postgres "-c fsync=on -c synchronous_commit=off -c max_connections=200"
  "$POSTGRES_BIN/createdb" --maintenance-db="$LANTERN_TEST_POSTGRES_URL" lantern_bench ||
    die "createdb could not create the benchmark database."
  SERVER_DATABASE_URL="${LANTERN_TEST_POSTGRES_URL%/postgres}/lantern_bench" "$@"
  stop_postgres
}

bench_tickets_postgres() { on_postgres bench_tickets _postgres " on PostgreSQL"; }
bench_tickets_two_servers() { on_postgres bench_tickets _two_servers " through nginx to two servers on PostgreSQL" two; }
bench_load_postgres() { on_postgres bench_load _postgres " on PostgreSQL"; }

bench_lighthouse() {
  begin_part lighthouse "Lighthouse $LIGHTHOUSE_VERSION on the public pages, mobile and desktop (median of $LIGHTHOUSE_RUNS runs each; demo knowledge base)"
  if [ "$rebuild" = 1 ]; then
    ensure_app_tools
    build_app
  fi
  [ -f "$ROOT/dist/index.html" ] || die "dist/ holds no built app: run without --no-build."
  ensure_lighthouse
  start_bench_server "$ROOT/content/kb" LANTERN_DEMO=1
  # The median runs' reports stay in target/bench/lighthouse/ (open them in the Lighthouse viewer).
  CHROME_PATH=/usr/bin/chromium node scripts/bench/lighthouse.mjs --url "$server_url" \
    --lighthouse "$TOOLS/lighthouse/node_modules/.bin/lighthouse" --runs "$LIGHTHOUSE_RUNS" \
    --work "$WORK/lighthouse" --keep "$OUT_DIR/lighthouse" | collect lighthouse
  stop_server
  report lighthouse
}

rebuild=1
parts=()
for argument in "$@"; do
  case "$argument" in
  --no-build) rebuild=0 ;;
  download | native | browser | startup | takeover | index | load | tickets | lighthouse) parts+=("$argument") ;;
  tickets-postgres | tickets_postgres) parts+=(tickets_postgres) ;;
  tickets-two-servers | tickets_two_servers) parts+=(tickets_two_servers) ;;
  load-postgres | load_postgres) parts+=(load_postgres) ;;
  search-quality | search_quality) parts+=(search_quality) ;;
  *) die "unknown argument '$argument' (parts: ${ALL_PARTS[*]}; option: --no-build)" ;;
  esac
done
[ ${#parts[@]} -gt 0 ] || parts=("${ALL_PARTS[@]}")

require_command node "Install Node.js (apt-get install nodejs npm) and try again."
[ -x /usr/bin/chromium ] || die "the browser parts need Debian's Chromium: apt-get install chromium"
[ -d end2end/node_modules/@playwright/test ] ||
  die "the browser parts need Playwright: (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci)"
step "Building the server (optimised for speed)"
cargo build --quiet --locked --profile server -p lantern-server || die "cargo could not build the server."

for part in "${parts[@]}"; do "bench_$part"; done

mkdir -p "$OUT_DIR"
BENCH_NPROC="$(nproc)" node scripts/bench/report.mjs merge "$WORK" "$OUT_DIR/latest.json"
step "Figures written to target/bench/latest.json ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))"
