"""Secrets Manager operations through boto3 against a running Sesame.

Most tests share one server (unique names keep them apart); listing tests
use a server of their own so that they can assert exact results.
"""

import datetime
import re
import string
import time

import pytest
from botocore.exceptions import ClientError

from harness import (MSG_EXISTS, MSG_INVALID_NAME, MSG_MARKED_DELETED,
                     MSG_NO_STAGE, MSG_NO_TOKEN, MSG_NO_VERSION, MSG_NOT_FOUND,
                     MSG_NULL_SECRET_ID, MSG_RECOVERY_WINDOW, MSG_SCHEDULED,
                     MSG_STAGE_MISMATCH, RE_BOTH_VALUES, SHARED_ACCOUNT, b64,
                     error_code, expect_client_error, new_name, new_token)

ARN_RE = r"^arn:aws:secretsmanager:{region}:{account}:secret:{name}-[A-Za-z0-9]{{6}}$"
PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def arn_re(name, region="us-east-1", account=SHARED_ACCOUNT):
    return re.compile(ARN_RE.format(region=region, account=account,
                                    name=re.escape(name)))


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def assert_recent(ts, slack=120):
    assert isinstance(ts, datetime.datetime), ts
    delta = abs((now() - ts).total_seconds())
    assert delta < slack, f"timestamp {ts} is {delta}s away from now"


def stages(sm, secret_id):
    return sm.describe_secret(SecretId=secret_id).get("VersionIdsToStages", {})


# --------------------------------------------------------------------------
# CreateSecret / GetSecretValue
# --------------------------------------------------------------------------

def test_create_string_secret_returns_arn_name_and_version(sm):
    name = new_name()
    r = sm.create_secret(Name=name, SecretString="hunter2")
    assert r["Name"] == name
    assert arn_re(name).match(r["ARN"]), r["ARN"]
    assert 32 <= len(r["VersionId"]) <= 64


def test_get_secret_value_by_name_returns_string_and_current_stage(sm):
    name = new_name()
    c = sm.create_secret(Name=name, SecretString='{"user":"admin","pass":"s3cr3t"}')
    g = sm.get_secret_value(SecretId=name)
    assert g["SecretString"] == '{"user":"admin","pass":"s3cr3t"}'
    assert "SecretBinary" not in g
    assert g["Name"] == name
    assert g["ARN"] == c["ARN"]
    assert g["VersionId"] == c["VersionId"]
    assert g["VersionStages"] == ["AWSCURRENT"]
    assert_recent(g["CreatedDate"])


def test_client_request_token_becomes_version_id(sm):
    token = new_token()
    r = sm.create_secret(Name=new_name(), SecretString="v", ClientRequestToken=token)
    assert r["VersionId"] == token
    token2 = new_token()
    p = sm.put_secret_value(SecretId=r["ARN"], SecretString="w",
                            ClientRequestToken=token2)
    assert p["VersionId"] == token2


@pytest.mark.parametrize("data", [
    bytes(range(256)),
    b"\x00",
    b"\x00\x00\x00binary\x00with\x00nuls\x00",
    b"\xff\xfe\xfd" * 1000,
], ids=["all-bytes", "single-nul", "embedded-nuls", "3000-high-bytes"])
def test_binary_secret_round_trips_arbitrary_bytes(sm, data):
    name = new_name()
    sm.create_secret(Name=name, SecretBinary=data)
    g = sm.get_secret_value(SecretId=name)
    assert g["SecretBinary"] == data
    assert "SecretString" not in g


def test_put_binary_value_after_string_value_returns_binary(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="text")
    sm.put_secret_value(SecretId=name, SecretBinary=b"\x00\x01bin")
    g = sm.get_secret_value(SecretId=name)
    assert g["SecretBinary"] == b"\x00\x01bin"
    assert "SecretString" not in g
    prev = sm.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")
    assert prev["SecretString"] == "text"


@pytest.mark.parametrize("value", [
    "plain ascii",
    "unicode: \u79d8\u5bc6 \u00e9\u00e8 \u2713 \U0001F511",
    "quotes \" and backslashes \\ and \n newlines \t tabs \u0001 controls",
    "</script><script>alert(1)</script>",
], ids=["ascii", "unicode", "escapes", "html"])
def test_secret_string_round_trips_exactly(sm, value):
    name = new_name()
    sm.create_secret(Name=name, SecretString=value)
    assert sm.get_secret_value(SecretId=name)["SecretString"] == value


def test_secret_string_with_embedded_nul_round_trips(sm):
    name = new_name()
    value = "before\u0000after\u0000"
    sm.create_secret(Name=name, SecretString=value)
    assert sm.get_secret_value(SecretId=name)["SecretString"] == value


def test_nul_outside_a_secret_value_is_refused(sm):
    """Sesame's choice (docs/api.md): only a secret value may hold NUL, so no
    name, description or tag is ever cut short at a NUL."""
    name = new_name()
    with pytest.raises(ClientError) as ei:
        sm.create_secret(Name=name, SecretString="v", Description="d\u0000e")
    assert error_code(ei.value) == "ValidationException"
    with pytest.raises(ClientError) as ei:
        sm.create_secret(Name=name, SecretString="v",
                         Tags=[{"Key": "k", "Value": "a\u0000b"}])
    assert error_code(ei.value) == "ValidationException"


