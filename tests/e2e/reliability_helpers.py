"""Helpers of the reliability tests (crash safety, storage faults, start-up
refusal, abuse) and of the soak driver in tests/soak/.

kill9(server)            SIGKILL the server and leave the Server ready to start()
proc_rss_kb / proc_fd_count / binary_is_sanitized
raw_exchange(...)        send bytes on a fresh socket, read what comes back
tmpfs(size)              a small tmpfs mounted for one test (skips when it cannot)
SecretModel, Worker      a per-thread write load whose every acknowledged
                         operation is recorded, and check_against_model() that
                         compares the server with the model after a crash
"""

import contextlib
import copy
import os
import random
import signal
import socket
import sqlite3
import string
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest
from botocore.exceptions import (BotoCoreError, ClientError,
                                 ConnectionClosedError,
                                 EndpointConnectionError, ReadTimeoutError)

from harness import SESAME_BIN

# --------------------------------------------------------------------------
# processes
# --------------------------------------------------------------------------


def kill9(server):
    """SIGKILL the server process; the Server object can start() again."""
    proc = server.proc
    if proc is None:
        return
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    server.returncode = proc.returncode
    server.proc = None
    # harness.Server keeps the log open while running; start() reopens it.
    fh = getattr(server, "_log_fh", None)
    if fh is not None:
        fh.close()


def proc_rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def proc_fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def proc_fd_targets(pid):
    """What each descriptor points at (for messages)."""
    out = []
    for fd in sorted(os.listdir(f"/proc/{pid}/fd"), key=int):
        try:
            out.append(f"{fd}->{os.readlink(f'/proc/{pid}/fd/{fd}')}")
        except OSError:
            pass
    return out


def binary_is_sanitized(path=SESAME_BIN):
    """True for an ASan build: its RSS is no measure of leaks (quarantine)."""
    try:
        with open(path, "rb") as f:
            return b"__asan_init" in f.read()
    except OSError:
        return False


def wait_until(pred, timeout=10.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(interval)
    return pred()


# --------------------------------------------------------------------------
# raw sockets
# --------------------------------------------------------------------------

class RawResult:
    """What a raw exchange produced: the status line's code (None if the
    server closed or sent nothing parseable), the bytes, and whether the
    connection was closed by the server."""

    def __init__(self, data, closed):
        self.data = data
        self.closed = closed
        self.status = None
        if data.startswith(b"HTTP/1."):
            try:
                self.status = int(data.split(b" ", 2)[1])
            except (IndexError, ValueError):
                self.status = None

    @property
    def body(self):
        _, _, body = self.data.partition(b"\r\n\r\n")
        return body

    def __repr__(self):
        return f"RawResult(status={self.status}, closed={self.closed}, {self.data[:300]!r})"


def raw_exchange(server, data, *, timeout=10.0, read_all=False, shutdown_write=False):
    """Send data on a new connection; read the first response (or until the
    server closes when read_all).  Returns RawResult."""
    s = socket.create_connection((server.host, server.port), timeout=timeout)
    chunks = []
    closed = False
    try:
        try:
            s.sendall(data)
            if shutdown_write:
                s.shutdown(socket.SHUT_WR)
        except OSError:     # the server answered and closed while we sent
            closed = True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            chunks.append(chunk)
            got = b"".join(chunks)
            if not read_all and _response_complete(got):
                break
    finally:
        s.close()
    return RawResult(b"".join(chunks), closed)


def _response_complete(data):
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                return len(body) >= int(value.strip())
            except ValueError:
                return True
    return True


# --------------------------------------------------------------------------
# a small filesystem that can fill up
# --------------------------------------------------------------------------

@contextlib.contextmanager
def tmpfs(size="8m"):
    """Mount a tmpfs of the given size; skip the test when this process
    cannot mount (not root, no CAP_SYS_ADMIN, no mount binary)."""
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs for disk-full tests")
    mnt = Path(tempfile.mkdtemp(prefix="sesame-tmpfs-"))
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700",
                        "sesame-test", str(mnt)], capture_output=True, text=True)
    if r.returncode != 0:
        mnt.rmdir()
        pytest.skip(f"cannot mount a tmpfs here ({r.stderr.strip() or r.returncode}); "
                    "disk-full tests need mount(8) and CAP_SYS_ADMIN")
    try:
        yield mnt
    finally:
        if subprocess.run(["umount", str(mnt)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mnt)], capture_output=True)
        with contextlib.suppress(OSError):
            mnt.rmdir()


