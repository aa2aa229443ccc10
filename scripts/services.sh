#!/usr/bin/env bash
# Makes sure the local services rc-exchange needs for its demo and tests are running on 127.0.0.1:
#   Redis (6379) and PostgreSQL (5432, role "rc"/"rc", database "rc_exchange").
# Starts them when installed but down; installs them with apt-get (Debian/Ubuntu, as root) when missing;
# otherwise says exactly what to install. Idempotent: safe to run before every command.
set -euo pipefail

RC_PG_PORT="${RC_PG_PORT:-5432}"
RC_REDIS_PORT="${RC_REDIS_PORT:-6379}"

say() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else return 1; fi
}

apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "missing $* and no apt-get here: install $* yourself (Redis ≥ 6, PostgreSQL ≥ 13) and re-run"
  say "installing $* with apt-get"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null ||
    die "apt-get update failed; install $* yourself and re-run"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null ||
    die "apt-get install $* failed; install them yourself and re-run"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  for _ in $(seq 1 100); do port_open "$1" && return 0; sleep 0.1; done
  return 1
}

ensure_redis() {
  if port_open "$RC_REDIS_PORT"; then return 0; fi
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  say "starting Redis on 127.0.0.1:$RC_REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$RC_REDIS_PORT" --daemonize yes --save '' --appendonly no \
    --logfile /tmp/rc-redis.log >/dev/null
  wait_port "$RC_REDIS_PORT" || die "Redis did not start; see /tmp/rc-redis.log"
}

pg_version() { ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1; }

ensure_postgres() {
  if ! port_open "$RC_PG_PORT"; then
    [ -n "$(pg_version)" ] || apt_install postgresql
    local v; v="$(pg_version)"
    [ -n "$v" ] || die "PostgreSQL server binaries not found after install"
    if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$v main"; then
      say "creating PostgreSQL $v cluster"
      as_root pg_createcluster "$v" main --port "$RC_PG_PORT" >/dev/null
    fi
    say "starting PostgreSQL $v on 127.0.0.1:$RC_PG_PORT"
    as_root pg_ctlcluster "$v" main start || die "PostgreSQL did not start; see /var/log/postgresql/"
    wait_port "$RC_PG_PORT" || die "PostgreSQL is not listening on $RC_PG_PORT"
  fi
  # Development role and database (local only; documented in the README).
  local psql=(as_root runuser -u postgres -- psql -p "$RC_PG_PORT" -v ON_ERROR_STOP=1 -qtA)
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then return 0; fi
  if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = 'rc'")" != "1" ]; then
    say "creating role rc"
    "${psql[@]}" -c "CREATE ROLE rc LOGIN SUPERUSER PASSWORD 'rc'" >/dev/null
  fi
  if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'rc_exchange'")" != "1" ]; then
    say "creating database rc_exchange"
    "${psql[@]}" -c "CREATE DATABASE rc_exchange OWNER rc" >/dev/null
  fi
}

ensure_redis
ensure_postgres
say "Redis 127.0.0.1:$RC_REDIS_PORT and PostgreSQL 127.0.0.1:$RC_PG_PORT are up"
