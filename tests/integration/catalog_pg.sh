#!/usr/bin/env bash
# A throwaway PostgreSQL server for the catalog tests (Debian's postgresql package).
#   catalog_pg.sh start DIR   initdb into DIR/data, start on a free 127.0.0.1 port, create the
#                             database "catalog", print its URL (postgres://postgres@127.0.0.1:PORT/catalog)
#   catalog_pg.sh stop DIR    stop it (DIR stays; the caller removes it)
# PostgreSQL refuses to run as root, so as root it runs as the "postgres" user (runuser).
# Exits 3 with a reason when PostgreSQL is not installed.
set -euo pipefail
action=${1:?usage: catalog_pg.sh start|stop DIR}
dir=${2:?usage: catalog_pg.sh start|stop DIR}

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL server not installed (apt-get install postgresql)" >&2
  exit 3
fi
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
start)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 || {
    tail -n 5 "$dir/initdb.log" >&2
    exit 1
  }
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || {
    tail -n 5 "$dir/server.log" >&2
    exit 1
  }
  as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres catalog
  echo "$port" >"$dir/port"
  echo "postgres://postgres@127.0.0.1:$port/catalog"
  ;;
stop)
  [ -d "$dir/data" ] || exit 0
  as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  ;;
*)
  echo "usage: catalog_pg.sh start|stop DIR" >&2
  exit 2
  ;;
esac
