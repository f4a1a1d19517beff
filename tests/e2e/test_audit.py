"""The audit trail, end to end: one CloudTrail-shaped event per request
(allowed or denied) matched field by field, the alarm for secrets scheduled
for deletion, `sesame audit verify` against each kind of tampering,
`sesame audit query`, fail-closed behaviour when the log cannot be written,
and GET /metrics.

No secret value in any event: this module records every secret value,
password, secret access key and request signature that any test of the
session sends or receives (it wraps botocore, Server.raw, the aws CLI runner
and the credential readers when it is imported, which pytest does before it
runs any test), and at the end of the session scans every audit file written
under the session's temporary folder for them.
"""

import base64
import datetime
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import stat
import time
import uuid

import botocore.auth
import botocore.client
import pytest

import harness
from harness import (Creds, Server, error_message, expect_client_error,
                     new_name, new_token, parse_key_lines, run_sesame)

ACCOUNT_A = "111111111111"
ACCOUNT_B = "222222222222"
SOURCE = "secretsmanager.amazonaws.com"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
AUDIT_FILE_RE = re.compile(r"^audit-(\d{6,})\.log$")
MIN_SECRET_LEN = 8


# --------------------------------------------------------------------------
# every secret the session uses
# --------------------------------------------------------------------------

_SESSION_SECRETS = set()
# Strings the suite sent as ordinary parameters (names, ids, ...): a test may
# use the same text as a secret value and as a name, and a name belongs in
# the event.  Secret values found among them (or inside one) are not
# looked for.
_SESSION_PUBLIC = set()
# Members that carry secrets, wherever they sit in a request or answer:
# Secrets Manager values and passwords, KMS plaintexts and data keys, IAM
# and STS secret keys, passwords and session tokens.
_SECRET_KEYS = ("SecretString", "SecretBinary", "RandomPassword", "Plaintext",
                "SecretAccessKey", "Password", "NewPassword", "OldPassword",
                "SessionToken")


def _note_secret(value):
    """Remember value (and the forms it could take in a JSON log)."""
    if value is None:
        return
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value)
        _note_secret(base64.b64encode(value).decode())
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return
    if not isinstance(value, str) or len(value) < MIN_SECRET_LEN:
        return
    _SESSION_SECRETS.add(value)
    try:
        inner = json.loads(value)
    except ValueError:
        return
    if isinstance(inner, dict):     # {"username":..,"password":..,"host":..}
        for k, v in inner.items():
            if isinstance(v, str) and re.search(r"pass|secret|token|key",
                                                str(k), re.I):
                _note_secret(v)


def _walk(value, on_string, depth=0):
    """Call on_string for every string in value (secret members skipped),
    without recursing deeper than the JSON the server accepts."""
    if depth > 40:
        return
    if isinstance(value, str):
        on_string(value)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _walk(v, on_string, depth + 1)
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in _SECRET_KEYS:
                _walk(v, on_string, depth + 1)


def _note_secrets_in(value, depth=0):
    if depth > 40:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            if k in _SECRET_KEYS:
                _note_secret(v)
            else:
                _note_secrets_in(v, depth + 1)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _note_secrets_in(v, depth + 1)


def _note_from_mapping(d, is_request=False):
    if not isinstance(d, dict):
        return
    _note_secrets_in(d)
    if is_request:
        _walk(d, _SESSION_PUBLIC.add)


def _quietly(fn, *args, **kw):
    """The spies must never change what a test sees: hostile bodies
    (deeply nested JSON, invalid UTF-8) are simply not looked into."""
    try:
        fn(*args, **kw)
    except Exception:       # noqa: BLE001 - RecursionError included
        pass


def _json_of(blob):
    return json.loads(blob)


