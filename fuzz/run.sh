#!/bin/sh
# Run the libFuzzer targets built by `make fuzz` (see fuzz/README.md).
#
#   fuzz/run.sh [--seconds N] [--jobs J] [--regressions-only] [target ...]
#
# --jobs J fuzzes one target with J processes (libFuzzer -fork=J).
#
# For each target (default: every build-fuzz/fuzz_* binary): replay
# fuzz/regressions/<name>/ (inputs that once failed; each must pass now),
# then fuzz for N seconds (default 8) from the seed corpus
# fuzz/corpus/<name>/ with fuzz/dict/<name>.dict when there is one, where
# <name> is the target without its fuzz_ prefix (fuzz_arn -> arn).
# New inputs go to build-fuzz/corpus/<target>/ (the seeds stay as they
# are); a failing input is saved in build-fuzz/artifacts/.  Exits non-zero
# when any target fails; prints one summary line per target.
set -eu
cd "$(dirname "$0")/.."

BUILD=${FUZZ_BUILD:-build-fuzz}
SECONDS_PER_TARGET=8
JOBS=1
REGRESSIONS_ONLY=0
while [ $# -gt 0 ]; do
	case "$1" in
	--seconds) SECONDS_PER_TARGET=$2; shift 2 ;;
	--jobs) JOBS=$2; shift 2 ;;
	--regressions-only) REGRESSIONS_ONLY=1; shift ;;
	--) shift; break ;;
	-*) echo "fuzz/run.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done

if [ $# -eq 0 ]; then
	set --
	for bin in "$BUILD"/fuzz_*; do
		case "$bin" in *.d) continue ;; esac
		[ -x "$bin" ] && set -- "$@" "$(basename "$bin")"
	done
fi
[ $# -gt 0 ] || { echo "fuzz/run.sh: no fuzz targets in $BUILD (make fuzz)" >&2; exit 2; }

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
mkdir -p "$BUILD/artifacts" "$BUILD/logs"
failed=""
for target in "$@"; do
	bin="$BUILD/$target"
	[ -x "$bin" ] || { echo "fuzz/run.sh: $bin missing (make fuzz)" >&2; exit 2; }
	short=${target#fuzz_}
	log="$BUILD/logs/$target.log"
	: > "$log"

	regressions=0
	if [ -d "fuzz/regressions/$short" ]; then
		set +e
		files=$(find "fuzz/regressions/$short" -type f ! -name '*.md' | sort)
		set -e
		if [ -n "$files" ]; then
			regressions=$(echo "$files" | wc -l)
			# shellcheck disable=SC2086
			if ! "$bin" -runs=1 $files >>"$log" 2>&1; then
				echo "FAIL $target: a regression input fails again (see $log)"
				failed="$failed $target"
				continue
			fi
		fi
	fi
	if [ "$REGRESSIONS_ONLY" = 1 ]; then
		echo "ok   $target: $regressions regression inputs"
		continue
	fi

	mkdir -p "$BUILD/corpus/$target"
	seeds="fuzz/corpus/$short"
	[ -d "$seeds" ] || seeds=""
	dict=""
	[ -f "fuzz/dict/$short.dict" ] && dict="-dict=fuzz/dict/$short.dict"
	jobs=""
	[ "$JOBS" -gt 1 ] && jobs="-fork=$JOBS"
	# shellcheck disable=SC2086
	# FUZZ_SEED pins libFuzzer's random seed (the test command's short
	# runs use it so they explore the same way every time).
	if "$bin" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 \
	    ${FUZZ_SEED:+-seed=$FUZZ_SEED} \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$BUILD/artifacts/$target-" $dict $jobs \
	    "$BUILD/corpus/$target" $seeds >>"$log" 2>&1; then
		runs=$(grep -h 'stat::number_of_executed_units' "$log" |
		    awk '{s += $2} END {print s + 0}')
		# -fork prints no stats; its progress lines start with #runs.
		[ "$runs" -gt 0 ] || runs=$(grep -oE '^#[0-9]+' "$log" | tail -1 |
		    tr -d '#')
		cov=$(grep -ho 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')
		corpus=$(find "$BUILD/corpus/$target" -type f | wc -l)
		echo "ok   $target: ${SECONDS_PER_TARGET}s, $runs runs, coverage ${cov:-?} edges, corpus $corpus, $regressions regression inputs"
	else
		echo "FAIL $target: see $log; the input is in $BUILD/artifacts/"
		grep -E 'ERROR|property failed|SUMMARY|runtime error' "$log" | head -5
		failed="$failed $target"
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz/run.sh: failing targets:$failed" >&2
	exit 1
fi
