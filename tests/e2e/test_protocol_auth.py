"""The HTTP / AWS JSON 1.1 front end and SigV4 authentication.

Requests here are made by hand (harness.Server.raw signs them with botocore's
SigV4Auth, optionally at a chosen time) or written to a raw socket.  After each
bad request the server must still answer a good one and keep its data.
"""

import datetime
import json
import re
import socket
import time

import pytest

from harness import (MSG_BAD_SIGNATURE, MSG_MISSING_AUTH, MSG_NOT_FOUND,
                     MSG_UNRECOGNIZED, Creds, error_code, new_name, new_token,
                     utcnow)
from botocore.exceptions import ClientError


@pytest.fixture(scope="module")
def canary(_shared_server):
    """A secret whose value must survive every abuse in this module."""
    name = new_name("canary")
    value = "canary value " + new_token()
    _shared_server.client().create_secret(Name=name, SecretString=value)
    return name, value


@pytest.fixture
def check_ok(server, canary):
    """Call after a bad request: a good request still works, data intact."""
    def check():
        assert server.alive(), server.log_text()[-3000:]
        status, _, body = server.http_get("/health")
        assert status == 200, body
        r = server.raw("GetSecretValue", {"SecretId": canary[0]})
        assert r.status == 200, r
        assert r.json["SecretString"] == canary[1]
    return check


def assert_error(r, code, status=400, message=None):
    assert r.status == status, r
    assert r.error_type == code, r
    if message is not None:
        if hasattr(message, "match"):
            assert message.match(r.message), r.message
        else:
            assert r.message == message, r.message


AMZ_FMT = "%Y%m%dT%H%M%SZ"


def parse_amz(s):
    return datetime.datetime.strptime(s, AMZ_FMT)


# --------------------------------------------------------------------------
# success shape
# --------------------------------------------------------------------------

def test_health_endpoint_returns_ok_json(server):
    status, headers, body = server.http_get("/health")
    assert status == 200
    assert json.loads(body) == {"status": "ok"}
    assert headers.get("content-type", "").startswith("application/json")


def test_signed_request_succeeds_and_has_aws_headers(server, canary):
    r = server.raw("GetSecretValue", {"SecretId": canary[0]})
    assert r.status == 200, r
    assert r.headers.get("content-type") == "application/x-amz-json-1.1"
    assert r.headers.get("x-amzn-requestid"), r.headers
    assert r.json["SecretString"] == canary[1]


def test_request_ids_differ_between_requests(server, canary):
    ids = {server.raw("DescribeSecret", {"SecretId": canary[0]}).headers.get("x-amzn-requestid")
           for _ in range(3)}
    assert None not in ids and len(ids) == 3


def test_modelled_error_body_has_type_and_capital_message(server):
    r = server.raw("DescribeSecret", {"SecretId": new_name("nope")})
    assert r.status == 400, r
    assert r.headers.get("content-type") == "application/x-amz-json-1.1"
    body = r.json
    assert body["__type"].split("#")[-1] == "ResourceNotFoundException"
    assert body.get("Message") == MSG_NOT_FOUND
    assert r.headers.get("x-amzn-requestid")


def test_signature_four_minutes_old_is_accepted(server, canary):
    r = server.raw("GetSecretValue", {"SecretId": canary[0]},
                   when=utcnow() - datetime.timedelta(minutes=4))
    assert r.status == 200, r


# --------------------------------------------------------------------------
# authentication failures
# --------------------------------------------------------------------------

def test_wrong_secret_key_is_invalid_signature(server, check_ok):
    real = server.credentials()
    bad = server.client(creds=Creds(real.access_key, "A" * 40))
    with pytest.raises(ClientError) as ei:
        bad.list_secrets(MaxResults=1)
    assert error_code(ei.value) == "InvalidSignatureException"
    assert ei.value.response["Error"]["Message"] == MSG_BAD_SIGNATURE
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    check_ok()


def test_auth_error_body_uses_lowercase_message_key(server, check_ok):
    real = server.credentials()
    r = server.raw("ListSecrets", {}, creds=Creds(real.access_key, "B" * 40))
    assert_error(r, "InvalidSignatureException")
    assert r.json.get("message") == MSG_BAD_SIGNATURE
    check_ok()


