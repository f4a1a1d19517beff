"""Helpers of the Sesame end-to-end suite (imported by conftest and tests).

Server wraps one `sesame server` process; DataDir one `sesame init` folder;
Server.raw() sends hand-made SigV4-signed requests (FixedTimeSigV4Auth signs
with any timestamp); Server.aws() runs the aws CLI against the server.
"""

import base64
import configparser
import datetime
import http.client
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import time
import uuid
from pathlib import Path

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

REPO = Path(__file__).resolve().parents[2]
SESAME_BIN = Path(os.environ.get("SESAME_BIN", str(REPO / "build" / "sesame")))
AWS_CLI = "/usr/bin/aws"

SHARED_ACCOUNT = "123456789012"
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "runtime error:",
                     "ERROR: LeakSanitizer")
START_TIMEOUT = float(os.environ.get("SESAME_E2E_START_TIMEOUT", "20"))
STOP_TIMEOUT = float(os.environ.get("SESAME_E2E_STOP_TIMEOUT", "20"))

# The test process must never pick up a developer's AWS configuration or try
# the instance metadata service.
for _k in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID",
           "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION",
           "AWS_REGION", "AWS_CA_BUNDLE"):
    os.environ.pop(_k, None)
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
os.environ["AWS_CONFIG_FILE"] = "/dev/null"
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_name(prefix="e2e"):
    return f"{prefix}/{uuid.uuid4().hex[:16]}"


def new_token():
    """A ClientRequestToken (32..64 chars), as the SDKs make it."""
    return str(uuid.uuid4())


def error_code(exc):
    return exc.response["Error"]["Code"]


def error_message(exc):
    return exc.response["Error"].get("Message", "")


def run_sesame(*args, env=None, input=None, timeout=60):
    """Run the binary with args; return CompletedProcess (text mode)."""
    full_env = dict(os.environ)
    full_env.pop("SESAME_ROOT_KEY", None)
    if env:
        full_env.update(env)
    r = subprocess.run([str(SESAME_BIN), *[str(a) for a in args]],
                       env=full_env, input=input, capture_output=True,
                       text=True, timeout=timeout)
    check_sanitizer_text(r.stdout + r.stderr, f"sesame {' '.join(map(str, args[:2]))}")
    return r


def parse_key_lines(text):
    """aws_access_key_id = X / aws_secret_access_key = Y lines -> (X, Y)."""
    found = {}
    for line in text.splitlines():
        m = re.match(r"\s*(aws_access_key_id|aws_secret_access_key)\s*=\s*(\S+)\s*$",
                     line)
        if m:
            found[m.group(1)] = m.group(2)
    assert "aws_access_key_id" in found and "aws_secret_access_key" in found, \
        f"no key lines in output: {text!r}"
    return found["aws_access_key_id"], found["aws_secret_access_key"]


def check_sanitizer_text(text, where):
    for marker in SANITIZER_MARKERS:
        if marker in text:
            idx = text.index(marker)
            pytest.fail(f"sanitizer report in {where}:\n{text[max(0, idx - 200):idx + 4000]}")


class Creds:
    def __init__(self, access_key, secret_key, region="us-east-1"):
        self.access_key = access_key
        self.secret_key = secret_key
        self.region = region

    def __repr__(self):
        return f"Creds({self.access_key!r}, ***, {self.region!r})"


class DataDir:
    """A folder prepared by `sesame init`."""

    def __init__(self, path, account_id=None, env=None, init_result=None):
        self.path = Path(path)
        self.account_id = account_id
        self.env = dict(env or {})     # e.g. SESAME_ROOT_KEY for the server
        self.init_result = init_result

    @property
    def db(self):
        return self.path / "sesame.db"

    @property
    def credentials_file(self):
        return self.path / "credentials"

    def credentials(self):
        cp = configparser.ConfigParser()
        cp.read(self.credentials_file)
        sec = cp["sesame"]
        return Creds(sec["aws_access_key_id"].strip(),
                     sec["aws_secret_access_key"].strip(),
                     sec.get("region", "us-east-1").strip())

    def admin(self, *args, input=None, env=None):
        e = dict(self.env)
        if env:
            e.update(env)
        return run_sesame("admin", "--data-dir", self.path, *args, env=e,
                          input=input)


def sesame_init(path, account_id=None, env=None):
    args = ["init", "--data-dir", path]
    if account_id:
        args += ["--account-id", account_id]
    r = run_sesame(*args, env=env)
    check_sanitizer_text(r.stderr, "sesame init")
    assert r.returncode == 0, f"sesame init failed ({r.returncode}): {r.stderr}"
    return DataDir(path, account_id, env=env, init_result=r)


