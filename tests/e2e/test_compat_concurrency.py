"""Compatibility: concurrent writers on one secret.

Many threads, each with its own boto3 client, race PutSecretValue and
UpdateSecretVersionStage on one secret.  Afterwards no two versions carry
AWSCURRENT (or any other label), and every acknowledged version is still
there with the value that was acknowledged.  Refusals are allowed only
where AWS would refuse too (a stale RemoveFromVersionId); never a 5xx.
"""

import random
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import ClientError

from compat_helpers import (all_versions, client, start_server, stages_by_version,
                            stop_server, token)

THREADS = 12
PUTS_PER_THREAD = 8


@pytest.fixture(scope="module")
def csrv(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("concurrency"), "888899990000")
    yield srv
    stop_server(srv)


def new_secret(srv):
    sm = client(srv)
    name = f"race/{uuid.uuid4().hex[:12]}"
    r = sm.create_secret(Name=name, SecretString="initial")
    return sm, name, r["VersionId"]


def run_threads(n, fn):
    barrier = threading.Barrier(n)

    def wrapped(i):
        barrier.wait(timeout=30)
        return fn(i)
    with ThreadPoolExecutor(max_workers=n) as ex:
        return list(ex.map(wrapped, range(n)))


def assert_labels_unique(sm, name):
    owners = {}
    for vid, labels in stages_by_version(sm, name).items():
        for label in labels:
            assert label not in owners, \
                f"{label} on two versions: {owners[label]} and {vid}"
            owners[label] = vid
    return owners


def error_info(e):
    return (e.response["Error"]["Code"],
            e.response["ResponseMetadata"].get("HTTPStatusCode"))


def test_racing_puts_keep_one_current_and_lose_nothing(csrv):
    sm, name, v0 = new_secret(csrv)

    def worker(i):
        c = client(csrv)
        acked, errors = {}, []
        for j in range(PUTS_PER_THREAD):
            t, value = token(), f"t{i}-p{j}-{uuid.uuid4().hex}"
            try:
                r = c.put_secret_value(SecretId=name, SecretString=value,
                                       ClientRequestToken=t)
                assert r["VersionId"] == t
                acked[t] = value
            except ClientError as e:
                errors.append(error_info(e))
        return acked, errors

    results = run_threads(THREADS, worker)
    acked = {k: v for a, _ in results for k, v in a.items()}
    errors = [e for _, errs in results for e in errs]
    assert not errors, f"refused puts: {errors[:5]} ({len(errors)} in all)"
    owners = assert_labels_unique(sm, name)
    assert owners["AWSCURRENT"] in acked
    assert owners["AWSPREVIOUS"] in acked or owners["AWSPREVIOUS"] == v0
    versions = {v["VersionId"] for v in all_versions(sm, name)}
    assert set(acked) <= versions, f"lost: {set(acked) - versions}"
    assert len(versions) == len(acked) + 1
    for vid, value in random.sample(sorted(acked.items()), 20):
        assert sm.get_secret_value(SecretId=name, VersionId=vid)["SecretString"] == value
    cur = sm.get_secret_value(SecretId=name)
    assert cur["VersionId"] == owners["AWSCURRENT"]
    assert cur["SecretString"] == acked[cur["VersionId"]]


def test_racing_stage_moves_and_puts_keep_labels_unique(csrv):
    sm, name, v0 = new_secret(csrv)
    pool = [v0] + [sm.put_secret_value(SecretId=name, SecretString=f"seed{i}",
                                       VersionStages=[f"seed{i}"])["VersionId"]
                   for i in range(5)]
    pool_lock = threading.Lock()

    def worker(i):
        c = client(csrv)
        rnd = random.Random(i)
        errors, moves = [], 0
        for j in range(PUTS_PER_THREAD):
            try:
                if i % 3 == 0:
                    r = c.put_secret_value(SecretId=name, SecretString=f"{i}-{j}",
                                           VersionStages=rnd.choice(
                                               [["AWSCURRENT"], ["AWSPENDING"], ["blue"]]))
                    with pool_lock:
                        pool.append(r["VersionId"])
                    continue
                label = rnd.choice(["AWSCURRENT", "AWSCURRENT", "AWSPENDING", "blue"])
                with pool_lock:
                    target = rnd.choice(pool)
                holder = [v for v, st in c.describe_secret(SecretId=name)
                          ["VersionIdsToStages"].items() if label in st]
                kw = {"SecretId": name, "VersionStage": label,
                      "MoveToVersionId": target}
                if holder:
                    kw["RemoveFromVersionId"] = holder[0]
                c.update_secret_version_stage(**kw)
                moves += 1
            except ClientError as e:
                errors.append(error_info(e))
        return moves, errors

    results = run_threads(THREADS, worker)
    errors = [e for _, errs in results for e in errs]
    # a stale RemoveFromVersionId (another thread moved the label first) is
    # refused as AWS refuses it; nothing else may fail
    unexpected = [e for e in errors if e[0] != "InvalidParameterException"]
    assert not unexpected, f"unexpected failures: {unexpected[:5]}"
    assert sum(m for m, _ in results) > 0
    owners = assert_labels_unique(sm, name)
    assert "AWSCURRENT" in owners
    cur = sm.get_secret_value(SecretId=name)
    assert cur["VersionId"] == owners["AWSCURRENT"]
    versions = {v["VersionId"] for v in all_versions(sm, name)}
    assert set(pool) <= versions


