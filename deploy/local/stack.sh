#!/usr/bin/env bash
# Local stack manager: PostgreSQL, Redis and RabbitMQ as plain local processes.
#
#   stack.sh up       install missing Debian packages, start what is not running, wait until ready
#   stack.sh down     stop what this stack started
#   stack.sh status   show each service (exit 1 when any is down)
#   stack.sh env      print the connection URLs as shell assignments
#
# Settings (environment): STACK_PROFILE (dev | test), STACK_DIR (data, logs, pids; default
# .data/<profile>), PG_PORT, REDIS_PORT, AMQP_PORT, AMQP_DIST_PORT, STACK_NAME (RabbitMQ node
# name). The test profile is a second stack with its own folder and ports, so tests never touch
# the dev data.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# STACK_PROFILE picks defaults: `dev` (start command) or `test` (test suite; own data and ports).
case "${STACK_PROFILE:-dev}" in
  dev) default_dir=dev; default_ports=(54320 63790 56720 56730) ;;
  test) default_dir=test; default_ports=(54330 63800 56740 56750) ;;
  *) printf '[stack] error: STACK_PROFILE must be dev or test, got %s\n' "$STACK_PROFILE" >&2; exit 1 ;;
esac
STACK_DIR="${STACK_DIR:-$REPO_DIR/.data/$default_dir}"
STACK_NAME="${STACK_NAME:-minishop-$default_dir}"
PG_PORT="${PG_PORT:-${default_ports[0]}}"
REDIS_PORT="${REDIS_PORT:-${default_ports[1]}}"
AMQP_PORT="${AMQP_PORT:-${default_ports[2]}}"
AMQP_DIST_PORT="${AMQP_DIST_PORT:-${default_ports[3]}}"
# Dev-only credentials for services bound to 127.0.0.1; deployed environments inject their own.
DB_USER=minishop
DB_PASSWORD=minishop
DB_NAME=minishop

mkdir -p "$STACK_DIR"
STACK_DIR="$(cd "$STACK_DIR" && pwd)"
RUN_DIR="$STACK_DIR/run"
LOG_DIR="$STACK_DIR/log"
RABBIT_NODE="$STACK_NAME@localhost"

log() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] error: %s\n' "$*" >&2; exit 1; }

# shellcheck source=../../scripts/lib/apt.sh
source "$REPO_DIR/scripts/lib/apt.sh"

pg_bin_dir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  if [ -n "$dir" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return; fi
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; fi
}

