#!/bin/sh
# Set everything up and run every test: unit tests (cmocka), the end-to-end
# suite (pytest with boto3 and the aws CLI against the real server), then
# both again on an AddressSanitizer + UndefinedBehaviorSanitizer build, then
# the further suites in tests/extra.d/ (each a short script, run in order).
set -eu
cd "$(dirname "$0")/.."

scripts/setup.sh
JOBS=$(nproc 2>/dev/null || echo 2)

echo "== build"
make -s -j"$JOBS"
echo "== unit tests"
make -s unit
echo "== end-to-end tests"
# Files run in parallel (each worker starts its own servers); the tests wait
# on fsync and sockets far more than on the CPU.
PYTEST="/usr/bin/python3 -m pytest -q -p no:cacheprovider -n 4 --dist loadfile"
SESAME_BIN="$PWD/build/sesame" $PYTEST tests/e2e

echo "== sanitizer build (ASan + UBSan)"
make -s -j"$JOBS" BUILD=build-asan SAN=1
echo "== unit tests under sanitizers"
make -s BUILD=build-asan SAN=1 unit
echo "== end-to-end tests under sanitizers"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	SESAME_BIN="$PWD/build-asan/sesame" $PYTEST tests/e2e
for suite in tests/extra.d/*.sh; do
	[ -e "$suite" ] || continue
	echo "== $suite"
	sh "$suite"
done
echo "== all tests passed"