def test_secret_id_with_embedded_nul_does_not_match_its_prefix(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="prefix secret")
    with pytest.raises(ClientError) as ei:
        sm.get_secret_value(SecretId=name + "\u0000ignored")
    # any refusal will do; what matters is that the NUL does not cut the id
    assert error_code(ei.value) in ("ResourceNotFoundException", "ValidationException",
                                    "SerializationException")
    with pytest.raises(ClientError) as ei:
        sm.create_secret(Name=name + "\u0000x", SecretString="v")
    assert error_code(ei.value) in ("ValidationException", "SerializationException")
    expect_client_error(sm.describe_secret, "ResourceNotFoundException", SecretId=name + "x")


def test_create_without_value_has_no_version_until_put(sm):
    name = new_name()
    r = sm.create_secret(Name=name, Description="no value yet")
    assert "VersionId" not in r
    assert arn_re(name).match(r["ARN"])
    assert not stages(sm, name)
    expect_client_error(sm.get_secret_value, "ResourceNotFoundException",
                        SecretId=name, message=MSG_NO_STAGE.format("AWSCURRENT"))
    p = sm.put_secret_value(SecretId=name, SecretString="first")
    assert p["VersionStages"] == ["AWSCURRENT"]
    assert stages(sm, name) == {p["VersionId"]: ["AWSCURRENT"]}
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "first"


def test_get_secret_value_by_full_arn(sm):
    name = new_name()
    arn = sm.create_secret(Name=name, SecretString="by-arn")["ARN"]
    g = sm.get_secret_value(SecretId=arn)
    assert g["SecretString"] == "by-arn"
    assert g["Name"] == name


def test_get_secret_value_by_partial_arn_without_random_suffix(sm):
    name = new_name()
    arn = sm.create_secret(Name=name, SecretString="by-partial-arn")["ARN"]
    partial = arn[:-7]
    assert partial.endswith(":secret:" + name)
    g = sm.get_secret_value(SecretId=partial)
    assert g["SecretString"] == "by-partial-arn"
    assert g["ARN"] == arn


def test_names_that_look_like_arn_suffixes_are_kept_apart(sm):
    base = new_name("suffix")
    other = base + "-AbC123"          # looks like <base> plus a random suffix
    a_base = sm.create_secret(Name=base, SecretString="base")["ARN"]
    a_other = sm.create_secret(Name=other, SecretString="other")["ARN"]
    assert sm.get_secret_value(SecretId=base)["SecretString"] == "base"
    assert sm.get_secret_value(SecretId=other)["SecretString"] == "other"
    assert sm.get_secret_value(SecretId=a_base)["SecretString"] == "base"
    assert sm.get_secret_value(SecretId=a_other)["SecretString"] == "other"
    assert sm.describe_secret(SecretId=a_other[:-7])["Name"] == other


def test_secret_id_longer_than_2048_is_validation_error(sm):
    expect_client_error(sm.get_secret_value, "ValidationException",
                        SecretId="a" * 2049)


def test_full_arn_with_wrong_suffix_is_not_found(sm):
    name = new_name()
    arn = sm.create_secret(Name=name, SecretString="x")["ARN"]
    suffix = arn[-6:]
    other = ("A" if suffix[0] != "A" else "B") + suffix[1:]
    expect_client_error(sm.get_secret_value, "ResourceNotFoundException",
                        SecretId=arn[:-6] + other, message=MSG_NOT_FOUND)


def test_arn_of_another_account_is_not_found(sm):
    name = new_name()
    arn = sm.create_secret(Name=name, SecretString="x")["ARN"]
    foreign = arn.replace(f":{SHARED_ACCOUNT}:", ":999999999999:")
    with pytest.raises(ClientError) as ei:
        sm.get_secret_value(SecretId=foreign)
    assert error_code(ei.value) in ("ResourceNotFoundException", "AccessDeniedException")


def test_create_with_both_string_and_binary_is_invalid_parameter(sm):
    name = new_name()
    expect_client_error(sm.create_secret, "InvalidParameterException",
                        Name=name, SecretString="s", SecretBinary=b"b",
                        message=RE_BOTH_VALUES)
    expect_client_error(sm.describe_secret, "ResourceNotFoundException", SecretId=name)


def test_put_with_both_string_and_binary_is_invalid_parameter(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="s")
    expect_client_error(sm.put_secret_value, "InvalidParameterException",
                        SecretId=name, SecretString="s2", SecretBinary=b"b",
                        message=RE_BOTH_VALUES)
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "s"


def test_create_existing_name_is_resource_exists(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="one")
    expect_client_error(sm.create_secret, "ResourceExistsException",
                        Name=name, SecretString="two",
                        message=MSG_EXISTS.format(name))
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "one"


@pytest.mark.parametrize("bad", ["has space", "semi;colon", "quote'", "star*",
                                 "t\u00e9st", "back\\slash"])
def test_create_with_invalid_name_characters_is_validation_error(sm, bad):
    expect_client_error(sm.create_secret, "ValidationException",
                        Name=bad + new_name("x").replace("/", "-"),
                        SecretString="v", message=MSG_INVALID_NAME)


def test_name_with_all_allowed_punctuation_is_accepted(sm):
    name = "ok/_+=.@-!" + new_name("p").replace("/", "_")
    sm.create_secret(Name=name, SecretString="punct")
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "punct"


