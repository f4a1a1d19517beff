"""Compatibility: DescribeSecret fields and UpdateSecret metadata.

CreatedDate, LastChangedDate, LastAccessedDate (day granularity), DeletedDate,
VersionIdsToStages (labelled versions only), Tags, KmsKeyId, OwningService,
PrimaryRegion, fields omitted when they have no value; UpdateSecret with a
description, a KmsKeyId and a new value.
"""

import datetime

import pytest
from botocore.exceptions import ClientError

from compat_helpers import (DAY, client, epoch, now_epoch, restart_with_offset,
                            start_server, stop_server)
from harness import MSG_NOT_FOUND, expect_client_error, new_name

ROTATION_FIELDS = ("RotationEnabled", "RotationLambdaARN", "RotationRules",
                   "LastRotatedDate", "NextRotationDate")


def make_secret(sm, **kw):
    name = new_name("compat-desc")
    kw.setdefault("SecretString", "v")
    r = sm.create_secret(Name=name, **kw)
    return name, r


def midnight_utc(ts):
    d = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
    return d.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


# --------------------------------------------------------------------------
# fields
# --------------------------------------------------------------------------

def test_describe_basic_fields(sm):
    before = now_epoch()
    name, r = make_secret(sm, Description="about it")
    d = sm.describe_secret(SecretId=name)
    assert d["ARN"] == r["ARN"] and d["Name"] == name
    assert d["Description"] == "about it"
    assert abs(epoch(d["CreatedDate"]) - before) < 120
    assert abs(epoch(d["LastChangedDate"]) - before) < 120
    assert d["VersionIdsToStages"] == {r["VersionId"]: ["AWSCURRENT"]}


def test_arn_has_region_account_name_and_six_char_suffix(server, sm):
    name, r = make_secret(sm)
    arn = r["ARN"]
    prefix = f"arn:aws:secretsmanager:us-east-1:{server.account_id}:secret:{name}-"
    assert arn.startswith(prefix)
    suffix = arn[len(prefix):]
    assert len(suffix) == 6 and suffix.isalnum()


def test_describe_omits_fields_without_value(sm):
    name, _ = make_secret(sm)
    d = sm.describe_secret(SecretId=name)
    for field in ("Description", "KmsKeyId", "LastAccessedDate", "DeletedDate",
                  "Tags", "OwningService", "ReplicationStatus", *ROTATION_FIELDS):
        assert field not in d, f"{field} = {d[field]!r}"
    assert d.get("PrimaryRegion", "us-east-1") == "us-east-1"


def test_describe_never_returns_the_value(sm):
    name, _ = make_secret(sm, SecretString="top-secret-text")
    d = sm.describe_secret(SecretId=name)
    assert "top-secret-text" not in repr(d)
    assert "SecretString" not in d and "SecretBinary" not in d


def test_version_ids_to_stages_lists_only_labelled_versions(sm):
    name, r = make_secret(sm)
    v2 = sm.put_secret_value(SecretId=name, SecretString="2")["VersionId"]
    v3 = sm.put_secret_value(SecretId=name, SecretString="3")["VersionId"]
    v4 = sm.put_secret_value(SecretId=name, SecretString="4",
                             VersionStages=["AWSPENDING"])["VersionId"]
    d = sm.describe_secret(SecretId=name)
    assert d["VersionIdsToStages"] == {v2: ["AWSPREVIOUS"], v3: ["AWSCURRENT"],
                                       v4: ["AWSPENDING"]}


def test_secret_without_value_has_empty_or_no_version_map(sm):
    name = new_name("compat-desc")
    sm.create_secret(Name=name)
    d = sm.describe_secret(SecretId=name)
    assert not d.get("VersionIdsToStages")


def test_describe_tags(sm):
    name, _ = make_secret(sm, Tags=[{"Key": "a", "Value": "1"}])
    assert sm.describe_secret(SecretId=name)["Tags"] == [{"Key": "a", "Value": "1"}]


