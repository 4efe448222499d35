#!/usr/bin/env bash
# The one test command: installs what the tests need and this machine lacks, then runs every test.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing test prerequisites: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# A test that hangs fails the run within minutes, naming itself, instead of holding CI until its time runs out.
dotnet test Monitor.sln -c Release --nologo --blame-hang-timeout 10m --blame-hang-dump-type none 2>&1 | tee "$log" || status=$?

# One closing line for the whole run, summed over the test projects.
awk '/^(Passed|Failed)!/ {
    if (match($0, /Failed: *[0-9]+/)) { split(substr($0, RSTART, RLENGTH), a, ":"); f += a[2] }
    if (match($0, /Passed: *[0-9]+/)) { split(substr($0, RSTART, RLENGTH), a, ":"); p += a[2] }
    if (match($0, /Skipped: *[0-9]+/)) { split(substr($0, RSTART, RLENGTH), a, ":"); s += a[2] }
  }
  END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
