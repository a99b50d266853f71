#!/usr/bin/env bash
# Runs the Lantern portal on a fresh machine or an old one: installs what is missing, builds the
# release app and the server, seeds demo data into a new database and prints the URL.
# Environment: LANTERN_ADDR (default 127.0.0.1:8080), LANTERN_DATABASE_URL, LANTERN_POLICY, ...
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_app_tools
build_app

step "Building the server (optimised for speed; the first build takes a few minutes)"
cargo build --locked --profile server -p lantern-server || die "cargo could not build the server."

step "Starting Lantern"
mkdir -p data
export LANTERN_DEMO="${LANTERN_DEMO:-1}"
export LANTERN_DIST="${LANTERN_DIST:-$ROOT/dist}"
note "Database: ${LANTERN_DATABASE_URL:-sqlite://data/lantern.db} (demo data is seeded into an empty one)"
note "Demo sign-in: alice@northwind.example / bright-lantern-demo (contact, Northwind Traders, Enterprise)"
note "              olivia@northwind.example / bright-lantern-demo (organisation admin)"
note "              carl@contoso.example / bright-lantern-demo (contact, Contoso, Professional)"
note "Stop with Ctrl-C."
exec "$ROOT/target/server/lantern-server" serve
