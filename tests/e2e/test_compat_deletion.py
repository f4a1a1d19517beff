"""Compatibility: the deletion lifecycle.

DeleteSecret with RecoveryWindowInDays (7-30, default 30) or
ForceDeleteWithoutRecovery (not both), DeletionDate / DeletedDate, what a
secret scheduled for deletion answers, RestoreSecret, and the purge of
secrets whose recovery window has passed (servers restarted with a shifted
clock, `--test-clock-offset-seconds`), durable across restarts, after which
the name can be used again.
"""

import time

import pytest
from botocore.exceptions import ClientError

from compat_helpers import (DAY, all_secrets, client, epoch, names, now_epoch,
                            raw, raw_ok, restart_with_offset, start_server,
                            stop_server, token)
from harness import (MSG_MARKED_DELETED, MSG_NOT_FOUND, MSG_RECOVERY_WINDOW,
                     MSG_SCHEDULED, expect_client_error, new_name)

PURGE_WAIT_SECONDS = 20


def make_secret(sm, **kw):
    name = new_name("compat-del")
    sm.create_secret(Name=name, SecretString="value", **kw)
    return name


# --------------------------------------------------------------------------
# DeleteSecret parameters
# --------------------------------------------------------------------------

def test_delete_default_window_is_30_days(sm):
    name = make_secret(sm)
    before = now_epoch()
    r = sm.delete_secret(SecretId=name)
    assert r["Name"] == name and r["ARN"].split(":secret:")[1].startswith(name + "-")
    assert abs(epoch(r["DeletionDate"]) - (before + 30 * DAY)) < 120


@pytest.mark.parametrize("days", [7, 15, 30])
def test_delete_with_recovery_window_sets_deletion_date(sm, days):
    name = make_secret(sm)
    before = now_epoch()
    r = sm.delete_secret(SecretId=name, RecoveryWindowInDays=days)
    assert abs(epoch(r["DeletionDate"]) - (before + days * DAY)) < 120


@pytest.mark.parametrize("days", [0, 6, 31, -1, 365])
def test_delete_recovery_window_out_of_range_is_invalid_parameter(sm, days):
    name = make_secret(sm)
    expect_client_error(sm.delete_secret, "InvalidParameterException",
                        SecretId=name, RecoveryWindowInDays=days,
                        message=MSG_RECOVERY_WINDOW)
    assert "DeletedDate" not in sm.describe_secret(SecretId=name)


def test_delete_out_of_range_window_with_force_reports_the_range_first(sm):
    name = make_secret(sm)
    expect_client_error(sm.delete_secret, "InvalidParameterException",
                        SecretId=name, RecoveryWindowInDays=0,
                        ForceDeleteWithoutRecovery=True,
                        message=MSG_RECOVERY_WINDOW)
    sm.describe_secret(SecretId=name)


def test_delete_with_force_and_window_is_invalid_parameter(sm):
    name = make_secret(sm)
    expect_client_error(sm.delete_secret, "InvalidParameterException",
                        SecretId=name, RecoveryWindowInDays=10,
                        ForceDeleteWithoutRecovery=True)
    assert "DeletedDate" not in sm.describe_secret(SecretId=name)


def test_force_delete_removes_at_once_and_frees_the_name(sm):
    name = make_secret(sm)
    before = now_epoch()
    r = sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    assert abs(epoch(r["DeletionDate"]) - before) < 120
    expect_client_error(sm.describe_secret, "ResourceNotFoundException",
                        SecretId=name, message=MSG_NOT_FOUND)
    sm.create_secret(Name=name, SecretString="again")
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "again"


def test_force_delete_of_unknown_secret_is_not_resource_not_found(sm):
    """AWS documents: "If you forcibly delete an already deleted or
    nonexistent secret, the operation does not return
    ResourceNotFoundException"."""
    name = new_name("compat-missing")
    try:
        sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    except ClientError as e:
        pytest.fail(f"force delete of a nonexistent secret failed: {e.response['Error']}")


def test_force_delete_of_secret_scheduled_for_deletion(sm):
    name = make_secret(sm)
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    expect_client_error(sm.describe_secret, "ResourceNotFoundException", SecretId=name)


def test_delete_again_without_force_is_invalid_request(sm):
    name = make_secret(sm)
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    expect_client_error(sm.delete_secret, "InvalidRequestException", SecretId=name)


def test_delete_unknown_secret_is_not_found(sm):
    expect_client_error(sm.delete_secret, "ResourceNotFoundException",
                        SecretId=new_name("compat-missing"), message=MSG_NOT_FOUND)


def test_delete_by_arn(sm):
    name = make_secret(sm)
    arn = sm.describe_secret(SecretId=name)["ARN"]
    r = sm.delete_secret(SecretId=arn, RecoveryWindowInDays=7)
    assert r["ARN"] == arn


