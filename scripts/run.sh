#!/bin/sh
# Set everything up and serve: install what is missing, build, initialise
# the data folder on first use, start the server on loopback (SQLite).
#   DATA_DIR (default ./sesame-data), LISTEN (default 127.0.0.1:8080)
set -eu
cd "$(dirname "$0")/.."

DATA_DIR=${DATA_DIR:-./sesame-data}
LISTEN=${LISTEN:-127.0.0.1:8080}

scripts/setup.sh
make -s
if [ ! -f "$DATA_DIR/sesame.db" ]; then
	build/sesame init --data-dir "$DATA_DIR"
fi

cat <<MSG

Sesame serves the AWS Secrets Manager API at http://$LISTEN
Administrator credentials: $DATA_DIR/credentials (profile "sesame")
Try, in another terminal:

  AWS_SHARED_CREDENTIALS_FILE=$DATA_DIR/credentials aws --profile sesame \\
    --endpoint-url http://$LISTEN secretsmanager create-secret \\
    --name prod/app/mysql --secret-string '{"username":"app","password":"s3cret"}'

Stop with Ctrl-C.
MSG
exec build/sesame server --data-dir "$DATA_DIR" --listen "$LISTEN"
