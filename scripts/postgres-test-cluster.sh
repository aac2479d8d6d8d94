#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for the test suite.
#
#   scripts/postgres-test-cluster.sh start <dir> [--install]
#       Creates a fresh cluster in <dir> (which must be missing or empty),
#       listening ONLY on 127.0.0.1 on a free TCP port (unix socket inside
#       <dir>), waits until it accepts connections and prints the Npgsql
#       connection string as the ONLY line on stdout. Everything else goes to
#       stderr or to <dir>/postgres.log.
#
#   scripts/postgres-test-cluster.sh stop <dir>
#       Stops that cluster (pg_ctl -m fast) and removes <dir>. Silent on
#       success; a no-op when <dir> does not exist.
#
# The cluster is throwaway: trust auth, fsync/synchronous_commit/
# full_page_writes off. Never point <dir> at anything you want to keep.
#
# PostgreSQL binaries are looked up via $PG_BINDIR, `pg_config --bindir`,
# /usr/lib/postgresql/*/bin (newest first) and PATH. If none are found the
# script fails, naming the Debian package (`postgresql`); when running as
# root and either CI is set or --install is given, it installs that package
# with apt-get instead.
#
# PostgreSQL refuses to run as root. When run as root the cluster runs as
# $PG_TEST_OS_USER, else the `postgres` OS user, else a system user
# `c360pg` created with `useradd --system`. As non-root it runs as you.
set -euo pipefail

readonly MARKER=".c360-postgres-test-cluster"

die() {
    echo "postgres-test-cluster: error: $*" >&2
    exit 1
}

note() {
    echo "postgres-test-cluster: $*" >&2
}

usage() {
    cat >&2 <<'EOF'
usage: scripts/postgres-test-cluster.sh start <dir> [--install]
       scripts/postgres-test-cluster.sh stop <dir>
EOF
    exit 2
}

is_ci() {
    case "${CI:-}" in
        "" | 0 | false | False | FALSE | no | No | NO) return 1 ;;
        *) return 0 ;;
    esac
}

has_pg_binaries() {
    [[ -n "$1" && -x "$1/initdb" && -x "$1/pg_ctl" && -x "$1/postgres" ]]
}

find_bindir() {
    local candidate
    if [[ -n "${PG_BINDIR:-}" ]]; then
        has_pg_binaries "$PG_BINDIR" && { echo "$PG_BINDIR"; return 0; }
        note "PG_BINDIR=$PG_BINDIR does not contain initdb, pg_ctl and postgres; looking elsewhere"
    fi
    if command -v pg_config >/dev/null 2>&1; then
        candidate="$(pg_config --bindir 2>/dev/null || true)"
        has_pg_binaries "$candidate" && { echo "$candidate"; return 0; }
    fi
    # Newest major version first.
    while IFS= read -r candidate; do
        has_pg_binaries "$candidate" && { echo "$candidate"; return 0; }
    done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -t/ -k4,4 -V -r)
    if command -v initdb >/dev/null 2>&1; then
        candidate="$(dirname "$(readlink -f "$(command -v initdb)")")"
        has_pg_binaries "$candidate" && { echo "$candidate"; return 0; }
    fi
    return 1
}

install_postgres() {
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install PostgreSQL (server binaries initdb/pg_ctl/postgres) by hand."
    note "PostgreSQL server binaries not found; installing Debian package 'postgresql' with apt-get ..."
    export DEBIAN_FRONTEND=noninteractive
    # A fresh container often has no package lists at all.
    if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
        apt-get update >&2 || true
    fi
    if ! apt-get install -y --no-install-recommends postgresql >&2; then
        apt-get update >&2
        apt-get install -y --no-install-recommends postgresql >&2
    fi
}

