#!/usr/bin/env bash
# The project's one test command: installs what is missing from Debian's packages, starts a throwaway PostgreSQL
# on a loopback port, builds once, runs every test project, stops what it started, and ends with "N passed, N failed".
#   ./test.sh                                   everything
#   ./test.sh 'FullyQualifiedName~Calendar'     a subset (passed to every dotnet test as --filter)
#   SKIP_BROWSER_TESTS=1 ./test.sh              without the browser tests
set -uo pipefail
cd "$(dirname "$(readlink -f "$0")")" || exit 1
ROOT=$(pwd)
FILTER=${1:-}

say() { printf '== %s\n' "$*"; }
# Every exit goes through here so the last line is always the count the CI reads.
finish() { echo "$1 passed, $2 failed"; exit "$3"; }

# Stale TRX files would be counted as this run's results.
rm -rf "$ROOT/TestResults"

# --- Debian packages, only when missing ---------------------------------------------------------------------------
newest_pg_bin() {
  # A client-only version directory has no initdb, so take the newest one that can run a server.
  local v bin=""
  for v in $(ls /usr/lib/postgresql 2>/dev/null | sort -V); do
    [ -x "/usr/lib/postgresql/$v/bin/initdb" ] && bin="/usr/lib/postgresql/$v/bin"
  done
  echo "$bin"
}
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -n "$(newest_pg_bin)" ] || missing+=(postgresql)
# The live Q&A scale-out test runs two instances through a throwaway Redis.
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
# The deployment test runs two instances behind Debian's nginx (deploy/nginx/engagement.conf).
[ -x /usr/sbin/nginx ] || missing+=(nginx)
# The deployment test checks the systemd units (systemd-analyze verify) and makes throwaway certificates (openssl).
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# A Chinese font, so the guide's screenshots (docs/GUIDE.md) show characters rather than empty boxes.
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # The postgresql package may fail to create or start its default cluster in a container; we never use that
  # cluster, so judge success by whether the binaries are there afterwards rather than by apt's exit code.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  [ -x /usr/bin/chromium ] || { echo "could not install chromium"; finish 0 1 1; }
  [ -n "$(newest_pg_bin)" ] || { echo "could not install postgresql"; finish 0 1 1; }
  command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || { echo "could not install redis-server"; finish 0 1 1; }
  [ -x /usr/sbin/nginx ] || { echo "could not install nginx"; finish 0 1 1; }
  # The package starts the system's own nginx where it can; the tests start theirs, so that one is stopped again.
  $SUDO /usr/sbin/nginx -s quit >/dev/null 2>&1 || true
fi
REDIS_SERVER=$(command -v redis-server || echo /usr/bin/redis-server)

# --- Front-end packages -------------------------------------------------------------------------------------------
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 \
  || { echo "node and npm are needed for the front-end packages (wwwroot/lib)"; finish 0 1 1; }
# The build runs npm ci too, but failing here gives a clearer error than an MSBuild one.
if [ ! -f node_modules/.package-lock.json ]; then
  say "npm ci"
  npm ci --no-audit --no-fund || { echo "npm ci failed"; finish 0 1 1; }
fi
command -v python3 >/dev/null 2>&1 || { echo "python3 is needed to read the TRX results"; finish 0 1 1; }

# --- A throwaway PostgreSQL ---------------------------------------------------------------------------------------
PG_BIN=$(newest_pg_bin)
PG_DIR=$(mktemp -d /tmp/engagement-pg.XXXXXX) || finish 0 1 1
# PostgreSQL refuses to run as root, so run it as the account the Debian package creates (or one of our own).
if [ "$(id -u)" -eq 0 ]; then
  if id postgres >/dev/null 2>&1; then
    PG_USER=postgres
  else
    PG_USER=pgtest
    id "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
  fi
  # The data dir, the socket (-k) and the log all live here, so the server's user must own it.
  chown "$PG_USER" "$PG_DIR"
  # cd first: that user usually cannot read the repository, and initdb warns about an unreadable cwd.
  as_pg() { (cd "$PG_DIR" && runuser -u "$PG_USER" -- "$@"); }
else
  as_pg() { "$@"; }
fi

REDIS_DIR=$(mktemp -d /tmp/engagement-redis.XXXXXX) || finish 0 1 1
stop_redis() {
  if [ -f "$REDIS_DIR/redis.pid" ]; then
    kill "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do [ -f "$REDIS_DIR/redis.pid" ] || break; sleep 0.2; done
    [ -f "$REDIS_DIR/redis.pid" ] && kill -KILL "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null
  fi
  rm -rf "$REDIS_DIR"
}

stop_pg() {
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1
    # Last resort, so a wedged server never outlives the run.
    if [ -f "$PG_DIR/data/postmaster.pid" ]; then
      kill -KILL "$(head -1 "$PG_DIR/data/postmaster.pid")" 2>/dev/null
    fi
  fi
  rm -rf "$PG_DIR"
}
trap 'stop_pg; stop_redis' EXIT
# Turn Ctrl-C and kill into a normal exit so the EXIT trap still stops the server.
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' \
    2>/dev/null && return
  local p=55432
  while ss -ltnH "sport = :$p" | grep -q .; do p=$((p + 1)); done
  echo "$p"
}

