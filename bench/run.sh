#!/usr/bin/env bash
# Every row of issue #8's benchmark table, each beside its baseline in the same run, RUNS times (min / median /
# max over the runs). Writes the raw tables, the machine and the load beside each scenario to $OUT
# (default bench/results/run-<UTC time>.md); docs/benchmarks.md quotes such a file.
#
#   bench/run.sh                     # the issue's sizes: 60 s ingest phases, 5 M events replayed (long: over an hour)
#   bench/run.sh --quick             # short phases and a smaller replay, to see that everything works (~15 min)
#   LOAD_SECONDS=20 REPLAY_DAYS=365 bench/run.sh   # any size in between; every size used is printed in $OUT
#
# Sizes (environment): RUNS (3), LOAD_SECONDS (60) per ingest phase after INGEST_WARMUP (20) s, CONNECTIONS (4) posting
# to the embedded server and REDIS_CONNECTIONS (16) to the server on Redis (its 200s wait for fsync'd writes, so it is
# measured at a concurrency that keeps the machine busy, as its redis-benchmark baseline's 50 clients are), PUSH_SECONDS (20) per push
# phase, BOARDS (1000), FANOUT_BOARDS (5000), REPLAY_DAYS (1437: about 5 M simulated events), MEMORY_GRAINS (2000),
# SCENARIOS (all: "ingest redis push fanout replay memory spc" in any subset), BOARD_CLIENT (light: the load tool's
# light SignalR board for the push and fan-out rows; signalr: the real .NET client; "light signalr": both, one after
# the other).
#
# Everything is real: the Release server (embedded, then on its own redis-server with AOF appendfsync always),
# boards speaking the SignalR protocol over WebSockets (see BOARD_CLIENT), redis-benchmark, monitor simulate and monitor replay. Baselines run in
# the load tool's process (bench/Monitor.LoadTest), so client, baseline and server share the machine's cores.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--quick" ]]; then
  : "${LOAD_SECONDS:=10}" "${PUSH_SECONDS:=5}" "${REPLAY_DAYS:=60}" "${MEMORY_GRAINS:=500}" "${FANOUT_BOARDS:=1000}"
fi
RUNS=${RUNS:-3}
LOAD_SECONDS=${LOAD_SECONDS:-60}
CONNECTIONS=${CONNECTIONS:-4}
REDIS_CONNECTIONS=${REDIS_CONNECTIONS:-16}
PUSH_SECONDS=${PUSH_SECONDS:-20}
BOARDS=${BOARDS:-1000}
FANOUT_BOARDS=${FANOUT_BOARDS:-5000}
REPLAY_DAYS=${REPLAY_DAYS:-1437}
MEMORY_GRAINS=${MEMORY_GRAINS:-2000}
# Distinct bodies of 1,000 events prepared for each run of the ingest rows (the load tool makes each run's anew, with
# ids of their own): enough for a phase and its warm-up at 250,000 events/s (the target), so the monitor is never sent
# an event twice (a resent batch is answered as duplicates, which is cheaper and would flatter the figure; the
# table's duplicates column shows it if it ever happens). About 177 KiB each, 3.5 GB a run at 60 s phases.
# The ingest rows' warm-up before each measured phase: a fresh server spends its first 15 to 20 s under this load
# compiling (tiered JIT promotes thousands of methods, on a background thread that shares the 2 cores), at about
# half its later rate; measured from the JIT's events in docs/benchmarks.md.
INGEST_WARMUP=${INGEST_WARMUP:-20}
BODIES=${BODIES:-$(( (LOAD_SECONDS + INGEST_WARMUP) * 250 ))}
SCENARIOS=${SCENARIOS:-"ingest redis push fanout replay memory spc"}
BOARD_CLIENT=${BOARD_CLIENT:-light}
mkdir -p bench/results
OUT=${OUT:-bench/results/run-$(date -u +%Y%m%dT%H%M%SZ).md}
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  pids=()
  # The servers the load tool's hook started (fresh_server_hook) are not this shell's children.
  local pid_file
  for pid_file in "$work"/*.pid; do
    if [[ -s "$pid_file" ]]; then kill "$(cat "$pid_file")" 2>/dev/null || true; fi
    rm -f "$pid_file"
  done
}
trap 'cleanup; rm -rf "$work"' EXIT
wants() { [[ " $SCENARIOS " == *" $1 "* ]]; }
say() { echo "bench: $*" >&2; }
load() { echo "load: \`$(uptime | sed 's/^ *//')\`"; }

