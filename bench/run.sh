#!/bin/sh
# The benchmark suite, in one command (bench/README.md):
#
#   bench/run.sh            quick: 100 / 1,000 / 10,000 secrets, 2 s a point
#   bench/run.sh --full     100 / 10,000 / 100,000 secrets, 5 s a point: the
#                           figures recorded in docs/performance.md
#   bench/run.sh --smoke    one scenario, one point, one round: checks the
#                           suite works
#
# Other options go to bench/bench.py (--help lists them; --update-docs
# writes the table and chart into docs/performance.md).  Installs what the
# benchmark needs and the project's setup does not (nginx for the static
# ceiling, matplotlib for the chart) from Debian's packages, builds the
# server and the bench tools, then runs.
set -eu
cd "$(dirname "$0")/.."

scripts/setup.sh
missing=""
for p in nginx-light python3-matplotlib; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "bench: installing$missing" >&2
	SUDO=""
	[ "$(id -u)" -ne 0 ] && SUDO="sudo"
	$SUDO apt-get update -qq
	# policy-rc.d or not, the packaged nginx service is not wanted running.
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		--no-install-recommends $missing >/dev/null
fi
make -s -j"$(nproc 2>/dev/null || echo 2)" bench
exec /usr/bin/python3 bench/bench.py "$@"
