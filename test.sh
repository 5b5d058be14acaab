#!/usr/bin/env bash
# The one test command: installs what is missing from Debian's packages, builds, starts a throwaway PostgreSQL on
# a loopback port, runs every test project, stops what it started, and ends with "N passed, N failed".
#   ./test.sh                       everything
#   ./test.sh 'FullyQualifiedName~Calendar'   a subset (dotnet test --filter)
#   SKIP_BROWSER_TESTS=1 ./test.sh  without the browser tests
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
FILTER=${1:-}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 ENGAGEMENT_REPO_ROOT="$ROOT"

say() { printf '== %s\n' "$*"; }
finish() { echo "$1 passed, $2 failed"; exit "$3"; }

# --- Debian packages, only when missing -------------------------------------------------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { echo "could not install ${missing[*]}"; finish 0 1 1; }
fi
command -v npm >/dev/null 2>&1 || { echo "npm is needed (Node.js) for the front-end packages"; finish 0 1 1; }
[ -f node_modules/.package-lock.json ] || npm ci --no-audit --no-fund || finish 0 1 1

# --- A throwaway PostgreSQL ---------------------------------------------------------------------------------------
PG_BIN=/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -1)/bin
PG_DIR=$(mktemp -d /tmp/engagement-pg.XXXXXX)
# PostgreSQL refuses to run as root: use the account the Debian package creates.
PG_USER=postgres
if [ "$(id -u)" -eq 0 ]; then
  id "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home "$PG_USER"
  chown "$PG_USER" "$PG_DIR"
  as_pg() { runuser -u "$PG_USER" -- "$@"; }
else
  as_pg() { "$@"; }
fi
stop_pg() {
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$PG_DIR"
}
trap stop_pg EXIT
PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8 >/dev/null 2>&1 \
  || as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres --encoding=UTF8 --locale=C >/dev/null \
  || { echo "initdb failed"; finish 0 1 1; }
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/pg.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$PG_DIR/pg.log"; finish 0 1 1; }
export ENGAGEMENT_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=postgres;Database=postgres;Include Error Detail=true"

# --- Build once, then every test project --------------------------------------------------------------------------
say "building"
dotnet restore Engagement.sln >/dev/null || finish 0 1 1
dotnet build Engagement.sln -c Release --no-restore -nologo -clp:ErrorsOnly || finish 0 1 1

rm -rf TestResults
projects=(Engagement.UnitTests Engagement.IntegrationTests Engagement.BrowserTests)
[ "${SKIP_BROWSER_TESTS:-0}" = "1" ] && projects=(Engagement.UnitTests Engagement.IntegrationTests)
status=0
for project in "${projects[@]}"; do
  say "$project"
  args=(test "tests/$project" -c Release --no-build --nologo --results-directory "$ROOT/TestResults"
        --logger "trx;LogFileName=$project.trx" --logger "console;verbosity=minimal")
  [ -n "$FILTER" ] && args+=(--filter "$FILTER")
  dotnet "${args[@]}" || status=1
done

# --- Count from the TRX files, so a crashed project counts as failed ----------------------------------------------
read -r passed failed < <(python3 - "$ROOT/TestResults" "${projects[@]}" <<'PY'
import sys, os, xml.etree.ElementTree as ET
folder, projects = sys.argv[1], sys.argv[2:]
passed = failed = 0
for p in projects:
    path = os.path.join(folder, p + ".trx")
    if not os.path.exists(path):
        print(f"{p}: no results (the test run crashed)", file=sys.stderr)
        failed += 1
        continue
    c = ET.parse(path).getroot().find(".//{*}Counters")
    pp, ff = int(c.get("passed", 0)), int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    print(f"{p}: {pp} passed, {ff} failed", file=sys.stderr)
    passed += pp; failed += ff
print(passed, failed)
PY
)
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ] && [ "$status" -eq 0 ] && finish "$passed" "$failed" 0
finish "$passed" "$failed" 1
