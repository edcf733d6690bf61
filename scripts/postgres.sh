#!/usr/bin/env bash
# Start or stop a throw-away PostgreSQL on loopback for the ledger tests (issue: PostgreSQL ledger).
#   source scripts/postgres.sh start   → exports ALIPAY_TEST_PG_URL
#   scripts/postgres.sh stop
# Installs Debian's postgresql when no server binaries are found. Never touches a system cluster.
set -u
# Each start gets its own directory and a free port (unless PG_DIR / PG_PORT are given), so two
# runs on one machine never stop each other's server; `stop` reads the exported values back.
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

find_bin() {
  local b
  for b in /usr/lib/postgresql/*/bin; do [[ -x "$b/pg_ctl" ]] && { echo "$b"; return 0; }; done
  command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return 0; }
  return 1
}

pg_start() {
  export PG_DIR="${PG_DIR:-$(mktemp -d /tmp/alipay-kit-pg.XXXXXX)}"
  export PG_PORT="${PG_PORT:-$(free_port)}"
  local bin
  if ! bin=$(find_bin); then
    echo "PostgreSQL not found: installing it from Debian packages…"
    if [[ $(id -u) -eq 0 ]]; then
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || true
    fi
    bin=$(find_bin) || { echo "PostgreSQL is unavailable: its tests will be reported as skipped."; return 0; }
  fi
  local runas=()
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    runas=(runuser -u postgres --)
  fi
  if [[ -f "$PG_DIR/data/postmaster.pid" ]]; then
    echo "A PostgreSQL server already uses $PG_DIR: not touching it. Unset PG_DIR to get a fresh one."
    return 0
  fi
  rm -rf "$PG_DIR"; mkdir -p "$PG_DIR"
  [[ ${#runas[@]} -gt 0 ]] && chown postgres "$PG_DIR"
  "${runas[@]}" "$bin/initdb" -D "$PG_DIR/data" --auth=trust -U postgres >/dev/null || { echo "initdb failed"; return 0; }
  if "${runas[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 \
      -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null; then
    export ALIPAY_TEST_PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
    echo "PostgreSQL started on 127.0.0.1:$PG_PORT"
  else
    echo "PostgreSQL failed to start (see $PG_DIR/log): its tests will be reported as skipped."
  fi
}

pg_stop() {
  [[ -n "${PG_DIR:-}" && -d "$PG_DIR" ]] || return 0
  local bin runas=()
  bin=$(find_bin) || return 0
  [[ $(id -u) -eq 0 ]] && runas=(runuser -u postgres --)
  "${runas[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" stop -m fast >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}

case "${1:-}" in
  start) pg_start ;;
  stop) pg_stop ;;
  *) echo "usage: scripts/postgres.sh start|stop" ;;
esac
