#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on a Unix socket in a temporary directory and print the
# admin URL for the tests (ZHIDU_TEST_PG_URL). Usage: eval "$(.ci/pg-server.sh start)"; .ci/pg-server.sh stop DIR
# initdb and pg_ctl refuse to run as root, so they run as the `postgres` user.
set -euo pipefail

find_bin() {
    local name=$1
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
    ls /usr/lib/postgresql/*/bin/"$name" 2>/dev/null | sort -V | tail -n 1
}

as_pg() {
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

case "${1:-}" in
start)
    if [ -z "$(find_bin initdb)" ]; then
        echo "installing PostgreSQL server binaries (Debian package postgresql)" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
    fi
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    INITDB=$(find_bin initdb); PG_CTL=$(find_bin pg_ctl)
    dir=$(mktemp -d /tmp/zhidu-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_pg "'$INITDB' -D '$dir/data' -A trust -U postgres -E UTF8 --locale=C.UTF-8 >'$dir/initdb.log' 2>&1" \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_pg "'$PG_CTL' -D '$dir/data' -l '$dir/server.log' -w -o \"-k $dir -c listen_addresses='' -c fsync=off -c max_connections=50\" start >&2" \
        || { cat "$dir/server.log" >&2; exit 1; }
    echo "export ZHIDU_TEST_PG_DIR='$dir'"
    echo "export ZHIDU_TEST_PG_URL='postgresql+psycopg://postgres@/postgres?host=$dir'"
    ;;
stop)
    dir=${2:?usage: pg-server.sh stop DIR}
    PG_CTL=$(find_bin pg_ctl)
    as_pg "'$PG_CTL' -D '$dir/data' -m fast -w stop >/dev/null 2>&1" || true
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