def test_name_of_512_chars_is_accepted_and_513_rejected(sm):
    base = new_name("long").replace("/", "_")
    name512 = base + "a" * (512 - len(base))
    r = sm.create_secret(Name=name512, SecretString="v")
    assert r["Name"] == name512
    assert sm.get_secret_value(SecretId=name512)["SecretString"] == "v"
    expect_client_error(sm.create_secret, "ValidationException",
                        Name=name512 + "b", SecretString="v")


def test_unknown_secret_is_resource_not_found_for_every_operation(sm):
    missing = new_name("missing")
    calls = [
        (sm.get_secret_value, {}),
        (sm.describe_secret, {}),
        (sm.put_secret_value, {"SecretString": "v"}),
        (sm.update_secret, {"Description": "d"}),
        (sm.update_secret, {"SecretString": "v"}),
        (sm.delete_secret, {}),
        # (forced deletion of a missing name is left out: AWS is said to
        # answer success there, see src/core/secret.c)
        (sm.restore_secret, {}),
    ]
    for fn, kw in calls:
        expect_client_error(fn, "ResourceNotFoundException", SecretId=missing,
                            message=MSG_NOT_FOUND, **kw)


# --------------------------------------------------------------------------
# versions and staging labels
# --------------------------------------------------------------------------

def test_put_secret_value_moves_current_and_previous_labels(sm):
    name = new_name()
    v1 = sm.create_secret(Name=name, SecretString="one")["VersionId"]
    p2 = sm.put_secret_value(SecretId=name, SecretString="two")
    v2 = p2["VersionId"]
    assert v2 != v1
    assert p2["VersionStages"] == ["AWSCURRENT"]
    assert p2["Name"] == name
    assert stages(sm, name) == {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]}
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "two"
    prev = sm.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")
    assert prev["SecretString"] == "one"
    assert prev["VersionId"] == v1
    assert prev["VersionStages"] == ["AWSPREVIOUS"]

    v3 = sm.put_secret_value(SecretId=name, SecretString="three")["VersionId"]
    # v1 lost its last label: it is deprecated and no longer listed
    assert stages(sm, name) == {v2: ["AWSPREVIOUS"], v3: ["AWSCURRENT"]}
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "three"
    assert sm.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")["SecretString"] == "two"


def test_get_secret_value_by_version_id_returns_that_version(sm):
    name = new_name()
    v1 = sm.create_secret(Name=name, SecretString="old")["VersionId"]
    v2 = sm.put_secret_value(SecretId=name, SecretString="new")["VersionId"]
    g1 = sm.get_secret_value(SecretId=name, VersionId=v1)
    assert g1["SecretString"] == "old"
    assert g1["VersionId"] == v1
    assert g1["VersionStages"] == ["AWSPREVIOUS"]
    g2 = sm.get_secret_value(SecretId=name, VersionId=v2)
    assert g2["SecretString"] == "new"
    assert g2["VersionStages"] == ["AWSCURRENT"]


def test_get_secret_value_by_version_id_and_matching_stage(sm):
    name = new_name()
    v1 = sm.create_secret(Name=name, SecretString="old")["VersionId"]
    sm.put_secret_value(SecretId=name, SecretString="new")
    g = sm.get_secret_value(SecretId=name, VersionId=v1, VersionStage="AWSPREVIOUS")
    assert g["SecretString"] == "old"


def test_get_secret_value_with_mismatched_version_id_and_stage_is_invalid_request(sm):
    name = new_name()
    v1 = sm.create_secret(Name=name, SecretString="old")["VersionId"]
    sm.put_secret_value(SecretId=name, SecretString="new")
    expect_client_error(sm.get_secret_value, "InvalidRequestException",
                        SecretId=name, VersionId=v1, VersionStage="AWSCURRENT",
                        message=MSG_STAGE_MISMATCH)


def test_get_secret_value_unknown_version_id_is_not_found(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="x")
    vid = new_token()
    expect_client_error(sm.get_secret_value, "ResourceNotFoundException",
                        SecretId=name, VersionId=vid,
                        message=MSG_NO_VERSION.format(vid))


def test_get_secret_value_unknown_stage_is_not_found(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="x")
    expect_client_error(sm.get_secret_value, "ResourceNotFoundException",
                        SecretId=name, VersionStage="AWSPENDING",
                        message=MSG_NO_STAGE.format("AWSPENDING"))
    # only one version so far: there is no AWSPREVIOUS yet
    expect_client_error(sm.get_secret_value, "ResourceNotFoundException",
                        SecretId=name, VersionStage="AWSPREVIOUS",
                        message=MSG_NO_STAGE.format("AWSPREVIOUS"))


def test_version_id_of_another_secret_is_not_found(sm):
    a, b = new_name(), new_name()
    va = sm.create_secret(Name=a, SecretString="a")["VersionId"]
    sm.create_secret(Name=b, SecretString="b")
    expect_client_error(sm.get_secret_value, "ResourceNotFoundException",
                        SecretId=b, VersionId=va)


def test_put_with_same_token_and_same_value_is_idempotent(sm):
    name = new_name()
    v1 = sm.create_secret(Name=name, SecretString="one")["VersionId"]
    token = new_token()
    p1 = sm.put_secret_value(SecretId=name, SecretString="two", ClientRequestToken=token)
    p2 = sm.put_secret_value(SecretId=name, SecretString="two", ClientRequestToken=token)
    assert p1["VersionId"] == p2["VersionId"] == token
    # the retry must not shift labels again (v1 keeps AWSPREVIOUS)
    assert stages(sm, name) == {v1: ["AWSPREVIOUS"], token: ["AWSCURRENT"]}
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "two"


