#!/bin/sh
# Fuzzing, briefly: build every libFuzzer target (clang, ASan + UBSan),
# replay the inputs that once failed (fuzz/regressions/), then fuzz each
# target for SESAME_FUZZ_SECONDS (default 6) from its seed corpus.  The
# long form is `make fuzz-run FUZZ_SECONDS=3600` (fuzz/README.md).
set -eu
cd "$(dirname "$0")/../.."

make -s -j"$(nproc 2>/dev/null || echo 2)" fuzz
# A fixed seed: the short run explores the same way every time, so it does
# not fail at random on a finding a long run has not reproduced yet.
FUZZ_SEED=${FUZZ_SEED:-1} fuzz/run.sh --seconds "${SESAME_FUZZ_SECONDS:-6}"
