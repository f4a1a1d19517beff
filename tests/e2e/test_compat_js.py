"""Compatibility through the npm AWS SDK v3: runs tests/js/ with `node --test`
against the shared server.

Debian's boto3 (1.26, late 2022) lacks BatchGetSecretValue and ListSecrets'
SortBy / IncludePlannedDeletion; the current @aws-sdk/client-secrets-manager
(pinned in tests/js/package.json and package-lock.json) has them.  `npm ci`
installs it into tests/js/node_modules (git-ignored) when that folder is
missing or was installed from another lock file.  Skipped only when `node`
is not installed (scripts/packages.d/js.txt lists nodejs and npm).
"""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

JS_DIR = Path(__file__).resolve().parents[1] / "js"
STAMP = JS_DIR / "node_modules" / ".sesame-lock-sha256"
NPM_TIMEOUT = int(os.environ.get("SESAME_NPM_TIMEOUT", "600"))
NODE_TIMEOUT = int(os.environ.get("SESAME_NODE_TEST_TIMEOUT", "300"))


def lock_digest():
    h = hashlib.sha256()
    for f in ("package.json", "package-lock.json"):
        h.update((JS_DIR / f).read_bytes())
    return h.hexdigest()


def npm_ci(npm):
    """`npm ci` unless node_modules was installed from this very lock file."""
    digest = lock_digest()
    if STAMP.exists() and STAMP.read_text().strip() == digest and \
            (JS_DIR / "node_modules" / "@aws-sdk" / "client-secrets-manager").is_dir():
        return
    env = dict(os.environ)
    env.setdefault("npm_config_update_notifier", "false")
    r = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                       cwd=JS_DIR, env=env, capture_output=True, text=True,
                       timeout=NPM_TIMEOUT)
    assert r.returncode == 0, f"npm ci failed ({r.returncode}):\n{r.stdout}\n{r.stderr}"
    STAMP.write_text(digest + "\n")


@pytest.fixture(scope="module")
def node_env():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (apt-get install nodejs npm; "
                    "see scripts/packages.d/js.txt)")
    npm = shutil.which("npm")
    assert npm is not None, "node is installed but npm is not (apt-get install npm)"
    npm_ci(npm)
    return node


def test_aws_sdk_v3_compatibility_suite(node_env, server):
    creds = server.credentials()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "SESAME_ENDPOINT": server.endpoint,
        "SESAME_REGION": "us-east-1",
        "SESAME_ACCESS_KEY_ID": creds.access_key,
        "SESAME_SECRET_ACCESS_KEY": creds.secret_key,
        # never a developer's AWS configuration
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    r = subprocess.run([node_env, "--test", "--test-reporter=spec"], cwd=JS_DIR,
                       env=env, capture_output=True, text=True,
                       timeout=NODE_TIMEOUT)
    assert r.returncode == 0, f"node --test failed ({r.returncode}):\n{r.stdout[-20000:]}\n{r.stderr[-5000:]}"
    assert "# pass" in r.stdout or "tests " in r.stdout or "pass" in r.stdout