# --------------------------------------------------------------------------
# a secret scheduled for deletion
# --------------------------------------------------------------------------

def test_describe_scheduled_secret_shows_deleted_date(sm):
    name = make_secret(sm)
    before = now_epoch()
    r = sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    d = sm.describe_secret(SecretId=name)
    assert "DeletedDate" in d
    # AWS's docs call it "the date the secret is scheduled for deletion";
    # captures show the time of the DeleteSecret call.  Either is accepted.
    assert before - 120 <= epoch(d["DeletedDate"]) <= epoch(r["DeletionDate"]) + 120


def test_list_versions_of_scheduled_secret_works(sm):
    name = make_secret(sm)
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    r = sm.list_secret_version_ids(SecretId=name)
    assert len(r["Versions"]) == 1


@pytest.mark.parametrize("op,kwargs", [
    ("get_secret_value", {}),
    ("put_secret_value", {"SecretString": "x"}),
    ("update_secret", {"SecretString": "x"}),
    ("update_secret", {"Description": "x"}),
])
def test_operations_on_scheduled_secret_are_invalid_request(sm, op, kwargs):
    name = make_secret(sm)
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    expect_client_error(getattr(sm, op), "InvalidRequestException",
                        SecretId=name, message=MSG_MARKED_DELETED, **kwargs)


def test_update_version_stage_on_scheduled_secret_is_invalid_request(sm):
    name = make_secret(sm)
    vid = list(sm.describe_secret(SecretId=name)["VersionIdsToStages"])[0]
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    expect_client_error(sm.update_secret_version_stage, "InvalidRequestException",
                        SecretId=name, VersionStage="x", MoveToVersionId=vid,
                        message=MSG_MARKED_DELETED)


@pytest.mark.parametrize("op,kwargs", [
    ("tag_resource", {"Tags": [{"Key": "k", "Value": "v"}]}),
    ("untag_resource", {"TagKeys": ["k"]}),
])
def test_tagging_scheduled_secret_is_invalid_request(sm, op, kwargs):
    name = make_secret(sm)
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    expect_client_error(getattr(sm, op), "InvalidRequestException",
                        SecretId=name, **kwargs)


def test_create_with_scheduled_name_is_invalid_request(sm):
    name = make_secret(sm)
    sm.delete_secret(SecretId=name)
    expect_client_error(sm.create_secret, "InvalidRequestException", Name=name,
                        SecretString="x", message=MSG_SCHEDULED)


def test_scheduled_secret_listed_only_with_include_planned_deletion(server, sm):
    name = make_secret(sm)
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    flt = [{"Key": "name", "Values": [name]}]
    assert name not in names(all_secrets(sm, Filters=flt))
    r = raw_ok(server, "ListSecrets", {"Filters": flt, "IncludePlannedDeletion": True})
    (entry,) = [e for e in r["SecretList"] if e["Name"] == name]
    assert "DeletedDate" in entry


# --------------------------------------------------------------------------
# RestoreSecret
# --------------------------------------------------------------------------

def test_restore_cancels_deletion(sm):
    name = make_secret(sm)
    arn = sm.describe_secret(SecretId=name)["ARN"]
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    r = sm.restore_secret(SecretId=name)
    assert r["ARN"] == arn and r["Name"] == name
    d = sm.describe_secret(SecretId=name)
    assert "DeletedDate" not in d
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "value"
    sm.put_secret_value(SecretId=name, SecretString="after restore")


def test_restore_keeps_versions_labels_and_tags(sm):
    name = make_secret(sm, Tags=[{"Key": "team", "Value": "a"}])
    sm.put_secret_value(SecretId=name, SecretString="v2")
    before = sm.describe_secret(SecretId=name)
    sm.delete_secret(SecretId=name)
    sm.restore_secret(SecretId=name)
    after = sm.describe_secret(SecretId=name)
    assert after["VersionIdsToStages"] == before["VersionIdsToStages"]
    assert after["Tags"] == before["Tags"]


def test_restore_by_arn(sm):
    name = make_secret(sm)
    arn = sm.describe_secret(SecretId=name)["ARN"]
    sm.delete_secret(SecretId=arn)
    assert sm.restore_secret(SecretId=arn)["ARN"] == arn


def test_restore_of_secret_not_scheduled_is_a_no_op(sm):
    name = make_secret(sm)
    r = sm.restore_secret(SecretId=name)
    assert r["Name"] == name
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "value"


def test_restore_unknown_secret_is_not_found(sm):
    expect_client_error(sm.restore_secret, "ResourceNotFoundException",
                        SecretId=new_name("compat-missing"), message=MSG_NOT_FOUND)


def test_restore_after_force_delete_is_not_found(sm):
    name = make_secret(sm)
    sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    expect_client_error(sm.restore_secret, "ResourceNotFoundException", SecretId=name)