# --------------------------------------------------------------------------
# raw signed requests
# --------------------------------------------------------------------------

class FixedTimeSigV4Auth(botocore.auth.SigV4Auth):
    """SigV4Auth that signs with a given UTC datetime instead of now, and
    optionally with a credential-scope date (YYYYMMDD) that differs from
    X-Amz-Date (the signature is still correct for that scope)."""

    def __init__(self, credentials, service, region, when=None, scope_date=None):
        super().__init__(credentials, service, region)
        self._when = when
        self._scope_date = scope_date

    def _date(self, request):
        return self._scope_date or request.context["timestamp"][0:8]

    def scope(self, request):
        return "/".join([self.credentials.access_key, self._date(request),
                         self._region_name, self._service_name, "aws4_request"])

    def credential_scope(self, request):
        return "/".join([self._date(request), self._region_name,
                         self._service_name, "aws4_request"])

    def signature(self, string_to_sign, request):
        k_date = self._sign(f"AWS4{self.credentials.secret_key}".encode(),
                            self._date(request))
        k_region = self._sign(k_date, self._region_name)
        k_service = self._sign(k_region, self._service_name)
        k_signing = self._sign(k_service, "aws4_request")
        return self._sign(k_signing, string_to_sign, hex=True)

    def add_auth(self, request):
        if self._when is None:
            return super().add_auth(request)
        request.context["timestamp"] = self._when.strftime(
            botocore.auth.SIGV4_TIMESTAMP)
        self._modify_request_before_signing(request)
        canonical_request = self.canonical_request(request)
        string_to_sign = self.string_to_sign(request, canonical_request)
        signature = self.signature(string_to_sign, request)
        self._inject_signature_to_request(request, signature)


class RawResponse:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers          # dict, lower-case names
        self.body = body

    @property
    def json(self):
        return json.loads(self.body.decode("utf-8")) if self.body else {}

    @property
    def error_type(self):
        """AWS error code from __type (namespace stripped) or the header."""
        t = None
        try:
            t = self.json.get("__type")
        except ValueError:
            pass
        if not t:
            t = self.headers.get("x-amzn-errortype")
        if not t:
            return None
        return t.split("#")[-1].split(":")[0]

    @property
    def message(self):
        try:
            j = self.json
        except ValueError:
            return ""
        return j.get("message") or j.get("Message") or ""

    def __repr__(self):
        return f"RawResponse({self.status}, {self.body[:500]!r})"


def sign_headers(url, body, target, creds, region, service="secretsmanager",
                 when=None, extra_headers=None, scope_date=None):
    """Return the header dict of a SigV4-signed secretsmanager request."""
    from urllib.parse import urlsplit
    netloc = urlsplit(url).netloc
    headers = {
        "Host": netloc,
        "Content-Type": "application/x-amz-json-1.1",
    }
    if target is not None:
        headers["X-Amz-Target"] = target
    if extra_headers:
        headers.update(extra_headers)
    req = botocore.awsrequest.AWSRequest(method="POST", url=url, data=body,
                                         headers=headers)
    c = botocore.credentials.Credentials(creds.access_key, creds.secret_key)
    FixedTimeSigV4Auth(c, service, region, when, scope_date).add_auth(req)
    return dict(req.headers.items())


# --------------------------------------------------------------------------
# the server process
# --------------------------------------------------------------------------

