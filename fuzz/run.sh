#!/usr/bin/env bash
# Builds the request-parser fuzzer with libFuzzer + AddressSanitizer and runs it.
#   fuzz/run.sh [seconds]     (default 60)
# The corpus grows in fuzz/corpus/ (seeded from fuzz/seeds/); crashes land in fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
out=.build-fuzz
mkdir -p "$out" fuzz/corpus fuzz/artifacts
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name HTTPServer \
    packages/backend/Sources/HTTPServer/HTTP/*.swift \
    fuzz/ParserFuzzer.swift -o "$out/parser-fuzzer"
"$out/parser-fuzzer" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
    -artifact_prefix=fuzz/artifacts/ fuzz/corpus fuzz/seeds
