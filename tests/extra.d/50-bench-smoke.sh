#!/bin/sh
# The benchmark suite must not rot: build its tools, run one scenario for a
# second against a real server and the empty-handler ceiling, one paired
# round and one open-loop run (no nginx, no chart), and check the JSON
# result it writes.
set -eu
cd "$(dirname "$0")/../.."

make -s -j"$(nproc 2>/dev/null || echo 2)" bench
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if ! /usr/bin/python3 bench/bench.py --smoke --out "$out" \
    --data-cache "$out/data" >"$out/log" 2>&1; then
	cat "$out/log"
	exit 1
fi
/usr/bin/python3 - "$out/latest.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
hot = r["sweeps"]["get-hot"]["points"][0]
empty = r["ceilings"]["empty"]["points"][0]
assert hot["ok"] > 0 and hot["errors"] == 0, hot["status_counts"]
assert hot["latency"]["p99_us"] > 0 and empty["rps"] > 0
assert r["servers"]["sesame-10"]["startup"]["first_answer_ms"] > 0
# One paired round (every server up at once) and one open-loop run.
rnd = r["paired"]["rounds"][0]
assert rnd["hot"]["rps"] > 0 and rnd["empty"]["rps"] > 0, rnd
assert rnd["spread_large"]["rps"] > 0 and rnd["hot_large"]["rps"] > 0, rnd
half = r["latency_at_half_peak"]["get-hot"]
assert half["rps"] > 0 and len(half["runs"]) == 1, half
names = [t["name"] for t in r["targets"]]
assert any("vs empty handler" in n for n in names), names
print(f"bench smoke: GetSecretValue {hot['rps']:.0f}/s, empty handler "
      f"{empty['rps']:.0f}/s: ok")
PY
