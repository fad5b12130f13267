#!/usr/bin/env bash
# Measures our release build under wrk beside the peer servers of ../shared/bench, in one run:
# requests/s, p50/p99 latency, server CPU per request, peak RSS, cold start; keep-alive at 64
# connections and `Connection: close`.
#   bench/run.sh               framework tier: bench-server (the HTTPServer module alone)
#   TIER=app bench/run.sh      app tier: the backend's API (login, users/me, items)
# Knobs pass through to ../shared/bench/run.sh: ROUNDS=3, PEERS="nginx hummingbird", DURATION...
# Reports land in bench/results/. Do not run it while anything else is compiling.
set -euo pipefail
cd "$(dirname "$0")/.."
flags=(-c release --static-swift-stdlib)
tier="${TIER:-framework}"
if [ "$tier" = app ]; then
    swift build "${flags[@]}" --product backend
    export TARGET_CMD="${TARGET_CMD:-LOG_LEVEL=warning exec $(swift build "${flags[@]}" --show-bin-path)/backend serve}"
    export TARGET_NAME="${TARGET_NAME:-swift-backend}"
else
    swift build "${flags[@]}" --product BenchServer
    export TARGET_CMD="${TARGET_CMD:-exec $(swift build "${flags[@]}" --show-bin-path)/BenchServer}"
    export TARGET_NAME="${TARGET_NAME:-swift-httpserver}"
fi
export BENCH_RESULTS="${BENCH_RESULTS:-$PWD/bench/results}"
mkdir -p "$BENCH_RESULTS"
exec bash ../shared/bench/run.sh
