#!/usr/bin/env bash
# Benchmarks FirstlineHTTP alone: builds firstline-http-echo in release, starts it on a free
# port, runs wrk (keep-alive, 64 connections) and prints requests/s and p99 per run.
#
#   Tests/bench/http_bench.sh [--offload] [--runs N] [--duration 10s] [--connections 64]
#
# --offload answers from a DispatchQueue (the service's path) instead of the loop thread.
set -euo pipefail
cd "$(dirname "$0")/../.."

offload=""
runs=3
duration=10s
connections=64
while [ $# -gt 0 ]; do
    case "$1" in
        --offload) offload="--offload"; shift ;;
        --runs) runs="$2"; shift 2 ;;
        --duration) duration="$2"; shift 2 ;;
        --connections) connections="$2"; shift 2 ;;
        *) echo "usage: $0 [--offload] [--runs N] [--duration 10s] [--connections 64]" >&2; exit 64 ;;
    esac
done
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }

swift build -c release --product firstline-http-echo >/dev/null
binary="$(swift build -c release --show-bin-path)/firstline-http-echo"
output="$(mktemp)"
"$binary" --port 0 $offload >"$output" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$output"' EXIT
for _ in $(seq 1 50); do
    grep -q "listening on" "$output" && break
    sleep 0.1
done
port="$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$output")"
[ -n "$port" ] || { echo "the server did not start:" >&2; cat "$output" >&2; exit 1; }

echo "firstline-http-echo ${offload:-(on the loop)} port $port: wrk -t2 -c$connections -d$duration --latency, $runs runs"
wrk -t2 -c"$connections" -d2s "http://127.0.0.1:$port/" >/dev/null # warm-up
results=()
for run in $(seq 1 "$runs"); do
    report="$(wrk -t2 -c"$connections" -d"$duration" --latency "http://127.0.0.1:$port/")"
    rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$report")"
    p99="$(awk '$1 == "99%" { print $2 }' <<<"$report")"
    errors="$(awk '/Socket errors|Non-2xx/ { print }' <<<"$report" | tr '\n' ' ')"
    echo "run $run: $rps req/s, p99 $p99 ${errors}"
    results+=("$rps")
done
median="$(printf '%s\n' "${results[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
echo "median: $median req/s"