def test_describe_by_arn_and_partial_arn(sm):
    name, r = make_secret(sm)
    assert sm.describe_secret(SecretId=r["ARN"])["Name"] == name
    partial = r["ARN"][:-7]
    assert sm.describe_secret(SecretId=partial)["ARN"] == r["ARN"]


def test_describe_unknown_secret_is_not_found(sm):
    expect_client_error(sm.describe_secret, "ResourceNotFoundException",
                        SecretId=new_name("compat-missing"), message=MSG_NOT_FOUND)


def test_describe_deleted_secret_has_deleted_date(sm):
    name, _ = make_secret(sm)
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    assert "DeletedDate" in sm.describe_secret(SecretId=name)


# --------------------------------------------------------------------------
# LastChangedDate / LastAccessedDate
# --------------------------------------------------------------------------

def changed(sm, name):
    return epoch(sm.describe_secret(SecretId=name)["LastChangedDate"])


@pytest.mark.parametrize("change", [
    lambda sm, n: sm.put_secret_value(SecretId=n, SecretString="new"),
    lambda sm, n: sm.update_secret(SecretId=n, Description="new description"),
    lambda sm, n: sm.update_secret(SecretId=n, SecretString="new"),
    lambda sm, n: sm.tag_resource(SecretId=n, Tags=[{"Key": "a", "Value": "b"}]),
], ids=["put", "update-description", "update-value", "tag"])
def test_changes_advance_last_changed_date(sm, change):
    name, _ = make_secret(sm)
    before = changed(sm, name)
    import time
    time.sleep(0.05)
    change(sm, name)
    assert changed(sm, name) > before


def test_reads_do_not_change_last_changed_date(sm):
    name, _ = make_secret(sm)
    before = changed(sm, name)
    sm.get_secret_value(SecretId=name)
    sm.describe_secret(SecretId=name)
    sm.list_secret_version_ids(SecretId=name)
    assert changed(sm, name) == before


def test_last_accessed_date_appears_after_a_read_at_day_granularity(sm):
    name, _ = make_secret(sm)
    assert "LastAccessedDate" not in sm.describe_secret(SecretId=name)
    sm.get_secret_value(SecretId=name)
    d = sm.describe_secret(SecretId=name)
    la = epoch(d["LastAccessedDate"])
    assert la == midnight_utc(now_epoch()) or la == midnight_utc(now_epoch() - 60)


def test_describe_and_list_do_not_count_as_access(sm):
    name, _ = make_secret(sm)
    sm.describe_secret(SecretId=name)
    sm.list_secret_version_ids(SecretId=name)
    sm.list_secrets(Filters=[{"Key": "name", "Values": [name]}])
    assert "LastAccessedDate" not in sm.describe_secret(SecretId=name)


def test_failed_read_does_not_count_as_access(sm):
    name, _ = make_secret(sm)
    with pytest.raises(ClientError):
        sm.get_secret_value(SecretId=name, VersionStage="NOPE")
    assert "LastAccessedDate" not in sm.describe_secret(SecretId=name)


@pytest.fixture
def day_server(tmp_path):
    srv = start_server(tmp_path / "days", "777788889999")
    yield srv
    stop_server(srv)


def test_last_accessed_date_moves_to_the_day_of_the_latest_read(day_server):
    sm = client(day_server)
    name, _ = make_secret(sm)
    sm.get_secret_value(SecretId=name)
    first = epoch(sm.describe_secret(SecretId=name)["LastAccessedDate"])
    restart_with_offset(day_server, 3 * DAY)
    sm = client(day_server)
    assert epoch(sm.describe_secret(SecretId=name)["LastAccessedDate"]) == first
    sm.get_secret_value(SecretId=name)
    later = epoch(sm.describe_secret(SecretId=name)["LastAccessedDate"])
    assert later == first + 3 * DAY
    assert later == midnight_utc(now_epoch(3 * DAY))