# C.UTF-8 gives UTF-8 character classes with a stable byte-order sort; plain C is for systems lacking that locale.
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8 >/dev/null 2>&1 \
  || { rm -rf "$PG_DIR/data"
       as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres --encoding=UTF8 --locale=C >/dev/null; } \
  || { echo "initdb failed"; finish 0 1 1; }
# Another process can take the free port before the server binds it, so try a few ports.
PG_PORT=""
for attempt in 1 2 3; do
  port=$(free_port)
  if as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/pg.log" -w \
       -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
       start >/dev/null; then
    PG_PORT=$port
    break
  fi
done
[ -n "$PG_PORT" ] || { echo "PostgreSQL did not start:"; cat "$PG_DIR/pg.log"; finish 0 1 1; }
say "PostgreSQL on 127.0.0.1:$PG_PORT"

# --- A throwaway Redis (no persistence), for the two-instance live Q&A test ----------------------------------------
REDIS_PORT=""
for attempt in 1 2 3; do
  port=$(free_port)
  if "$REDIS_SERVER" --port "$port" --bind 127.0.0.1 --dir "$REDIS_DIR" --save "" --appendonly no --daemonize yes \
       --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" >/dev/null 2>&1; then
    for _ in $(seq 1 50); do
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && { REDIS_PORT=$port; break; }
      sleep 0.1
    done
  fi
  [ -n "$REDIS_PORT" ] && break
  stop_redis; REDIS_DIR=$(mktemp -d /tmp/engagement-redis.XXXXXX)
done
[ -n "$REDIS_PORT" ] || { echo "Redis did not start:"; cat "$REDIS_DIR/redis.log" 2>/dev/null; finish 0 1 1; }
say "Redis on 127.0.0.1:$REDIS_PORT"
export ENGAGEMENT_TEST_REDIS="127.0.0.1:$REDIS_PORT"

# Trust authentication: the password is ignored but keeps the connection string in the usual shape.
export ENGAGEMENT_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=postgres;Database=postgres;Pooling=true;Include Error Detail=true"
export ENGAGEMENT_REPO_ROOT="$ROOT" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# --- Build once, then every test project --------------------------------------------------------------------------
say "restoring"
dotnet restore Engagement.sln || finish 0 1 1
say "building"
dotnet build Engagement.sln -c Release --no-restore -nologo || finish 0 1 1

projects=(Engagement.UnitTests Engagement.IntegrationTests Engagement.BrowserTests)
[ "${SKIP_BROWSER_TESTS:-0}" = "1" ] && projects=(Engagement.UnitTests Engagement.IntegrationTests)
status=0
runs=()
for project in "${projects[@]}"; do
  say "$project"
  args=(test "tests/$project" -c Release --no-build --nologo --results-directory "$ROOT/TestResults"
        --logger "trx;LogFileName=$project.trx" --logger "console;verbosity=normal")
  [ -n "$FILTER" ] && args+=(--filter "$FILTER")
  # Keep going after a failing project: the count should cover all of them.
  dotnet "${args[@]}"
  rc=$?
  [ "$rc" -eq 0 ] || status=1
  runs+=("$project:$rc")
done

# --- Count from the TRX files, so a crashed project still counts as failed ----------------------------------------
say "summary"
counts=$(python3 - "$ROOT/TestResults" "$FILTER" "${runs[@]}" <<'PY'
import os, sys, xml.etree.ElementTree as ET
folder, filter_, runs = sys.argv[1], sys.argv[2], sys.argv[3:]
total_passed = total_failed = 0
for run in runs:
    project, rc = run.rsplit(":", 1)
    path = os.path.join(folder, project + ".trx")
    if not os.path.exists(path):
        if filter_ and rc == "0":
            # A filter that matches nothing in this project can leave no TRX; that is not a crash.
            print(f"  {project}: no tests matched the filter")
        else:
            print(f"  {project}: no TRX file (the test run crashed, exit code {rc}) - counted as 1 failed")
            total_failed += 1
        continue
    try:
        counters = ET.parse(path).getroot().find(".//{*}Counters")
        attr = lambda name: int(counters.get(name, 0))
        passed = attr("passed")
        failed = attr("failed") + attr("error") + attr("timeout") + attr("aborted")
    except Exception as e:
        print(f"  {project}: unreadable TRX file ({e}) - counted as 1 failed")
        total_failed += 1
        continue
    note = "" if rc == "0" else f" (dotnet test exit code {rc})"
    print(f"  {project}: {passed} passed, {failed} failed{note}")
    total_passed += passed
    total_failed += failed
print(total_passed, total_failed)
PY
) || counts="0 1"
# All lines but the last are the per-project summary; the last holds the totals.
[ "$(printf '%s\n' "$counts" | wc -l)" -gt 1 ] && printf '%s\n' "$counts" | sed '$d'
read -r passed failed <<<"$(printf '%s\n' "$counts" | tail -1)"

if [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ] && [ "$status" -eq 0 ]; then
  finish "$passed" "$failed" 0
fi
finish "$passed" "$failed" 1
