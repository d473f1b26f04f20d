#!/usr/bin/env bash
# Runs the Playwright suite against the release build on one database:
#   end2end/run.sh sqlite | postgres [playwright arguments, e.g. tests/invitations.spec.ts]
# It starts target/release/consort on a free port with a fresh database (a new
# SQLite file, or a new PostgreSQL database on CONSORT_TEST_POSTGRES_URL's server),
# waits for /healthz, runs the suite, then stops the server and drops the database.
set -euo pipefail
backend="${1:?usage: run.sh sqlite|postgres}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_server="${CONSORT_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
database=""
server_pid=""

cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  if [ -n "$database" ]; then
    psql "$pg_server" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

case "$backend" in
  sqlite) export DATABASE_URL="sqlite://$work/consort.db" ;;
  postgres)
    database="consort_e2e_$(date +%s)_$$"
    psql "$pg_server" -qc "CREATE DATABASE $database" >/dev/null
    export DATABASE_URL="${pg_server%/*}/$database"
    ;;
  *) echo "unknown backend: $backend" >&2; exit 2 ;;
esac

url="http://127.0.0.1:$port"
CONSORT_LISTEN="127.0.0.1:$port" CONSORT_PUBLIC_URL="$url" CONSORT_DEV_MAILBOX=true CONSORT_ACCESS_JOB_SECONDS=2 LEPTOS_SITE_ROOT="$root/target/site" \
  CONSORT_LOG="info,sqlx=warn" "$root/target/release/consort" >"$work/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 100); do
  if python3 -c "import urllib.request, sys; urllib.request.urlopen('$url/healthz', timeout=1)" 2>/dev/null; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then echo "the server did not start:"; cat "$work/server.log"; exit 1; fi
  sleep 0.2
done

echo "Playwright on $backend at $url"
cd "$here"
status=0
CONSORT_E2E_URL="$url" CONSORT_E2E_BACKEND="$backend" CONSORT_E2E_DATABASE_URL="$DATABASE_URL" \
  CONSORT_E2E_OUTPUT="test-results/$backend" npx playwright test "${@:2}" || status=$?
if [ "$status" -ne 0 ]; then
  echo "---- server log (last 60 lines) ----"
  tail -n 60 "$work/server.log"
fi
exit "$status"