echo "bench: building Release" >&2
for project in src/Monitor.Server src/Monitor.Cli bench/Monitor.LoadTest bench/Monitor.Benchmarks; do
  dotnet build -c Release -v quiet -nologo "$project" >>"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
done
server_dll=src/Monitor.Server/bin/Release/net10.0/Monitor.Server.dll
cli_dll=src/Monitor.Cli/bin/Release/net10.0/monitor.dll
load_dll=bench/Monitor.LoadTest/bin/Release/net10.0/Monitor.LoadTest.dll

# Credentials for this run only: a signing key, a feed key of Warwickshire (no rate limit worth the name) and a
# wallboard token, as docs/security.md describes for scripts.
export Monitor__Auth__SigningKey; Monitor__Auth__SigningKey=$(openssl rand -base64 32)
feed_key="mfk_bench$(openssl rand -hex 24)"
export Monitor__Feeds__0__KeyHash="sha256:$(printf %s "$feed_key" | sha256sum | cut -d' ' -f1)"
export Monitor__Feeds__0__Force=warwickshire
export Monitor__Feeds__0__RequestsPerMinute=100000000
# Every board connects as the same person here, so the per-person rate limit (600 requests a minute: SignalR's
# negotiate and connect count) is lifted for the run; real boards each have their own token.
export Monitor__RateLimits__UserRequestsPerMinute=100000000
token=$(dotnet "$cli_dll" token --role wallboard --name bench --force warwickshire --minutes 600)

