"""Helpers of the rotation suite (tests/e2e/test_rotation*.py).

- rotation_server(): a server of its own with a short rotation interval, its
  clock optionally shifted (--test-clock-offset-seconds), restartable with
  another shift (restart());
- client()/raw(): boto3 and hand-signed calls that sign with the server's
  shifted clock (Debian's boto3 lacks NextRotationDate and never shows
  Sesame's own members, so those are read raw);
- RotationFunction: an external rotation function written in Python
  (/usr/bin/python3 with boto3) for a secret that is not a database: it keeps
  a fake service (a JSON file of accepted passwords) in step with the secret,
  logs every invocation, and fails, or hangs, at a step on demand;
- waits for a rotation's outcome, readers of versions and audit events.
"""

import datetime
import glob
import json
import os
import signal
import sqlite3
import textwrap
import time
import uuid

import boto3
import botocore.auth
from botocore.config import Config

from harness import (SESAME_BIN, Server, check_sanitizer_text, run_sesame,
                     sesame_init, utcnow)

ACCOUNT = "123456789012"
REGION = "us-east-1"
DAY = 86400


def function_arn(name, account=ACCOUNT, region=REGION):
    return f"arn:aws:lambda:{region}:{account}:function:{name}"


# --------------------------------------------------------------------------
# servers
# --------------------------------------------------------------------------

def rotation_args(interval=1, retry=3600, timeout=60, offset=0, threads=None):
    args = ["--rotation-interval-seconds", str(interval),
            "--rotation-retry-seconds", str(retry),
            "--rotation-function-timeout-seconds", str(timeout)]
    if threads is not None:
        args += ["--threads", str(threads)]
    if offset:
        args += ["--test-clock-offset-seconds", str(int(offset))]
    return args


def rotation_server(base, offset=0, **rotation):
    """init a data folder under base and start a server on it."""
    base.mkdir(parents=True, exist_ok=True)
    dd = sesame_init(base / "data", account_id=ACCOUNT)
    srv = Server(dd, base / "server.log", account_id=ACCOUNT,
                 extra_args=rotation_args(offset=offset, **rotation))
    srv.rotation = rotation
    srv.offset_seconds = offset
    srv.start()
    return srv


def restart(srv, offset=None):
    """Stop srv cleanly and start it again, its clock shifted by offset."""
    srv.stop(check=True)
    if offset is not None:
        srv.offset_seconds = offset
    srv.extra_args = rotation_args(offset=srv.offset_seconds, **srv.rotation)
    srv.start()
    return srv


def kill_hard(srv):
    """kill -9 the server, as a crash would."""
    srv.proc.send_signal(signal.SIGKILL)
    srv.proc.wait(timeout=30)
    srv.proc = None
    srv._log_fh.close()


def stop(srv):
    if srv.proc is not None:
        srv.stop(check=True)
    check_sanitizer_text(srv.log_text(), f"server log {srv.log_path}")


# --------------------------------------------------------------------------
# clients that sign with the server's clock
# --------------------------------------------------------------------------

class ShiftedSigV4Auth(botocore.auth.SigV4Auth):
    offset_seconds = 0

    def add_auth(self, request):
        when = utcnow() + datetime.timedelta(seconds=self.offset_seconds)
        request.context["timestamp"] = when.strftime(botocore.auth.SIGV4_TIMESTAMP)
        self._modify_request_before_signing(request)
        canonical_request = self.canonical_request(request)
        string_to_sign = self.string_to_sign(request, canonical_request)
        signature = self.signature(string_to_sign, request)
        self._inject_signature_to_request(request, signature)


def client(srv, creds=None, validate=True):
    creds = creds or srv.credentials()
    cfg = Config(retries={"total_max_attempts": 1, "mode": "standard"},
                 connect_timeout=10, read_timeout=60,
                 parameter_validation=validate)
    session = boto3.session.Session(aws_access_key_id=creds.access_key,
                                    aws_secret_access_key=creds.secret_key,
                                    region_name=REGION)
    c = session.client("secretsmanager", endpoint_url=srv.endpoint, config=cfg)
    offset = getattr(srv, "offset_seconds", 0)
    if offset:
        signer = c._request_signer
        original = signer.get_auth_instance

        def get_auth_instance(*args, **kwargs):
            auth = original(*args, **kwargs)
            shifted = ShiftedSigV4Auth(auth.credentials, auth._service_name,
                                       auth._region_name)
            shifted.offset_seconds = offset
            return shifted
        signer.get_auth_instance = get_auth_instance
    return c


def raw(srv, operation, payload, creds=None):
    when = utcnow() + datetime.timedelta(seconds=getattr(srv, "offset_seconds", 0))
    return srv.raw(operation, payload, when=when, creds=creds)


