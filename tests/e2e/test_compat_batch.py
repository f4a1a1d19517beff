"""Compatibility: BatchGetSecretValue.

Debian's boto3 (1.26) predates the operation, so these tests send signed
JSON by hand; tests/js/ drives the same operation through the npm AWS SDK v3
(test_compat_js.py).  By SecretIdList (names, ARNs, with per-secret Errors)
or by Filters (with MaxResults and NextToken); the parameter rules.
"""

import base64
import uuid

import pytest

from compat_helpers import client, raw, raw_error, raw_ok, start_server, stop_server
from harness import MSG_MARKED_DELETED, MSG_NOT_FOUND


@pytest.fixture(scope="module")
def bsrv(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("batch"), "666677778888")
    yield srv
    stop_server(srv)


@pytest.fixture
def bsm(bsrv):
    return client(bsrv)


@pytest.fixture
def prefix():
    return f"bt{uuid.uuid4().hex[:10]}"


def batch(srv, **payload):
    return raw_ok(srv, "BatchGetSecretValue", payload)


def make(sm, name, value="v", binary=None):
    if binary is not None:
        return sm.create_secret(Name=name, SecretBinary=binary)
    return sm.create_secret(Name=name, SecretString=value)


def by_name(entries):
    return {e["Name"]: e for e in entries}


# --------------------------------------------------------------------------
# SecretIdList
# --------------------------------------------------------------------------

def test_secret_id_list_returns_current_values(bsrv, bsm, prefix):
    a = make(bsm, f"{prefix}/a", "alpha")
    make(bsm, f"{prefix}/b", "beta")
    r = batch(bsrv, SecretIdList=[f"{prefix}/a", f"{prefix}/b"])
    got = by_name(r["SecretValues"])
    assert got[f"{prefix}/a"]["SecretString"] == "alpha"
    assert got[f"{prefix}/b"]["SecretString"] == "beta"
    e = got[f"{prefix}/a"]
    assert e["ARN"] == a["ARN"] and e["VersionId"] == a["VersionId"]
    assert e["VersionStages"] == ["AWSCURRENT"] and "CreatedDate" in e
    assert r["Errors"] == []


def test_secret_id_list_accepts_arns(bsrv, bsm, prefix):
    a = make(bsm, f"{prefix}/a", "alpha")
    r = batch(bsrv, SecretIdList=[a["ARN"]])
    (e,) = r["SecretValues"]
    assert e["ARN"] == a["ARN"] and e["SecretString"] == "alpha"


def test_binary_values_come_back_base64(bsrv, bsm, prefix):
    data = bytes(range(256))
    make(bsm, f"{prefix}/bin", binary=data)
    (e,) = batch(bsrv, SecretIdList=[f"{prefix}/bin"])["SecretValues"]
    assert base64.b64decode(e["SecretBinary"]) == data
    assert "SecretString" not in e


def test_values_are_the_awscurrent_version(bsrv, bsm, prefix):
    make(bsm, f"{prefix}/a", "old")
    new = bsm.put_secret_value(SecretId=f"{prefix}/a", SecretString="new")
    bsm.put_secret_value(SecretId=f"{prefix}/a", SecretString="pending",
                         VersionStages=["AWSPENDING"])
    (e,) = batch(bsrv, SecretIdList=[f"{prefix}/a"])["SecretValues"]
    assert e["SecretString"] == "new" and e["VersionId"] == new["VersionId"]


def test_unknown_secret_is_an_error_entry_not_a_failure(bsrv, bsm, prefix):
    make(bsm, f"{prefix}/a", "alpha")
    missing = f"{prefix}/missing"
    r = batch(bsrv, SecretIdList=[f"{prefix}/a", missing])
    assert [e["Name"] for e in r["SecretValues"]] == [f"{prefix}/a"]
    (err,) = r["Errors"]
    assert err["SecretId"] == missing
    assert err["ErrorCode"] == "ResourceNotFoundException"
    assert err["Message"] == MSG_NOT_FOUND


def test_secret_scheduled_for_deletion_is_an_error_entry(bsrv, bsm, prefix):
    make(bsm, f"{prefix}/gone", "x")
    bsm.delete_secret(SecretId=f"{prefix}/gone", RecoveryWindowInDays=7)
    r = batch(bsrv, SecretIdList=[f"{prefix}/gone"])
    assert r["SecretValues"] == []
    (err,) = r["Errors"]
    assert err["SecretId"] == f"{prefix}/gone"
    assert err["ErrorCode"] == "InvalidRequestException"
    assert err["Message"] == MSG_MARKED_DELETED


def test_secret_without_value_is_an_error_entry(bsrv, bsm, prefix):
    bsm.create_secret(Name=f"{prefix}/empty")
    r = batch(bsrv, SecretIdList=[f"{prefix}/empty"])
    assert r["SecretValues"] == []
    (err,) = r["Errors"]
    assert err["ErrorCode"] == "ResourceNotFoundException"


def test_twenty_ids_are_accepted(bsrv, bsm, prefix):
    ids = [f"{prefix}/{i:02d}" for i in range(20)]
    for n in ids:
        make(bsm, n, n)
    r = batch(bsrv, SecretIdList=ids)
    assert sorted(e["SecretString"] for e in r["SecretValues"]) == ids