def _install_spies():
    if getattr(harness, "_audit_spies_installed", False):
        return
    harness._audit_spies_installed = True

    make_api_call = botocore.client.BaseClient._make_api_call

    def spy_api_call(self, operation_name, api_params):
        _quietly(_note_from_mapping, api_params, is_request=True)
        result = make_api_call(self, operation_name, api_params)
        _quietly(_note_from_mapping, result)
        return result
    botocore.client.BaseClient._make_api_call = spy_api_call

    inject = botocore.auth.SigV4Auth._inject_signature_to_request

    def spy_inject(self, request, signature):
        _quietly(_note_secret, signature)
        _quietly(_note_secret, getattr(self.credentials, "secret_key", None))
        return inject(self, request, signature)
    botocore.auth.SigV4Auth._inject_signature_to_request = spy_inject

    raw = harness.Server.raw

    def spy_raw(self, operation, payload=None, **kw):
        _quietly(_note_from_mapping, payload, is_request=True)
        if kw.get("body"):
            _quietly(lambda: _note_from_mapping(_json_of(kw["body"]),
                                                is_request=True))
        resp = raw(self, operation, payload, **kw)
        _quietly(lambda: _note_from_mapping(resp.json))
        return resp
    harness.Server.raw = spy_raw

    run_cli = harness.run_aws_cli

    def note_cli_args(args):
        for i, arg in enumerate(args[:-1]):
            if arg in ("--secret-string", "--secret-binary"):
                _note_secret(args[i + 1])
            elif arg.startswith("--") and not args[i + 1].startswith("--"):
                _SESSION_PUBLIC.add(args[i + 1])

    def spy_cli(server, args, *a, **kw):
        _quietly(note_cli_args, [str(x) for x in args])
        res = run_cli(server, args, *a, **kw)
        _quietly(lambda: _note_from_mapping(res.json))
        return res
    harness.run_aws_cli = spy_cli

    credentials = harness.DataDir.credentials

    def spy_credentials(self):
        creds = credentials(self)
        _quietly(_note_secret, creds.secret_key)
        return creds
    harness.DataDir.credentials = spy_credentials

    parse = harness.parse_key_lines

    def spy_parse(text):
        ak, sk = parse(text)
        _quietly(_note_secret, sk)
        return ak, sk
    harness.parse_key_lines = spy_parse


_install_spies()


