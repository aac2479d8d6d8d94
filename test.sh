#!/usr/bin/env bash
# Runs every test of Community360, from a clean machine if need be:
#   1. dotnet tool restore + dotnet restore
#   2. makes sure Debian's chromium is at /usr/bin/chromium (apt-get as root)
#   3. starts a throwaway PostgreSQL cluster (scripts/postgres-test-cluster.sh)
#      and exports C360_TEST_POSTGRES=<Npgsql connection string>
#      (if C360_TEST_POSTGRES is already set, that server is used instead)
#   4. dotnet build -c Release, then dotnet test with TRX + console loggers
#   5. prints "N passed, N failed[, N skipped]" as the very last line
#
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter "FullyQualifiedName~Search"
# TRX files of the last run are kept in TestResults/latest/.
# Exit status is non-zero if the build or any test fails, or if no test ran.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$(pwd -P)"
SOLUTION="Community360.slnx"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_GENERATE_ASPNET_CERTIFICATE=false
# Do not leave MSBuild worker nodes running after the script ends.
export MSBUILDDISABLENODEREUSE=1

step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'test.sh: error: %s\n' "$*" >&2; }

# --- 1. restore ---------------------------------------------------------------
step "Restoring tools and packages"
dotnet tool restore
dotnet restore "$SOLUTION"

# --- 2. chromium --------------------------------------------------------------
step "Checking for Chromium (/usr/bin/chromium)"
if [[ ! -x /usr/bin/chromium ]]; then
    if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "Chromium missing; installing Debian package 'chromium' with apt-get ..."
        export DEBIAN_FRONTEND=noninteractive
        if ! apt-get install -y chromium; then
            apt-get update
            apt-get install -y chromium
        fi
        [[ -x /usr/bin/chromium ]] || { fail "installed 'chromium' but /usr/bin/chromium is still missing."; exit 1; }
    else
        fail "Chromium is required at /usr/bin/chromium for the browser tests. Install it with:
    sudo apt-get update && sudo apt-get install -y chromium
(or run this script as root to have it installed automatically)."
        exit 1
    fi
fi
/usr/bin/chromium --version 2>/dev/null || true

# --- 3. throwaway PostgreSQL ----------------------------------------------------
PG_DIR=""
CHILD_PID=""
stop_postgres() {
    if [[ -n "$PG_DIR" ]]; then
        "$ROOT/scripts/postgres-test-cluster.sh" stop "$PG_DIR" || true
        PG_DIR=""
    fi
}
# Long steps (build, test) run in the background + `wait`, so that INT/TERM
# sent to this script are handled at once (bash defers traps until a
# foreground child ends). They run in their own session/process group
# (setsid) so that on a signal the whole tree started here - dotnet,
# vstest.console, testhost - is stopped, not just the top process.
CHILD_GROUP=0
run_child() {
    local rc=0
    if command -v setsid >/dev/null 2>&1; then
        setsid "$@" </dev/null &
        CHILD_GROUP=1
    else
        "$@" </dev/null &
        CHILD_GROUP=0
    fi
    CHILD_PID=$!
    wait "$CHILD_PID" || rc=$?
    CHILD_PID=""
    return "$rc"
}
signal_child() { # signal_child <SIG>
    if ((CHILD_GROUP)); then
        kill "-$1" -- "-$CHILD_PID" 2>/dev/null || kill "-$1" "$CHILD_PID" 2>/dev/null || true
    else
        kill "-$1" "$CHILD_PID" 2>/dev/null || true
    fi
}
on_signal() {
    trap - EXIT INT TERM
    if [[ -n "$CHILD_PID" ]]; then
        signal_child TERM
        local i
        for ((i = 0; i < 100; i++)); do
            if ((CHILD_GROUP)); then
                kill -0 -- "-$CHILD_PID" 2>/dev/null || break
            else
                kill -0 "$CHILD_PID" 2>/dev/null || break
            fi
            sleep 0.1
        done
        signal_child KILL
    fi
    stop_postgres
    echo "test.sh: interrupted" >&2
    exit "$1"
}
trap stop_postgres EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

if [[ -n "${C360_TEST_POSTGRES:-}" ]]; then
    step "Using the PostgreSQL server from C360_TEST_POSTGRES (already set)"
else
    step "Starting a throwaway PostgreSQL cluster"
    PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/c360-pg.XXXXXX")"
    # With CI set and running as root, the script apt-get installs PostgreSQL
    # if it is missing (a fresh CI machine may lack it).
    C360_TEST_POSTGRES="$("$ROOT/scripts/postgres-test-cluster.sh" start "$PG_DIR")"
    export C360_TEST_POSTGRES
    echo "C360_TEST_POSTGRES=$C360_TEST_POSTGRES"
fi

# --- 4. build -------------------------------------------------------------------
step "Building ($SOLUTION, Release)"
if ! run_child dotnet build "$SOLUTION" -c Release --no-restore -nodeReuse:false; then
    stop_postgres
    fail "build failed; no tests were run."
    echo "0 passed, 0 failed"
    exit 1
fi

# --- 5. test --------------------------------------------------------------------
RESULTS_DIR="$ROOT/TestResults/latest"
rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"

step "Running tests"
test_rc=0
run_child dotnet test "$SOLUTION" -c Release --no-build \
    --results-directory "$RESULTS_DIR" \
    --logger "trx;LogFilePrefix=Community360" \
    --logger "console;verbosity=minimal" \
    "$@" || test_rc=$?

stop_postgres

# --- 6. summary from the TRX files ----------------------------------------------
# <Counters total="" executed="" passed="" failed="" error="" timeout="" aborted=""
#           inconclusive="" ... notExecuted="" ... />
counter() { # counter <name> <counters-element>
    local v
    v="$(printf '%s\n' "$2" | sed -n -E "s/.*[[:space:]]$1=\"([0-9]+)\".*/\1/p")"
    echo "${v:-0}"
}

total=0 executed=0 passed=0 failed=0 not_executed=0 trx_count=0
while IFS= read -r -d '' trx; do
    trx_count=$((trx_count + 1))
    counters="$(tr '\n\r' '  ' <"$trx" | grep -o '<Counters[^>]*>' | head -n 1 || true)"
    [[ -n "$counters" ]] || { fail "no <Counters> element in $trx"; continue; }
    total=$((total + $(counter total "$counters")))
    executed=$((executed + $(counter executed "$counters")))
    passed=$((passed + $(counter passed "$counters")))
    failed=$((failed + $(counter failed "$counters") + $(counter error "$counters") \
        + $(counter timeout "$counters") + $(counter aborted "$counters")))
    not_executed=$((not_executed + $(counter notExecuted "$counters")))
done < <(find "$RESULTS_DIR" -type f -name '*.trx' -print0)

skipped=$((total - executed))
((skipped >= not_executed)) || skipped=$not_executed
((skipped >= 0)) || skipped=0

status=0
if ((test_rc != 0)); then
    fail "dotnet test exited with code $test_rc."
    status=1
fi
if ((trx_count == 0)); then
    fail "no .trx results were produced in $RESULTS_DIR."
    status=1
elif ((executed == 0)); then
    fail "zero tests ran."
    status=1
fi
((failed == 0)) || status=1

echo "TRX results: $RESULTS_DIR ($trx_count file(s))"
summary="$passed passed, $failed failed"
((skipped == 0)) || summary+=", $skipped skipped"
echo "$summary"
exit "$status"
