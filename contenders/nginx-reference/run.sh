#!/bin/sh
# Starts Debian's nginx in the foreground as the reference row of `ladder http`: only /plaintext,
# answered by `return 200` from the configuration, no framework at all. The configuration, pid file,
# logs and temp folders go to a folder of its own per port under LADDER_BUILD_DIR.
set -eu
nginx="$(command -v nginx || true)"
[ -n "$nginx" ] || nginx=/usr/sbin/nginx
# folders of earlier runs whose nginx is gone (and not just starting) are removed
for old in "$LADDER_BUILD_DIR"/run-*; do
    [ -d "$old" ] || continue
    pid="$(cat "$old/nginx.pid" 2>/dev/null || true)"
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
        [ -n "$(find "$old" -maxdepth 0 -mmin +1)" ] && rm -rf "$old"
    fi
done
mkdir -p "$LADDER_BUILD_DIR/run-$PORT/tmp"
dir="$(cd "$LADDER_BUILD_DIR/run-$PORT" && pwd)"
# as many connections per worker as this process may open files (nginx warns past that)
conns="$(ulimit -n)"
case "$conns" in unlimited|"") conns=16384 ;; esac
[ "$conns" -le 16384 ] || conns=16384
cat > "$dir/nginx.conf" <<CONF
worker_processes $WORKERS;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events {
    worker_connections $conns;
}
http {
    access_log off;
    server_tokens off;
    keepalive_requests 1000000;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    server {
        listen 127.0.0.1:$PORT reuseport;
        location = /plaintext {
            default_type text/plain;
            return 200 "Hello, World!";
        }
        location / {
            return 404;
        }
    }
}
CONF
exec "$nginx" -p "$dir/" -e "$dir/error.log" -c "$dir/nginx.conf"
