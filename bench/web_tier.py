#!/usr/bin/env python3
"""The web tier's own turn (bench/run.sh runs it right after the shared harness, TIER=web).

`BenchServer web` is started again, alone, and measured with the harness's own code (imported
from ../shared/bench/bench.py: the same wrk settings, warm-up, quiet-machine wait, CPU
accounting and retries), back to back in one process:

  GET  /api/v1/utils/health-check/  the bare HTTPServer responder (the reference);
  GET  /json                        the Web layer: router, model encoding;
  POST /items/                      the Web layer: router, JSON body, validation, model encoding
                                    (a wrk Lua script sends the body).

It prints requests/s, p50/p99 and server CPU per request of each, the two ratios to the health
check (the issue's target: at least 0.85 each), the same binary's numbers from the harness run
with the peers, and writes <harness stamp>-web.md (and .json) beside the harness's report.

    python3 bench/web_tier.py <BenchServer binary> <the harness's results .json>
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench"))
import bench  # noqa: E402  (the shared harness; only its functions run, its main() does not)

TARGET = 0.85
ITEM = {"title": "Load test item", "description": "Created under load by wrk", "priority": 2}
HEALTH, GET, POST = "health (bare)", "GET model (web)", "POST validated (web)"
RUNS = [
    bench.Run(HEALTH, "GET /api/v1/utils/health-check/", bench.HEALTH),
    bench.Run(GET, "GET /json", bench.JSON_PATH),
    bench.Run(POST, "POST /items/", "/items/", method="POST", body=json.dumps(ITEM, separators=(",", ":"))),
]
WHAT = {
    HEALTH: "`BareResponder` (HTTPServer alone)",
    GET: "Web: router, model encoding",
    POST: "Web: router, JSON body, validation, model encoding",
}


def check_web_routes(port: int, notes: list[str]) -> list[str]:
    """The harness's framework checks, then POST /items/: the body echoed, a bad one refused (422)."""
    problems = framework_checks(port, notes)
    client = bench.Client(port)
    try:
        headers = {"Content-Type": "application/json"}
        status, _, body = client.request("POST", "/items/", headers, RUNS[2].body)
        if status != 200 or json.loads(body) != ITEM:
            problems.append(f"POST /items/: {status} {body[:80]!r}")
        status, _, body = client.request("POST", "/items/", headers, '{"title":"","priority":9}')
        if status != 422 or b"string_too_short" not in body or b"less_than_equal" not in body:
            problems.append(f"POST /items/ with a bad body: {status} {body[:80]!r}")
    finally:
        client.close()
    return problems


framework_checks = bench.check_endpoints
bench.check_endpoints = check_web_routes  # one_turn checks the routes through this name
bench.TIERS["web"] = RUNS


def fmt_spread(values: list[float], spec: str) -> str:
    if not values:
        return "—"
    text = format(statistics.median(values), spec)
    return text + (f" ({min(values):{spec}}–{max(values):{spec}})" if len(values) > 1 else "")


def harness_numbers(path: str, target: str) -> str:
    """The same binary's health check and /json in the harness run with the peers."""
    with open(path) as f:
        data = json.load(f)
    per_label: dict[str, list[float]] = {}
    for turn in data["turns"]:
        if turn["server"] == target:
            for run in turn["runs"]:
                per_label.setdefault(run["label"], []).append(run["rps"])
    health, model = per_label.get("health", []), per_label.get("json", [])
    if not health or not model:
        return f"The harness run `{os.path.basename(path)}` has no numbers for `{target}`."
    ratio = statistics.median(model) / statistics.median(health)
    return (f"In the harness run with the peers (`{os.path.basename(path)[:-5]}.md`), the same binary: "
            f"health check {fmt_spread(health, '.0f')} req/s, GET /json {fmt_spread(model, '.0f')} req/s, "
            f"ratio {ratio:.2f}.")