def test_put_with_same_token_and_same_binary_value_is_idempotent(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretBinary=b"\x00a")
    token = new_token()
    p1 = sm.put_secret_value(SecretId=name, SecretBinary=b"\x00b", ClientRequestToken=token)
    p2 = sm.put_secret_value(SecretId=name, SecretBinary=b"\x00b", ClientRequestToken=token)
    assert p1["VersionId"] == p2["VersionId"] == token
    assert len(stages(sm, name)) == 2


def test_put_with_same_token_and_different_value_is_resource_exists(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="one")
    token = new_token()
    sm.put_secret_value(SecretId=name, SecretString="two", ClientRequestToken=token)
    expect_client_error(sm.put_secret_value, "ResourceExistsException",
                        SecretId=name, SecretString="DIFFERENT", ClientRequestToken=token)
    g = sm.get_secret_value(SecretId=name)
    assert g["SecretString"] == "two"
    assert g["VersionId"] == token


def test_put_with_token_of_existing_version_switching_string_to_binary_is_resource_exists(sm):
    name = new_name()
    token = new_token()
    sm.create_secret(Name=name, SecretString="abc", ClientRequestToken=token)
    expect_client_error(sm.put_secret_value, "ResourceExistsException",
                        SecretId=name, SecretBinary=b"abc", ClientRequestToken=token)


def test_client_request_token_shorter_than_32_is_validation_error(server):
    sm = server.client(validate=False)
    name = new_name()
    sm.create_secret(Name=name, SecretString="x")
    expect_client_error(sm.put_secret_value, "ValidationException",
                        SecretId=name, SecretString="y", ClientRequestToken="short")


def test_client_request_token_longer_than_64_is_validation_error(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="x")
    expect_client_error(sm.put_secret_value, "ValidationException",
                        SecretId=name, SecretString="y", ClientRequestToken="t" * 65)
    p = sm.put_secret_value(SecretId=name, SecretString="y", ClientRequestToken="t" * 64)
    assert p["VersionId"] == "t" * 64


def test_raw_create_with_value_but_without_token_is_invalid_request(server):
    name = new_name()
    r = server.raw("CreateSecret", {"Name": name, "SecretString": "v"})
    assert r.status == 400, r
    assert r.error_type == "InvalidRequestException", r
    assert r.message == MSG_NO_TOKEN


def test_raw_put_without_token_is_invalid_request(server, sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="v")
    r = server.raw("PutSecretValue", {"SecretId": name, "SecretString": "w"})
    assert r.status == 400, r
    assert r.error_type == "InvalidRequestException", r
    assert r.message == MSG_NO_TOKEN
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "v"


def test_raw_secret_binary_is_base64_on_the_wire(server, sm):
    name = new_name()
    r = server.raw("CreateSecret", {"Name": name, "SecretBinary": b64(b"\x00\xffwire"),
                                    "ClientRequestToken": new_token()})
    assert r.status == 200, r
    g = server.raw("GetSecretValue", {"SecretId": name})
    assert g.status == 200, g
    assert g.json["SecretBinary"] == b64(b"\x00\xffwire")
    assert sm.get_secret_value(SecretId=name)["SecretBinary"] == b"\x00\xffwire"


# --------------------------------------------------------------------------
# UpdateSecret / DescribeSecret
# --------------------------------------------------------------------------

def test_update_secret_description_only_creates_no_version(sm):
    name = new_name()
    v1 = sm.create_secret(Name=name, SecretString="keep", Description="before")["VersionId"]
    u = sm.update_secret(SecretId=name, Description="after")
    assert "VersionId" not in u
    assert u["Name"] == name
    d = sm.describe_secret(SecretId=name)
    assert d["Description"] == "after"
    assert d["VersionIdsToStages"] == {v1: ["AWSCURRENT"]}
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "keep"


def test_update_secret_with_value_creates_new_current_version(sm):
    name = new_name()
    v1 = sm.create_secret(Name=name, SecretString="old", Description="desc")["VersionId"]
    u = sm.update_secret(SecretId=name, SecretString="new")
    v2 = u["VersionId"]
    assert v2 and v2 != v1
    assert u["Name"] == name
    assert stages(sm, name) == {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]}
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "new"
    assert sm.describe_secret(SecretId=name)["Description"] == "desc"


def test_update_secret_with_binary_value_and_token(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="old")
    token = new_token()
    u = sm.update_secret(SecretId=name, SecretBinary=b"\x00upd", ClientRequestToken=token)
    assert u["VersionId"] == token
    assert sm.get_secret_value(SecretId=name)["SecretBinary"] == b"\x00upd"


def test_update_with_both_string_and_binary_is_invalid_parameter(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="s")
    expect_client_error(sm.update_secret, "InvalidParameterException",
                        SecretId=name, SecretString="s2", SecretBinary=b"b",
                        message=RE_BOTH_VALUES)
    assert len(stages(sm, name)) == 1


def test_update_secret_by_arn(sm):
    name = new_name()
    arn = sm.create_secret(Name=name, SecretString="x")["ARN"]
    sm.update_secret(SecretId=arn, Description="via arn")
    assert sm.describe_secret(SecretId=arn)["Description"] == "via arn"