resolve_bindir() {
    local want_install=$1 bindir
    if bindir="$(find_bindir)"; then
        echo "$bindir"
        return 0
    fi
    if [[ $EUID -eq 0 ]] && { [[ $want_install == 1 ]] || is_ci; }; then
        install_postgres
        bindir="$(find_bindir)" || die "installed 'postgresql' but still cannot find initdb/pg_ctl/postgres."
        echo "$bindir"
        return 0
    fi
    cat >&2 <<'EOF'
postgres-test-cluster: error: PostgreSQL server binaries (initdb, pg_ctl, postgres) not found.
  Looked in $PG_BINDIR, `pg_config --bindir`, /usr/lib/postgresql/*/bin and PATH.
  On Debian/Ubuntu they come from the package `postgresql`:
      sudo apt-get update && sudo apt-get install -y postgresql
  (as root, re-run with --install or with CI=true to have this script install it),
  or set PG_BINDIR to a directory containing initdb, pg_ctl and postgres.
EOF
    exit 1
}

# --- running as an unprivileged user ---------------------------------------

RUN_USER=""   # empty = run as the current (non-root) user

pick_run_user() {
    if [[ $EUID -ne 0 ]]; then
        RUN_USER=""
        return
    fi
    if [[ -n "${PG_TEST_OS_USER:-}" ]]; then
        id -u "$PG_TEST_OS_USER" >/dev/null 2>&1 || die "PG_TEST_OS_USER=$PG_TEST_OS_USER does not exist."
        RUN_USER="$PG_TEST_OS_USER"
    elif id -u postgres >/dev/null 2>&1; then
        RUN_USER=postgres
    else
        RUN_USER=c360pg
        if ! id -u "$RUN_USER" >/dev/null 2>&1; then
            note "creating system user '$RUN_USER' to run the throwaway PostgreSQL cluster"
            local nologin=/usr/sbin/nologin
            [[ -x $nologin ]] || nologin=/bin/false
            if command -v useradd >/dev/null 2>&1; then
                useradd --system --user-group --no-create-home --home-dir /nonexistent \
                    --shell "$nologin" "$RUN_USER" >&2 2>/dev/null \
                    || id -u "$RUN_USER" >/dev/null 2>&1 \
                    || die "could not create system user '$RUN_USER' (useradd --system failed)."
            elif command -v adduser >/dev/null 2>&1; then
                adduser --system --group --no-create-home "$RUN_USER" >&2 \
                    || adduser -S -D -H "$RUN_USER" >&2 \
                    || die "could not create system user '$RUN_USER'."
            else
                die "running as root, no 'postgres' user and neither useradd nor adduser is available; set PG_TEST_OS_USER to an unprivileged user."
            fi
        fi
    fi
    [[ "$(id -u "$RUN_USER")" != 0 ]] || die "user '$RUN_USER' has uid 0; PostgreSQL refuses to run as root."
    command -v runuser >/dev/null 2>&1 || command -v setpriv >/dev/null 2>&1 \
        || die "running as root but neither runuser nor setpriv is available to switch to '$RUN_USER'."
}

# Runs "$@" as RUN_USER (or directly when RUN_USER is empty), with the working
# directory set to $WORK_DIR so nothing complains about an unreadable cwd.
as_pg() {
    if [[ -z "$RUN_USER" ]]; then
        (cd "$WORK_DIR" && "$@")
    elif command -v runuser >/dev/null 2>&1; then
        (cd "$WORK_DIR" && runuser -u "$RUN_USER" -- "$@")
    elif command -v setpriv >/dev/null 2>&1; then
        (cd "$WORK_DIR" && HOME="$WORK_DIR" USER="$RUN_USER" LOGNAME="$RUN_USER" \
            setpriv --reuid="$RUN_USER" --regid="$(id -g "$RUN_USER")" --init-groups -- "$@")
    else
        die "running as root but neither runuser nor setpriv is available."
    fi
}

# --- ports -------------------------------------------------------------------

port_in_use() {
    # A successful TCP connect means something is listening.
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
    local port=""
    if command -v python3 >/dev/null 2>&1; then
        port="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()' 2>/dev/null || true)"
    fi
    if [[ "$port" =~ ^[0-9]+$ ]] && ((port > 1024 && port < 65536)) && ! port_in_use "$port"; then
        echo "$port"
        return 0
    fi
    # Fallback: probe a random window of 20000-59999 with bash's /dev/tcp.
    local start=$((20000 + (RANDOM * 32768 + RANDOM) % 40000)) i
    for ((i = 0; i < 2000; i++)); do
        port=$((20000 + (start - 20000 + i * 7) % 40000))
        if ! port_in_use "$port"; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# --- commands ----------------------------------------------------------------

cmd_start() {
    local dir=$1 want_install=$2
    local bindir
    bindir="$(resolve_bindir "$want_install")"

    if [[ -e "$dir" ]]; then
        [[ -d "$dir" ]] || die "$dir exists and is not a directory."
        [[ -z "$(ls -A "$dir")" ]] || die "$dir is not empty; refusing to create a cluster there."
    else
        mkdir -p "$dir"
    fi
    dir="$(cd "$dir" && pwd -P)"
    WORK_DIR="$dir"
    touch "$dir/$MARKER"

    local socket_probe="$dir/.s.PGSQL.65535"
    ((${#socket_probe} < 100)) || die "path too long for a unix socket: $dir (use a shorter directory)."
    [[ "$dir" != *"'"* ]] || die "directory path must not contain a single quote: $dir"

    pick_run_user
    if [[ -n "$RUN_USER" ]]; then
        chown -R "$RUN_USER:$(id -gn "$RUN_USER")" "$dir"
        chmod 700 "$dir"
        as_pg "$BASH" -c '[[ -w $1 && -x $1 ]]' _ "$dir" 2>/dev/null \
            || die "user '$RUN_USER' cannot reach $dir (a parent directory is not traversable); use a directory under /tmp."
    fi

    local pgdata="$dir/data" log="$dir/postgres.log"
    if ! as_pg "$bindir/initdb" -D "$pgdata" -E UTF8 --locale=C.UTF-8 -A trust -U postgres \
        --no-instructions >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        die "initdb failed (see above)."
    fi

    cat >>"$pgdata/postgresql.conf" <<EOF

# --- throwaway test cluster (scripts/postgres-test-cluster.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

    local attempt port started=0
    for attempt in 1 2 3 4 5; do
        port="$(pick_port)" || die "could not find a free TCP port on 127.0.0.1."
        if as_pg "$bindir/pg_ctl" -D "$pgdata" -l "$log" -w -t 60 \
            -o "-c port=$port -c listen_addresses=127.0.0.1" start >>"$dir/pg_ctl.log" 2>&1; then
            started=1
            break
        fi
        # Most likely someone grabbed the port between probing and binding.
        note "start attempt $attempt on port $port failed; retrying"
        as_pg "$bindir/pg_ctl" -D "$pgdata" -m immediate -w -t 10 stop >>"$dir/pg_ctl.log" 2>&1 || true
    done
    if [[ $started != 1 ]]; then
        tail -n 30 "$log" >&2 2>/dev/null || true
        die "PostgreSQL did not start (logs in $dir)."
    fi

    # pg_ctl -w already waited; double-check over TCP exactly as clients connect.
    local ready=0 i
    for ((i = 0; i < 60; i++)); do
        if [[ -x "$bindir/pg_isready" ]]; then
            if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; then ready=1; break; fi
        elif [[ -x "$bindir/psql" ]]; then
            if "$bindir/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'select 1' >/dev/null 2>&1; then ready=1; break; fi
        elif port_in_use "$port"; then
            ready=1; break
        fi
        sleep 0.5
    done
    if [[ $ready != 1 ]]; then
        tail -n 30 "$log" >&2 2>/dev/null || true
        die "PostgreSQL started but is not accepting connections on 127.0.0.1:$port."
    fi

    local conn="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true;Include Error Detail=true"
    echo "$port" >"$dir/port"
    echo "$conn" >"$dir/connection-string"
    note "PostgreSQL $("$bindir/postgres" --version | sed -E 's/.*\(PostgreSQL\) ([^ ]+).*/\1/') ready on 127.0.0.1:$port (data: $pgdata${RUN_USER:+, user: $RUN_USER})"
    echo "$conn"
}