def test_tampered_body_after_signing_is_invalid_signature(server, canary, check_ok):
    def tamper(headers, body):
        # same length, different bytes: SecretId of the canary -> other name
        new = body.replace(canary[0].encode(), b"x" * len(canary[0]))
        assert new != body and len(new) == len(body)
        return headers, new
    r = server.raw("GetSecretValue", {"SecretId": canary[0]}, mutate=tamper)
    assert_error(r, "InvalidSignatureException", message=MSG_BAD_SIGNATURE)
    check_ok()


def test_write_with_tampered_body_changes_nothing(server, canary, check_ok):
    def tamper(headers, body):
        return headers, body.replace(b"EVIL", b"EVIX")
    r = server.raw("PutSecretValue", {"SecretId": canary[0], "SecretString": "EVIL",
                                      "ClientRequestToken": new_token()},
                   mutate=tamper)
    assert_error(r, "InvalidSignatureException")
    check_ok()


def test_tampered_signed_header_is_invalid_signature(server, canary, check_ok):
    def tamper(headers, body):
        h = dict(headers)
        h["X-Amz-Target"] = "secretsmanager.DescribeSecret"
        return h, body
    r = server.raw("GetSecretValue", {"SecretId": canary[0]}, mutate=tamper)
    assert_error(r, "InvalidSignatureException")
    check_ok()


def test_changing_credential_scope_region_breaks_signature(server, canary, check_ok):
    def tamper(headers, body):
        h = dict(headers)
        h["Authorization"] = h["Authorization"].replace("/us-east-1/", "/eu-west-1/")
        return h, body
    r = server.raw("GetSecretValue", {"SecretId": canary[0]}, mutate=tamper)
    assert_error(r, "InvalidSignatureException")
    check_ok()


def test_expired_signature_ten_minutes_old(server, canary, check_ok):
    when = utcnow() - datetime.timedelta(minutes=10)
    before = utcnow()
    r = server.raw("GetSecretValue", {"SecretId": canary[0]}, when=when)
    after = utcnow()
    assert_error(r, "InvalidSignatureException")
    m = re.match(r"^Signature expired: (\d{8}T\d{6}Z) is now earlier than "
                 r"(\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) - 5 min\.\)$", r.message)
    assert m, r.message
    assert m.group(1) == when.strftime(AMZ_FMT)
    server_now = parse_amz(m.group(3))
    assert before.replace(microsecond=0) - datetime.timedelta(seconds=2) <= server_now \
        <= after + datetime.timedelta(seconds=2)
    assert parse_amz(m.group(2)) == server_now - datetime.timedelta(minutes=5)
    check_ok()


def test_signature_from_the_future_is_not_yet_current(server, canary, check_ok):
    when = utcnow() + datetime.timedelta(minutes=10)
    r = server.raw("GetSecretValue", {"SecretId": canary[0]}, when=when)
    assert_error(r, "InvalidSignatureException")
    assert r.message.startswith("Signature not yet current: "), r.message
    assert when.strftime(AMZ_FMT) in r.message
    check_ok()


def test_credential_scope_date_must_match_x_amz_date(server, canary, check_ok):
    """A correct signature under an old day's scope (a leaked derived signing
    key) must not be accepted with a fresh X-Amz-Date."""
    good = server.raw("GetSecretValue", {"SecretId": canary[0]},
                      scope_date=utcnow().strftime("%Y%m%d"))
    assert good.status == 200, good
    r = server.raw("GetSecretValue", {"SecretId": canary[0]}, scope_date="20200101")
    assert r.status == 400, r
    assert r.error_type in ("InvalidSignatureException", "IncompleteSignatureException"), r
    check_ok()


def test_unknown_access_key_is_unrecognized_client(server, check_ok):
    r = server.raw("ListSecrets", {}, creds=Creds("AKIAIOSFODNN7EXAMPLE", "x" * 40))
    assert_error(r, "UnrecognizedClientException", message=MSG_UNRECOGNIZED)
    check_ok()


def test_unknown_access_key_via_boto3(server, check_ok):
    c = server.client(creds=Creds("AKIA" + "Z" * 16, "y" * 40))
    with pytest.raises(ClientError) as ei:
        c.get_random_password()
    assert error_code(ei.value) == "UnrecognizedClientException"
    check_ok()