def fill_filesystem(path, filler_name="filler"):
    """Write zeros into path/filler_name until the filesystem is full."""
    filler = Path(path) / filler_name
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for size in (1 << 20, 65536, 4096, 512, 1):
            block = b"\0" * size
            while True:
                try:
                    if os.write(fd, block) < size:
                        break
                except OSError:
                    break
    finally:
        os.close(fd)
    return filler


def sqlite_integrity(db_path):
    """PRAGMA integrity_check of a database no server has open."""
    con = sqlite3.connect(str(db_path))
    try:
        return [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
    finally:
        con.close()


def audit_lines_parse(audit_dir):
    """Every line of every audit file in audit_dir is JSON; returns the
    count.  A torn line (one without its newline) fails."""
    import json
    count = 0
    audit_dir = Path(audit_dir)
    if not audit_dir.is_dir():
        return 0
    for path in sorted(audit_dir.rglob("*")):
        if not path.is_file() or path.suffix not in (".log", ".jsonl", ".json"):
            continue
        data = path.read_bytes()
        if not data:
            continue
        assert data.endswith(b"\n"), f"{path}: last audit record is torn: {data[-200:]!r}"
        for n, line in enumerate(data.split(b"\n")[:-1], 1):
            try:
                json.loads(line)
            except ValueError as e:
                raise AssertionError(f"{path}:{n}: not JSON ({e}): {line[:300]!r}")
            count += 1
    return count


# --------------------------------------------------------------------------
# a write load with a model of what was acknowledged
# --------------------------------------------------------------------------

UNCERTAIN_ERRORS = (EndpointConnectionError, ConnectionClosedError,
                    ReadTimeoutError, ConnectionError, OSError, BotoCoreError)


class SecretModel:
    """What the server must hold for one secret, from acknowledged calls."""

    def __init__(self, name):
        self.name = name
        self.exists = False
        self.scheduled = False
        self.versions = {}          # version id -> value
        self.current = None
        self.previous = None

    def copy(self):
        return copy.deepcopy(self)

    def create(self, token, value):
        self.exists = True
        self.versions = {token: value}
        self.current, self.previous = token, None

    def put(self, token, value):
        self.versions[token] = value
        self.previous, self.current = self.current, token

    def __repr__(self):
        return (f"SecretModel({self.name!r}, exists={self.exists}, "
                f"scheduled={self.scheduled}, current={self.current}, "
                f"previous={self.previous})")


def random_value(rng, max_len=3000):
    n = rng.randint(1, max_len)
    alphabet = string.ascii_letters + string.digits + "{}\":,é€😀 "
    return "".join(rng.choice(alphabet) for _ in range(n))


class Worker(threading.Thread):
    """One client thread that owns its secrets (so the order of its
    operations on each secret is the order of their acknowledgements).

    Every operation is first described as (secret, state before, state
    after).  An acknowledged one moves the model to `after`; a definite
    refusal (HTTP 4xx) leaves it at `before`; anything else (the connection
    died, a 5xx) makes the secret uncertain: either state is then allowed,
    and the worker stops."""

    def __init__(self, wid, make_client, prefix, stop, *, seed=None,
                 max_live=6, models=None, max_value_len=3000, read_share=0.1):
        super().__init__(daemon=True, name=f"load-{wid}")
        self.wid = wid
        self.make_client = make_client
        self.prefix = prefix
        self.stop_event = stop
        self.rng = random.Random(seed if seed is not None else wid)
        self.max_live = max_live
        self.models = models if models is not None else {}
        self.max_value_len = max_value_len
        self.read_share = read_share
        self.uncertain = None           # (before, after, op)
        self.acked = {"create": 0, "put": 0, "delete": 0, "schedule": 0,
                      "restore": 0, "read": 0}
        self.unexpected = []            # 4xx that the model says cannot be
        self.counter = 0

    def live(self):
        return [m for m in self.models.values() if m.exists and not m.scheduled]

    def scheduled(self):
        return [m for m in self.models.values() if m.exists and m.scheduled]

    def choose(self):
        rng = self.rng
        live, sched = self.live(), self.scheduled()
        if live and rng.random() < self.read_share:
            return "read", rng.choice(live)
        r = rng.random()
        if not live or (len(live) < self.max_live and r < 0.25):
            self.counter += 1
            name = f"{self.prefix}/w{self.wid}/{self.counter}-{uuid.uuid4().hex[:8]}"
            return "create", SecretModel(name)
        if sched and r < 0.35:
            return "restore", rng.choice(sched)
        if r < 0.45:
            return "schedule", rng.choice(live)
        if r < 0.55:
            return "delete", rng.choice(live + sched)
        return "put", rng.choice(live)

    def step(self, client):
        op, model = self.choose()
        before = model.copy()
        after = model.copy()
        token = str(uuid.uuid4())
        value = random_value(self.rng, self.max_value_len)
        if op == "create":
            after.create(token, value)
            call = lambda: client.create_secret(Name=model.name, SecretString=value,
                                                ClientRequestToken=token)
        elif op == "put":
            after.put(token, value)
            call = lambda: client.put_secret_value(SecretId=model.name,
                                                   SecretString=value,
                                                   ClientRequestToken=token)
        elif op == "schedule":
            after.scheduled = True
            call = lambda: client.delete_secret(SecretId=model.name,
                                                RecoveryWindowInDays=7)
        elif op == "restore":
            after.scheduled = False
            call = lambda: client.restore_secret(SecretId=model.name)
        elif op == "delete":
            after.exists = False
            after.scheduled = False
            call = lambda: client.delete_secret(SecretId=model.name,
                                                ForceDeleteWithoutRecovery=True)
        else:
            call = lambda: client.get_secret_value(SecretId=model.name)
        if op == "create":
            self.models[model.name] = model
        try:
            resp = call()
        except ClientError as e:
            status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            if status >= 500 or status == 0:
                self.uncertain = (before, after, op)
                return False
            self.unexpected.append(f"{op} {model.name}: {e}")
            if op == "create":
                del self.models[model.name]
            return True
        except UNCERTAIN_ERRORS:
            self.uncertain = (before, after, op)
            return False
        if op == "read":
            if resp.get("SecretString") != model.versions[model.current]:
                self.unexpected.append(f"read {model.name}: wrong value")
        self.models[model.name] = after
        self.acked[op] += 1
        return True

    def run(self):
        client = self.make_client()
        while not self.stop_event.is_set():
            if not self.step(client):
                break


def observe(client, name, want_values):
    """The server's view of one secret: exists, scheduled, the version ids
    holding AWSCURRENT and AWSPREVIOUS, and the values of want_values."""
    try:
        d = client.describe_secret(SecretId=name)
    except ClientError as e:
        if e.response["Error"]["Code"] == "ResourceNotFoundException":
            return {"exists": False}
        raise
    stages = d.get("VersionIdsToStages", {})
    current = [v for v, s in stages.items() if "AWSCURRENT" in s]
    previous = [v for v, s in stages.items() if "AWSPREVIOUS" in s]
    obs = {"exists": True, "scheduled": "DeletedDate" in d,
           "current": current, "previous": previous, "values": {}}
    if not obs["scheduled"]:
        for vid in want_values:
            if vid in stages:
                r = client.get_secret_value(SecretId=name, VersionId=vid)
                obs["values"][vid] = r.get("SecretString")
    return obs


def model_matches(m, obs):
    """None when obs is what model m requires, else the difference."""
    if not m.exists:
        return None if not obs["exists"] else "exists but should not"
    if not obs["exists"]:
        return "missing"
    if obs["scheduled"] != m.scheduled:
        return f"scheduled={obs['scheduled']}, want {m.scheduled}"
    if len(obs["current"]) != 1:
        return f"{len(obs['current'])} versions carry AWSCURRENT"
    if obs["current"][0] != m.current:
        return f"AWSCURRENT on {obs['current'][0]}, want {m.current}"
    if m.previous is not None and obs["previous"] != [m.previous]:
        return f"AWSPREVIOUS on {obs['previous']}, want {m.previous}"
    if not m.scheduled:
        for vid in (m.current, m.previous):
            if vid is not None and obs["values"].get(vid) != m.versions[vid]:
                return f"value of version {vid} differs"
    return None


def list_all_secrets(server, include_planned_deletion=True):
    """Every secret of ListSecrets, following NextToken, sent raw."""
    out, token = [], None
    while True:
        payload = {"MaxResults": 100,
                   "IncludePlannedDeletion": include_planned_deletion}
        if token:
            payload["NextToken"] = token
        r = server.raw("ListSecrets", payload)
        assert r.status == 200, r
        out.extend(r.json.get("SecretList", []))
        token = r.json.get("NextToken")
        if not token:
            return out


def check_against_model(server, workers, prefix):
    """Compare the server with every worker's model; return a list of
    problems (empty when all hold).  Uncertain operations may have happened
    or not, but never half: one of the two states must match exactly."""
    client = server.client()
    problems = []
    uncertain = {}
    for w in workers:
        if w.uncertain is not None:
            before, after, op = w.uncertain
            uncertain[before.name] = (before, after, op)
    known = {}
    for w in workers:
        known.update(w.models)
    for name, m in known.items():
        candidates = [m]
        if name in uncertain:
            candidates = [uncertain[name][0], uncertain[name][1]]
        want = set()
        for c in candidates:
            want.update(v for v in (c.current, c.previous) if v is not None)
        obs = observe(client, name, want)
        diffs = [model_matches(c, obs) for c in candidates]
        if all(d is not None for d in diffs):
            problems.append(f"{name}: {'; '.join(diffs)} (uncertain op: "
                            f"{uncertain[name][2] if name in uncertain else None})")
    # Nothing the model does not know of, and one AWSCURRENT everywhere.
    # (Raw: Debian's botocore predates IncludePlannedDeletion.)
    for s in list_all_secrets(server):
        if not s["Name"].startswith(prefix + "/"):
            continue
        if s["Name"] not in known:
            problems.append(f"{s['Name']}: listed but never acknowledged "
                            "nor attempted")
        stages = s.get("SecretVersionsToStages", {})
        n_current = sum("AWSCURRENT" in st for st in stages.values())
        if n_current != 1:
            problems.append(f"{s['Name']}: {n_current} versions carry "
                            "AWSCURRENT in ListSecrets")
    return problems


def resolve_uncertain(client, workers):
    """Replace each uncertain secret's model by whichever state the server
    now shows (call after check_against_model found no problem), and forget
    secrets that are gone for good, so the model stays small."""
    for w in workers:
        if w.uncertain is not None:
            before, after, _op = w.uncertain
            want = {v for c in (before, after) for v in (c.current, c.previous)
                    if v is not None}
            obs = observe(client, before.name, want)
            w.models[before.name] = after if model_matches(after, obs) is None \
                else before
            w.uncertain = None
        for name in [n for n, m in w.models.items() if not m.exists]:
            del w.models[name]


class FiuServer:
    """Mixin for harness.Server: run the server under libfiu's POSIX
    preload (fiu-run -x) so faults can be switched on and off in the
    running process with fiu-ctrl."""

    def command(self, port):
        return ["fiu-run", "-x", *super().command(port)]

    def fiu(self, *commands):
        args = ["fiu-ctrl"]
        for c in commands:
            args += ["-c", c]
        r = subprocess.run(args + [str(self.proc.pid)], capture_output=True,
                           text=True, timeout=10)
        assert r.returncode == 0, f"fiu-ctrl {commands}: {r.stderr}"

    def fiu_cleanup(self, pid):
        for suffix in (".in", ".out"):
            with contextlib.suppress(OSError):
                os.unlink(f"{os.environ.get('TMPDIR', '/tmp')}/fiu-ctrl-{pid}{suffix}")


def copy_db(data_dir, dest):
    """Copy the database and its WAL (what a restart would read) to dest,
    so checking it does not checkpoint the original."""
    import shutil
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    src = Path(data_dir) / "sesame.db"
    shutil.copy2(src, dest / "sesame.db")
    wal = Path(str(src) + "-wal")
    if wal.exists():
        shutil.copy2(wal, dest / "sesame.db-wal")
    return dest / "sesame.db"


def record_figures(test, **figures):
    """Append one JSON line of figures to $SESAME_RELIABILITY_REPORT (when
    set), for docs/reliability.md; tests also print them (pytest -s)."""
    import json
    line = {"test": test, "binary": str(SESAME_BIN), **figures}
    print(json.dumps(line))
    path = os.environ.get("SESAME_RELIABILITY_REPORT")
    if path:
        with open(path, "a") as f:
            f.write(json.dumps(line) + "\n")