def test_more_than_20_ids_is_validation_error(bsrv, prefix):
    raw_error(bsrv, "BatchGetSecretValue",
              {"SecretIdList": [f"{prefix}/{i}" for i in range(21)]},
              "ValidationException")


def test_empty_secret_id_list_is_rejected(bsrv):
    r = raw(bsrv, "BatchGetSecretValue", {"SecretIdList": []})
    assert r.status == 400
    assert r.error_type in ("ValidationException", "InvalidParameterException"), r


def test_batch_reads_count_as_access(bsrv, bsm, prefix):
    make(bsm, f"{prefix}/a")
    assert "LastAccessedDate" not in bsm.describe_secret(SecretId=f"{prefix}/a")
    batch(bsrv, SecretIdList=[f"{prefix}/a"])
    assert "LastAccessedDate" in bsm.describe_secret(SecretId=f"{prefix}/a")


# --------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------

def test_filters_select_the_secrets(bsrv, bsm, prefix):
    make(bsm, f"{prefix}/app/a", "1")
    make(bsm, f"{prefix}/app/b", "2")
    make(bsm, f"{prefix}/other", "3")
    r = batch(bsrv, Filters=[{"Key": "name", "Values": [f"{prefix}/app"]}])
    assert sorted(e["Name"] for e in r["SecretValues"]) == [f"{prefix}/app/a",
                                                            f"{prefix}/app/b"]
    assert r["Errors"] == []


def test_filters_skip_secrets_scheduled_for_deletion(bsrv, bsm, prefix):
    make(bsm, f"{prefix}/live")
    make(bsm, f"{prefix}/dying")
    bsm.delete_secret(SecretId=f"{prefix}/dying", RecoveryWindowInDays=7)
    r = batch(bsrv, Filters=[{"Key": "name", "Values": [prefix]}])
    assert [e["Name"] for e in r["SecretValues"]] == [f"{prefix}/live"]


def test_filters_page_with_max_results_and_next_token(bsrv, bsm, prefix):
    made = [f"{prefix}/{i:02d}" for i in range(5)]
    for n in made:
        make(bsm, n, n)
    payload = {"Filters": [{"Key": "name", "Values": [prefix]}], "MaxResults": 2}
    seen = []
    for _ in range(10):
        r = batch(bsrv, **payload)
        assert len(r["SecretValues"]) <= 2
        seen += [e["Name"] for e in r["SecretValues"]]
        if not r.get("NextToken"):
            break
        payload["NextToken"] = r["NextToken"]
    assert sorted(seen) == made and len(seen) == len(set(seen))


def test_filters_with_tag_filter(bsrv, bsm, prefix):
    bsm.create_secret(Name=f"{prefix}/t", SecretString="x",
                      Tags=[{"Key": "batchgroup", "Value": prefix}])
    make(bsm, f"{prefix}/u")
    r = batch(bsrv, Filters=[{"Key": "tag-value", "Values": [prefix]}])
    assert [e["Name"] for e in r["SecretValues"]] == [f"{prefix}/t"]


def test_max_results_above_20_is_validation_error(bsrv, prefix):
    raw_error(bsrv, "BatchGetSecretValue",
              {"Filters": [{"Key": "name", "Values": [prefix]}], "MaxResults": 21},
              "ValidationException")


def test_invalid_next_token_is_invalid_next_token_exception(bsrv, prefix):
    raw_error(bsrv, "BatchGetSecretValue",
              {"Filters": [{"Key": "name", "Values": [prefix]}],
               "NextToken": "definitely-not-a-token"},
              "InvalidNextTokenException")


def test_filter_with_unknown_key_is_validation_error(bsrv):
    raw_error(bsrv, "BatchGetSecretValue",
              {"Filters": [{"Key": "colour", "Values": ["x"]}]}, "ValidationException")


# --------------------------------------------------------------------------
# parameter rules
# --------------------------------------------------------------------------

def test_both_secret_id_list_and_filters_is_invalid_parameter(bsrv, prefix):
    raw_error(bsrv, "BatchGetSecretValue",
              {"SecretIdList": [f"{prefix}/a"],
               "Filters": [{"Key": "name", "Values": [prefix]}]},
              "InvalidParameterException")


def test_neither_secret_id_list_nor_filters_is_invalid_parameter(bsrv):
    raw_error(bsrv, "BatchGetSecretValue", {}, "InvalidParameterException")


def test_max_results_without_filters_is_invalid_parameter(bsrv, bsm, prefix):
    make(bsm, f"{prefix}/a")
    raw_error(bsrv, "BatchGetSecretValue",
              {"SecretIdList": [f"{prefix}/a"], "MaxResults": 5},
              "InvalidParameterException")


def test_response_always_has_both_lists(bsrv, bsm, prefix):
    make(bsm, f"{prefix}/a")
    r = batch(bsrv, SecretIdList=[f"{prefix}/a"])
    assert isinstance(r["SecretValues"], list) and isinstance(r["Errors"], list)
