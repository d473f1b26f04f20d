#!/usr/bin/env bash
# The load benchmark (`make bench-load`): a release server on a seeded
# organization of 10,001 members, driven by wrk, on SQLite and (when
# CONSORT_TEST_POSTGRES_URL is set) PostgreSQL. Prints one table; nothing is
# compared with a limit. Needs `make build` first (the Makefile target does it).
#
#   CONSORT_LOAD_SECONDS   seconds per shape (default 10)
#   CONSORT_LOAD_PORT      the server's port (default 3110; metrics on the next one)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${CONSORT_LOAD_SECONDS:-10}
port=${CONSORT_LOAD_PORT:-3110}
metrics_port=$((port + 1))
base="http://127.0.0.1:$port"
work=$(mktemp -d /tmp/consort-load.XXXXXX)
server_pid=""
pg_database="consort_load_$$"

cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
	if [ -n "${CONSORT_TEST_POSTGRES_URL:-}" ]; then
		psql "$CONSORT_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $pg_database WITH (FORCE)" >/dev/null 2>&1 || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is required (Debian: apt-get install wrk)"; exit 1; }
[ -x target/release/consort ] || { echo "build first: make build"; exit 1; }

# The tests' build seeds and measures the raw hash rate: the Makefile runs this
# script with the release build's variables (LEPTOS_*, RUSTFLAGS), so it is the
# binary `make test` built.
test_binary() {
	cargo test --release --no-default-features --features ssr \
		--test integration "$@" -- --ignored --nocapture --test-threads 1 2>&1 | grep -oE "load: .*" || {
		echo "the load preparation failed: $*"
		exit 1
	}
}

# A copy of the site with a static file of the members page's size: the floor.
cp -a target/site "$work/site"

start_server() { # database URL
	CONSORT_LISTEN="127.0.0.1:$port" CONSORT_PUBLIC_URL="$base" CONSORT_METRICS_LISTEN="127.0.0.1:$metrics_port" \
		DATABASE_URL="$1" CONSORT_DEV_MAILBOX=true LEPTOS_SITE_ROOT="$work/site" CONSORT_LOG=warn \
		CONSORT_LOGIN_LIMIT_PER_ACCOUNT=1000000 CONSORT_LOGIN_LIMIT_PER_ADDRESS=1000000 \
		./target/release/consort >"$work/server.log" 2>&1 &
	server_pid=$!
	for _ in $(seq 1 100); do
		curl -fs "$base/healthz" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	cat "$work/server.log"
	echo "the server did not start"
	exit 1
}

stop_server() {
	kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
	server_pid=""
}

log_in() {
	curl -s -D - -o /dev/null -X POST "$base/api/log_in" -H "Origin: $base" -H "Accept: application/json" \
		-H "Content-Type: application/x-www-form-urlencoded" --data-binary "@$work/login.form" |
		grep -i '^set-cookie: consort_session=' | sed -E 's/^[Ss]et-[Cc]ookie: (consort_session=[^;]*).*/\1/'
}

# run CONNECTIONS URL [VAR=VALUE…]: wrk for $seconds; sets requests, rate, p50, p99, errors.
run() {
	local connections=$1 url=$2
	shift 2
	local threads=$((connections < 2 ? 1 : 2))
	local line
	line=$(env "$@" wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s \
		-s scripts/load/request.lua "$url" | grep '^RESULT')
	requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")
	local duration
	duration=$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$line")
	rate=$(awk -v r="$requests" -v d="$duration" 'BEGIN { printf "%.0f", r / d }')
	p50=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$line")
	p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$line")
	errors=$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$line")
}