def test_describe_secret_fields(sm):
    name = new_name()
    tags = [{"Key": "env", "Value": "test"}, {"Key": "team", "Value": "sesame"}]
    c = sm.create_secret(Name=name, SecretString="x", Description="the description",
                         Tags=tags)
    d = sm.describe_secret(SecretId=name)
    assert d["ARN"] == c["ARN"]
    assert d["Name"] == name
    assert d["Description"] == "the description"
    assert_recent(d["CreatedDate"])
    assert_recent(d["LastChangedDate"])
    assert d["LastChangedDate"] >= d["CreatedDate"]
    assert d["VersionIdsToStages"] == {c["VersionId"]: ["AWSCURRENT"]}
    assert sorted(d["Tags"], key=lambda t: t["Key"]) == tags
    assert "DeletedDate" not in d


def test_describe_secret_by_full_and_partial_arn(sm):
    name = new_name()
    arn = sm.create_secret(Name=name, SecretString="x")["ARN"]
    assert sm.describe_secret(SecretId=arn)["Name"] == name
    assert sm.describe_secret(SecretId=arn[:-7])["ARN"] == arn


def test_describe_secret_without_tags_or_description_omits_them(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="x")
    d = sm.describe_secret(SecretId=name)
    assert not d.get("Tags")
    assert "Description" not in d or d["Description"] == ""


def test_put_secret_value_advances_last_changed_date(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="x")
    before = sm.describe_secret(SecretId=name)["LastChangedDate"]
    time.sleep(1.1)
    sm.put_secret_value(SecretId=name, SecretString="y")
    after = sm.describe_secret(SecretId=name)
    assert after["LastChangedDate"] > before
    assert after["CreatedDate"] <= before
    # GetSecretValue's CreatedDate is the version's, not the secret's
    current = sm.get_secret_value(SecretId=name)["CreatedDate"]
    previous = sm.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")["CreatedDate"]
    assert current - previous >= datetime.timedelta(seconds=1)


def test_get_secret_value_sets_last_accessed_date(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="x")
    sm.get_secret_value(SecretId=name)
    d = sm.describe_secret(SecretId=name)
    assert "LastAccessedDate" in d
    # AWS keeps day granularity: it is today's date (UTC), within a day
    assert abs((now() - d["LastAccessedDate"]).total_seconds()) < 86400 + 120


# --------------------------------------------------------------------------
# DeleteSecret / RestoreSecret
# --------------------------------------------------------------------------

def test_delete_secret_with_recovery_window_sets_deletion_date(sm):
    name = new_name()
    arn = sm.create_secret(Name=name, SecretString="x")["ARN"]
    r = sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    assert r["ARN"] == arn
    assert r["Name"] == name
    expected = now() + datetime.timedelta(days=7)
    assert abs((r["DeletionDate"] - expected).total_seconds()) < 300


def test_delete_secret_default_window_is_30_days(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="x")
    r = sm.delete_secret(SecretId=name)
    expected = now() + datetime.timedelta(days=30)
    assert abs((r["DeletionDate"] - expected).total_seconds()) < 300


@pytest.mark.parametrize("days", [0, 6, 31])
def test_delete_secret_recovery_window_out_of_range_is_invalid_parameter(sm, days):
    name = new_name()
    sm.create_secret(Name=name, SecretString="x")
    expect_client_error(sm.delete_secret, "InvalidParameterException",
                        SecretId=name, RecoveryWindowInDays=days,
                        message=MSG_RECOVERY_WINDOW)
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "x"


def test_delete_secret_window_boundaries_7_and_30_are_accepted(sm):
    for days in (7, 30):
        name = new_name()
        sm.create_secret(Name=name, SecretString="x")
        sm.delete_secret(SecretId=name, RecoveryWindowInDays=days)
        assert "DeletedDate" in sm.describe_secret(SecretId=name)


def test_delete_with_both_force_and_window_is_invalid_parameter(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="x")
    expect_client_error(sm.delete_secret, "InvalidParameterException",
                        SecretId=name, RecoveryWindowInDays=7,
                        ForceDeleteWithoutRecovery=True)
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "x"


def test_describe_shows_deleted_date_after_delete(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="x")
    created = sm.describe_secret(SecretId=name)["CreatedDate"]
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    d = sm.describe_secret(SecretId=name)
    assert "DeletedDate" in d
    assert d["DeletedDate"] >= created - datetime.timedelta(seconds=1)


def test_operations_on_deleted_secret_are_invalid_request(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="x")
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    for fn, kw in [(sm.get_secret_value, {}),
                   (sm.put_secret_value, {"SecretString": "y"}),
                   (sm.update_secret, {"Description": "d"}),
                   (sm.update_secret, {"SecretString": "y"})]:
        expect_client_error(fn, "InvalidRequestException", SecretId=name,
                            message=MSG_MARKED_DELETED, **kw)


def test_create_with_name_scheduled_for_deletion_is_invalid_request(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="x")
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    expect_client_error(sm.create_secret, "InvalidRequestException",
                        Name=name, SecretString="y", message=MSG_SCHEDULED)