class Server:
    def __init__(self, data_dir, log_path, *, tls=None, listen_host="127.0.0.1",
                 extra_args=(), env=None, log_level=None, account_id=None):
        self.data_dir = data_dir if isinstance(data_dir, DataDir) else DataDir(data_dir)
        self.log_path = Path(log_path)
        self.tls = tls                    # (cert, key) or None
        self.listen_host = listen_host
        self.extra_args = list(extra_args)
        self.env = dict(self.data_dir.env)
        if env:
            self.env.update(env)
        self.log_level = log_level
        self.account_id = account_id or self.data_dir.account_id
        self.proc = None
        self.port = None
        self.returncode = None
        self._log_fh = None

    # ---- process control ----

    def command(self, port):
        cmd = [str(SESAME_BIN), "server", "--data-dir", str(self.data_dir.path),
               "--listen", f"{self.listen_host}:{port}"]
        if self.tls:
            cmd += ["--tls-cert", str(self.tls[0]), "--tls-key", str(self.tls[1])]
        if self.log_level:
            cmd += ["--log-level", self.log_level]
        return cmd + self.extra_args

    def start(self):
        last = None
        for _attempt in range(3):
            self.port = free_port()
            env = dict(os.environ)
            env.pop("SESAME_ROOT_KEY", None)
            env.update(self.env)
            self._log_fh = open(self.log_path, "ab")
            self.proc = subprocess.Popen(self.command(self.port), env=env,
                                         stdin=subprocess.DEVNULL,
                                         stdout=self._log_fh,
                                         stderr=self._log_fh)
            try:
                self.wait_healthy()
                return self
            except RuntimeError as e:
                last = e
                if self.proc.poll() is None:
                    raise
                self._log_fh.close()
                if "in use" not in self.log_text().lower():
                    raise
        raise last

    def wait_healthy(self, timeout=START_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rc = self.proc.poll()
            if rc is not None:
                raise RuntimeError(f"server exited with {rc} before becoming healthy:\n"
                                   f"{self.log_text()[-4000:]}")
            try:
                status, _, _ = self.http_get("/health", timeout=2)
                if status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        raise RuntimeError(f"server not healthy after {timeout}s:\n{self.log_text()[-4000:]}")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, check=True):
        """SIGTERM, wait, return exit code; with check assert 0 and no
        sanitizer report."""
        if self.proc is None:
            return self.returncode
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self.returncode = self.proc.returncode
                self.proc = None
                self._log_fh.close()
                if check:
                    pytest.fail(f"server did not exit within {STOP_TIMEOUT}s of SIGTERM")
                return self.returncode
        self.returncode = self.proc.returncode
        self.proc = None
        self._log_fh.close()
        if check:
            check_sanitizer_text(self.log_text(), f"server log {self.log_path}")
            assert self.returncode == 0, (
                f"server exit code {self.returncode} after SIGTERM:\n{self.log_text()[-4000:]}")
        return self.returncode

    def restart(self):
        self.stop()
        return self.start()

    def log_text(self):
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_size(self):
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    # ---- addressing ----

    @property
    def scheme(self):
        return "https" if self.tls else "http"

    @property
    def host(self):
        return "127.0.0.1"

    @property
    def endpoint(self):
        return f"{self.scheme}://{self.host}:{self.port}"

    def ssl_context(self):
        ctx = ssl.create_default_context(cafile=str(self.tls[0]))
        return ctx

    def connection(self, timeout=30):
        if self.tls:
            return http.client.HTTPSConnection(self.host, self.port, timeout=timeout,
                                               context=self.ssl_context())
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def http_get(self, path, timeout=10):
        conn = self.connection(timeout=timeout)
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    # ---- clients ----

    def credentials(self):
        return self.data_dir.credentials()

    def client(self, region="us-east-1", creds=None, validate=True, **config):
        creds = creds or self.credentials()
        cfg = Config(retries={"total_max_attempts": 1, "mode": "standard"},
                     connect_timeout=10, read_timeout=60,
                     parameter_validation=validate, **config)
        session = boto3.session.Session(
            aws_access_key_id=creds.access_key,
            aws_secret_access_key=creds.secret_key,
            region_name=region)
        return session.client("secretsmanager", endpoint_url=self.endpoint,
                              config=cfg,
                              verify=str(self.tls[0]) if self.tls else None)

    def raw(self, operation, payload=None, *, body=None, region="us-east-1",
            creds=None, when=None, target=None, service="secretsmanager",
            extra_headers=None, mutate=None, conn=None, timeout=30,
            scope_date=None):
        """Send a hand-made SigV4-signed request and return RawResponse.

        payload: dict serialised as JSON (or body: raw bytes).
        target: X-Amz-Target override (default secretsmanager.<operation>);
        pass False to omit it.
        when: UTC datetime to sign with (default now).
        scope_date: YYYYMMDD for the credential scope (default: from when).
        mutate(headers, body) -> (headers, body): change after signing.
        conn: reuse an http.client connection (keep-alive tests).
        """
        if body is None:
            body = json.dumps(payload if payload is not None else {}).encode()
        if target is None:
            target = f"secretsmanager.{operation}"
        elif target is False:
            target = None
        creds = creds or self.credentials()
        headers = sign_headers(self.endpoint + "/", body, target, creds, region,
                               service=service, when=when,
                               extra_headers=extra_headers, scope_date=scope_date)
        if mutate:
            headers, body = mutate(headers, body)
        return self.send(headers, body, conn=conn, timeout=timeout)

    def send(self, headers, body, *, method="POST", path="/", conn=None, timeout=30):
        own = conn is None
        if own:
            conn = self.connection(timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            data = r.read()
            return RawResponse(r.status, {k.lower(): v for k, v in r.getheaders()}, data)
        finally:
            if own:
                conn.close()

    def raw_socket(self, timeout=10):
        s = socket.create_connection((self.host, self.port), timeout=timeout)
        if self.tls:
            s = self.ssl_context().wrap_socket(s, server_hostname="localhost")
        return s

    # ---- aws cli ----

    def aws(self, *args, region="us-east-1", check=True, timeout=120, env=None):
        return run_aws_cli(self, args, region=region, check=check,
                           timeout=timeout, env=env)


class CliResult:
    def __init__(self, proc):
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr

    @property
    def json(self):
        return json.loads(self.stdout) if self.stdout.strip() else {}

    def __repr__(self):
        return f"CliResult(rc={self.returncode}, stdout={self.stdout[:500]!r}, stderr={self.stderr[:1000]!r})"


def run_aws_cli(server, args, region="us-east-1", check=True, timeout=120, env=None):
    full_env = {
        "PATH": "/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "AWS_SHARED_CREDENTIALS_FILE": str(server.data_dir.credentials_file),
        "AWS_PROFILE": "sesame",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_RETRY_MODE": "standard",
    }
    if env:
        full_env.update(env)
    cmd = [AWS_CLI, *[str(a) for a in args], "--endpoint-url", server.endpoint,
           "--region", region, "--output", "json"]
    if server.tls:
        cmd += ["--ca-bundle", str(server.tls[0])]
    proc = subprocess.run(cmd, env=full_env, capture_output=True, text=True,
                          timeout=timeout)
    res = CliResult(proc)
    if check:
        assert proc.returncode == 0, f"aws {' '.join(map(str, args))} failed: {res!r}"
    return res


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def b64(data):
    return base64.b64encode(data).decode()


def expect_client_error(fn, code, *args, message=None, **kwargs):
    """Call fn and assert it raises ClientError with code (and message)."""
    with pytest.raises(ClientError) as ei:
        fn(*args, **kwargs)
    got = error_code(ei.value)
    assert got == code, f"expected {code}, got {got}: {error_message(ei.value)!r}"
    if message is not None:
        if hasattr(message, "search"):
            assert message.search(error_message(ei.value)), error_message(ei.value)
        else:
            assert error_message(ei.value) == message
    return ei.value


# --------------------------------------------------------------------------
# AWS texts that docs/internals/aws-errors.md marks REAL (captured from AWS)
# --------------------------------------------------------------------------

MSG_NOT_FOUND = "Secrets Manager can't find the specified secret."
MSG_NO_STAGE = "Secrets Manager can't find the specified secret value for staging label: {}"
MSG_NO_VERSION = "Secrets Manager can't find the specified secret value for VersionId: {}"
MSG_STAGE_MISMATCH = "You provided a VersionStage that is not associated to the provided VersionId."
MSG_EXISTS = "The operation failed because the secret {} already exists."
MSG_SCHEDULED = ("You can't create this secret because a secret with this name "
                 "is already scheduled for deletion.")
MSG_MARKED_DELETED = ("You can't perform this operation on the secret because it "
                      "was marked for deletion.")
# 2018 capture used U+2019; the doc recommends ASCII: accept both.
RE_BOTH_VALUES = re.compile(
    r"^You can['\u2019]t specify both a binary secret value and a string "
    r"secret value in the same secret\.$")
MSG_NO_TOKEN = "You must provide a ClientRequestToken value. We recommend a UUID-type value."
MSG_RECOVERY_WINDOW = "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."
MSG_INVALID_NAME = ("Invalid name. Must be a valid name containing alphanumeric "
                    "characters, or any of the following: -/_+=.@!")
MSG_NULL_SECRET_ID = ("1 validation error detected: Value null at 'secretId' failed "
                      "to satisfy constraint: Member must not be null")
MSG_BAD_SIGNATURE = ("The request signature we calculated does not match the "
                     "signature you provided. Check your AWS Secret Access Key and "
                     "signing method. Consult the service documentation for details.")
MSG_UNRECOGNIZED = "The security token included in the request is invalid."
# A real Secrets Manager response (aws/aws-sdk-cpp#2407): HTTP 400,
# application/x-amz-json-1.1.
MSG_MISSING_AUTH = "Missing Authentication Token"
