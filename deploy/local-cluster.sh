#!/usr/bin/env bash
# A Monitor cluster on this machine: its own redis-server (append-only, fsync per write) and N Monitor
# processes on loopback, one Orleans cluster on that Redis and one SignalR backplane. The settings the
# processes share come from deploy/cluster.env, the file docker-compose.yml reads too; only ports and
# addresses (one machine) and credentials (made fresh for each run) are set here.
#
#   deploy/local-cluster.sh [N]     start N processes (default 3) and stay in the foreground;
#                                   Ctrl-C (or SIGTERM) stops every process and Redis
#   deploy/local-cluster.sh stop    stop the cluster started from another shell
#
# Environment (all optional):
#   MONITOR_CLUSTER_STATE   working directory: logs, Redis data, pids (default ${TMPDIR:-/tmp}/monitor-local-cluster)
#   MONITOR_SERVER_DLL      the built server (default src/Monitor.Server/bin/Release/net10.0/Monitor.Server.dll;
#                           built when missing)
#   MONITOR_CLI_DLL         the built `monitor` command, to make the feed key and the token (default
#                           src/Monitor.Cli/bin/Release/net10.0/monitor.dll; built when missing)
#   MONITOR_FORCE           the force of the feed key and the token (default warwickshire)
#   MONITOR_SIGNING_KEY     the token signing key (default: 32 fresh random bytes)
#   MONITOR_START_TIMEOUT   seconds to wait for every process to be ready (default 180)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
state=${MONITOR_CLUSTER_STATE:-${TMPDIR:-/tmp}/monitor-local-cluster}

say() { printf '%s\n' "$*"; }
fail() { printf 'local-cluster: %s\n' "$*" >&2; exit 2; }

alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null; }

# The state directory is removed with the cluster, its logs too: the end of a failed instance's log goes to stderr,
# where whoever started the cluster (a person, a test's failure message) sees why it failed.
log_tail() { if [[ -f $1 ]]; then printf 'local-cluster: the end of %s:\n' "$1" >&2; tail -n 40 "$1" >&2; fi; }

if [[ ${1:-} == stop ]]; then
    pid=$(cat "$state/script.pid" 2>/dev/null || true)
    if ! alive "$pid"; then
        say "local-cluster: no cluster running from $state"
        exit 0
    fi
    kill -TERM "$pid"
    # The script stops its processes (each drains, up to its shutdown timeout) and exits.
    for _ in $(seq 1 1200); do
        alive "$pid" || { say "local-cluster: stopped"; exit 0; }
        sleep 0.1
    done
    fail "the cluster (pid $pid) did not stop within 120 s"
fi

n=${1:-3}
[[ $n =~ ^[1-9]$ ]] || fail "N must be a number from 1 to 9 (got '$n'); usage: deploy/local-cluster.sh [N] | stop"

server_dll=${MONITOR_SERVER_DLL:-$root/src/Monitor.Server/bin/Release/net10.0/Monitor.Server.dll}
cli_dll=${MONITOR_CLI_DLL:-$root/src/Monitor.Cli/bin/Release/net10.0/monitor.dll}
force=${MONITOR_FORCE:-warwickshire}
start_timeout=${MONITOR_START_TIMEOUT:-180}

command -v redis-server >/dev/null || fail "redis-server is not installed (apt-get install redis-server)"
command -v dotnet >/dev/null || fail "dotnet is not installed"
# Children get a session of their own: a Ctrl-C in the terminal reaches this script only, which then
# stops the Monitor processes first (they drain) and Redis last.
command -v setsid >/dev/null || fail "setsid (util-linux) is not installed"
[[ -z ${MONITOR_SERVER_DLL:-} || -f $server_dll ]] || fail "MONITOR_SERVER_DLL: no such file: $server_dll"
[[ -z ${MONITOR_CLI_DLL:-} || -f $cli_dll ]] || fail "MONITOR_CLI_DLL: no such file: $cli_dll"
if [[ ! -f $server_dll ]]; then
    say "building the server ..."
    dotnet build "$root/src/Monitor.Server" -c Release --nologo -v quiet >/dev/null
fi
if [[ ! -f $cli_dll ]]; then
    say "building the monitor command ..."
    dotnet build "$root/src/Monitor.Cli" -c Release --nologo -v quiet >/dev/null
fi

mkdir -p "$state"
if alive "$(cat "$state/script.pid" 2>/dev/null || true)"; then
    fail "a cluster is already running from $state (deploy/local-cluster.sh stop)"
fi
rm -rf "$state/redis" "$state"/monitor-*.log "$state/instances"
mkdir -p "$state/redis"
echo $$ > "$state/script.pid"