def _read_regular(path):
    """The bytes of path if it is a regular file (tests make FIFOs and
    other traps under these names), else None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    finally:
        os.close(fd)


def _audit_files_under(base):
    for root, _dirs, files in os.walk(base):
        for f in files:
            if AUDIT_FILE_RE.match(f):
                yield os.path.join(root, f)


def _root_keys_under(base):
    for root, _dirs, files in os.walk(base):
        if "root.key" in files:
            blob = _read_regular(os.path.join(root, "root.key"))
            if blob is not None:
                yield blob.decode(errors="replace").strip()


def _leaks(base):
    public = "\0".join(_SESSION_PUBLIC)
    needles = {v for v in _SESSION_SECRETS if v not in public}
    # Keys made of one repeated character (tests use all-zero keys) would
    # match the chain's genesis hash.
    needles.update(k for k in _root_keys_under(base)
                   if len(k) == 64 and len(set(k)) > 1)
    forms = {}
    for s in needles:
        forms[s.encode()] = s
        forms[json.dumps(s)[1:-1].encode()] = s            # as escaped in JSON
        forms[json.dumps(s, ensure_ascii=False)[1:-1].encode()] = s
    found = []
    for path in _audit_files_under(base):
        blob = _read_regular(path)
        if blob is None:
            continue
        for form, s in forms.items():
            if form in blob:
                found.append((path, s[:12] + "..."))
    return found


@pytest.fixture(scope="session", autouse=True)
def _no_secret_in_any_audit_event(tmp_path_factory):
    """At the end of the session: no audit file anywhere holds a secret."""
    yield
    base = tmp_path_factory.getbasetemp()
    leaks = _leaks(base)
    assert not leaks, f"secret values in audit events: {leaks[:10]}"


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def audit_dir(srv_or_dd):
    dd = srv_or_dd.data_dir if isinstance(srv_or_dd, Server) else srv_or_dd
    return dd.path / "audit"


def audit_files(folder):
    found = []
    for name in os.listdir(folder):
        m = AUDIT_FILE_RE.match(name)
        if m and (folder / name).is_file():
            found.append((int(m.group(1)), folder / name))
    return [p for _, p in sorted(found)]


def read_lines(folder):
    """[(file name, line number, raw line)] of every line, in order."""
    out = []
    for path in audit_files(folder):
        with open(path, "rb") as fh:
            for i, raw in enumerate(fh.read().split(b"\n")[:-1], 1):
                out.append((path.name, i, raw))
    return out


def read_events(folder):
    return [json.loads(raw) for _, _, raw in read_lines(folder)
            if not raw.startswith(b'{"sesameDigest"')]


def sha256_hex(raw):
    return hashlib.sha256(raw).hexdigest()


def verify(dd, folder=None, *flags):
    args = ["audit", "verify", "--data-dir", dd.path, "--json", *flags]
    if folder is not None:
        args.append(folder)
    r = run_sesame(*args, env=dd.env)
    assert r.returncode in (0, 1), r.stderr
    report = json.loads(r.stdout)
    assert (report["result"] == "ok") == (r.returncode == 0), report
    return report


def query(dd, *flags):
    r = run_sesame("audit", "query", "--data-dir", dd.path, *flags, env=dd.env)
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines()]


def metrics_text(srv):
    status, headers, body = srv.http_get("/metrics")
    assert status == 200, body
    assert headers["content-type"].startswith("text/plain; version=0.0.4")
    return body.decode()


def metric(text, name, **labels):
    """The value of one sample, 0 when absent."""
    want = name
    if labels:
        want += "{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}"
    for line in text.splitlines():
        if line.startswith(want + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def user_agent_spy(client):
    """Capture the User-Agent header of each request the client sends."""
    seen = []

    def before_send(request, **_kw):
        ua = request.headers.get("User-Agent")
        seen.append(ua.decode() if isinstance(ua, bytes) else ua)
    client.meta.events.register("before-send.secretsmanager", before_send)
    return seen


def second_account(dd, account_id=ACCOUNT_B):
    r = dd.admin("create-account", "--account-id", account_id)
    assert r.returncode == 0, r.stderr
    return Creds(*parse_key_lines(r.stdout))


@pytest.fixture
def audited(init_data_dir, make_server):
    """A server of its own (account A) with a second account B."""
    dd = init_data_dir(account_id=ACCOUNT_A)
    b = second_account(dd)
    srv = make_server(dd)
    return srv, dd, b


# --------------------------------------------------------------------------
# the events
# --------------------------------------------------------------------------

def test_create_get_denied_get_delete_events_match_field_by_field(audited):
    srv, dd, creds_b = audited
    sm = srv.client()
    sm_b = srv.client(creds=creds_b)
    ua_a = user_agent_spy(sm)
    ua_b = user_agent_spy(sm_b)
    creds_a = dd.credentials()
    name = new_name("audit")
    token = new_token()
    value = f"field-by-field-{uuid.uuid4().hex}"
    started = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)

    created = sm.create_secret(Name=name, ClientRequestToken=token,
                               Description="audited", SecretString=value)
    arn = created["ARN"]
    got = sm.get_secret_value(SecretId=name)
    assert got["SecretString"] == value
    denied = expect_client_error(sm_b.get_secret_value, "AccessDeniedException",
                                 SecretId=arn)
    deleted = sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    finished = datetime.datetime.now(datetime.timezone.utc)

    lines = read_lines(audit_dir(dd))
    events = [json.loads(raw) for _, _, raw in lines]
    assert len(events) == 4, events

    def identity(account, creds):
        return {"type": "IAMUser", "principalId": events_principal[account],
                "arn": f"arn:aws:iam::{account}:user/admin",
                "accountId": account, "accessKeyId": creds.access_key}
    events_principal = {ACCOUNT_A: events[0]["userIdentity"]["principalId"],
                        ACCOUNT_B: events[2]["userIdentity"]["principalId"]}
    for pid in events_principal.values():
        assert re.fullmatch(r"AIDA[A-Z0-9]{17}", pid), pid
    assert events_principal[ACCOUNT_A] != events_principal[ACCOUNT_B]
    resource = [{"accountId": ACCOUNT_A, "type": "AWS::SecretsManager::Secret",
                 "ARN": arn}]

    expected = [
        {
            "userIdentity": identity(ACCOUNT_A, creds_a),
            "eventName": "CreateSecret",
            "userAgent": ua_a[0],
            "requestParameters": {"name": name, "clientRequestToken": token,
                                  "description": "audited"},
            "responseElements": {"arn": arn, "name": name, "versionId": token},
            "requestID": created["ResponseMetadata"]["RequestId"],
            "readOnly": False,
            "recipientAccountId": ACCOUNT_A,
        },
        {
            "userIdentity": identity(ACCOUNT_A, creds_a),
            "eventName": "GetSecretValue",
            "userAgent": ua_a[1],
            "requestParameters": {"secretId": name},
            "responseElements": None,
            "requestID": got["ResponseMetadata"]["RequestId"],
            "readOnly": True,
            "recipientAccountId": ACCOUNT_A,
        },
        {
            "userIdentity": identity(ACCOUNT_B, creds_b),
            "eventName": "GetSecretValue",
            "userAgent": ua_b[0],
            "errorCode": "AccessDeniedException",
            "errorMessage": error_message(denied),
            "requestParameters": {"secretId": arn},
            "responseElements": None,
            "requestID": denied.response["ResponseMetadata"]["RequestId"],
            "readOnly": True,
            "recipientAccountId": ACCOUNT_B,
        },
        {
            "userIdentity": identity(ACCOUNT_A, creds_a),
            "eventName": "DeleteSecret",
            "userAgent": ua_a[2],
            "requestParameters": {"secretId": name, "recoveryWindowInDays": 7},
            "responseElements": {
                "arn": arn, "name": name,
                "deletionDate": deleted["DeletionDate"].timestamp()},
            "requestID": deleted["ResponseMetadata"]["RequestId"],
            "readOnly": False,
            "recipientAccountId": ACCOUNT_A,
        },
    ]
    previous = "0" * 64
    event_ids = set()
    for i, (ev, want, (_, _, raw)) in enumerate(zip(events, expected, lines), 1):
        want = dict(want, eventVersion="1.08", eventSource=SOURCE,
                    awsRegion="us-east-1", sourceIPAddress="127.0.0.1",
                    resources=resource, eventType="AwsApiCall",
                    managementEvent=True, sesameSequence=i,
                    sesamePreviousHash=previous)
        got_event = dict(ev)
        when = datetime.datetime.strptime(got_event.pop("eventTime"),
                                          "%Y-%m-%dT%H:%M:%SZ").replace(
                                              tzinfo=datetime.timezone.utc)
        assert started <= when <= finished, (when, started, finished)
        event_id = got_event.pop("eventID")
        assert UUID_RE.match(event_id), event_id
        event_ids.add(event_id)
        if "deletionDate" in (want["responseElements"] or {}):
            assert got_event["responseElements"]["deletionDate"] == \
                pytest.approx(want["responseElements"]["deletionDate"], abs=1)
            want["responseElements"]["deletionDate"] = \
                got_event["responseElements"]["deletionDate"]
        assert got_event == want, f"event {i} differs"
        previous = sha256_hex(raw)
    assert len(event_ids) == 4
    assert value not in b"".join(raw for _, _, raw in lines).decode()


def test_secret_scheduled_for_deletion_raises_an_alarm(audited):
    srv, dd, _ = audited
    sm = srv.client()
    name = new_name("alarm")
    sm.create_secret(Name=name, SecretString="alarm-value-1234567")
    sm.get_secret_value(SecretId=name)
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    offset = srv.log_size()
    err = expect_client_error(sm.get_secret_value, "InvalidRequestException",
                              SecretId=name)
    request_id = err.response["ResponseMetadata"]["RequestId"]

    events = read_events(audit_dir(dd))
    alarms = [e for e in events if "additionalEventData" in e]
    assert len(alarms) == 1
    assert alarms[0]["additionalEventData"] == {
        "sesameAlarm": "SecretScheduledForDeletionAccessed"}
    assert alarms[0]["eventName"] == "GetSecretValue"
    assert alarms[0]["requestID"] == request_id
    assert alarms[0]["errorCode"] == "InvalidRequestException"
    # A structured warning on stderr names the request.
    warnings = [json.loads(line) for line in srv.log_text()[offset:].splitlines()
                if line.startswith("{") and "alarm" in line]
    assert any(w["level"] == "warn" and request_id in w["msg"] and
               "SecretScheduledForDeletionAccessed" in w["msg"] for w in warnings)
    assert metric(metrics_text(srv), "sesame_alarms_total",
                  alarm="SecretScheduledForDeletionAccessed") == 1
    assert [e["requestID"] for e in query(dd, "--alarms")] == [request_id]


def test_refused_signature_is_recorded_with_the_claimed_key(audited):
    srv, dd, _ = audited
    creds = dd.credentials()
    bad = Creds(creds.access_key, "W" * 40)
    r = srv.raw("GetSecretValue", {"SecretId": "x/y"}, creds=bad)
    assert r.error_type == "InvalidSignatureException"
    r2 = srv.send({"Content-Type": "application/x-amz-json-1.1",
                   "X-Amz-Target": "secretsmanager.ListSecrets"}, b"{}")
    assert r2.error_type == "MissingAuthenticationTokenException"
    events = read_events(audit_dir(dd))
    assert len(events) == 2
    signed, unsigned = events
    assert signed["userIdentity"] == {"type": "Unknown",
                                      "accessKeyId": creds.access_key}
    assert signed["errorCode"] == "InvalidSignatureException"
    assert signed["eventName"] == "GetSecretValue"
    assert signed["awsRegion"] == "us-east-1"
    assert signed["requestParameters"] is None
    assert "recipientAccountId" not in signed
    assert unsigned["userIdentity"] == {"type": "Unknown"}
    assert unsigned["errorCode"] == "MissingAuthenticationTokenException"
    # An error message that quotes the Authorization header (as AWS's
    # does) loses the signature in the event; a JSON parser's message,
    # which quotes the body, is not recorded at all.
    offset = len(events)

    def drop_date(headers, body):
        return {k: v for k, v in headers.items() if k.lower() != "x-amz-date"}, body
    r3 = srv.raw("ListSecrets", {}, mutate=drop_date)
    assert r3.error_type == "IncompleteSignatureException"
    signature = re.search(r"Signature=([0-9a-f]{64})", r3.message).group(1)
    body = b'{"Name":"x","SecretString":"body-secret-0123456789" oops}'
    r4 = srv.raw("CreateSecret", body=body)
    assert r4.error_type == "SerializationException"
    quoted, broken = read_events(audit_dir(dd))[offset:]
    assert "Signature=<redacted>" in quoted["errorMessage"]
    assert signature not in json.dumps(quoted)
    assert broken["errorMessage"] == "The request body could not be read."
    text = metrics_text(srv)
    assert metric(text, "sesame_authentication_failures_total",
                  reason="InvalidSignatureException") == 1
    assert metric(text, "sesame_authentication_failures_total",
                  reason="MissingAuthenticationTokenException") == 1


def test_no_secret_value_in_the_events_of_this_module(tmp_path_factory, audited):
    """The same scan the session ends with, over what this module (and
    whatever ran before it) wrote; also exercises every value-carrying
    operation once."""
    srv, dd, _ = audited
    sm = srv.client()
    name = new_name("scan")
    binary = os.urandom(48)
    sm.create_secret(Name=name, SecretString='{"username":"app","password":"pw-' +
                     uuid.uuid4().hex + '"}')
    sm.put_secret_value(SecretId=name, SecretString="put-" + uuid.uuid4().hex)
    sm.update_secret(SecretId=name, SecretString="update-" + uuid.uuid4().hex)
    sm.create_secret(Name=name + "-bin", SecretBinary=binary)
    sm.get_secret_value(SecretId=name + "-bin")
    sm.get_random_password(PasswordLength=40)
    srv.aws("secretsmanager", "put-secret-value", "--secret-id", name,
            "--secret-string", "cli-" + uuid.uuid4().hex)
    assert len(_SESSION_SECRETS) >= 6
    leaks = _leaks(tmp_path_factory.getbasetemp())
    assert not leaks, leaks


def test_the_scan_finds_a_planted_secret(tmp_path):
    """The scan itself works: a secret written into an audit file, raw or
    JSON-escaped, is found (and the file is gone before the session's own
    scan)."""
    value = 'planted "secret" ' + uuid.uuid4().hex
    _note_secret(value)
    folder = tmp_path / "audit"
    folder.mkdir()
    planted = folder / "audit-000001.log"
    try:
        planted.write_text(json.dumps({"errorMessage": f"oops {value}"}) + "\n")
        assert [s for _, s in _leaks(tmp_path)] == [value[:12] + "..."]
    finally:
        planted.unlink()
    assert _leaks(tmp_path) == []


# --------------------------------------------------------------------------
# verify: untouched, and each kind of tampering at the right place
# --------------------------------------------------------------------------

@pytest.fixture
def closed_log(init_data_dir, make_server, tmp_path):
    """A stopped server's log over several small files; a copy function."""
    dd = init_data_dir(account_id=ACCOUNT_A)
    srv = make_server(dd, extra_args=["--audit-file-max-bytes", "4096"])
    sm = srv.client()
    for i in range(8):
        name = new_name("tamper")
        sm.create_secret(Name=name, SecretString=f"tamper-value-{i}-{uuid.uuid4().hex}")
        sm.get_secret_value(SecretId=name)
        sm.describe_secret(SecretId=name)
    srv.stop()
    assert len(audit_files(audit_dir(dd))) >= 4

    def copy(label):
        dest = tmp_path / f"copy-{label}"
        shutil.copytree(audit_dir(dd), dest)
        return dest
    return dd, copy