cmd_stop() {
    local dir=$1
    [[ -e "$dir" ]] || return 0
    [[ -d "$dir" ]] || die "$dir is not a directory."
    dir="$(cd "$dir" && pwd -P)"
    WORK_DIR="$dir"
    if [[ ! -e "$dir/$MARKER" ]]; then
        # Never rm -rf something this script did not create.
        if [[ -z "$(ls -A "$dir")" ]]; then
            rmdir "$dir"
            return 0
        fi
        die "$dir was not created by this script (no $MARKER); refusing to delete it."
    fi

    local pgdata="$dir/data"
    if [[ -f "$pgdata/postmaster.pid" ]]; then
        local bindir pid owner
        pid="$(head -n 1 "$pgdata/postmaster.pid" 2>/dev/null || true)"
        bindir="$(find_bindir || true)"
        if [[ $EUID -eq 0 ]]; then
            owner="$(stat -c %U "$pgdata")"
            [[ "$owner" != root && "$owner" != UNKNOWN ]] && RUN_USER="$owner"
        fi
        if [[ -n "$bindir" ]]; then
            as_pg "$bindir/pg_ctl" -D "$pgdata" -m fast -w -t 30 stop >>"$dir/pg_ctl.log" 2>&1 \
                || as_pg "$bindir/pg_ctl" -D "$pgdata" -m immediate -w -t 15 stop >>"$dir/pg_ctl.log" 2>&1 \
                || true
        fi
        # Last resort: the postmaster we started (only that pid, never by name).
        if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
            && [[ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" == postgres* ]]; then
            kill -QUIT "$pid" 2>/dev/null || true
            local i
            for ((i = 0; i < 50; i++)); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    cd /
    rm -rf -- "$dir"
}

main() {
    local cmd="" dir="" install=0 arg
    for arg in "$@"; do
        case "$arg" in
            --install) install=1 ;;
            -h | --help) usage ;;
            start | stop) [[ -z "$cmd" ]] && cmd=$arg || { [[ -z "$dir" ]] && dir=$arg || usage; } ;;
            *) [[ -z "$dir" ]] && dir=$arg || usage ;;
        esac
    done
    [[ -n "$cmd" && -n "$dir" ]] || usage
    case "$cmd" in
        start) cmd_start "$dir" "$install" ;;
        stop) cmd_stop "$dir" ;;
    esac
}

main "$@"