def test_missing_authorization_is_missing_authentication_token(server, check_ok):
    body = b"{}"
    headers = {"Content-Type": "application/x-amz-json-1.1",
               "X-Amz-Target": "secretsmanager.ListSecrets",
               "X-Amz-Date": utcnow().strftime(AMZ_FMT)}
    r = server.send(headers, body)
    assert r.status in (400, 403), r
    assert r.error_type == "MissingAuthenticationTokenException", r
    assert r.message == MSG_MISSING_AUTH
    check_ok()


def _with_authorization(value):
    def mutate(headers, body):
        h = dict(headers)
        h["Authorization"] = value(h["Authorization"]) if callable(value) else value
        return h, body
    return mutate


INCOMPLETE = {"IncompleteSignatureException"}
INCOMPLETE_OR_INVALID = {"IncompleteSignatureException", "InvalidSignatureException"}


@pytest.mark.parametrize("garble,codes", [
    ("AWS4-HMAC-SHA256", INCOMPLETE),
    ("AWS4-HMAC-SHA256 garbage", INCOMPLETE),
    ("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/"
     "secretsmanager/aws4_request", INCOMPLETE),
    ("AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=", INCOMPLETE_OR_INVALID),
    ("AWS4-HMAC-SHA256 Credential=AKID, SignedHeaders=host, Signature=00",
     INCOMPLETE_OR_INVALID),
    ("AWS4-HMAC-SHA256 Credential=" + "A" * 5000, INCOMPLETE_OR_INVALID),
    ("AWS4-HMAC-SHA256 ,,,,,,===,,,", INCOMPLETE_OR_INVALID),
], ids=["bare-algorithm", "garbage", "credential-only", "empty-parts",
        "short-credential", "huge", "punctuation"])
def test_garbled_authorization_is_incomplete_signature(server, garble, codes, check_ok):
    r = server.raw("ListSecrets", {}, mutate=_with_authorization(garble))
    assert r.status == 400, r
    assert r.error_type in codes, r
    check_ok()


def test_authorization_missing_signature_and_signed_headers_has_aws_text(server, check_ok):
    auth = ("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/"
            "us-east-1/secretsmanager/aws4_request")
    r = server.raw("ListSecrets", {}, mutate=_with_authorization(auth))
    assert_error(r, "IncompleteSignatureException")
    assert r.message.startswith(
        "Authorization header requires 'Signature' parameter. "
        "Authorization header requires 'SignedHeaders' parameter. "), r.message
    assert "Authorization=" in r.message
    check_ok()


def test_missing_x_amz_date_is_incomplete_signature(server, check_ok):
    def drop_date(headers, body):
        h = {k: v for k, v in headers.items() if k.lower() != "x-amz-date"}
        return h, body
    r = server.raw("ListSecrets", {}, mutate=drop_date)
    assert_error(r, "IncompleteSignatureException")
    assert "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header." \
        in r.message, r.message
    check_ok()


def test_credential_scoped_to_another_service_is_rejected(server, check_ok):
    r = server.raw("ListSecrets", {}, service="kinesis")
    assert r.status == 400, r
    assert r.error_type in ("InvalidSignatureException", "IncompleteSignatureException"), r
    check_ok()


def test_signed_header_values_are_trimmed_and_space_collapsed(server, canary):
    """SigV4 canonical headers trim values and collapse runs of spaces."""
    r = server.raw("GetSecretValue", {"SecretId": canary[0]},
                   extra_headers={"X-Amz-Meta-Spaces": "  a   b    c  ",
                                  "X-Amz-Meta-Empty": ""})
    assert r.status == 200, r
    assert r.json["SecretString"] == canary[1]


def test_host_header_is_part_of_the_signature(server, canary, check_ok):
    def change_host(headers, body):
        h = dict(headers)
        h["Host"] = "evil.example:1"
        return h, body
    r = server.raw("GetSecretValue", {"SecretId": canary[0]}, mutate=change_host)
    assert_error(r, "InvalidSignatureException")
    check_ok()


# --------------------------------------------------------------------------
# protocol errors
# --------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    b"{",
    b"not json at all",
    b'{"SecretId": "x"',
    b'{"SecretId": "x"}}',
    b"\xff\xfe\x00{}",
    b'{"SecretId": "\xc3\x28"}',
    b"[1, 2, 3]",
    b'"just a string"',
], ids=["open-brace", "text", "truncated", "trailing", "bad-bytes", "bad-utf8", "array",
        "string"])