# A port outside the kernel's ephemeral range: thousands of board connections leave that range full of sockets
# that a listening check does not see (a later server then fails to bind), so candidates come from below it.
free_port() {
  local candidate low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  for _ in $(seq 1 50); do
    candidate=$((10000 + RANDOM % (low - 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then echo "$candidate"; return; fi
  done
  echo "bench: no free port found" >&2; exit 1
}

# start_server NAME [server args...]: sets $url and $server_pid. Request, Orleans and Polly logs at Warning, as
# src/Monitor.Server/appsettings.json has them (the content root here is the repository, so it is not read).
start_server() {
  local name=$1; shift
  local port; port=$(free_port)
  dotnet "$server_dll" --urls "http://127.0.0.1:$port" --Logging:LogLevel:Microsoft.AspNetCore=Warning --Logging:LogLevel:Orleans=Warning \
    --Logging:LogLevel:Polly=Warning "$@" >"$work/server-$name.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  url="http://127.0.0.1:$port"
  local deadline=$((SECONDS + 120))
  until curl -fs "$url/readyz" >/dev/null 2>&1; do
    if ! kill -0 "$server_pid" 2>/dev/null; then say "the server exited:"; cat "$work/server-$name.log" >&2; exit 1; fi
    if (( SECONDS > deadline )); then say "the server was not ready within 120 s"; exit 1; fi
    sleep 0.5
  done
}
stop_servers() { cleanup; }

# fresh_server_hook NAME PREPARE [server args...]: writes a script the load tool runs before each run's monitor phase
# (--before-monitor): it stops the server the last run used, runs PREPARE (emptying Redis, say), and starts a new
# one on the same port, so every run measures a server from the same empty state. Sets $url and $hook.
fresh_server_hook() {
  local name=$1 prepare=$2; shift 2
  local port; port=$(free_port)
  url="http://127.0.0.1:$port"
  hook="$work/fresh-$name.sh"
  {
    echo 'set -euo pipefail'
    echo "pid_file='$work/$name.pid'"
    echo 'if [[ -s "$pid_file" ]]; then old=$(cat "$pid_file"); kill "$old" 2>/dev/null || true; while kill -0 "$old" 2>/dev/null; do sleep 0.2; done; fi'
    echo "$prepare"
    printf 'dotnet %q --urls %q --Logging:LogLevel:Microsoft.AspNetCore=Warning --Logging:LogLevel:Orleans=Warning --Logging:LogLevel:Polly=Warning' "$server_dll" "$url"
    (( $# == 0 )) || printf ' %q' "$@"
    echo " >'$work/server-$name-'"\$1"'.log' 2>&1 &"
    echo 'echo $! >"$pid_file"'
    echo 'deadline=$((SECONDS + 120))'
    echo "until curl -fs '$url/readyz' >/dev/null 2>&1; do if (( SECONDS > deadline )); then echo 'the server was not ready within 120 s' >&2; exit 1; fi; sleep 0.5; done"
  } >"$hook"
}
# server_errors NAME: the errors the fresh servers of a row logged (a failed request is a finding, not noise).
server_errors() {
  local log found=""
  for log in "$work"/server-"$1"-*.log; do
    [[ -f "$log" ]] || continue
    if grep -qE '^(fail|crit):' "$log"; then
      found=1
      echo; echo "Errors the server of $(basename "$log" .log) logged (first 40 lines):"; echo
      # sed, not head: head would leave grep writing to a closed pipe, and pipefail would end the whole run.
      grep -A4 -E '^(fail|crit):' "$log" | sed -n '1,40s/^/    /p'
    fi
  done
  [[ -n "$found" ]] || { echo; echo "No errors in the servers' logs."; }
}
fresh_server_rss() { echo "server RSS after the last run: $(( $(awk '/VmRSS/ {print $2}' "/proc/$(cat "$work/$1.pid")/status") / 1024 )) MiB"; }
# Waits for the server to stop before Redis is stopped: a silo shutting down still writes its membership there.
stop_fresh_server() {
  [[ -s "$work/$1.pid" ]] || return 0
  local pid; pid=$(cat "$work/$1.pid"); rm -f "$work/$1.pid"
  kill "$pid" 2>/dev/null || return 0
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS > deadline )); then kill -9 "$pid" 2>/dev/null || true; break; fi
    sleep 0.2
  done
}

model=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
{
  echo "# bench/run.sh, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $model, $(nproc) cores ($(lscpu | sed -n 's/^Thread(s) per core:[[:space:]]*//p' | head -1) thread(s) per core), $(free -h | awk '/^Mem:/ {print $2}') memory;"
  echo "$(. /etc/os-release && echo "$PRETTY_NAME"), Linux $(uname -r); .NET SDK $(dotnet --version); $(if command -v redis-server >/dev/null; then redis-server --version | cut -d' ' -f1-3; else echo "no redis-server (the Redis row needs one: ./test.sh installs it)"; fi)."
  echo
  echo "Sizes: RUNS=$RUNS LOAD_SECONDS=$LOAD_SECONDS INGEST_WARMUP=$INGEST_WARMUP CONNECTIONS=$CONNECTIONS REDIS_CONNECTIONS=$REDIS_CONNECTIONS PUSH_SECONDS=$PUSH_SECONDS BOARDS=$BOARDS FANOUT_BOARDS=$FANOUT_BOARDS BOARD_CLIENT='$BOARD_CLIENT' REPLAY_DAYS=$REPLAY_DAYS MEMORY_GRAINS=$MEMORY_GRAINS BODIES=$BODIES"
  echo
  load
  echo
} >"$OUT"

if wants ingest; then
  say "ingest, embedded: $RUNS runs x (parse-only, monitor on a fresh server) x ($INGEST_WARMUP s warm-up + $LOAD_SECONDS s)"
  fresh_server_hook ingest ":"
  { echo "## Ingest, embedded (batches of 1,000, $CONNECTIONS connections, $INGEST_WARMUP s warm-up + $LOAD_SECONDS s per phase, a fresh server for each run)"; echo; load; echo; } >>"$OUT"
  dotnet "$load_dll" --url "$url" --api-key "$feed_key" --connections "$CONNECTIONS" --seconds "$LOAD_SECONDS" --warmup "$INGEST_WARMUP" --runs "$RUNS" \
    --batches "$BODIES" --before-monitor "bash $hook" >>"$OUT" 2>"$work/ingest.log" || say "ingest: failed requests (see the table)"
  fresh_server_rss ingest >>"$OUT"
  stop_fresh_server ingest
  server_errors ingest >>"$OUT"
  { echo; load; echo; } >>"$OUT"
fi

if wants redis; then
  say "ingest with Redis (appendonly yes, appendfsync always)"
  rport=$(free_port)
  mkdir -p "$work/redis"
  redis-server --port "$rport" --bind 127.0.0.1 --dir "$work/redis" --appendonly yes --appendfsync always --save "" --daemonize no >"$work/redis.log" 2>&1 &
  pids+=("$!")
  until redis-cli -p "$rport" ping >/dev/null 2>&1; do sleep 0.2; done
  # Each run: a fresh server on an emptied Redis (FLUSHALL; the command counts below keep adding up).
  fresh_server_hook redis "redis-cli -p $rport flushall >/dev/null" "--Monitor:Redis=127.0.0.1:$rport"
  redis-cli -p "$rport" config resetstat >/dev/null
  { echo "## Ingest with Redis (AOF appendfsync always; 200 = persisted), $REDIS_CONNECTIONS connections, $INGEST_WARMUP s warm-up + $LOAD_SECONDS s per phase, a fresh server on an emptied Redis for each run"; echo; load; echo; } >>"$OUT"
  dotnet "$load_dll" --url "$url" --api-key "$feed_key" --connections "$REDIS_CONNECTIONS" --seconds "$LOAD_SECONDS" --warmup "$INGEST_WARMUP" --runs "$RUNS" \
    --batches "$BODIES" --before-monitor "bash $hook" >"$work/redis-ingest.md" 2>"$work/redis-ingest.log" || say "redis ingest: failed requests (see the table)"
  stop_fresh_server redis
  cat "$work/redis-ingest.md" >>"$OUT"
  server_errors redis >>"$OUT"
  # The writes the monitor made, per event accepted: commands and bytes, for the redis-benchmark baseline.
  calls=$(redis-cli -p "$rport" info commandstats | tr -d '\r' | grep -E '^cmdstat_(rpush|set|hset|hmset|eval|evalsha|del|ltrim|lpop):' | sed -E 's/^[^:]*:calls=([0-9]+),.*/\1/' | paste -sd+ | bc)
  written=$(redis-cli -p "$rport" info stats | tr -d '\r' | sed -n 's/^total_net_input_bytes://p')
  accepted=$(grep -E '^\| [0-9]+ \| monitor' "$work/redis-ingest.md" | awk -F'|' '{gsub(/[ ,]/,"",$9); s+=$9} END {print s+0}')
  {
    echo
    echo "Redis writes during the monitor phases (warm-ups included): $calls write commands, $written bytes received, for $accepted events accepted in the measured phases."
    echo
    redis-cli -p "$rport" info commandstats | tr -d '\r' | grep '^cmdstat' | sed 's/^/    /'
    echo
  } >>"$OUT"
  stop_servers
  # Baseline: redis-benchmark of the same writes (SET of the mean payload, pipelined as the server's multiplexer
  # does) on a fresh redis-server with the same AOF settings.
  bport=$(free_port)
  mkdir -p "$work/redis-bench"
  redis-server --port "$bport" --bind 127.0.0.1 --dir "$work/redis-bench" --appendonly yes --appendfsync always --save "" --daemonize no >"$work/redis-bench.log" 2>&1 &
  pids+=("$!")
  until redis-cli -p "$bport" ping >/dev/null 2>&1; do sleep 0.2; done
  size=$(( calls > 0 ? written / calls : 100 ))
  echo "Mean bytes per write command: $size. Baseline events/s = redis-benchmark requests/s / ($calls / events sent to the monitor, warm-ups included: see the load tool's requests column)." >>"$OUT"
  echo >>"$OUT"
  echo "| run | redis-benchmark SET -d $size, 50 clients, pipeline 16: requests/s |" >>"$OUT"
  echo "|----:|------:|" >>"$OUT"
  for run in $(seq 1 "$RUNS"); do
    rps=$(redis-benchmark -p "$bport" -t set -d "$size" -n 200000 -c 50 -P 16 -r 1000000 -q --csv | tail -1 | cut -d, -f2 | tr -d '"')
    echo "| $run | $rps |" >>"$OUT"
  done
  { echo; load; echo; } >>"$OUT"
  stop_servers
fi

push_header() {
  echo "| endpoint | run | boards connected | events/s | batches | failed POSTs | receipts/expected | p50 ms | p99 ms | % within 250 ms | server KiB/connection | POST p50 ms | POST p99 ms | pushes received | server CPU % | server CPU µs a push received, above idle |"
  echo "|----------|----:|-----------------:|---------:|--------:|-------------:|------------------:|-------:|-------:|----------------:|----------------------:|------------:|------------:|----------------:|-------------:|------------------------------:|"
}

if wants push; then
  start_server push
  # The light board checked against the real client first: 20 boards, half each, must receive the same pushes.
  say "push check: the light board against the real SignalR client"
  { echo "## The light board against the real SignalR client (20 boards, half each, 50 events/s, 5 s)"; echo; push_header; } >>"$OUT"
  dotnet "$load_dll" push-check --url "$url" --token "$token" --api-key "$feed_key" >>"$OUT" 2>>"$work/push.log" || say "push check: FAILED (see the table)"
  echo >>"$OUT"
  for client in $BOARD_CLIENT; do
    # 1 event/s is not a row of the issue's table: each event alone, no push queued behind another, so its p50 is
    # what one push to every board costs here: the monitor's beside the bare SignalR baseline's and a raw WebSocket
    # broadcast's (no SignalR, no grains: the least any push to these boards can cost on this machine). After the
    # 100 events/s phase, which has warmed the server's code.
    for spec in "100 1 signalr" "1 1 signalr,websocket" "10000 100 signalr"; do
      read -r rate batch baselines <<<"$spec"
      say "push latency: $BOARDS boards ($client), $rate events/s (batches of $batch)"
      { echo "## POST to SignalR receipt, $BOARDS boards ($client client), $rate events/s (batches of $batch), $PUSH_SECONDS s"; echo; load; echo; push_header; } >>"$OUT"
      dotnet "$load_dll" push --url "$url" --token "$token" --api-key "$feed_key" --boards "$BOARDS" --rate "$rate" --batch "$batch" --baseline "$baselines" \
        --board-client "$client" --seconds "$PUSH_SECONDS" --runs "$RUNS" --server-pid "$server_pid" >>"$OUT" 2>>"$work/push.log" || say "push: failures (see the table)"
      { echo; load; echo; } >>"$OUT"
    done
  done
  stop_servers
fi

if wants fanout; then
  for client in $BOARD_CLIENT; do
    say "fan-out: $FANOUT_BOARDS boards ($client), 1 update/s"
    start_server fanout
    { echo "## $FANOUT_BOARDS boards ($client client), 1 update/s each (raw WebSocket baseline), $PUSH_SECONDS s"; echo; load; echo; push_header; } >>"$OUT"
    dotnet "$load_dll" push --url "$url" --token "$token" --api-key "$feed_key" --boards "$FANOUT_BOARDS" --rate 1 --batch 1 --baseline websocket \
      --board-client "$client" --seconds "$PUSH_SECONDS" --runs "$RUNS" --server-pid "$server_pid" >>"$OUT" 2>>"$work/fanout.log" || say "fan-out: failures (see the table)"
    { echo; load; echo; } >>"$OUT"
    stop_servers
  done
fi

if wants replay; then
  say "replay: simulating $REPLAY_DAYS days"
  file="$work/replay.ndjson"
  from=$(date -u -d "-$REPLAY_DAYS days" +%Y-%m-%d)
  dotnet "$cli_dll" simulate --out "$file" --from "$from" --days "$REPLAY_DAYS" --seed 2017 >"$work/simulate.log" 2>&1
  events=$(wc -l <"$file")
  { echo "## Replay of $events events ($REPLAY_DAYS simulated days, seed 2017) against parse-only of the same file"; echo; load; echo; } >>"$OUT"
  echo "| endpoint | run | events | seconds | events/s |" >>"$OUT"
  echo "|----------|----:|-------:|--------:|---------:|" >>"$OUT"
  dotnet "$load_dll" parse-file --file "$file" --runs "$RUNS" >>"$OUT" 2>>"$work/parse.log"
  for run in $(seq 1 "$RUNS"); do
    start_server "replay$run"
    started=$(date +%s.%N)
    dotnet "$cli_dll" replay "$file" --server "$url" --api-key "$feed_key" >"$work/cli-replay$run.log" 2>&1 || say "replay $run failed: $(tail -2 "$work/cli-replay$run.log")"
    seconds=$(echo "$(date +%s.%N) - $started" | bc -l)
    printf '| monitor replay | %d | %s | %.2f | %.0f |\n' "$run" "$events" "$seconds" "$(echo "$events / $seconds" | bc -l)" >>"$OUT"
    grep -h "replayed" "$work/cli-replay$run.log" | tail -1 | sed "s/^/    run $run: /" >>"$work/replay-summary.txt" || true
    stop_servers
  done
  { echo; cat "$work/replay-summary.txt"; echo; load; echo; } >>"$OUT"
  rm -f "$file"
fi

if wants memory; then
  say "memory per measure series"
  { echo "## Memory per measure grain's series ($MEMORY_GRAINS series per line; managed heap after a full GC)"; echo; load; echo; } >>"$OUT"
  for run in $(seq 1 "$RUNS"); do
    echo "Run $run:" >>"$OUT"; echo >>"$OUT"
    dotnet "$load_dll" memory --grains "$MEMORY_GRAINS" >>"$OUT" 2>>"$work/memory.log"
    echo >>"$OUT"
  done
fi

if wants spc; then
  say "BenchmarkDotNet (short job): SPC chart of 10,000 points and the ingest hot paths"
  rm -rf BenchmarkDotNet.Artifacts
  { echo "## BenchmarkDotNet, ShortRun (3 iterations; Min / Median / Max columns over them)"; echo; load; echo; } >>"$OUT"
  dotnet bench/Monitor.Benchmarks/bin/Release/net10.0/Monitor.Benchmarks.dll --filter '*' --job short --exporters github >"$work/bdn.log" 2>&1 || { tail -50 "$work/bdn.log"; exit 1; }
  for report in BenchmarkDotNet.Artifacts/results/*-report-github.md; do
    echo "### $(basename "$report" -report-github.md | sed 's/^Monitor\.Benchmarks\.//')" >>"$OUT"
    echo >>"$OUT"
    sed -n '/^| /,$p' "$report" | sed "s/&#39;/'/g" >>"$OUT"
    echo >>"$OUT"
  done
  rm -rf BenchmarkDotNet.Artifacts
fi

{ echo "Finished $(date -u +%H:%MZ)."; load; } >>"$OUT"
say "wrote $OUT"
