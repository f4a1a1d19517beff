"""Helpers of the KMS suites (tests/e2e/test_kms*.py); no tests here.

kms_client      a boto3 KMS client for a Server (optionally signing with a
                shifted clock, for --test-clock-offset-seconds)
sm_client       the same for Secrets Manager
kms_raw         a hand-signed TrentService call (for operations Debian's
                boto3 lacks: RotateKeyOnDemand, ListKeyRotations)
blob_key_version
                the key id and key version a KMS ciphertext blob names
softhsm_token   a SoftHSM2 token in a folder of its own (skips without
                softhsm2)
"""

import datetime
import os
import shutil
import subprocess
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from harness import utcnow

SOFTHSM_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
SOFTHSM_UTIL = shutil.which("softhsm2-util") or "/usr/bin/softhsm2-util"
DAY = 86400


def _shift_signer(client, offset_seconds):
    if not offset_seconds:
        return client
    import botocore.auth

    class Shifted(botocore.auth.SigV4Auth):
        def add_auth(self, request):
            when = utcnow() + datetime.timedelta(seconds=offset_seconds)
            request.context["timestamp"] = when.strftime(
                botocore.auth.SIGV4_TIMESTAMP)
            self._modify_request_before_signing(request)
            cr = self.canonical_request(request)
            sts = self.string_to_sign(request, cr)
            self._inject_signature_to_request(request,
                                              self.signature(sts, request))
    signer = client._request_signer
    original = signer.get_auth_instance

    def get_auth_instance(*args, **kwargs):
        auth = original(*args, **kwargs)
        return Shifted(auth.credentials, auth._service_name, auth._region_name)
    signer.get_auth_instance = get_auth_instance
    return client


def _client(service, server, creds=None, region="us-east-1", offset_seconds=0):
    creds = creds or server.credentials()
    cfg = Config(retries={"total_max_attempts": 1, "mode": "standard"},
                 connect_timeout=10, read_timeout=60)
    session = boto3.session.Session(aws_access_key_id=creds.access_key,
                                    aws_secret_access_key=creds.secret_key,
                                    region_name=region)
    c = session.client(service, endpoint_url=server.endpoint, config=cfg,
                       verify=str(server.tls[0]) if server.tls else None)
    return _shift_signer(c, offset_seconds)


def kms_client(server, **kw):
    return _client("kms", server, **kw)


def sm_client(server, **kw):
    return _client("secretsmanager", server, **kw)


def kms_raw(server, operation, payload, creds=None, offset_seconds=0):
    when = utcnow() + datetime.timedelta(seconds=offset_seconds)
    return server.raw(operation, payload, target=f"TrentService.{operation}",
                      service="kms", creds=creds, when=when)


def blob_key_version(blob):
    """(key id, key version) of a KMS ciphertext blob (format 0x02)."""
    assert blob[0] == 0x02, blob[:4]
    return blob[1:37].decode(), int.from_bytes(blob[37:41], "big")


@pytest.fixture
def softhsm_token(tmp_path):
    """A fresh SoftHSM2 token 'sesame' (user PIN in a 0600 file)."""
    if not SOFTHSM_MODULE.exists() or not os.path.exists(SOFTHSM_UTIL):
        pytest.skip("softhsm2 is not installed (scripts/packages.d/kms.txt)")
    d = tmp_path / "softhsm"
    (d / "tokens").mkdir(parents=True)
    conf = d / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {d / 'tokens'}\n"
                    "objectstore.backend = file\nlog.level = ERROR\n")
    env = dict(os.environ, SOFTHSM2_CONF=str(conf))
    r = subprocess.run([SOFTHSM_UTIL, "--init-token", "--free", "--label",
                        "sesame", "--pin", "4321", "--so-pin", "87654321"],
                       env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    pin = d / "pin"
    pin.write_text("4321\n")
    os.chmod(pin, 0o600)
    bad_pin = d / "bad-pin"
    bad_pin.write_text("0000\n")
    os.chmod(bad_pin, 0o600)
    return {"conf": str(conf), "pin_file": str(pin), "bad_pin_file": str(bad_pin),
            "env": {"SOFTHSM2_CONF": str(conf)},
            "args": ["--root-key-source", "pkcs11", "--pkcs11-module",
                     str(SOFTHSM_MODULE), "--pkcs11-token-label", "sesame",
                     "--pkcs11-pin-file", str(pin)]}