# A port nothing listens on now, and not handed out before in this run. Below the kernel's ephemeral range: a port
# in it can become, at any moment, the local end of some outgoing connection (a test run makes thousands), which
# the check cannot see coming and which makes the listener's bind fail ("Address already in use").
taken=" "
ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
(( ephemeral_low > 11000 )) || ephemeral_low=32768
free_port() {
    local port
    while true; do
        port=$((10000 + RANDOM % (ephemeral_low - 10000)))
        [[ $taken == *" $port "* ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            taken+="$port "
            echo "$port"
            return
        fi
    done
}

# One HTTP GET on loopback with bash alone; prints the status code (000 when nothing answers).
http_status() {
    local port=$1 path=$2 line
    if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
        printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$path" >&3
        IFS=' ' read -r _ line _ <&3 || line=000
        exec 3>&-
        echo "${line:-000}"
    else
        echo 000
    fi
}

redis_pid=""
monitor_pids=()
stopping=0
stop_all() {
    [[ $stopping == 1 ]] && return
    stopping=1
    trap - INT TERM
    say "stopping ${#monitor_pids[@]} Monitor process(es) and Redis ..."
    local pid
    for pid in "${monitor_pids[@]}"; do alive "$pid" && kill -TERM "$pid" 2>/dev/null || true; done
    # Each finishes its batches in flight and leaves the cluster within its shutdown timeout (cluster.env).
    for _ in $(seq 1 450); do
        local running=0
        for pid in "${monitor_pids[@]}"; do alive "$pid" && running=1; done
        [[ $running == 0 ]] && break
        sleep 0.1
    done
    for pid in "${monitor_pids[@]}"; do alive "$pid" && kill -KILL "$pid" 2>/dev/null || true; done
    if alive "$redis_pid"; then
        kill -TERM "$redis_pid" 2>/dev/null || true
        for _ in $(seq 1 100); do alive "$redis_pid" || break; sleep 0.1; done
        alive "$redis_pid" && kill -KILL "$redis_pid" 2>/dev/null || true
    fi
    wait 2>/dev/null || true
    rm -f "$state/script.pid"
    say "stopped"
}
trap 'stop_all; exit 0' INT TERM
trap 'stop_all' EXIT

redis_port=$(free_port)
# The append-only settings of docker-compose.yml's Redis: a 200 from ingest survives a crash of Redis.
setsid redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$state/redis" \
    --appendonly yes --appendfsync always --save "" --logfile redis.log &
redis_pid=$!
for _ in $(seq 1 150); do
    [[ $(redis-cli -p "$redis_port" ping 2>/dev/null || true) == PONG ]] && break
    alive "$redis_pid" || fail "redis-server exited: $(tail -3 "$state/redis/redis.log" 2>/dev/null)"
    sleep 0.1
done

signing_key=${MONITOR_SIGNING_KEY:-$(head -c 32 /dev/urandom | base64)}
feed_json=$(dotnet "$cli_dll" keys new --force "$force" --id local-feed --json)
feed_key=$(grep -o '"key":"[^"]*"' <<<"$feed_json" | cut -d'"' -f4)
feed_hash=$(grep -o '"hash":"[^"]*"' <<<"$feed_json" | cut -d'"' -f4)
token=$(dotnet "$cli_dll" token --role wallboard --name "local cluster wallboard" --force "$force" --signing-key "$signing_key" --minutes 720)

# What every process shares (cluster id, service id, log format, shutdown timeout, ...).
set -a
# shellcheck source=cluster.env
. "$here/cluster.env"
set +a

: > "$state/instances"
for i in $(seq 1 "$n"); do
    http=$(free_port); silo=$(free_port); gateway=$(free_port); metrics=$(free_port)
    (
        export Monitor__Redis="127.0.0.1:$redis_port"
        export Monitor__Orleans__SiloPort=$silo Monitor__Orleans__GatewayPort=$gateway
        export Monitor__Orleans__AdvertisedAddress=127.0.0.1
        export Monitor__Metrics__Port=$metrics Monitor__Metrics__Host=127.0.0.1
        export ASPNETCORE_URLS="http://127.0.0.1:$http"
        export Monitor__Auth__SigningKey=$signing_key
        export Monitor__Feeds__0__Id=local-feed Monitor__Feeds__0__KeyHash=$feed_hash Monitor__Feeds__0__Force=$force
        exec setsid dotnet "$server_dll" >"$state/monitor-$i.log" 2>&1
    ) &
    monitor_pids+=($!)
    echo "monitor-$i http=http://127.0.0.1:$http silo=127.0.0.1:$silo gateway=127.0.0.1:$gateway metrics=http://127.0.0.1:$metrics/metrics pid=$! log=$state/monitor-$i.log" >> "$state/instances"
done

deadline=$((SECONDS + start_timeout))
while read -r name http _ _ _ pid _; do
    port=${http##*:}
    pid=${pid#pid=}
    until [[ $(http_status "$port" /readyz) == 200 ]]; do
        alive "$pid" || { log_tail "$state/$name.log"; fail "$name exited before it was ready; its log: $state/$name.log"; }
        (( SECONDS < deadline )) || { log_tail "$state/$name.log"; fail "$name was not ready within $start_timeout s; its log: $state/$name.log"; }
        sleep 0.2
    done
done < "$state/instances"

cat "$state/instances"
say "redis=127.0.0.1:$redis_port pid=$redis_pid (append-only, data in $state/redis)"
say "feed key: $feed_key"
say "wallboard token: $token"
first_http=$(head -1 "$state/instances" | cut -d' ' -f2 | cut -d= -f2)
say "ready: $n Monitor process(es), one cluster (${Monitor__Orleans__ClusterId}); open $first_http/?access_token=$token"
say "Ctrl-C here, or deploy/local-cluster.sh stop, stops every process and Redis."

while true; do
    for i in "${!monitor_pids[@]}"; do
        if [[ -n ${monitor_pids[$i]} ]] && ! alive "${monitor_pids[$i]}"; then
            say "monitor-$((i + 1)) exited; the others go on (its log: $state/monitor-$((i + 1)).log)"
            monitor_pids[$i]=""
        fi
    done
    sleep 1 &
    wait $! || true
done
