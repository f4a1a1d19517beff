#!/bin/sh
# The soak, short: two minutes of mixed load (reads, writes, deletes,
# restores) on the plain build, then RSS flat, no descriptor leaked, every
# acknowledged write in place.  SESAME_SOAK_SECONDS changes the length; the
# 30-minute form is
#   /usr/bin/python3 tests/soak/soak.py --duration 1800 --report soak.json
# (docs/reliability.md).
set -eu
cd "$(dirname "$0")/../.."

mkdir -p build
/usr/bin/python3 tests/soak/soak.py --duration "${SESAME_SOAK_SECONDS:-120}" \
	--bin build/sesame --report build/soak-latest.json >build/soak-latest.log 2>&1 || {
	tail -60 build/soak-latest.log
	echo "soak: FAILED (build/soak-latest.log)"
	exit 1
}
/usr/bin/python3 - build/soak-latest.json <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
print(f"soak: {s['duration_s']:.0f}s, {s['requests']} requests "
      f"({s['requests_per_s']:.0f}/s), RSS {s['baseline']['rss_kb']} -> "
      f"{s['end']['rss_kb']} kB, descriptors {s['baseline']['total']} -> "
      f"{s['end']['total']}: ok")
PY
