#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: temp dir, free port, trust auth,
# database `otklik_test`. Works as root (CI) by running the server as an
# unprivileged user, since initdb refuses to run as root.
#
# Run a command against it (the cluster is stopped and removed afterwards):
#   bash test/helpers/pg-cluster.sh npm test
# Or source it and call pg_cluster_start / pg_cluster_stop yourself (.ci/run does);
# pg_cluster_start exports TEST_DATABASE_URL.

pg_cluster_log() { printf '[pg-cluster] %s\n' "$*" >&2; }

# Newest server binaries: Debian's /usr/lib/postgresql/<version>/bin, else PATH.
pg_cluster_find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then echo "$dir"; return 0; fi
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

pg_cluster_install() {
  if [[ $(id -u) -ne 0 ]]; then
    pg_cluster_log "PostgreSQL server binaries not found; install Debian's 'postgresql' package (needs root)"
    return 1
  fi
  pg_cluster_log "PostgreSQL not found; installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends postgresql
}

pg_cluster_free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# Runs a server tool as the cluster owner, from a directory that owner can enter.
pg_cluster_as_owner() {
  if [[ -n "${PG_CLUSTER_USER:-}" ]]; then
    (cd "$PG_CLUSTER_DIR" && runuser -u "$PG_CLUSTER_USER" -- "$@")
  else
    (cd "$PG_CLUSTER_DIR" && "$@")
  fi
}

pg_cluster_start() {
  PG_BIN=$(pg_cluster_find_bin) || { pg_cluster_install && PG_BIN=$(pg_cluster_find_bin); } || {
    pg_cluster_log "no initdb/pg_ctl after installing postgresql"; return 1; }
  PG_CLUSTER_USER=""
  if [[ $(id -u) -eq 0 ]]; then
    # PG_CLUSTER_OWNER overrides the choice (e.g. to check the `nobody` path).
    if [[ -n "${PG_CLUSTER_OWNER:-}" ]]; then PG_CLUSTER_USER=$PG_CLUSTER_OWNER
    elif id -u postgres >/dev/null 2>&1; then PG_CLUSTER_USER=postgres
    else PG_CLUSTER_USER=nobody; fi
  fi
  PG_CLUSTER_DIR=$(mktemp -d /tmp/otklik-pg.XXXXXX)
  chmod 755 "$PG_CLUSTER_DIR"
  mkdir -p "$PG_CLUSTER_DIR/sock"
  [[ -n "$PG_CLUSTER_USER" ]] && chown -R "$PG_CLUSTER_USER:" "$PG_CLUSTER_DIR"
  PG_CLUSTER_PORT=$(pg_cluster_free_port)
  pg_cluster_log "$("$PG_BIN/postgres" --version), owner ${PG_CLUSTER_USER:-$(id -un)}, dir $PG_CLUSTER_DIR, port $PG_CLUSTER_PORT"

  if ! pg_cluster_as_owner "$PG_BIN/initdb" -D "$PG_CLUSTER_DIR/data" -A trust -U postgres -E UTF8 --locale=C --no-sync \
      >"$PG_CLUSTER_DIR/initdb.log" 2>&1; then
    cat "$PG_CLUSTER_DIR/initdb.log" >&2; return 1
  fi
  # Durability is irrelevant for a throwaway cluster; skipping fsync keeps the suite fast.
  local opts="-p $PG_CLUSTER_PORT -k $PG_CLUSTER_DIR/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  if ! pg_cluster_as_owner "$PG_BIN/pg_ctl" -D "$PG_CLUSTER_DIR/data" -l "$PG_CLUSTER_DIR/server.log" -o "$opts" -w -t 60 start >/dev/null; then
    cat "$PG_CLUSTER_DIR/server.log" >&2; return 1
  fi
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_CLUSTER_PORT" -U postgres otklik_test
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_CLUSTER_PORT/otklik_test"
  pg_cluster_log "ready: $TEST_DATABASE_URL"
}

# Safe to call more than once and after a failed start.
pg_cluster_stop() {
  [[ -n "${PG_CLUSTER_DIR:-}" && -d "$PG_CLUSTER_DIR" ]] || return 0
  if [[ -f "$PG_CLUSTER_DIR/data/postmaster.pid" ]]; then
    pg_cluster_as_owner "$PG_BIN/pg_ctl" -D "$PG_CLUSTER_DIR/data" -m fast -w stop >/dev/null 2>&1 ||
      pg_cluster_log "pg_ctl stop failed; see $PG_CLUSTER_DIR/server.log"
  fi
  rm -rf "$PG_CLUSTER_DIR"
  pg_cluster_log "stopped and removed $PG_CLUSTER_DIR"
  PG_CLUSTER_DIR=""
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  if [[ $# -eq 0 ]]; then echo "usage: bash $0 <command...>   (runs it with TEST_DATABASE_URL set)" >&2; exit 2; fi
  trap pg_cluster_stop EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  pg_cluster_start
  "$@"
fi