def describe_raw(srv, secret_id):
    r = raw(srv, "DescribeSecret", {"SecretId": secret_id})
    assert r.status == 200, r
    return r.json


def server_now(srv):
    return time.time() + getattr(srv, "offset_seconds", 0)


# --------------------------------------------------------------------------
# the external rotation function
# --------------------------------------------------------------------------

FUNCTION_SOURCE = '''\
#!/usr/bin/python3
"""Rotation function of the Sesame tests, for a JSON secret whose
"password" a service (a JSON file of accepted passwords) checks.  The four
steps follow AWS's rotation function template."""
import datetime
import json
import os
import sys
import time

CONTROL = {control!r}


def load(path, default):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        return default


def save(path, data):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f)
    os.replace(tmp, path)


def shift_clock():
    """Sign with the server's clock when its clock is shifted (tests)."""
    offset = int(os.environ.get("SESAME_TEST_CLOCK_OFFSET_SECONDS") or 0)
    if not offset:
        return
    real = datetime.datetime

    class Shifted(real):
        @classmethod
        def utcnow(cls):
            return real.utcnow() + datetime.timedelta(seconds=offset)
    datetime.datetime = Shifted


def main():
    event = json.load(sys.stdin)
    arn, token, step = (event["SecretId"], event["ClientRequestToken"],
                        event["Step"])
    ctl = load(CONTROL, {{}})
    with open(ctl["log"], "a") as f:
        f.write(json.dumps({{"step": step, "token": token, "secret": arn,
                            "key": os.environ.get("AWS_ACCESS_KEY_ID"),
                            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY"),
                            "session_token": os.environ.get("AWS_SESSION_TOKEN"),
                            "endpoint": os.environ.get("AWS_ENDPOINT_URL"),
                            "region": os.environ.get("AWS_REGION"),
                            "rotation_token": event.get("RotationToken"),
                            "has_root_key": "SESAME_ROOT_KEY" in os.environ,
                            "pid": os.getpid()}}) + "\\n")
    if ctl.get("fail", {{}}).get(step, 0) > 0:
        ctl["fail"][step] -= 1
        save(CONTROL, ctl)
        print(f"failing {{step}} on purpose", file=sys.stderr)
        sys.exit(3)
    if step in ctl.get("slow_fail_once", {{}}):
        seconds = ctl["slow_fail_once"].pop(step)
        save(CONTROL, ctl)
        save(ctl["reached"], {{"pid": os.getpid(), "step": step}})
        time.sleep(seconds)
        print(f"failing {{step}} slowly on purpose", file=sys.stderr)
        sys.exit(3)
    if ctl.get("hang_once") == step:
        del ctl["hang_once"]
        save(CONTROL, ctl)
        save(ctl["reached"], {{"pid": os.getpid(), "step": step}})
        time.sleep(300)
        sys.exit(4)

    shift_clock()
    import boto3
    sm = boto3.client("secretsmanager",
                      endpoint_url=os.environ["AWS_ENDPOINT_URL"],
                      region_name=os.environ["AWS_REGION"])
    service = ctl["service"]
    if step == "createSecret":
        current = json.loads(sm.get_secret_value(
            SecretId=arn, VersionStage="AWSCURRENT")["SecretString"])
        try:
            sm.get_secret_value(SecretId=arn, VersionId=token,
                                VersionStage="AWSPENDING")
            return
        except sm.exceptions.ResourceNotFoundException:
            pass
        current["password"] = sm.get_random_password(
            ExcludeCharacters="/@\\"'\\\\")["RandomPassword"]
        sm.put_secret_value(SecretId=arn, ClientRequestToken=token,
                            SecretString=json.dumps(current),
                            VersionStages=["AWSPENDING"])
    elif step == "setSecret":
        pending = json.loads(sm.get_secret_value(
            SecretId=arn, VersionId=token,
            VersionStage="AWSPENDING")["SecretString"])
        accepted = load(service, [])
        if pending["password"] not in accepted:
            accepted.append(pending["password"])
        save(service, accepted)
    elif step == "testSecret":
        pending = json.loads(sm.get_secret_value(
            SecretId=arn, VersionId=token,
            VersionStage="AWSPENDING")["SecretString"])
        if pending["password"] not in load(service, []):
            print("the service does not accept the new password",
                  file=sys.stderr)
            sys.exit(5)
    elif step == "finishSecret":
        metadata = sm.describe_secret(SecretId=arn)
        current = None
        for version, stages in metadata["VersionIdsToStages"].items():
            if "AWSCURRENT" in stages:
                if version == token:
                    return
                current = version
        sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT",
                                       MoveToVersionId=token,
                                       RemoveFromVersionId=current)
    else:
        sys.exit(f"unknown step {{step}}")


main()
'''


