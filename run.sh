#!/usr/bin/env bash
# Runs the monitor with the embedded default (in-memory, no Redis). Pass --demo for a live simulated feed.
set -euo pipefail
cd "$(dirname "$0")"
exec dotnet run --project src/Monitor.Server -c Release -- "$@"
