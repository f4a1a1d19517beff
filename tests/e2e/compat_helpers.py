"""Helpers of the compatibility suite (tests/e2e/test_compat_*.py).

Beyond harness.py: servers of a module's own (exact listings), boto3
clients that sign with a shifted clock (for `--test-clock-offset-seconds`),
raw calls for operations Debian's boto3 lacks (BatchGetSecretValue), and
small readers of a secret's versions and labels.
"""

import datetime
import json
import uuid

import boto3
import botocore.auth
import pytest
from botocore.config import Config

from harness import (Server, check_sanitizer_text, error_code, sesame_init,
                     utcnow)

DAY = 86400


# --------------------------------------------------------------------------
# servers of one module or one test
# --------------------------------------------------------------------------

def start_server(base, account_id, offset_seconds=0, extra_args=()):
    """init a data folder under base and start a server on it."""
    base.mkdir(parents=True, exist_ok=True)
    dd = sesame_init(base / "data", account_id=account_id)
    srv = Server(dd, base / "server.log", account_id=account_id,
                 extra_args=clock_args(offset_seconds) + list(extra_args))
    srv.base_extra_args = list(extra_args)
    srv.offset_seconds = offset_seconds
    srv.start()
    return srv


def clock_args(offset_seconds):
    if not offset_seconds:
        return []
    return ["--test-clock-offset-seconds", str(int(offset_seconds))]


def restart_with_offset(srv, offset_seconds):
    """Stop srv (asserting a clean exit) and start it again on the same data
    with its clock shifted by offset_seconds from the real time."""
    srv.stop(check=True)
    srv.extra_args = clock_args(offset_seconds) + getattr(srv, "base_extra_args", [])
    srv.offset_seconds = offset_seconds
    srv.start()
    return srv


def stop_server(srv):
    if srv.proc is not None:
        srv.stop(check=True)
    check_sanitizer_text(srv.log_text(), f"server log {srv.log_path}")


# --------------------------------------------------------------------------
# clients that sign with the server's (shifted) clock
# --------------------------------------------------------------------------

class ShiftedSigV4Auth(botocore.auth.SigV4Auth):
    """SigV4Auth that signs with now + offset seconds."""

    offset_seconds = 0

    def add_auth(self, request):
        when = utcnow() + datetime.timedelta(seconds=self.offset_seconds)
        request.context["timestamp"] = when.strftime(botocore.auth.SIGV4_TIMESTAMP)
        self._modify_request_before_signing(request)
        canonical_request = self.canonical_request(request)
        string_to_sign = self.string_to_sign(request, canonical_request)
        signature = self.signature(string_to_sign, request)
        self._inject_signature_to_request(request, signature)


def client(srv, region="us-east-1", offset_seconds=None, creds=None,
           max_pool_connections=10):
    """A boto3 secretsmanager client for srv; it signs with srv's clock
    offset (srv.offset_seconds) unless offset_seconds says otherwise."""
    if offset_seconds is None:
        offset_seconds = getattr(srv, "offset_seconds", 0)
    creds = creds or srv.credentials()
    cfg = Config(retries={"total_max_attempts": 1, "mode": "standard"},
                 connect_timeout=10, read_timeout=60,
                 max_pool_connections=max_pool_connections)
    session = boto3.session.Session(aws_access_key_id=creds.access_key,
                                    aws_secret_access_key=creds.secret_key,
                                    region_name=region)
    c = session.client("secretsmanager", endpoint_url=srv.endpoint, config=cfg)
    if offset_seconds:
        signer = c._request_signer
        original = signer.get_auth_instance

        def get_auth_instance(*args, **kwargs):
            auth = original(*args, **kwargs)
            shifted = ShiftedSigV4Auth(auth.credentials, auth._service_name,
                                       auth._region_name)
            shifted.offset_seconds = offset_seconds
            return shifted
        signer.get_auth_instance = get_auth_instance
    return c


def raw(srv, operation, payload, region="us-east-1", offset_seconds=None):
    """A hand-signed JSON 1.1 call (for operations boto3 1.26 lacks)."""
    if offset_seconds is None:
        offset_seconds = getattr(srv, "offset_seconds", 0)
    when = utcnow() + datetime.timedelta(seconds=offset_seconds)
    return srv.raw(operation, payload, region=region, when=when)


def raw_ok(srv, operation, payload, **kw):
    r = raw(srv, operation, payload, **kw)
    assert r.status == 200, f"{operation} {payload!r} -> {r!r}"
    return r.json


def raw_error(srv, operation, payload, code, message=None, **kw):
    r = raw(srv, operation, payload, **kw)
    assert r.status == 400, f"{operation} {payload!r} -> {r!r} (expected {code})"
    assert r.error_type == code, f"expected {code}, got {r.error_type}: {r.message!r}"
    if message is not None:
        assert r.message == message, r.message
    return r


# --------------------------------------------------------------------------
# readers
# --------------------------------------------------------------------------

def token():
    return str(uuid.uuid4())


def all_versions(sm, secret_id, include_deprecated=True):
    """Every entry of ListSecretVersionIds, following NextToken."""
    out, kw = [], {"SecretId": secret_id, "IncludeDeprecated": include_deprecated,
                   "MaxResults": 100}
    for _ in range(1000):
        page = sm.list_secret_version_ids(**kw)
        out.extend(page["Versions"])
        if not page.get("NextToken"):
            return out
        kw["NextToken"] = page["NextToken"]
    pytest.fail("ListSecretVersionIds never ended")


def stages_by_version(sm, secret_id):
    """{version id: sorted labels} of every version (deprecated ones too)."""
    return {v["VersionId"]: sorted(v.get("VersionStages", []))
            for v in all_versions(sm, secret_id)}


def holders(sm, secret_id, label):
    """The version ids that carry label, per ListSecretVersionIds."""
    return [vid for vid, st in stages_by_version(sm, secret_id).items() if label in st]


def all_secrets(sm, **kw):
    """Every entry of ListSecrets, following NextToken."""
    out = []
    kw = dict(kw)
    for _ in range(1000):
        page = sm.list_secrets(**kw)
        out.extend(page["SecretList"])
        if not page.get("NextToken"):
            return out
        kw["NextToken"] = page["NextToken"]
    pytest.fail("ListSecrets never ended")


def names(entries):
    return [e["Name"] for e in entries]


def epoch(value):
    """A boto3 datetime or a raw JSON number -> float seconds."""
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    return float(value)


def now_epoch(offset_seconds=0):
    return datetime.datetime.now(datetime.timezone.utc).timestamp() + offset_seconds


def code_of(exc):
    return error_code(exc)


def dumps(x):
    return json.dumps(x, default=str, sort_keys=True)