def rewrite(path, edit):
    lines = path.read_bytes().split(b"\n")[:-1]
    lines = edit(lines)
    path.write_bytes(b"".join(line + b"\n" for line in lines))


def sequence_of(line):
    return json.loads(line)["sesameSequence"]


def test_verify_accepts_the_untouched_log(closed_log):
    dd, copy = closed_log
    report = verify(dd)
    assert report["result"] == "ok"
    assert report["eventCount"] == 24
    assert report["firstSequence"] == 1 and report["lastSequence"] == 24
    assert report["digestCount"] == report["fileCount"]
    assert report["writerActive"] is False
    assert verify(dd, copy("plain"))["result"] == "ok"
    r = run_sesame("audit", "verify", "--data-dir", dd.path, env=dd.env)
    assert r.returncode == 0 and r.stdout.startswith("audit log OK"), r.stdout
    # The chain alone can be checked without the root key.
    r = run_sesame("audit", "verify", "--no-signatures", audit_dir(dd))
    assert r.returncode == 0, r.stdout + r.stderr


def test_verify_finds_an_edited_event(closed_log):
    dd, copy = closed_log
    folder = copy("edit")
    target = audit_files(folder)[1]
    seen = {}

    def edit(lines):
        seen["seq"] = sequence_of(lines[1])
        lines[1] = lines[1].replace(b'"sourceIPAddress":"127.0.0.1"',
                                    b'"sourceIPAddress":"10.9.8.7"')
        return lines
    rewrite(target, edit)
    report = verify(dd, folder)
    assert report["result"] == "altered", report
    assert (report["file"], report["line"], report["sequence"]) == \
        (target.name, 2, seen["seq"])