def test_malformed_json_is_serialization_exception(server, body, check_ok):
    r = server.raw("GetSecretValue", body=body)
    assert_error(r, "SerializationException")
    check_ok()


@pytest.mark.parametrize("payload", [
    {"SecretId": 123},
    {"SecretId": True},
    {"SecretId": {"nested": "object"}},
    {"SecretId": ["list"]},
], ids=["number", "bool", "object", "list"])
def test_wrong_json_type_is_serialization_exception(server, payload, check_ok):
    r = server.raw("GetSecretValue", payload)
    assert_error(r, "SerializationException")
    check_ok()


def test_wrong_type_for_integer_member_is_serialization_exception(server, check_ok):
    r = server.raw("ListSecrets", {"MaxResults": "ten"})
    assert_error(r, "SerializationException")
    check_ok()


def test_deeply_nested_json_is_rejected_without_crash(server, check_ok):
    body = b'{"SecretId": ' + b"[" * 100000 + b"]" * 100000 + b"}"
    r = server.raw("GetSecretValue", body=body)
    assert r.status == 400, r
    assert r.error_type in ("SerializationException", "ValidationException"), r
    check_ok()


def test_unknown_operation_is_unknown_operation_exception(server, check_ok):
    r = server.raw("FrobnicateSecret", {})
    assert_error(r, "UnknownOperationException")
    check_ok()


def test_operation_of_another_service_prefix_is_unknown_operation(server, check_ok):
    r = server.raw("ListSecrets", {}, target="dynamodb_20120810.ListTables")
    assert r.status == 400, r
    assert r.error_type == "UnknownOperationException", r
    check_ok()


def test_unknown_fields_are_ignored(server, canary):
    r = server.raw("GetSecretValue", {"SecretId": canary[0], "NoSuchField": "x",
                                      "Another": {"deep": [1, 2]}})
    assert r.status == 200, r
    assert r.json["SecretString"] == canary[1]


def test_body_just_under_one_mib_is_accepted(server, check_ok):
    pad = 1024 * 1024 - 200
    body = b'{"MaxResults": 1' + b" " * pad + b"}"
    assert len(body) < 1024 * 1024
    r = server.raw("ListSecrets", body=body)
    assert r.status == 200, r
    check_ok()


def test_oversize_body_is_rejected_and_server_keeps_serving(server, check_ok):
    """2 MiB body: 413 (or the connection closed), then business as usual."""
    big = b'{"Name": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    req = (b"POST / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
           b"Content-Type: application/x-amz-json-1.1\r\n"
           b"X-Amz-Target: secretsmanager.CreateSecret\r\n"
           b"Content-Length: %d\r\n\r\n" % (server.port, len(big)))
    s = server.raw_socket(timeout=15)
    got = b""
    try:
        s.sendall(req)
        try:
            s.sendall(big)
        except OSError:
            pass
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
                if b"\r\n\r\n" in got:
                    break
        except OSError:
            pass
    finally:
        s.close()
    if got:
        status_line = got.split(b"\r\n", 1)[0]
        assert b" 413 " in status_line + b" ", status_line
    check_ok()


def test_oversize_signed_request_is_rejected(server, check_ok):
    payload = {"Name": new_name("huge"), "SecretString": "z" * (2 * 1024 * 1024),
               "ClientRequestToken": new_token()}
    try:
        r = server.raw("CreateSecret", payload)
    except OSError:
        r = None
    if r is not None:
        assert r.status == 413, r
    expect = server.raw("DescribeSecret", {"SecretId": payload["Name"]})
    assert expect.error_type == "ResourceNotFoundException", expect
    check_ok()


def test_content_length_larger_than_cap_without_body_is_rejected(server, check_ok):
    s = server.raw_socket(timeout=10)
    try:
        s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n"
                  b"X-Amz-Target: secretsmanager.ListSecrets\r\n\r\n")
        try:
            got = s.recv(4096)
        except OSError:
            got = b""
    finally:
        s.close()
    if got:
        assert got.startswith(b"HTTP/1.") and (b" 413 " in got[:20] or b" 400 " in got[:20]), got[:200]
    check_ok()