def test_restore_secret_cancels_deletion(sm):
    name = new_name()
    c = sm.create_secret(Name=name, SecretString="restorable")
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    r = sm.restore_secret(SecretId=name)
    assert r["ARN"] == c["ARN"]
    assert r["Name"] == name
    d = sm.describe_secret(SecretId=name)
    assert "DeletedDate" not in d
    assert d["VersionIdsToStages"] == {c["VersionId"]: ["AWSCURRENT"]}
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "restorable"
    sm.put_secret_value(SecretId=name, SecretString="after restore")
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "after restore"


def test_restore_secret_by_arn(sm):
    name = new_name()
    arn = sm.create_secret(Name=name, SecretString="x")["ARN"]
    sm.delete_secret(SecretId=arn)
    sm.restore_secret(SecretId=arn)
    assert sm.get_secret_value(SecretId=arn)["SecretString"] == "x"


def test_force_delete_removes_secret_and_frees_the_name(sm):
    name = new_name()
    arn1 = sm.create_secret(Name=name, SecretString="first life")["ARN"]
    r = sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    assert r["ARN"] == arn1
    assert abs((r["DeletionDate"] - now()).total_seconds()) < 300
    expect_client_error(sm.describe_secret, "ResourceNotFoundException",
                        SecretId=name, message=MSG_NOT_FOUND)
    expect_client_error(sm.get_secret_value, "ResourceNotFoundException",
                        SecretId=arn1, message=MSG_NOT_FOUND)
    expect_client_error(sm.restore_secret, "ResourceNotFoundException", SecretId=name)
    c2 = sm.create_secret(Name=name, SecretString="second life")
    assert c2["ARN"] != arn1
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "second life"
    # the old ARN does not reach the new secret
    expect_client_error(sm.get_secret_value, "ResourceNotFoundException", SecretId=arn1)


def test_force_delete_of_secret_already_scheduled_for_deletion(sm):
    name = new_name()
    sm.create_secret(Name=name, SecretString="x")
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    expect_client_error(sm.describe_secret, "ResourceNotFoundException", SecretId=name)
    sm.create_secret(Name=name, SecretString="y")


# --------------------------------------------------------------------------
# ListSecrets (servers of their own, for exact results)
# --------------------------------------------------------------------------

def _list_all(sm, **kw):
    names, pages, token = [], 0, None
    while True:
        args = dict(kw)
        if token:
            args["NextToken"] = token
        page = sm.list_secrets(**args)
        pages += 1
        if "MaxResults" in kw:
            assert len(page["SecretList"]) <= kw["MaxResults"]
        names += [s["Name"] for s in page["SecretList"]]
        token = page.get("NextToken")
        if not token:
            return names, pages
        assert pages < 50, "ListSecrets paging does not end"


def test_list_secrets_pages_with_max_results_and_next_token(fresh_server):
    sm = fresh_server.client()
    created = [new_name("list") for _ in range(5)]
    for n in created:
        sm.create_secret(Name=n, SecretString="x")
    names, pages = _list_all(sm, MaxResults=1)
    assert sorted(names) == sorted(created)          # no duplicates, none missing
    assert 5 <= pages <= 6
    names2, pages2 = _list_all(sm, MaxResults=2)
    assert sorted(names2) == sorted(created)
    assert 3 <= pages2 <= 4
    all_at_once = sm.list_secrets()
    assert sorted(s["Name"] for s in all_at_once["SecretList"]) == sorted(created)
    assert "NextToken" not in all_at_once


def test_list_secrets_entries_carry_secret_metadata(fresh_server):
    sm = fresh_server.client()
    name = new_name("meta")
    c = sm.create_secret(Name=name, SecretString="x", Description="listed",
                         Tags=[{"Key": "k", "Value": "v"}])
    (entry,) = sm.list_secrets()["SecretList"]
    assert entry["ARN"] == c["ARN"]
    assert entry["Name"] == name
    assert entry["Description"] == "listed"
    assert entry["Tags"] == [{"Key": "k", "Value": "v"}]
    assert_recent(entry["CreatedDate"])
    assert entry["SecretVersionsToStages"] == {c["VersionId"]: ["AWSCURRENT"]}
    assert "SecretString" not in entry and "SecretBinary" not in entry


def test_list_secrets_hides_deleted_unless_include_planned_deletion(fresh_server):
    sm = fresh_server.client()
    kept, deleted, forced = new_name("kept"), new_name("deleted"), new_name("forced")
    for n in (kept, deleted, forced):
        sm.create_secret(Name=n, SecretString="x")
    sm.delete_secret(SecretId=deleted, RecoveryWindowInDays=7)
    sm.delete_secret(SecretId=forced, ForceDeleteWithoutRecovery=True)
    assert [s["Name"] for s in sm.list_secrets()["SecretList"]] == [kept]
    names, _ = _list_all(sm, MaxResults=1)
    assert names == [kept]
    # botocore 1.29 predates IncludePlannedDeletion: send it by hand
    r = fresh_server.raw("ListSecrets", {"IncludePlannedDeletion": True})
    assert r.status == 200, r
    got = {s["Name"]: s for s in r.json["SecretList"]}
    assert set(got) == {kept, deleted}
    assert "DeletedDate" in got[deleted]
    assert "DeletedDate" not in got[kept]
    sm.restore_secret(SecretId=deleted)
    assert sorted(s["Name"] for s in sm.list_secrets()["SecretList"]) == sorted([kept, deleted])


def test_list_secrets_invalid_next_token_is_rejected(fresh_server):
    sm = fresh_server.client()
    for _ in range(2):
        sm.create_secret(Name=new_name(), SecretString="x")
    expect_client_error(sm.list_secrets, "InvalidNextTokenException",
                        NextToken="this-is-not-a-token", MaxResults=1)


