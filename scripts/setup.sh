#!/bin/sh
# Install what Sesame needs to build, run and test, from Debian's packages.
# Only missing packages are installed; nothing happens when all are present.
set -eu

PACKAGES="build-essential pkg-config libmicrohttpd-dev libjansson-dev
libsqlite3-dev libssl-dev libcmocka-dev openssl curl ca-certificates
python3 python3-boto3 python3-pytest awscli"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "setup: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