def test_verify_finds_a_deleted_event(closed_log):
    dd, copy = closed_log
    folder = copy("delete")
    target = audit_files(folder)[1]
    seen = {}

    def delete(lines):
        seen["seq"] = sequence_of(lines[1])
        return lines[:1] + lines[2:]
    rewrite(target, delete)
    report = verify(dd, folder)
    assert report["result"] == "removed", report
    assert (report["file"], report["line"], report["sequence"]) == \
        (target.name, 2, seen["seq"])


def test_verify_finds_reordered_events(closed_log):
    dd, copy = closed_log
    folder = copy("reorder")
    target = audit_files(folder)[1]
    rewrite(target, lambda lines: [lines[0], lines[2], lines[1]] + lines[3:])
    report = verify(dd, folder)
    assert report["result"] == "reordered", report
    assert (report["file"], report["line"]) == (target.name, 2)


def test_verify_finds_a_truncated_file(closed_log):
    dd, copy = closed_log
    folder = copy("truncate")
    target = audit_files(folder)[1]
    size = target.stat().st_size
    with open(target, "r+b") as fh:
        fh.truncate(size // 2)
    report = verify(dd, folder)
    assert report["result"] == "truncated", report
    assert report["file"] == target.name
    # Cut at a line end (the digest and the last event gone): still found.
    folder = copy("truncate-lines")
    target = audit_files(folder)[2]
    rewrite(target, lambda lines: lines[:-2])
    report = verify(dd, folder)
    assert report["result"] == "truncated", report
    assert report["file"] == target.name


def test_verify_finds_a_missing_file(closed_log):
    dd, copy = closed_log
    folder = copy("missing")
    files = audit_files(folder)
    files[1].unlink()
    report = verify(dd, folder)
    assert report["result"] == "missing-file", report
    assert report["file"] == files[1].name
    # The newest file too: the server recorded it apart from the log.
    folder = copy("missing-newest")
    files = audit_files(folder)
    files[-1].unlink()
    report = verify(dd, folder)
    assert report["result"] == "missing-file", report
    assert report["file"] == files[-1].name


def test_verify_finds_a_forged_digest(closed_log):
    dd, copy = closed_log
    folder = copy("forge")
    target = audit_files(folder)[0]

    def forge(lines):
        lines[-1] = lines[-1].replace(b'"reason":"size"', b'"reason":"rest"')
        return lines
    rewrite(target, forge)
    report = verify(dd, folder)
    assert report["result"] == "bad-signature", report
    assert (report["file"], report["line"]) == (target.name,
                                                len(target.read_bytes().split(b"\n")) - 1)


def test_killed_server_file_is_signed_at_next_start(init_data_dir, make_server):
    dd = init_data_dir(account_id=ACCOUNT_A)
    srv = make_server(dd)
    sm = srv.client()
    sm.create_secret(Name=new_name("crash"), SecretString="crash-value-123456")
    srv.proc.send_signal(signal.SIGKILL)
    srv.proc.wait()
    srv.stop(check=False)
    report = verify(dd)
    assert report["result"] == "truncated"          # no digest, no writer
    srv2 = make_server(dd)
    srv2.client().list_secrets()
    srv2.stop()
    report = verify(dd)
    assert report["result"] == "ok", report
    assert report["eventCount"] == 2
    first = audit_files(audit_dir(dd))[0].read_bytes().split(b"\n")[-2]
    assert b'"reason":"recovered"' in first


# --------------------------------------------------------------------------
# query
# --------------------------------------------------------------------------

def test_query_filters_by_time_principal_secret_event_and_result(audited):
    srv, dd, creds_b = audited
    sm, sm_b = srv.client(), srv.client(creds=creds_b)
    one, two = new_name("q1"), new_name("q2")
    arn_one = sm.create_secret(Name=one, SecretString="query-value-11111111")["ARN"]
    sm.create_secret(Name=two, SecretString="query-value-22222222")
    sm.get_secret_value(SecretId=one)
    sm.get_secret_value(SecretId=two)
    expect_client_error(sm_b.get_secret_value, "AccessDeniedException",
                        SecretId=arn_one)
    expect_client_error(sm.get_secret_value, "ResourceNotFoundException",
                        SecretId=new_name("none"))

    assert len(query(dd)) == 6
    assert [e["eventName"] for e in query(dd, "--event", "CreateSecret")] == \
        ["CreateSecret", "CreateSecret"]
    assert len(query(dd, "--secret", one)) == 3
    assert len(query(dd, "--secret", arn_one)) == 3
    assert len(query(dd, "--principal", f"arn:aws:iam::{ACCOUNT_B}:user/admin")) == 1
    assert len(query(dd, "--principal", creds_b.access_key)) == 1
    denied = query(dd, "--result", "denied")
    assert [e["errorCode"] for e in denied] == ["AccessDeniedException"]
    assert len(query(dd, "--result", "failure")) == 2
    assert len(query(dd, "--result", "success")) == 4
    assert len(query(dd, "--result", "ResourceNotFoundException")) == 1
    assert len(query(dd, "--event", "GetSecretValue", "--result", "success",
                     "--secret", two)) == 1
    now = int(time.time())
    assert len(query(dd, "--since", str(now - 600))) == 6
    assert query(dd, "--until", str(now - 600)) == []
    assert query(dd, "--since", "2999-01-01") == []


# --------------------------------------------------------------------------
# fail closed
# --------------------------------------------------------------------------

def break_audit_folder(dd):
    """Move the folder away and put a regular file in its place: no file
    can be created there, not even by root."""
    folder = audit_dir(dd)
    moved = folder.with_name("audit.moved")
    os.rename(folder, moved)
    folder.write_text("not a folder\n")

    def restore():
        folder.unlink()
        os.rename(moved, folder)
    return restore


def test_request_fails_when_the_audit_log_cannot_be_written(init_data_dir,
                                                          make_server):
    dd = init_data_dir(account_id=ACCOUNT_A)
    srv = make_server(dd)
    sm = srv.client()
    name = new_name("closed")
    value = "fail-closed-" + uuid.uuid4().hex
    sm.create_secret(Name=name, SecretString=value)
    restore = break_audit_folder(dd)
    try:
        r = srv.raw("GetSecretValue", {"SecretId": name})
        assert r.status == 500 and r.error_type == "InternalServiceError", r
        assert value.encode() not in r.body
        expect_client_error(sm.create_secret, "InternalServiceError",
                            Name=new_name("closed"), SecretString="never-stored-1")
        text = metrics_text(srv)
        assert metric(text, "sesame_audit_write_failures_total") == 2
        assert metric(text, "sesame_requests_total", operation="secretsmanager:GetSecretValue",
                      result="InternalServiceError") == 1
    finally:
        restore()
    assert sm.get_secret_value(SecretId=name)["SecretString"] == value
    # The refused CreateSecret did nothing.
    assert [s["Name"] for s in sm.list_secrets()["SecretList"]] == [name]
    srv.stop()
    events = read_events(audit_dir(dd))
    assert [e["eventName"] for e in events] == ["CreateSecret", "GetSecretValue",
                                                 "ListSecrets"]
    assert events[1]["sesameLostEvents"] == 2
    assert verify(dd)["result"] == "ok"
    assert "refusing the request (fail closed)" in srv.log_text()


def test_audit_on_failure_allow_answers_and_counts_the_loss(init_data_dir,
                                                          make_server):
    dd = init_data_dir(account_id=ACCOUNT_A)
    srv = make_server(dd, extra_args=["--audit-on-failure", "allow"])
    sm = srv.client()
    name = new_name("open")
    sm.create_secret(Name=name, SecretString="fail-open-value-123")
    restore = break_audit_folder(dd)
    try:
        assert sm.get_secret_value(SecretId=name)["SecretString"] == \
            "fail-open-value-123"
        assert metric(metrics_text(srv), "sesame_audit_write_failures_total") == 1
    finally:
        restore()
    sm.describe_secret(SecretId=name)
    srv.stop()
    events = read_events(audit_dir(dd))
    assert [e["eventName"] for e in events] == ["CreateSecret", "DescribeSecret"]
    assert events[1]["sesameLostEvents"] == 1
    assert "answering anyway" in srv.log_text()


def test_replaced_audit_file_is_flagged_and_logging_goes_on(init_data_dir,
                                                           make_server):
    dd = init_data_dir(account_id=ACCOUNT_A)
    srv = make_server(dd)
    sm = srv.client()
    sm.create_secret(Name=new_name("replaced"), SecretString="replaced-value-12")
    current = audit_files(audit_dir(dd))[-1]
    current.unlink()
    current.mkdir()
    sm.list_secrets()       # continues in a new file
    srv.stop()
    assert "removed or replaced outside sesame" in srv.log_text()
    report = verify(dd)
    assert report["result"] == "missing-file", report
    assert report["file"] == current.name
    assert read_events(audit_dir(dd))[-1]["eventName"] == "ListSecrets"


def test_second_server_on_the_same_audit_folder_is_refused(init_data_dir,
                                                         make_server, tmp_path):
    dd = init_data_dir(account_id=ACCOUNT_A)
    make_server(dd)
    other = Server(dd, tmp_path / "second.log")
    with pytest.raises(RuntimeError):
        other.start()
    assert "another sesame process holds it" in other.log_text()
    other.stop(check=False)


# --------------------------------------------------------------------------
# metrics
# --------------------------------------------------------------------------

def test_metrics_count_requests_latency_and_outcomes(audited):
    srv, dd, creds_b = audited
    sm, sm_b = srv.client(), srv.client(creds=creds_b)
    name = new_name("metrics")
    arn = sm.create_secret(Name=name, SecretString="metrics-value-1234")["ARN"]
    for _ in range(3):
        sm.get_secret_value(SecretId=name)
    expect_client_error(sm_b.get_secret_value, "AccessDeniedException",
                        SecretId=arn)
    expect_client_error(sm.describe_secret, "ResourceNotFoundException",
                        SecretId=new_name("none"))
    text = metrics_text(srv)
    assert metric(text, "sesame_requests_total", operation="secretsmanager:GetSecretValue",
                  result="success") == 3
    assert metric(text, "sesame_requests_total", operation="secretsmanager:GetSecretValue",
                  result="AccessDeniedException") == 1
    assert metric(text, "sesame_requests_total", operation="secretsmanager:DescribeSecret",
                  result="ResourceNotFoundException") == 1
    assert metric(text, "sesame_authorization_denials_total",
                  operation="secretsmanager:GetSecretValue") == 1
    assert metric(text, "sesame_request_duration_seconds_count",
                  operation="secretsmanager:GetSecretValue") == 4
    assert metric(text, "sesame_request_duration_seconds_bucket",
                  operation="secretsmanager:GetSecretValue", le="+Inf") == 4
    assert metric(text, "sesame_request_duration_seconds_sum",
                  operation="secretsmanager:GetSecretValue") > 0
    assert metric(text, "sesame_audit_events_total") == 6
    assert metric(text, "sesame_audit_write_failures_total") == 0
    assert "sesame_rotations_total{result=\"succeeded\"} 0" in text
    assert "sesame_rotations_total{result=\"failed\"} 0" in text
    assert "# TYPE sesame_secrets gauge" in text
    assert metric(text, "sesame_secrets_scrape_error") == 0
    assert metric(text, "sesame_secrets", account_id=dd.account_id) >= 1
    # /metrics is not an AWS request: no audit event for it.
    assert len(read_events(audit_dir(dd))) == 6


def _non_loopback_address():
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            ip = s.getsockname()[0]
    except OSError:
        return None
    return None if ip.startswith("127.") else ip


@pytest.mark.parametrize("allow_remote", [False, True])
def test_metrics_are_for_loopback_clients_unless_allowed(init_data_dir,
                                                        make_server, allow_remote):
    ip = _non_loopback_address()
    if ip is None:
        pytest.skip("no non-loopback IPv4 address on this machine")
    dd = init_data_dir(account_id=ACCOUNT_A)
    extra = ["--allow-insecure-remote"]
    if allow_remote:
        extra.append("--metrics-allow-remote")
    srv = make_server(dd, listen_host="0.0.0.0", extra_args=extra)
    assert srv.http_get("/metrics")[0] == 200          # from 127.0.0.1
    conn = http.client.HTTPConnection(ip, srv.port, timeout=10)
    try:
        conn.request("GET", "/metrics")
        r = conn.getresponse()
        body = r.read()
    finally:
        conn.close()
    if allow_remote:
        assert r.status == 200 and b"sesame_requests_total" in body
    else:
        assert r.status == 403 and b"sesame_" not in body