@pytest.mark.parametrize("max_results", [0, 101])
def test_list_secrets_max_results_out_of_range_is_validation_error(fresh_server, max_results):
    sm = fresh_server.client(validate=False)
    expect_client_error(sm.list_secrets, "ValidationException", MaxResults=max_results)


# --------------------------------------------------------------------------
# concurrency: one secret, many writers
# --------------------------------------------------------------------------

def _in_threads(fn, n):
    import concurrent.futures
    import threading
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait(timeout=30)
        try:
            return ("ok", fn(i))
        except ClientError as e:
            return (error_code(e), None)
    with concurrent.futures.ThreadPoolExecutor(max_workers=n) as ex:
        return list(ex.map(run, range(n)))


def test_concurrent_create_of_one_name_has_exactly_one_winner(server):
    name = new_name("race")
    clients = [server.client() for _ in range(8)]
    results = _in_threads(lambda i: clients[i].create_secret(Name=name, SecretString=f"v{i}"), 8)
    codes = sorted(r[0] for r in results)
    assert codes.count("ok") == 1, codes
    assert set(codes) <= {"ok", "ResourceExistsException"}, codes
    winner = next(r[1] for r in results if r[0] == "ok")
    g = clients[0].get_secret_value(SecretId=name)
    assert g["VersionId"] == winner["VersionId"]
    assert stages(clients[0], name) == {winner["VersionId"]: ["AWSCURRENT"]}


def test_concurrent_puts_leave_one_current_and_one_previous(server):
    name = new_name("race-put")
    clients = [server.client() for _ in range(8)]
    clients[0].create_secret(Name=name, SecretString="initial")
    results = _in_threads(lambda i: clients[i].put_secret_value(
        SecretId=name, SecretString=f"value-{i}")["VersionId"], 8)
    assert all(r[0] == "ok" for r in results), results
    vts = stages(clients[0], name)
    labels = sorted(label for ls in vts.values() for label in ls)
    assert labels == ["AWSCURRENT", "AWSPREVIOUS"], vts
    current = next(v for v, ls in vts.items() if "AWSCURRENT" in ls)
    assert current in {r[1] for r in results}
    g = clients[0].get_secret_value(SecretId=name)
    assert g["VersionId"] == current
    assert g["SecretString"] == f"value-{[r[1] for r in results].index(current)}"


def test_concurrent_puts_with_one_token_create_one_version(server):
    name = new_name("race-token")
    clients = [server.client() for _ in range(6)]
    v1 = clients[0].create_secret(Name=name, SecretString="initial")["VersionId"]
    token = new_token()
    results = _in_threads(lambda i: clients[i].put_secret_value(
        SecretId=name, SecretString="same", ClientRequestToken=token)["VersionId"], 6)
    assert all(r == ("ok", token) for r in results), results
    assert stages(clients[0], name) == {v1: ["AWSPREVIOUS"], token: ["AWSCURRENT"]}


# --------------------------------------------------------------------------
# model constraints
# --------------------------------------------------------------------------

def test_secret_string_of_65536_chars_is_accepted(sm):
    name = new_name()
    value = ("0123456789abcdef" * 4096)
    assert len(value) == 65536
    sm.create_secret(Name=name, SecretString=value)
    assert sm.get_secret_value(SecretId=name)["SecretString"] == value
    sm.put_secret_value(SecretId=name, SecretString=value[::-1])
    assert sm.get_secret_value(SecretId=name)["SecretString"] == value[::-1]


def test_secret_string_of_65537_chars_is_rejected(sm):
    name = new_name()
    expect_client_error(sm.create_secret, "ValidationException",
                        Name=name, SecretString="a" * 65537)
    expect_client_error(sm.describe_secret, "ResourceNotFoundException", SecretId=name)
    sm.create_secret(Name=name, SecretString="small")
    expect_client_error(sm.put_secret_value, "ValidationException",
                        SecretId=name, SecretString="b" * 65537)
    expect_client_error(sm.update_secret, "ValidationException",
                        SecretId=name, SecretString="c" * 65537)
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "small"
    assert len(stages(sm, name)) == 1


def test_secret_binary_of_65536_bytes_is_accepted_and_65537_rejected(sm):
    name = new_name()
    data = bytes(range(256)) * 256
    assert len(data) == 65536
    sm.create_secret(Name=name, SecretBinary=data)
    assert sm.get_secret_value(SecretId=name)["SecretBinary"] == data
    expect_client_error(sm.put_secret_value, "ValidationException",
                        SecretId=name, SecretBinary=data + b"\x00")
    assert sm.get_secret_value(SecretId=name)["SecretBinary"] == data


def test_missing_secret_id_is_validation_error_with_aws_text(server):
    r = server.raw("GetSecretValue", {})
    assert r.status == 400, r
    assert r.error_type == "ValidationException", r
    assert r.message == MSG_NULL_SECRET_ID


def test_description_longer_than_2048_is_validation_error(sm):
    name = new_name()
    expect_client_error(sm.create_secret, "ValidationException",
                        Name=name, SecretString="x", Description="d" * 2049)
    sm.create_secret(Name=name, SecretString="x", Description="d" * 2048)
    assert sm.describe_secret(SecretId=name)["Description"] == "d" * 2048


