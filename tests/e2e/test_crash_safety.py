"""Crash safety and storage faults: kill -9 under write load, a full disk,
and I/O errors injected with libfiu.

The guarantees (docs/reliability.md):
- after kill -9 at any moment, every acknowledged CreateSecret,
  PutSecretValue, DeleteSecret and RestoreSecret is there and readable; an
  operation that was not acknowledged is either wholly there or not at all;
  every secret has exactly one version carrying AWSCURRENT; the database
  passes PRAGMA integrity_check;
- when the disk is full or writes fail, writes fail with
  InternalServiceError (the server log names the cause), reads keep working,
  nothing stored is damaged, and writes work again once the fault is gone,
  without a restart.

Short by default.  Longer runs:
    SESAME_CRASH_KILLS=200 SESAME_BIN=build/sesame \\
        /usr/bin/python3 -m pytest -q tests/e2e/test_crash_safety.py -s
SESAME_CRASH_SEED makes the kill timing and the load repeatable.
"""

import os
import random
import shutil
import threading
import time

import pytest
from botocore.exceptions import ClientError

from harness import Server, sesame_init
from reliability_helpers import (FiuServer, Worker, audit_lines_parse,
                                 binary_is_sanitized, check_against_model,
                                 copy_db, fill_filesystem, kill9, record_figures,
                                 resolve_uncertain, sqlite_integrity, tmpfs)

SANITIZED = binary_is_sanitized()
KILLS = int(os.environ.get("SESAME_CRASH_KILLS", "0")) or (3 if SANITIZED else 6)
WORKERS = int(os.environ.get("SESAME_CRASH_WORKERS", "4"))
SEED = int(os.environ.get("SESAME_CRASH_SEED", "0")) or time.time_ns() % 1_000_000


def run_load(server, workers_models, prefix, rng, seconds, **kw):
    """Start one Worker per model dict; return (workers, stop event)."""
    stop = threading.Event()
    workers = [Worker(i, server.client, prefix, stop, seed=rng.random(),
                      models=workers_models[i], **kw)
               for i in range(len(workers_models))]
    for w in workers:
        w.start()
    return workers, stop


def totals(workers, into):
    for w in workers:
        for k, v in w.acked.items():
            into[k] = into.get(k, 0) + v


def assert_consistent(server, workers, prefix, what):
    client = server.client()
    problems = check_against_model(server, workers, prefix)
    assert not problems, f"{what}: {len(problems)} problems:\n" + "\n".join(problems[:30])
    unexpected = [u for w in workers for u in w.unexpected]
    assert not unexpected, f"{what}: refused operations the model allows:\n" + \
        "\n".join(unexpected[:30])
    resolve_uncertain(client, workers)


def test_kill9_under_write_load_keeps_every_acknowledged_write(
        init_data_dir, make_server, tmp_path):
    rng = random.Random(SEED)
    dd = init_data_dir(account_id="345678901234")
    srv = make_server(dd)
    prefix = "crash"
    models = [dict() for _ in range(WORKERS)]
    acked, uncertain_total = {}, 0
    started = time.monotonic()
    for cycle in range(KILLS):
        workers, stop = run_load(srv, models, prefix, rng, None)
        time.sleep(rng.uniform(0.15, 1.2))
        kill9(srv)
        stop.set()
        for w in workers:
            w.join(timeout=60)
            assert not w.is_alive(), "a load thread hangs after the kill"
        db = copy_db(dd.path, tmp_path / f"copy{cycle}")
        assert sqlite_integrity(db) == ["ok"], f"cycle {cycle}: database damaged"
        shutil.rmtree(db.parent)
        srv.start()
        assert_consistent(srv, workers, prefix,
                          f"after kill {cycle + 1} (seed {SEED})")
        totals(workers, acked)
        uncertain_total += sum(1 for w in workers if w.uncertain is not None)
    audit_lines_parse(dd.path / "audit")
    assert acked.get("create", 0) > 0 and acked.get("put", 0) > 0, acked
    record_figures("kill9", kills=KILLS, workers=WORKERS, seed=SEED,
                   acknowledged=acked, seconds=round(time.monotonic() - started, 1))


def test_short_lived_process_beside_the_server_keeps_its_later_writes(
        init_data_dir, make_server):
    """An admin command opening and closing the database while the server
    runs must not take the WAL away from under the server: writes the
    server acknowledges afterwards survive a kill -9.  (The start-up check
    once read the file through a descriptor of its own; closing it dropped
    the server's SQLite locks, so the admin command's last close deleted
    the WAL the server went on writing to.)"""
    dd = init_data_dir(account_id="456789012345")
    srv = make_server(dd)
    sm = srv.client()
    sm.create_secret(Name="before", SecretString="one")
    for i in range(3):
        r = dd.admin("function", "list")
        assert r.returncode == 0, r.stderr
        sm.create_secret(Name=f"after/{i}", SecretString=f"two-{i}")
        sm.put_secret_value(SecretId="before", SecretString=f"v{i}")
    kill9(srv)
    srv.start()
    sm = srv.client()
    assert sm.get_secret_value(SecretId="before")["SecretString"] == "v2"
    for i in range(3):
        assert sm.get_secret_value(SecretId=f"after/{i}")["SecretString"] \
            == f"two-{i}"


