#!/usr/bin/env bash
# Measures our release build under wrk beside the peer servers of ../shared/bench, in one run:
# requests/s, p50/p99 latency, server CPU per request, peak RSS, cold start; keep-alive at 64
# connections and `Connection: close`.
#   bench/run.sh               framework tier: bench-server (the HTTPServer module alone)
#   TIER=app bench/run.sh      app tier: the backend's API (login, users/me, items)
#   TIER=web bench/run.sh      web tier: `BenchServer web` in the framework tier (its /json through
#                              the Web layer, its health check bare), then bench/web_tier.py on the
#                              same binary: health check, GET model, POST validated, their ratios
# Knobs pass through to ../shared/bench/run.sh: ROUNDS=3, PEERS="nginx hummingbird", DURATION...
# Reports land in bench/results/. Do not run it while anything else is compiling.
set -euo pipefail
cd "$(dirname "$0")/.."
flags=(-c release --static-swift-stdlib)
tier="${TIER:-framework}"
product=BenchServer
case "$tier" in
app) product=backend command="LOG_LEVEL=warning exec BIN/backend serve" name=swift-backend ;;
web) command="exec BIN/BenchServer web" name=swift-web ;;
*) command="exec BIN/BenchServer" name=swift-httpserver ;;
esac
swift build "${flags[@]}" --product "$product"
bin="$(swift build "${flags[@]}" --show-bin-path)"
export TARGET_CMD="${TARGET_CMD:-${command/BIN/$bin}}" TARGET_NAME="${TARGET_NAME:-$name}"
export BENCH_RESULTS="${BENCH_RESULTS:-$PWD/bench/results}"
mkdir -p "$BENCH_RESULTS"
if [ "$tier" != web ]; then exec bash ../shared/bench/run.sh; fi

# The web tier: the framework tier with the peers, then the web tier's own turn on the same binary.
marker="$(mktemp)"
TIER=framework bash ../shared/bench/run.sh
harness_json="$(find "$BENCH_RESULTS" -maxdepth 1 -name '*.json' -newer "$marker" | sort | tail -n 1)"
rm -f "$marker"
exec python3 -B bench/web_tier.py "$bin/BenchServer" ${harness_json:+"$harness_json"}