def render(turns: list[dict], stamp: str, binary: str, harness: str | None, target: str) -> str:
    by_label: dict[str, list[dict]] = {}
    for turn in turns:
        for run in turn["runs"]:
            by_label.setdefault(run["label"], []).append(run)
    ratios: dict[str, list[float]] = {GET: [], POST: []}
    for turn in turns:
        runs = {run["label"]: run for run in turn["runs"]}
        for label in ratios:
            if HEALTH in runs and label in runs and runs[HEALTH]["rps"] > 0:
                ratios[label].append(runs[label]["rps"] / runs[HEALTH]["rps"])
    c = bench
    lines = [
        f"# Web layer vs the bare server: {stamp}",
        "",
        f"`{binary} web`, release. Each round one process, started alone, measured back to back: "
        f"`wrk -t{c.WRK_THREADS} -c{c.WRK_CONNS} -d{c.DURATION}s --latency` after a {c.WARMUP} s warm-up, "
        f"keep-alive; the POST through a wrk Lua script. Rounds: {len(turns)} (medians, with min–max).",
        "",
        "| run | answered by | requests/s | p50 ms | p99 ms | server CPU µs/req | ÷ health check |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in RUNS:
        rows = by_label.get(run.label, [])
        ratio = "1" if run.label == HEALTH else fmt_spread(ratios[run.label], ".2f")
        if run.label != HEALTH and ratios[run.label]:
            ratio += " ✓" if statistics.median(ratios[run.label]) >= TARGET else " ✗"
        errors = sum(r["errors"] + r["non2xx"] for r in rows)
        lines.append(
            f"| {run.title}{' (errors: %d)' % errors if errors else ''} | {WHAT[run.label]} | "
            f"{fmt_spread([r['rps'] for r in rows], '.0f')} | {fmt_spread([r['p50'] for r in rows], '.2f')} | "
            f"{fmt_spread([r['p99'] for r in rows], '.2f')} | {fmt_spread([r['us_per_req'] for r in rows], '.1f')} | "
            f"{ratio} |")
    lines += ["", f"Target: each Web run within 15% of the bare health check (ratio ≥ {TARGET}); the ratios "
              "are taken per round (one process, one run after the other), then their median."]
    if harness:
        lines += ["", harness_numbers(harness, target)]
    lines += ["", "Every run: " + "; ".join(
        f"round {t['round']} {r['label']}: {r['rps']:.0f} req/s, server {r['srv_cpu_pct']:.0f}%, "
        f"wrk {r['wrk_cpu_pct']:.0f}%, other load {r['other_pct']:.0f}%{' ⚠' if r['other_pct'] > c.NOISE_WARN else ''}"
        for t in turns for r in t["runs"]) + "."]
    problems = [p for t in turns for p in t["problems"]]
    if problems:
        lines += ["", "**Problems: " + "; ".join(problems) + "**"]
    return "\n".join(lines) + "\n"


def main() -> None:
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: web_tier.py <BenchServer binary> [<the harness's results .json>]")
    binary = os.path.abspath(sys.argv[1])
    harness = sys.argv[2] if len(sys.argv) == 3 else None
    target = bench.env("TARGET_NAME", "swift-web")
    stamp = (os.path.basename(harness)[:-5] if harness else
             bench._dt.datetime.now(bench._dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")) + "-web"
    logdir, rundir = os.path.join(bench.WORK, "logs", stamp), os.path.join(bench.WORK, "run", stamp)
    for folder in (logdir, rundir, bench.RESULTS):
        os.makedirs(folder, exist_ok=True)
    server = bench.Server(target, [binary, "web"], note="bench/BenchServer, web mode")
    bench.log(f"web tier: {target} x {bench.ROUNDS} round(s); logs in {logdir}")
    turns = []
    try:
        for rnd in range(1, bench.ROUNDS + 1):
            turns.append(bench.one_turn(server, rnd, "web", logdir, rundir, secrets.token_urlsafe(8)))
    finally:
        if not bench.KEEP_RUN:
            shutil.rmtree(rundir, ignore_errors=True)
    report = render(turns, stamp, binary, harness, target)
    with open(os.path.join(bench.RESULTS, f"{stamp}.json"), "w") as f:
        json.dump({"binary": binary, "harness": harness, "turns": turns}, f, indent=1, default=lambda x: None)
    with open(os.path.join(bench.RESULTS, f"{stamp}.md"), "w") as f:
        f.write(report)
    print(report)
    bench.log(f"wrote {os.path.join(bench.RESULTS, stamp)}.md and .json")


if __name__ == "__main__":
    main()
