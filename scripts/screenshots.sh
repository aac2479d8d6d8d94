#!/usr/bin/env bash
# Screenshots of every main page of the staff console, as each role sees it, for a person to look at.
#   scripts/screenshots.sh [output-dir]      (default: screenshots/)
# Builds the app, starts it in Development on a free loopback port with a fresh SQLite database (demo street and
# demo cases seeded), drives Debian's Chromium (/usr/bin/chromium) through Playwright, then stops the app.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT="$(mkdir -p "${1:-screenshots}" && cd "${1:-screenshots}" && pwd -P)"
WORK="$(mktemp -d)"
APP_PID=""
cleanup() { [[ -n "$APP_PID" ]] && kill "$APP_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

dotnet build src/Community360.Web -c Release -v quiet -nologo
dotnet build tools/Community360.Screenshots -c Release -v quiet -nologo
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
URL="http://127.0.0.1:$PORT"

(cd src/Community360.Web && ASPNETCORE_ENVIRONMENT=Development \
    Database__ConnectionString="Data Source=$WORK/screenshots.db" Attachments__RootPath="$WORK/attachments" \
    exec dotnet bin/Release/net10.0/Community360.Web.dll --urls "$URL") >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do
    curl -fs "$URL/health" >/dev/null 2>&1 && break
    kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.log" >&2; exit 1; }
    sleep 1
done
curl -fs "$URL/health" >/dev/null || { echo "the app did not start" >&2; tail -50 "$WORK/app.log" >&2; exit 1; }

dotnet tools/Community360.Screenshots/bin/Release/net10.0/Community360.Screenshots.dll "$URL" "$OUT"
echo "Screenshots in $OUT"