class RotationFunction:
    """A function registered with `sesame admin function register`."""

    def __init__(self, srv, directory, name=None):
        self.srv = srv
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.name = name or f"rotate-{uuid.uuid4().hex[:8]}"
        self.arn = function_arn(self.name)
        self.control_path = self.dir / f"{self.name}.control.json"
        self.log_path = self.dir / f"{self.name}.log"
        self.service_path = self.dir / f"{self.name}.service.json"
        self.reached_path = self.dir / f"{self.name}.reached.json"
        self.path = self.dir / f"{self.name}.py"
        self.path.write_text(FUNCTION_SOURCE.format(control=str(self.control_path)))
        self.path.chmod(0o755)
        self.control({})

    def control(self, data):
        data = dict(data)
        data.setdefault("log", str(self.log_path))
        data.setdefault("service", str(self.service_path))
        data.setdefault("reached", str(self.reached_path))
        self.control_path.write_text(json.dumps(data))

    def register(self, timeout=None):
        args = ["function", "register", "--arn", self.arn, "--command", str(self.path)]
        if timeout:
            args += ["--timeout-seconds", str(timeout)]
        r = self.srv.data_dir.admin(*args)
        assert r.returncode == 0, r.stderr
        return self

    def accept(self, password):
        """The service accepts password (the secret's first value)."""
        accepted = json.loads(self.service_path.read_text()) if self.service_path.exists() else []
        accepted.append(password)
        self.service_path.write_text(json.dumps(accepted))

    def accepted(self):
        return json.loads(self.service_path.read_text()) if self.service_path.exists() else []

    def calls(self, secret_arn=None):
        if not self.log_path.exists():
            return []
        calls = [json.loads(line) for line in self.log_path.read_text().splitlines() if line]
        return [c for c in calls if secret_arn is None or c["secret"] == secret_arn]


# --------------------------------------------------------------------------
# waiting and reading
# --------------------------------------------------------------------------

def wait_for(predicate, timeout=60, interval=0.2, what="condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


def wait_outcome(srv, secret_id, statuses=("Succeeded", "Failed"), timeout=60):
    """Wait until Sesame's rotation status is one of statuses; the raw
    DescribeSecret answer."""
    def check():
        d = describe_raw(srv, secret_id)
        return d if d.get("SesameRotationStatus") in statuses else None
    return wait_for(check, timeout=timeout,
                    what=f"rotation status in {statuses} for {secret_id}")


def stages(sm, secret_id):
    """{version id: [labels]} of every version with labels."""
    return sm.describe_secret(SecretId=secret_id)["VersionIdsToStages"]


def version_with(sm, secret_id, label):
    for version, labels in stages(sm, secret_id).items():
        if label in labels:
            return version
    return None


def audit_events(srv, secret_arn=None, names=None):
    """Audit events of the server's log (one JSON object a line)."""
    events = []
    for path in sorted(glob.glob(str(srv.data_dir.path / "audit" / "*.log"))):
        with open(path) as f:
            for line in f:
                try:
                    ev = json.loads(line)
                except ValueError:
                    continue
                if "eventName" not in ev:
                    continue
                if names and ev["eventName"] not in names:
                    continue
                if secret_arn and secret_arn not in json.dumps(ev.get("resources", ev)):
                    continue
                events.append(ev)
    return events


def rotation_keys(srv):
    """Credentials made for rotation functions that still exist: their
    sessions, and long-term keys (of earlier versions)."""
    db = sqlite3.connect(f"file:{srv.data_dir.db}?mode=ro", uri=True)
    try:
        return [r[0] for r in db.execute(
            "SELECT access_key_id FROM iam_sessions WHERE user_name = 'sesame-rotation' "
            "UNION ALL "
            "SELECT access_key_id FROM access_keys WHERE user_name = 'sesame-rotation'")]
    finally:
        db.close()


def admin_rotation_status(srv, *args):
    r = run_sesame("admin", "--data-dir", srv.data_dir.path, "rotation-status", *args)
    return r


def rotates_at(srv, secret_id):
    """The moment (epoch seconds) inside its next window at which the
    secret's rotation starts, as `admin rotation-status` shows it."""
    out = admin_rotation_status(srv, "--secret-id", secret_id)
    assert out.returncode == 0, out.stderr
    for line in out.stdout.splitlines():
        if line.strip().startswith("rotates at:"):
            text = line.split(":", 1)[1].strip()
            return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(
                tzinfo=datetime.timezone.utc).timestamp()
    raise AssertionError(f"no 'rotates at' in {out.stdout!r}")


def next_midnight(server_time):
    day = int(server_time // DAY)
    return (day + 1) * DAY


def iso(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)


def process_kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


SESAME = SESAME_BIN