ensure_packages() {
  local missing=()
  [ -n "$(pg_bin_dir)" ] || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
  if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_free_port() {
  if port_open "$1"; then
    die "port $1 ($2) is already in use by another process; free it or set $3 to another port"
  fi
}

wait_for() { # description, timeout seconds, command...
  local what="$1" timeout="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || die "$what did not become ready within ${timeout}s (logs: $LOG_DIR)"
    sleep 0.2
  done
}

# ---------- PostgreSQL ----------
# Postgres refuses to run as root, so as root it runs as the `postgres` system user. Its folder
# (data dir, socket, log) is $STACK_DIR/postgres; when that user cannot reach it (a clone under
# /root, say) the folder lives in the postgres user's home and $STACK_DIR/postgres links to it.
PG_OWNER=""
[ "$(id -u)" -eq 0 ] && PG_OWNER=postgres
PG_HOME="$STACK_DIR/postgres"
if [ -L "$PG_HOME" ]; then PG_HOME="$(readlink "$PG_HOME")"; fi
PG_DATA="$PG_HOME/data"
PG_RUN="$PG_HOME/run"

pg() { # run a postgres binary as the data-dir owner
  local bin="$(pg_bin_dir)/$1"; shift
  if [ -n "$PG_OWNER" ]; then runuser -u "$PG_OWNER" -- "$bin" "$@"; else "$bin" "$@"; fi
}

pg_running() { [ -d "$PG_DATA" ] && pg pg_ctl -D "$PG_DATA" status >/dev/null 2>&1; }
pg_ready() { pg pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; }
psql_admin() { pg psql -v ON_ERROR_STOP=1 -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"; }

pg_prepare_home() {
  if [ -n "$PG_OWNER" ] && [ ! -e "$PG_HOME" ] && ! runuser -u "$PG_OWNER" -- test -x "$STACK_DIR"; then
    local home
    home="$(getent passwd "$PG_OWNER" | cut -d: -f6)/minishop-$(printf '%s' "$STACK_DIR" | sha256sum | cut -c1-12)"
    log "user $PG_OWNER cannot reach $STACK_DIR; keeping postgres data in $home"
    ln -sfn "$home" "$STACK_DIR/postgres"
    PG_HOME="$home" PG_DATA="$home/data" PG_RUN="$home/run"
  fi
  mkdir -p "$PG_DATA" "$PG_RUN"
  [ -z "$PG_OWNER" ] || chown -R "$PG_OWNER" "$PG_HOME"
  chmod 700 "$PG_DATA"
}

pg_up() {
  if pg_running; then log "postgres already running on $PG_PORT"; return; fi
  require_free_port "$PG_PORT" postgres PG_PORT
  pg_prepare_home
  if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    log "initdb $PG_DATA"
    pg initdb -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  log "starting postgres on 127.0.0.1:$PG_PORT"
  pg pg_ctl -D "$PG_DATA" -l "$PG_HOME/postgres.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_RUN -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null ||
    die "postgres did not start (log: $PG_HOME/postgres.log)"
  wait_for postgres 60 pg_ready
  if [ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'")" != 1 ]; then
    psql_admin -c "CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD'"
  fi
  if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'")" != 1 ]; then
    psql_admin -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
  fi
}

pg_down() {
  if pg_running; then log "stopping postgres"; pg pg_ctl -D "$PG_DATA" -m fast -w stop >/dev/null; fi
}

# ---------- Redis ----------
REDIS_PID="$RUN_DIR/redis.pid"
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
redis_ready() { redis-cli -p "$REDIS_PORT" ping | grep -q PONG; }

redis_up() {
  if pid_alive "$REDIS_PID"; then log "redis already running on $REDIS_PORT"; return; fi
  require_free_port "$REDIS_PORT" redis REDIS_PORT
  mkdir -p "$STACK_DIR/redis" "$RUN_DIR" "$LOG_DIR"
  log "starting redis on 127.0.0.1:$REDIS_PORT"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$STACK_DIR/redis" --daemonize yes \
    --pidfile "$REDIS_PID" --logfile "$LOG_DIR/redis.log" >/dev/null
  wait_for redis 30 redis_ready
}

redis_down() {
  if pid_alive "$REDIS_PID"; then
    local pid
    pid="$(cat "$REDIS_PID")"
    log "stopping redis"
    redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || kill "$pid"
    wait_for "redis shutdown" 15 bash -c "! kill -0 $pid 2>/dev/null"
  fi
  rm -f "$REDIS_PID"
}

# ---------- RabbitMQ ----------
RABBIT_HOME="$STACK_DIR/rabbitmq"
rabbit_env() {
  env HOME="$RABBIT_HOME" RABBITMQ_NODENAME="$RABBIT_NODE" \
    RABBITMQ_MNESIA_BASE="$RABBIT_HOME/mnesia" RABBITMQ_LOG_BASE="$LOG_DIR/rabbitmq" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$AMQP_PORT" RABBITMQ_DIST_PORT="$AMQP_DIST_PORT" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_HOME/enabled_plugins" RABBITMQ_PID_FILE="$RUN_DIR/rabbitmq.pid" \
    "$@"
}
rabbitmqctl_() { rabbit_env /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$RABBIT_NODE" "$@"; }
rabbit_running() { pid_alive "$RUN_DIR/rabbitmq.pid" && rabbitmqctl_ status >/dev/null 2>&1; }

rabbit_up() {
  if rabbit_running; then log "rabbitmq already running on $AMQP_PORT"; return; fi
  require_free_port "$AMQP_PORT" rabbitmq AMQP_PORT
  require_free_port "$AMQP_DIST_PORT" "rabbitmq distribution" AMQP_DIST_PORT
  mkdir -p "$RABBIT_HOME" "$RUN_DIR" "$LOG_DIR/rabbitmq"
  [ -f "$RABBIT_HOME/enabled_plugins" ] || echo '[].' >"$RABBIT_HOME/enabled_plugins"
  log "starting rabbitmq on 127.0.0.1:$AMQP_PORT"
  rabbit_env setsid /usr/lib/rabbitmq/bin/rabbitmq-server >"$LOG_DIR/rabbitmq/console.log" 2>&1 </dev/null &
  wait_for "rabbitmq pid file" 60 test -s "$RUN_DIR/rabbitmq.pid"
  wait_for rabbitmq 90 rabbitmqctl_ await_startup --timeout 5
}

rabbit_down() {
  if rabbit_running; then
    log "stopping rabbitmq"
    rabbitmqctl_ stop >/dev/null 2>&1 || true
  fi
  rm -f "$RUN_DIR/rabbitmq.pid"
  # RabbitMQ leaves the shared epmd daemon behind; stop it once no other node uses it.
  if command -v epmd >/dev/null 2>&1; then
    local tries=0
    while epmd -names 2>/dev/null | grep -q "^name $STACK_NAME " && [ "$tries" -lt 25 ]; do
      sleep 0.2
      tries=$((tries + 1))
    done
    epmd -names 2>/dev/null | grep -q '^name ' || epmd -kill >/dev/null 2>&1 || true
  fi
}

print_env() {
  cat <<EOF
DATABASE_URL=postgresql://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME
REDIS_URL=redis://127.0.0.1:$REDIS_PORT
AMQP_URL=amqp://guest:guest@127.0.0.1:$AMQP_PORT
EOF
}

status() {
  local ok=0
  if pg_running && pg_ready; then log "postgres  up   127.0.0.1:$PG_PORT"; else log "postgres  down"; ok=1; fi
  if pid_alive "$REDIS_PID" && redis_ready; then log "redis     up   127.0.0.1:$REDIS_PORT"; else log "redis     down"; ok=1; fi
  if rabbit_running; then log "rabbitmq  up   127.0.0.1:$AMQP_PORT"; else log "rabbitmq  down"; ok=1; fi
  return "$ok"
}

case "${1:-}" in
  up)
    ensure_packages
    pg_up
    redis_up
    rabbit_up
    log "ready ($STACK_DIR)"
    ;;
  down)
    rabbit_down
    redis_down
    pg_down
    ;;
  status) status ;;
  env) print_env ;;
  *) die "usage: stack.sh up|down|status|env" ;;
esac