def test_disk_full_fails_writes_keeps_reads_and_recovers(tmp_path):
    with tmpfs("12m") as mnt:
        dd = sesame_init(mnt / "data", account_id="456789012345")
        srv = Server(dd, tmp_path / "server.log",
                     extra_args=["--audit-dir", str(tmp_path / "audit")])
        srv.start()
        try:
            sm = srv.client()
            stored = {}
            for i in range(5):
                name, value = f"full/{i}", f"value-{i}-" + "v" * 1000
                sm.create_secret(Name=name, SecretString=value)
                stored[name] = value
            filler = fill_filesystem(mnt)

            failures, successes = [], 0
            for i in range(60):
                name = f"full/{i % 5}"
                value = f"big-{i}-" + os.urandom(24000).hex()
                try:
                    sm.put_secret_value(SecretId=name, SecretString=value)
                    stored[name] = value
                    successes += 1
                except ClientError as e:
                    failures.append(e)
                if len(failures) >= 5:
                    break
            assert failures, "60 writes of 48 KB fitted on a full 12 MB filesystem"
            for e in failures:
                assert e.response["Error"]["Code"] == "InternalServiceError", e
                assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 500
            assert "disk is full" in srv.log_text() or "full" in srv.log_text().lower()
            assert srv.alive()

            # Reads keep working, and show the last acknowledged values.
            for name, value in stored.items():
                assert sm.get_secret_value(SecretId=name)["SecretString"] == value
            assert len(sm.list_secrets()["SecretList"]) == 5
            try:
                sm.create_secret(Name="full/new", SecretString="x" * 60000)
                stored["full/new"] = "x" * 60000
            except ClientError as e:
                assert e.response["Error"]["Code"] == "InternalServiceError"

            # Space returns: writes work again without a restart.
            filler.unlink()
            sm.put_secret_value(SecretId="full/0", SecretString="after")
            stored["full/0"] = "after"
            sm.create_secret(Name="full/after", SecretString="after")
            stored["full/after"] = "after"

            # Nothing stored was damaged.
            srv.stop()
            db = copy_db(dd.path, tmp_path / "copy")
            assert sqlite_integrity(db) == ["ok"]
            srv.start()
            sm = srv.client()
            for name, value in stored.items():
                assert sm.get_secret_value(SecretId=name)["SecretString"] == value
            record_figures("disk_full", writes_ok=successes,
                           writes_refused=len(failures))
        finally:
            if srv.proc is not None:
                srv.stop(check=False)


def test_full_audit_disk_fails_closed_and_keeps_whole_records(init_data_dir, tmp_path):
    with tmpfs("2m") as mnt:
        dd = init_data_dir(account_id="567890123456")
        audit_dir = mnt / "audit"
        srv = Server(dd, tmp_path / "server.log",
                     extra_args=["--audit-dir", str(audit_dir)])
        srv.start()
        try:
            sm = srv.client()
            sm.create_secret(Name="audited", SecretString="s3cret")
            filler = fill_filesystem(mnt)
            leaked = 0
            refused = 0
            for _ in range(60):
                try:
                    r = sm.get_secret_value(SecretId="audited")
                    leaked += 1
                    assert r["SecretString"] == "s3cret"
                except ClientError as e:
                    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 500, e
                    refused += 1
            # A few events may still fit in the last page of the audit file;
            # once it is full, nothing is answered without its event.
            assert refused > 0, "a full audit disk did not stop any request"
            filler.unlink()
            assert sm.get_secret_value(SecretId="audited")["SecretString"] == "s3cret"
            srv.stop()
            n = audit_lines_parse(audit_dir)
            assert n >= leaked + 2, (n, leaked)
            record_figures("audit_disk_full", answered=leaked, refused=refused,
                           audit_lines=n)
        finally:
            if srv.proc is not None:
                srv.stop(check=False)


class _FiuServer(FiuServer, Server):
    pass


@pytest.fixture
def fiu_server(init_data_dir, tmp_path):
    if shutil.which("fiu-run") is None or shutil.which("fiu-ctrl") is None:
        pytest.skip("libfiu's fiu-run/fiu-ctrl are not installed "
                    "(package fiu-utils, scripts/packages.d/fuzz.txt)")
    if SANITIZED:
        pytest.skip("libfiu's LD_PRELOAD and ASan's interceptors do not mix; "
                    "the plain build runs these tests")
    dd = init_data_dir(account_id="678901234567")
    srv = _FiuServer(dd, tmp_path / "fiu-server.log")
    srv.start()
    pids = [srv.proc.pid]
    yield srv
    if srv.proc is not None:
        pids.append(srv.proc.pid)
        srv.stop(check=False)
    for pid in pids:
        srv.fiu_cleanup(pid)


