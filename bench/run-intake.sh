#!/usr/bin/env bash
# Intake load test: builds, starts the app (Development, fresh SQLite file, no demo cases) on a free port, runs the
# open-loop load at --rate for --duration, then the closed-loop maximum with --concurrency clients, stops the app and
# prints its peak RSS (VmHWM). Everything lives in a temporary folder that is removed at the end.
#
#   bench/run-intake.sh [--rate 500] [--duration 30s] [--concurrency 16] [--no-build]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd -P)"

RATE=500
DURATION=30s
CONCURRENCY=16
BUILD=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rate) RATE="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --concurrency) CONCURRENCY="$2"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        *) echo "run-intake.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
if [[ $BUILD -eq 1 ]]; then
    dotnet build "$ROOT/src/Community360.Web" -c Release -v q -nologo 2>&1 | tail -2
    dotnet build "$ROOT/bench/Community360.Bench" -c Release -v q -nologo 2>&1 | tail -2
fi
WEB_BIN="$ROOT/src/Community360.Web/bin/Release/net10.0"
BENCH="$ROOT/bench/Community360.Bench/bin/Release/net10.0/Community360.Bench.dll"

WORK="$(mktemp -d /tmp/c360-intake.XXXXXX)"
DB="$WORK/intake.db"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
URL="http://127.0.0.1:$PORT"

(
    cd "$WEB_BIN"
    export ASPNETCORE_ENVIRONMENT=Development Database__Provider=Sqlite Database__ConnectionString="Data Source=$DB" \
        Seed__DemoData=true Seed__DemoCases=false Logging__LogLevel__Default=Warning
    exec dotnet Community360.Web.dll --urls "$URL"
) >"$WORK/app.log" 2>&1 &
APP=$!
cleanup() {
    if kill -0 "$APP" 2>/dev/null; then
        kill "$APP"
        wait "$APP" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

for _ in $(seq 1 240); do
    if curl -fs "$URL/health" >/dev/null 2>&1; then
        break
    fi
    if ! kill -0 "$APP" 2>/dev/null; then
        echo "run-intake.sh: the app exited:" >&2
        tail -20 "$WORK/app.log" >&2
        exit 1
    fi
    sleep 0.5
done
echo "app pid $APP on $URL, database $DB"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM, .NET $(dotnet --version)"

cd "$WORK"
dotnet "$BENCH" intake --url "$URL" --connection "Data Source=$DB" --rate "$RATE" --duration "$DURATION"
dotnet "$BENCH" intake --url "$URL" --connection "Data Source=$DB" --max --concurrency "$CONCURRENCY" --duration "$DURATION"

echo "app peak RSS (VmHWM): $(awk '/VmHWM/ {print $2, $3}' "/proc/$APP/status"), current RSS: $(awk '/VmRSS/ {print $2, $3}' "/proc/$APP/status")"
if grep -q '"level":"Error"' "$WORK/app.log"; then
    echo "app logged errors:"; grep '"level":"Error"' "$WORK/app.log" | head -5
fi