# --------------------------------------------------------------------------
# purge after the recovery window (servers of their own, shifted clocks)
# --------------------------------------------------------------------------

@pytest.fixture
def clock_server(tmp_path):
    srv = start_server(tmp_path / "purge", "444455556666")
    yield srv
    stop_server(srv)


def wait_gone(sm, name, seconds=PURGE_WAIT_SECONDS):
    """Poll DescribeSecret until it answers ResourceNotFoundException."""
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        try:
            last = sm.describe_secret(SecretId=name)
        except ClientError as e:
            if e.response["Error"]["Code"] == "ResourceNotFoundException":
                return True
            raise
        time.sleep(0.25)
    pytest.fail(f"{name} still there {seconds}s after its recovery window "
                f"passed: {last!r}")


def test_secret_is_purged_after_its_window_and_name_reusable(clock_server):
    sm = client(clock_server)
    name = make_secret(sm)
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    restart_with_offset(clock_server, 8 * DAY)
    sm = client(clock_server)
    wait_gone(sm, name)
    r = raw_ok(clock_server, "ListSecrets", {"IncludePlannedDeletion": True,
                                             "Filters": [{"Key": "name", "Values": [name]}]})
    assert name not in names(r["SecretList"])
    sm.create_secret(Name=name, SecretString="new life")
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "new life"
    assert "DeletedDate" not in sm.describe_secret(SecretId=name)


def test_secret_within_its_window_survives_restart_and_can_be_restored(clock_server):
    sm = client(clock_server)
    name = make_secret(sm)
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=10)
    restart_with_offset(clock_server, 9 * DAY)
    sm = client(clock_server)
    time.sleep(1.0)            # give a purge job the chance to misbehave
    d = sm.describe_secret(SecretId=name)
    assert "DeletedDate" in d
    sm.restore_secret(SecretId=name)
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "value"


def test_purge_removes_only_expired_secrets(clock_server):
    sm = client(clock_server)
    short = make_secret(sm)
    long_ = make_secret(sm)
    kept = make_secret(sm)
    sm.delete_secret(SecretId=short, RecoveryWindowInDays=7)
    sm.delete_secret(SecretId=long_, RecoveryWindowInDays=30)
    restart_with_offset(clock_server, 7 * DAY + 3600)
    sm = client(clock_server)
    wait_gone(sm, short)
    assert "DeletedDate" in sm.describe_secret(SecretId=long_)
    assert sm.get_secret_value(SecretId=kept)["SecretString"] == "value"
    restart_with_offset(clock_server, 31 * DAY)
    sm = client(clock_server)
    wait_gone(sm, long_)
    assert sm.get_secret_value(SecretId=kept)["SecretString"] == "value"


def test_purge_of_default_window_happens_after_30_days_not_before(clock_server):
    sm = client(clock_server)
    name = make_secret(sm)
    sm.delete_secret(SecretId=name)
    restart_with_offset(clock_server, 29 * DAY)
    sm = client(clock_server)
    time.sleep(1.0)
    assert "DeletedDate" in sm.describe_secret(SecretId=name)
    restart_with_offset(clock_server, 30 * DAY + 3600)
    sm = client(clock_server)
    wait_gone(sm, name)


def test_purged_secret_versions_do_not_come_back_with_a_new_secret(clock_server):
    sm = client(clock_server)
    name = make_secret(sm)
    t = token()
    sm.put_secret_value(SecretId=name, SecretString="old", ClientRequestToken=t)
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    restart_with_offset(clock_server, 8 * DAY)
    sm = client(clock_server)
    wait_gone(sm, name)
    sm.create_secret(Name=name, SecretString="fresh")
    versions = sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)["Versions"]
    assert len(versions) == 1 and versions[0]["VersionId"] != t
    expect_client_error(sm.get_secret_value, "ResourceNotFoundException",
                        SecretId=name, VersionId=t)


def test_shifted_clock_signs_and_dates_match(clock_server):
    """The harness itself: a shifted server answers shifted-signed calls and
    dates what it stores with its shifted clock."""
    restart_with_offset(clock_server, 3 * DAY)
    sm = client(clock_server)
    name = make_secret(sm)
    created = epoch(sm.describe_secret(SecretId=name)["CreatedDate"])
    assert abs(created - now_epoch(3 * DAY)) < 120
    r = raw(clock_server, "ListSecrets", {}, offset_seconds=0)
    assert r.status == 400 and r.error_type == "InvalidSignatureException"


def test_delete_with_window_and_force_false_is_accepted(sm):
    name = make_secret(sm)
    r = sm.delete_secret(SecretId=name, RecoveryWindowInDays=7,
                         ForceDeleteWithoutRecovery=False)
    assert abs(epoch(r["DeletionDate"]) - (now_epoch() + 7 * DAY)) < 120