rows=()
row() { # figure, value, p50, p99, errors
	rows+=("$(printf '| %s | %s | %s | %s | %s |' "$@")")
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
peak_memory() { awk '/VmHWM/ { printf "%.0f MB", $2 / 1024 }' "/proc/$server_pid/status"; }

measure() { # backend URL
	local backend=$1 url=$2
	CONSORT_LOAD_DATABASE_URL="$url" CONSORT_LOAD_DIR="$work" test_binary load_seed
	start_server "$url"
	local cookie slug
	cookie=$(log_in)
	[ -n "$cookie" ] || { echo "log-in failed"; cat "$work/server.log"; exit 1; }
	slug=$(cat "$work/slug")
	local members="$base/o/$slug/members"
	curl -fs -H "Cookie: $cookie" "$members" -o "$work/members.html"
	head -c "$(stat -c %s "$work/members.html")" /dev/zero | tr '\0' 'x' >"$work/site/load-floor.html"

	run 50 "$base/load-floor.html"
	local floor=$rate
	row "$backend: static file of the page's size, c=50" "$floor req/s" "$p50 ms" "$p99 ms" "$errors"
	run 50 "$members" COOKIE="$cookie"
	local page50=$rate
	row "$backend: members page, c=50" "$rate req/s (÷ static $(ratio "$rate" "$floor"))" "$p50 ms" "$p99 ms" "$errors"
	eval "${backend}_members=$page50"
	run 1 "$members" COOKIE="$cookie"
	local idle_p99=$p99
	row "$backend: members page, c=1 (idle)" "$rate req/s" "$p50 ms" "$p99 ms" "$errors"
	run 10 "$base/api/send_invitations" COOKIE="$cookie" ORIGIN="$base" BODY_FILE="$work/send.json" TYPE=application/json
	row "$backend: create one invitation per request, c=10" "$rate req/s" "$p50 ms" "$p99 ms" "$errors"
	run 10 "$base/api/check_invitations" COOKIE="$cookie" ORIGIN="$base" BODY_FILE="$work/check.json" \
		TYPE=application/json PAIR_FILE="$work/send.json" PAIR_PATH=/api/send_invitations
	row "$backend: check + send one address, c=10" "$(awk -v r="$rate" 'BEGIN { printf "%.0f", r / 2 }') invitations/s" "$p50 ms" "$p99 ms" "$errors"
	if [ "$backend" = sqlite ]; then
		run 16 "$base/api/log_in" ORIGIN="$base" BODY_FILE="$work/login.form" TYPE=application/x-www-form-urlencoded
		local logins=$rate
		row "$backend: log-ins, c=16" "$rate/s (÷ raw hash rate $(ratio "$rate" "$hash_rate"))" "$p50 ms" "$p99 ms" "$errors"
		# The members page at c=1 while a log-in storm runs.
		env ORIGIN="$base" BODY_FILE="$work/login.form" TYPE=application/x-www-form-urlencoded \
			wrk -t2 -c16 -d"$((seconds + 2))s" -s scripts/load/request.lua "$base/api/log_in" >/dev/null &
		local storm=$!
		sleep 1
		run 1 "$members" COOKIE="$cookie"
		wait "$storm"
		row "$backend: members page, c=1, during a log-in storm (c=16)" "p99 ÷ idle p99 $(ratio "$p99" "$idle_p99")" "$p50 ms" "$p99 ms" "$errors"
		: "$logins"
	fi
	row "$backend: server memory, peak" "$(peak_memory)" "" "" ""
	stop_server
}

hash_rate=$(test_binary load_hash_rate | sed -E 's/.*rate ([0-9.]+).*/\1/')
echo "raw hash rate: $hash_rate/s"
measure sqlite "sqlite://$work/load.db"
if [ -n "${CONSORT_TEST_POSTGRES_URL:-}" ]; then
	psql "$CONSORT_TEST_POSTGRES_URL" -qc "CREATE DATABASE $pg_database" >/dev/null
	pg_url=$(python3 -c "import sys, urllib.parse as u; p = u.urlparse(sys.argv[1]); print(p._replace(path='/' + sys.argv[2]).geturl())" \
		"$CONSORT_TEST_POSTGRES_URL" "$pg_database")
	measure postgres "$pg_url"
	row "postgres members page c=50 ÷ sqlite" "$(ratio "$postgres_members" "$sqlite_members")" "" "" ""
fi

echo
echo "Load benchmark: $(nproc) cores, ${seconds} s per shape, $(date -u +%Y-%m-%d)"
echo
echo "| figure | value | p50 | p99 | errors |"
echo "|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