def test_readers_always_see_a_current_version_during_writes(csrv):
    sm, name, v0 = new_secret(csrv)
    acked = {v0: "initial"}
    acked_lock = threading.Lock()
    stop = threading.Event()

    def writer(i):
        c = client(csrv)
        for j in range(PUTS_PER_THREAD):
            t, value = token(), f"w{i}-{j}"
            with acked_lock:
                acked[t] = value       # recorded before: a reader may see it
            c.put_secret_value(SecretId=name, SecretString=value,
                               ClientRequestToken=t)
        return []

    def reader(i):
        c = client(csrv)
        bad = []
        while not stop.is_set():
            try:
                r = c.get_secret_value(SecretId=name)
            except ClientError as e:
                bad.append(error_info(e))
                continue
            with acked_lock:
                expected = acked.get(r["VersionId"])
            if expected != r["SecretString"] or "AWSCURRENT" not in r["VersionStages"]:
                bad.append((r["VersionId"], r["VersionStages"]))
        return bad

    with ThreadPoolExecutor(max_workers=10) as ex:
        readers = [ex.submit(reader, i) for i in range(4)]
        writers = [ex.submit(writer, i) for i in range(6)]
        for w in writers:
            w.result(timeout=120)
        stop.set()
        bad = [b for r in readers for b in r.result(timeout=60)]
    assert not bad, f"inconsistent reads: {bad[:5]} ({len(bad)} in all)"
    assert_labels_unique(sm, name)


def test_racing_creates_of_one_name_make_one_secret(csrv):
    name = f"race/create-{uuid.uuid4().hex[:12]}"

    def worker(i):
        c = client(csrv)
        try:
            return ("ok", c.create_secret(Name=name, SecretString=f"v{i}")["ARN"])
        except ClientError as e:
            return error_info(e)

    results = run_threads(THREADS, worker)
    oks = [r for r in results if r[0] == "ok"]
    assert len(oks) == 1, results
    assert all(r[0] == "ResourceExistsException" for r in results if r[0] != "ok"), results
    sm = client(csrv)
    assert sm.describe_secret(SecretId=name)["ARN"] == oks[0][1]
    assert len(all_versions(sm, name)) == 1


def test_racing_retries_of_one_put_make_one_version(csrv):
    sm, name, v0 = new_secret(csrv)
    t = token()

    def worker(i):
        c = client(csrv)
        try:
            return ("ok", c.put_secret_value(SecretId=name, SecretString="same",
                                             ClientRequestToken=t)["VersionId"])
        except ClientError as e:
            return error_info(e)

    results = run_threads(THREADS, worker)
    assert all(r == ("ok", t) for r in results), results
    assert {v["VersionId"] for v in all_versions(sm, name)} == {v0, t}
    assert_labels_unique(sm, name)


def test_racing_retries_of_one_create_make_one_secret(csrv):
    name = f"race/retry-{uuid.uuid4().hex[:12]}"
    t = token()

    def worker(i):
        c = client(csrv)
        try:
            r = c.create_secret(Name=name, SecretString="same", ClientRequestToken=t)
            return ("ok", r["VersionId"], r["ARN"])
        except ClientError as e:
            return error_info(e)

    results = run_threads(THREADS, worker)
    assert all(r[0] == "ok" and r[1] == t for r in results), results
    assert len({r[2] for r in results}) == 1
    assert len(all_versions(client(csrv), name)) == 1