# --------------------------------------------------------------------------
# regions
# --------------------------------------------------------------------------

def test_regions_keep_separate_secrets_with_the_same_name(server):
    us = server.client(region="us-east-1")
    eu = server.client(region="eu-west-1")
    name = new_name("region")
    only_us = new_name("region-us-only")
    a_us = us.create_secret(Name=name, SecretString="in us-east-1")["ARN"]
    a_eu = eu.create_secret(Name=name, SecretString="in eu-west-1")["ARN"]
    us.create_secret(Name=only_us, SecretString="x")
    assert arn_re(name, "us-east-1").match(a_us), a_us
    assert arn_re(name, "eu-west-1").match(a_eu), a_eu
    assert us.get_secret_value(SecretId=name)["SecretString"] == "in us-east-1"
    assert eu.get_secret_value(SecretId=name)["SecretString"] == "in eu-west-1"
    expect_client_error(eu.describe_secret, "ResourceNotFoundException", SecretId=only_us)
    eu_names = [s["Name"] for s in eu.list_secrets(MaxResults=100)["SecretList"]]
    assert name in eu_names and only_us not in eu_names
    eu.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    assert us.get_secret_value(SecretId=name)["SecretString"] == "in us-east-1"
    expect_client_error(eu.get_secret_value, "ResourceNotFoundException", SecretId=name)


def test_arn_of_another_region_is_not_served_by_this_region(server):
    us = server.client(region="us-east-1")
    eu = server.client(region="eu-west-1")
    name = new_name("region-arn")
    arn = us.create_secret(Name=name, SecretString="x")["ARN"]
    with pytest.raises(ClientError) as ei:
        eu.get_secret_value(SecretId=arn)
    assert error_code(ei.value) in ("ResourceNotFoundException", "InvalidParameterException",
                                    "AccessDeniedException")


# --------------------------------------------------------------------------
# GetRandomPassword
# --------------------------------------------------------------------------

ALL_DEFAULT = set(string.ascii_letters + string.digits) | PUNCTUATION


def test_random_password_default_is_32_chars_of_the_default_set(sm):
    seen = set()
    for _ in range(5):
        pw = sm.get_random_password()["RandomPassword"]
        assert len(pw) == 32
        assert set(pw) <= ALL_DEFAULT, set(pw) - ALL_DEFAULT
        assert " " not in pw
        seen.add(pw)
    assert len(seen) == 5


@pytest.mark.parametrize("length", [1, 4, 64, 4096])
def test_random_password_has_requested_length(sm, length):
    kw = {"PasswordLength": length}
    if length < 4:
        kw["RequireEachIncludedType"] = False
    assert len(sm.get_random_password(**kw)["RandomPassword"]) == length


def test_random_password_require_each_included_type(sm):
    for _ in range(25):
        pw = sm.get_random_password(PasswordLength=4, RequireEachIncludedType=True)["RandomPassword"]
        assert any(c in string.ascii_lowercase for c in pw), pw
        assert any(c in string.ascii_uppercase for c in pw), pw
        assert any(c in string.digits for c in pw), pw
        assert any(c in PUNCTUATION for c in pw), pw


def test_random_password_exclusion_flags(sm):
    cases = [
        ({"ExcludeNumbers": True}, set(string.digits)),
        ({"ExcludePunctuation": True}, PUNCTUATION),
        ({"ExcludeUppercase": True}, set(string.ascii_uppercase)),
        ({"ExcludeLowercase": True}, set(string.ascii_lowercase)),
        ({"ExcludeCharacters": "abcdefABCDEF0123!@#"}, set("abcdefABCDEF0123!@#")),
    ]
    for kw, forbidden in cases:
        pw = sm.get_random_password(PasswordLength=200, **kw)["RandomPassword"]
        assert len(pw) == 200
        assert not set(pw) & forbidden, (kw, set(pw) & forbidden)


def test_random_password_only_digits(sm):
    pw = sm.get_random_password(PasswordLength=100, ExcludePunctuation=True,
                                ExcludeUppercase=True, ExcludeLowercase=True)["RandomPassword"]
    assert len(pw) == 100 and set(pw) <= set(string.digits)


def test_random_password_include_space(sm):
    pw = sm.get_random_password(PasswordLength=2000, IncludeSpace=True,
                                RequireEachIncludedType=False)["RandomPassword"]
    assert " " in pw
    pw = sm.get_random_password(PasswordLength=500, IncludeSpace=False)["RandomPassword"]
    assert " " not in pw


def test_random_password_characters_are_spread(sm):
    pw = sm.get_random_password(PasswordLength=4096, ExcludePunctuation=True,
                                ExcludeUppercase=True, ExcludeLowercase=True)["RandomPassword"]
    counts = [pw.count(d) for d in string.digits]
    # ~410 each; a broken generator (e.g. modulo bias to few chars) fails this
    assert min(counts) > 250 and max(counts) < 600, counts


@pytest.mark.parametrize("length", [0, 4097])
def test_random_password_length_out_of_range_is_validation_error(server, length):
    sm = server.client(validate=False)
    expect_client_error(sm.get_random_password, "ValidationException",
                        PasswordLength=length)


def test_random_password_too_short_for_required_types_is_invalid_parameter(sm):
    expect_client_error(sm.get_random_password, "InvalidParameterException",
                        PasswordLength=2, RequireEachIncludedType=True)