def test_version_entries_carry_their_own_dates(day_server):
    sm = client(day_server)
    name, r = make_secret(sm)
    restart_with_offset(day_server, 2 * DAY)
    sm = client(day_server)
    v2 = sm.put_secret_value(SecretId=name, SecretString="2")["VersionId"]
    dates = {v["VersionId"]: epoch(v["CreatedDate"]) for v in
             sm.list_secret_version_ids(SecretId=name)["Versions"]}
    assert abs(dates[v2] - dates[r["VersionId"]] - 2 * DAY) < 300
    g = sm.get_secret_value(SecretId=name, VersionId=r["VersionId"])
    assert epoch(g["CreatedDate"]) == dates[r["VersionId"]]


# --------------------------------------------------------------------------
# UpdateSecret
# --------------------------------------------------------------------------

def test_update_description(sm):
    name, r = make_secret(sm, Description="old")
    u = sm.update_secret(SecretId=name, Description="new")
    assert u["ARN"] == r["ARN"] and u["Name"] == name and "VersionId" not in u
    assert sm.describe_secret(SecretId=name)["Description"] == "new"


def test_update_description_to_empty(sm):
    name, _ = make_secret(sm, Description="old")
    sm.update_secret(SecretId=name, Description="")
    assert sm.describe_secret(SecretId=name).get("Description", "") == ""


def test_update_without_description_keeps_it(sm):
    name, _ = make_secret(sm, Description="keep me")
    sm.update_secret(SecretId=name, SecretString="new value")
    assert sm.describe_secret(SecretId=name)["Description"] == "keep me"


def test_update_value_returns_version_and_changes_current(sm):
    name, r = make_secret(sm)
    u = sm.update_secret(SecretId=name, SecretString="new value")
    assert u["VersionId"] != r["VersionId"]
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "new value"


def test_update_binary_value(sm):
    name, _ = make_secret(sm)
    sm.update_secret(SecretId=name, SecretBinary=b"\x00\x01binary")
    g = sm.get_secret_value(SecretId=name)
    assert g["SecretBinary"] == b"\x00\x01binary" and "SecretString" not in g


def test_update_with_both_values_is_invalid_parameter(sm):
    name, _ = make_secret(sm)
    expect_client_error(sm.update_secret, "InvalidParameterException",
                        SecretId=name, SecretString="a", SecretBinary=b"b")


def test_update_kms_key_id_to_the_default_alias(sm):
    name, _ = make_secret(sm)
    sm.update_secret(SecretId=name, KmsKeyId="alias/aws/secretsmanager")
    sm.update_secret(SecretId=name, SecretString="re-encrypted")
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "re-encrypted"
    kid = sm.describe_secret(SecretId=name).get("KmsKeyId")
    assert kid in (None, "alias/aws/secretsmanager") or kid.startswith("arn:aws:kms:")


def test_update_kms_key_id_with_unknown_key_fails_and_changes_nothing(sm):
    name, _ = make_secret(sm)
    with pytest.raises(ClientError) as ei:
        sm.update_secret(SecretId=name, KmsKeyId="alias/no-such-key",
                         SecretString="x")
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "v"
    assert "KmsKeyId" not in sm.describe_secret(SecretId=name)


def test_create_with_unknown_kms_key_fails(sm):
    name = new_name("compat-desc")
    with pytest.raises(ClientError) as ei:
        sm.create_secret(Name=name, SecretString="x", KmsKeyId="alias/no-such-key")
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    expect_client_error(sm.describe_secret, "ResourceNotFoundException", SecretId=name)


def test_update_unknown_secret_is_not_found(sm):
    expect_client_error(sm.update_secret, "ResourceNotFoundException",
                        SecretId=new_name("compat-missing"), Description="x",
                        message=MSG_NOT_FOUND)


def test_update_description_longer_than_2048_is_validation_error(sm):
    name, _ = make_secret(sm)
    expect_client_error(sm.update_secret, "ValidationException", SecretId=name,
                        Description="d" * 2049)
