# Sourced by .ci/run: start a throwaway PostgreSQL cluster (temporary directory,
# free loopback port, trust auth, no fsync) and export PLOTWATCH_TEST_POSTGRES so
# that the store and pipeline tests run on PostgreSQL as well as SQLite. The
# cluster is stopped and deleted when the sourcing shell exits.
# PostgreSQL comes from Debian's package, installed only where it is missing.

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PW_PG_BIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
PW_PG_DIR=$(mktemp -d /tmp/plotwatch-pg.XXXXXX)  # /tmp: the postgres user must reach it
PW_PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

pw_pg() {  # run a PostgreSQL program as the postgres user (initdb refuses root)
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pw_pg_stop() {
    pw_pg "$PW_PG_BIN/pg_ctl" -D "$PW_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PW_PG_DIR"
}

if [ "$(id -u)" = 0 ]; then chown postgres "$PW_PG_DIR"; fi
pw_pg "$PW_PG_BIN/initdb" -D "$PW_PG_DIR/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
pw_pg "$PW_PG_BIN/pg_ctl" -D "$PW_PG_DIR/data" -l "$PW_PG_DIR/server.log" -w \
    -o "-h 127.0.0.1 -p $PW_PG_PORT -k $PW_PG_DIR -F -c max_connections=50" start >/dev/null
trap pw_pg_stop EXIT
pw_pg "$PW_PG_BIN/createdb" -h 127.0.0.1 -p "$PW_PG_PORT" -U postgres plotwatch_test
export PLOTWATCH_TEST_POSTGRES="postgresql+psycopg://postgres@127.0.0.1:$PW_PG_PORT/plotwatch_test"
echo "PostgreSQL for the tests: $PLOTWATCH_TEST_POSTGRES"
