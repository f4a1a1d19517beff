"""Compatibility: docs/compatibility.md against the server.

Every operation of the AWS model has a row in the page's operations table;
the operations it marks "not yet" answer UnknownOperationException and the
others are served; every test the page names exists.  Also the CreateSecret
replication parameter this suite touches.
"""

import json
import re
from pathlib import Path

import pytest

from harness import expect_client_error, new_name

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "compatibility.md"
MODEL = REPO / "models" / "secretsmanager" / "service-2.json"
STATUSES = ("supported", "partial", "not yet")


def model_operations():
    return sorted(json.loads(MODEL.read_text())["operations"])


def doc_table():
    """{operation: status} from the '## Operations' table."""
    text = DOC.read_text()
    section = text.split("## Operations", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        m = re.match(r"\|\s*`(\w+)`\s*\|\s*([a-z ]+?)\s*\|", line)
        if m:
            rows[m.group(1)] = m.group(2)
    return rows


def test_every_model_operation_has_a_status():
    rows = doc_table()
    ops = model_operations()
    assert len(ops) == 23
    assert sorted(rows) == ops, (set(ops) ^ set(rows))
    bad = {op: st for op, st in rows.items() if st not in STATUSES}
    assert not bad, bad


@pytest.mark.parametrize("op", model_operations())
def test_operation_status_matches_the_server(server, op):
    status = doc_table()[op]
    r = server.raw(op, {"SecretId": new_name("compat-op-missing")})
    assert r.status < 500, r
    if status == "not yet":
        assert r.status == 400 and r.error_type == "UnknownOperationException", \
            f"{op} is served now: update docs/compatibility.md ({r!r})"
    else:
        assert r.error_type != "UnknownOperationException", \
            f"{op} is marked {status} but not served"


def test_not_yet_operations_answer_unknown_operation(server):
    for op, status in doc_table().items():
        if status != "not yet":
            continue
        r = server.raw(op, {"SecretId": "x"})
        assert r.status == 400 and r.error_type == "UnknownOperationException", (op, r)


def test_every_test_named_in_the_doc_exists():
    text = DOC.read_text()
    defined = set()
    for f in (REPO / "tests" / "e2e").glob("test_*.py"):
        defined |= set(re.findall(r"^def (test_\w+)", f.read_text(), re.M))
    named = set(re.findall(r"\b(test_[a-z0-9_]+)\b", text))
    named = {n for n in named if not n.endswith("_")}
    files = {n for n in named if (REPO / "tests" / "e2e" / f"{n}.py").exists()}
    missing = sorted(named - defined - files)
    assert not missing, f"docs/compatibility.md names tests that do not exist: {missing}"


def test_create_with_invalid_replica_region_is_validation_error(fresh_server):
    # a server of its own: the error path of this parameter once read freed
    # memory (caught by gcc's -Wuse-after-free in the sanitizer build)
    sm = fresh_server.client()
    name = new_name("compat-op")
    expect_client_error(sm.create_secret, "ValidationException", Name=name,
                        SecretString="v", AddReplicaRegions=[{"Region": "Not A Region"}])
    expect_client_error(sm.describe_secret, "ResourceNotFoundException", SecretId=name)