def test_short_writes_are_completed(fiu_server):
    """pwrite returning less than asked is not an error: SQLite writes the
    rest, and every value reads back whole."""
    srv = fiu_server
    sm = srv.client()
    sm.create_secret(Name="io/short", SecretString="v0")
    srv.fiu("enable name=posix/io/rw/pwrite/reduce")
    values = [f"short-{i}-" + os.urandom(3000).hex() for i in range(5)]
    for v in values:
        sm.put_secret_value(SecretId="io/short", SecretString=v)
    srv.fiu("disable name=posix/io/rw/pwrite/reduce")
    assert sm.get_secret_value(SecretId="io/short")["SecretString"] == values[-1]
    srv.stop()
    srv.start()
    sm = srv.client()
    assert sm.get_secret_value(SecretId="io/short")["SecretString"] == values[-1]


@pytest.mark.parametrize("fault", [
    "enable name=posix/io/rw/pwrite,failinfo=5",            # EIO
    "enable name=posix/io/rw/pwrite,failinfo=28",           # ENOSPC
    "enable name=posix/io/sync/fdatasync,failinfo=5",       # fsync fails
], ids=["pwrite-EIO", "pwrite-ENOSPC", "fdatasync-EIO"])
def test_io_errors_fail_writes_keep_reads_and_recover(fiu_server, fault):
    srv = fiu_server
    sm = srv.client()
    sm.create_secret(Name="io/a", SecretString="v0")
    point = fault.split()[1].split(",")[0]
    srv.fiu(fault)
    refused = 0
    for i in range(3):
        try:
            sm.put_secret_value(SecretId="io/a", SecretString=f"lost-{i}")
        except ClientError as e:
            assert e.response["Error"]["Code"] == "InternalServiceError", e
            refused += 1
    assert refused == 3, f"{fault}: {3 - refused} writes succeeded through the fault"
    assert "disk I/O error" in srv.log_text() or "full" in srv.log_text()
    assert sm.get_secret_value(SecretId="io/a")["SecretString"] == "v0"
    srv.fiu(f"disable {point}")
    sm.put_secret_value(SecretId="io/a", SecretString="v1")
    assert sm.get_secret_value(SecretId="io/a")["SecretString"] == "v1"

    # A crash right after failed writes: the acknowledged value survives,
    # the refused ones never come back.
    srv.fiu(fault)
    with pytest.raises(ClientError):
        sm.put_secret_value(SecretId="io/a", SecretString="refused-before-crash")
    srv.fiu(f"disable {point}")
    srv.fiu_cleanup(srv.proc.pid)
    kill9(srv)
    srv.start()
    sm = srv.client()
    value = sm.get_secret_value(SecretId="io/a")["SecretString"]
    assert value in ("v1", "refused-before-crash"), value
    versions = sm.list_secret_version_ids(SecretId="io/a")["Versions"]
    assert sum("AWSCURRENT" in v.get("VersionStages", []) for v in versions) == 1


def test_random_io_errors_under_load_then_crash_stay_consistent(fiu_server, tmp_path):
    srv = fiu_server
    rng = random.Random(SEED)
    models = [dict() for _ in range(WORKERS)]
    acked, rounds = {}, 3
    for r in range(rounds):
        workers, stop = run_load(srv, models, "fiu", rng, None)
        time.sleep(0.3)
        srv.fiu("enable_random name=posix/io/rw/pwrite,failinfo=5,probability=0.02",
                "enable_random name=posix/io/sync/fdatasync,failinfo=5,probability=0.05")
        time.sleep(0.8)
        srv.fiu("disable name=posix/io/rw/pwrite", "disable name=posix/io/sync/fdatasync")
        stop.set()
        for w in workers:
            w.join(timeout=60)
        assert srv.alive()
        assert_consistent(srv, workers, "fiu", f"after fault round {r + 1}")
        totals(workers, acked)
    workers, stop = run_load(srv, models, "fiu", rng, None)
    time.sleep(0.5)
    srv.fiu("enable_random name=posix/io/rw/pwrite,failinfo=5,probability=0.05")
    time.sleep(0.3)
    pid = srv.proc.pid
    kill9(srv)
    srv.fiu_cleanup(pid)
    stop.set()
    for w in workers:
        w.join(timeout=60)
    db = copy_db(srv.data_dir.path, tmp_path / "copy")
    assert sqlite_integrity(db) == ["ok"]
    srv.start()
    assert_consistent(srv, workers, "fiu", "after the crash")
    record_figures("io_errors", rounds=rounds, acknowledged=acked)
