#!/bin/sh
# Install what Sesame needs to build, run and test, from Debian's packages.
# The lists are scripts/packages.d/*.txt (one file per concern; '#' starts a
# comment; "package@command" installs package only when command is missing).
# Only missing packages are installed.
set -eu
cd "$(dirname "$0")/.."

PACKAGES=$(sed 's/#.*//' scripts/packages.d/*.txt)

missing=""
for p in $PACKAGES; do
	case "$p" in
	*@*)	# package@command: only when the command is missing
		command -v "${p#*@}" >/dev/null 2>&1 && continue
		p=${p%@*} ;;
	esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "setup: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
