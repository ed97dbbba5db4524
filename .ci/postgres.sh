#!/usr/bin/env bash
# A private PostgreSQL server for the tests, on 127.0.0.1 only; prints its URL on stdout.
#   url="$(.ci/postgres.sh)"      start (installing Debian's `postgresql` if missing), print URL
#   .ci/postgres.sh stop          stop it
# Idempotent: a server already running is reused. Its files live in $TRACKER_PG_ROOT
# (default /tmp/tracker-pg-UID): data/, a socket folder, the log and the test role's password.
# It never touches the Debian cluster (pg_ctlcluster) nor /etc/postgresql. The tests get a role
# that may create databases, so each test module makes (and drops) a database of its own.
set -euo pipefail
root="${TRACKER_PG_ROOT:-/tmp/tracker-pg-$(id -u)}"
port="${TRACKER_PG_PORT:-54329}"
role=tracker_test
say() { echo "postgres.sh: $*" >&2; }
cd /  # the server's user may not be allowed into the caller's folder

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(bindir)" ] || [ ! -x "$(bindir)/initdb" ]; then
  [ "$(id -u)" -eq 0 ] || { say "PostgreSQL is not installed (apt-get install postgresql)"; exit 1; }
  say "installing Debian's postgresql package..."
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
bin="$(bindir)"

# The server refuses to run as root: as root, run it as the package's `postgres` user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
data="$root/data"
sock="$root/sock"
psql_admin() { as_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U postgres "$@"; }

if [ "${1:-}" = "stop" ]; then
  if [ -f "$data/postmaster.pid" ]; then as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >&2; fi
  exit 0
fi

mkdir -p "$root"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$root"; fi
chmod 700 "$root"

if ! as_owner "$bin/pg_isready" -q -h "$sock" -p "$port" 2>/dev/null; then
  if [ ! -f "$data/PG_VERSION" ]; then
    say "creating a cluster in $data"
    rm -rf "$data"
    as_owner mkdir -p "$sock"
    # UTF8 whatever the machine's locale (under C or POSIX the databases would be SQL_ASCII)
    as_owner "$bin/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 --no-sync >/dev/null
    cat >>"$data/postgresql.conf" <<EOF
# tracker tests: a throwaway server, no durability (address, port, socket: see pg_ctl -o)
unix_socket_permissions = 0700
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  fi
  # A server killed without a shutdown leaves postmaster.pid: wait for a dying (zombie) server
  # to go, and remove the file unless a live postgres still owns it (the pid may be reused).
  pid="$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)"
  for _ in $(seq 50); do
    [ -n "$pid" ] && [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" = Z ] || break
    sleep 0.1
  done
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != "postgres" ]; then
    rm -f "$data/postmaster.pid"
  fi
  say "starting the server on 127.0.0.1:$port"
  as_owner "$bin/pg_ctl" -D "$data" -l "$root/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k '$sock'" start >/dev/null || {
    say "the server did not start; its log:"
    tail -n 20 "$root/server.log" >&2
    exit 1
  }
fi

pwfile="$root/password"
if [ ! -s "$pwfile" ]; then
  (umask 077 && od -An -N12 -tx1 /dev/urandom | tr -d ' \n' >"$pwfile")
fi
password="$(cat "$pwfile")"
psql_admin -d postgres <<EOF
SELECT format('CREATE ROLE %I LOGIN CREATEDB', '$role')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role')
\gexec
ALTER ROLE $role PASSWORD '$password';
SELECT format('CREATE DATABASE %I OWNER %I', '$role', '$role')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$role')
\gexec
EOF
echo "postgresql+psycopg://$role:$password@127.0.0.1:$port/$role"