@pytest.mark.parametrize("raw", [
    b"HELLO\r\n\r\n",
    b"GET\r\n\r\n",
    b"POST / HTTP/9.9\r\n\r\n",
    b"POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
    b"POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
    b"POST / HTTP/1.1\r\n" + b"X-Long: " + b"a" * 200000 + b"\r\n\r\n",
    b"\x00\x01\x02\x03\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
], ids=["garbage", "no-version", "bad-version", "negative-length", "alpha-length",
        "huge-header", "binary", "bad-chunk"])
def test_malformed_http_is_answered_or_closed_and_server_survives(server, raw, check_ok):
    s = server.raw_socket(timeout=10)
    got = b""
    try:
        try:
            s.sendall(raw)
        except OSError:          # the server may close before reading it all
            pass
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        try:
            got = s.recv(4096)
        except OSError:          # reset or timeout: closed without an answer
            got = b""
    finally:
        s.close()
    if got:
        assert got.startswith(b"HTTP/1."), got[:200]
        status = int(got.split(b" ", 2)[1])
        assert 400 <= status < 500 or status == 505, got[:200]
    check_ok()


@pytest.mark.parametrize("raw", [
    b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}",
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    b"GET /health HTTP/1.1\r\n\r\n",
], ids=["no-host", "negative-length", "get-no-host"])
@pytest.mark.xfail(strict=False, reason=(
    "libmicrohttpd 0.9.75 (Debian 12) sends the header block of its own 400 "
    "responses twice; reproduced with a 20-line MHD program, not Sesame code"))
def test_rejections_of_malformed_http_are_well_formed_responses(server, raw, check_ok):
    """One status line, headers, then exactly Content-Length bytes of body."""
    s = server.raw_socket(timeout=5)
    got = b""
    try:
        s.sendall(raw)
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
        except OSError:
            pass
    finally:
        s.close()
    if got:
        head, sep, rest = got.partition(b"\r\n\r\n")
        assert sep, got[:300]
        assert head.startswith(b"HTTP/1.1 4"), head
        m = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
        assert m, head
        length = int(m.group(1))
        assert not rest.startswith(b"HTTP/"), f"a second header block was sent as the body: {got[:400]!r}"
        assert len(rest) == length, (len(rest), length, got[:400])
    check_ok()


def test_half_sent_request_then_close_does_not_hurt(server, check_ok):
    socks = []
    for _ in range(5):
        s = server.raw_socket(timeout=5)
        s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"Sec")
        socks.append(s)
    for s in socks:
        s.close()
    check_ok()


def test_keep_alive_serves_several_requests_on_one_connection(server, canary):
    conn = server.connection()
    try:
        r = server.raw("GetSecretValue", {"SecretId": canary[0]}, conn=conn)
        assert r.status == 200, r
        sock = conn.sock
        assert sock is not None, "server closed the connection after one request"
        for i in range(5):
            r = server.raw("GetSecretValue", {"SecretId": canary[0]}, conn=conn)
            assert r.status == 200, r
            assert r.json["SecretString"] == canary[1]
            assert conn.sock is sock, f"connection was not kept alive (request {i + 2})"
        # an error response must not break the connection either
        r = server.raw("DescribeSecret", {"SecretId": new_name("none")}, conn=conn)
        assert r.error_type == "ResourceNotFoundException"
        r = server.raw("GetRandomPassword", {}, conn=conn)
        assert r.status == 200 and len(r.json["RandomPassword"]) == 32
        assert conn.sock is sock
    finally:
        conn.close()


def test_concurrent_clients_all_get_answers(server, canary):
    import concurrent.futures

    def work(i):
        name = new_name(f"conc{i}")
        c = server.client()
        c.create_secret(Name=name, SecretString=f"value-{i}")
        for j in range(5):
            c.put_secret_value(SecretId=name, SecretString=f"value-{i}-{j}")
        return c.get_secret_value(SecretId=name)["SecretString"], i
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as ex:
        results = list(ex.map(work, range(16)))
    for value, i in results:
        assert value == f"value-{i}-4"


def test_data_intact_after_all_abuse(server, canary):
    """Runs last in this module (file order): the canary is unchanged."""
    time.sleep(0.1)
    r = server.raw("DescribeSecret", {"SecretId": canary[0]})
    assert r.status == 200, r
    assert len(r.json["VersionIdsToStages"]) == 1
    g = server.raw("GetSecretValue", {"SecretId": canary[0]})
    assert g.json["SecretString"] == canary[1]
