"""Compatibility: tags.

TagResource / UntagResource and Tags on CreateSecret with AWS's limits:
at most 50 tags per secret, keys of 1-128 and values of 0-256 characters,
the `aws:` prefix reserved, keys case-sensitive, TagResource appending and
overwriting, UntagResource idempotent.
"""

import pytest

from harness import MSG_NOT_FOUND, expect_client_error, new_name


def make_secret(sm, tags=None):
    name = new_name("compat-tag")
    kw = {"Name": name, "SecretString": "v"}
    if tags is not None:
        kw["Tags"] = tags
    sm.create_secret(**kw)
    return name


def tags_of(sm, name):
    return {t["Key"]: t["Value"] for t in sm.describe_secret(SecretId=name).get("Tags", [])}


def tag_list(n, start=0):
    return [{"Key": f"k{i}", "Value": f"v{i}"} for i in range(start, start + n)]


# --------------------------------------------------------------------------
# behaviour
# --------------------------------------------------------------------------

def test_create_with_tags(sm):
    name = make_secret(sm, [{"Key": "team", "Value": "core"}, {"Key": "env", "Value": "prod"}])
    assert tags_of(sm, name) == {"team": "core", "env": "prod"}


def test_tag_resource_appends(sm):
    name = make_secret(sm, [{"Key": "a", "Value": "1"}])
    r = sm.tag_resource(SecretId=name, Tags=[{"Key": "b", "Value": "2"}])
    assert set(r) == {"ResponseMetadata"}
    assert tags_of(sm, name) == {"a": "1", "b": "2"}


def test_tag_resource_overwrites_value_of_existing_key(sm):
    name = make_secret(sm, [{"Key": "a", "Value": "1"}])
    sm.tag_resource(SecretId=name, Tags=[{"Key": "a", "Value": "changed"}])
    assert tags_of(sm, name) == {"a": "changed"}


def test_tag_keys_are_case_sensitive(sm):
    name = make_secret(sm)
    sm.tag_resource(SecretId=name, Tags=[{"Key": "ABC", "Value": "upper"},
                                        {"Key": "abc", "Value": "lower"}])
    assert tags_of(sm, name) == {"ABC": "upper", "abc": "lower"}


def test_untag_resource_removes_keys(sm):
    name = make_secret(sm, tag_list(3))
    r = sm.untag_resource(SecretId=name, TagKeys=["k0", "k2"])
    assert set(r) == {"ResponseMetadata"}
    assert tags_of(sm, name) == {"k1": "v1"}


def test_untag_of_absent_key_is_a_no_op(sm):
    name = make_secret(sm, tag_list(1))
    sm.untag_resource(SecretId=name, TagKeys=["nothere"])
    assert tags_of(sm, name) == {"k0": "v0"}


def test_untag_with_empty_key_list_is_a_no_op(sm):
    name = make_secret(sm, tag_list(2))
    sm.untag_resource(SecretId=name, TagKeys=[])
    assert tags_of(sm, name) == {"k0": "v0", "k1": "v1"}


def test_untag_last_tag_removes_tags_from_describe(sm):
    name = make_secret(sm, tag_list(1))
    sm.untag_resource(SecretId=name, TagKeys=["k0"])
    assert "Tags" not in sm.describe_secret(SecretId=name)


def test_tag_by_arn(sm):
    name = make_secret(sm)
    arn = sm.describe_secret(SecretId=name)["ARN"]
    sm.tag_resource(SecretId=arn, Tags=[{"Key": "x", "Value": "y"}])
    sm.untag_resource(SecretId=arn, TagKeys=["nope"])
    assert tags_of(sm, name) == {"x": "y"}


def test_empty_tag_value_is_allowed(sm):
    name = make_secret(sm, [{"Key": "flag", "Value": ""}])
    assert tags_of(sm, name) == {"flag": ""}


def test_key_of_128_and_value_of_256_chars_are_allowed(sm):
    k, v = "K" * 128, "V" * 256
    name = make_secret(sm, [{"Key": k, "Value": v}])
    assert tags_of(sm, name) == {k: v}


def test_unicode_key_and_value_lengths_count_characters(sm):
    k, v = "é" * 128, "ü" * 256
    name = make_secret(sm)
    sm.tag_resource(SecretId=name, Tags=[{"Key": k, "Value": v}])
    assert tags_of(sm, name) == {k: v}


def test_fifty_tags_are_allowed(sm):
    name = make_secret(sm, tag_list(50))
    assert len(tags_of(sm, name)) == 50


def test_overwriting_at_fifty_tags_is_allowed(sm):
    name = make_secret(sm, tag_list(50))
    sm.tag_resource(SecretId=name, Tags=[{"Key": "k7", "Value": "new"}])
    assert tags_of(sm, name)["k7"] == "new"


def test_tags_do_not_create_versions(sm):
    name = make_secret(sm)
    before = sm.describe_secret(SecretId=name)["VersionIdsToStages"]
    sm.tag_resource(SecretId=name, Tags=[{"Key": "a", "Value": "b"}])
    assert sm.describe_secret(SecretId=name)["VersionIdsToStages"] == before


# --------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------

def test_create_with_51_tags_is_rejected(sm):
    name = new_name("compat-tag")
    with pytest.raises(Exception) as ei:
        sm.create_secret(Name=name, SecretString="v", Tags=tag_list(51))
    assert ei.value.response["Error"]["Code"] in ("InvalidParameterException",
                                                   "LimitExceededException",
                                                   "ValidationException")
    expect_client_error(sm.describe_secret, "ResourceNotFoundException", SecretId=name)


def test_tag_resource_beyond_50_tags_is_rejected_and_changes_nothing(sm):
    name = make_secret(sm, tag_list(49))
    with pytest.raises(Exception) as ei:
        sm.tag_resource(SecretId=name, Tags=tag_list(2, start=100))
    assert ei.value.response["Error"]["Code"] in ("InvalidParameterException",
                                                   "LimitExceededException",
                                                   "ValidationException")
    assert len(tags_of(sm, name)) == 49


def test_key_longer_than_128_is_validation_error(sm):
    name = make_secret(sm)
    expect_client_error(sm.tag_resource, "ValidationException", SecretId=name,
                        Tags=[{"Key": "k" * 129, "Value": "v"}])


def test_value_longer_than_256_is_validation_error(sm):
    name = make_secret(sm)
    expect_client_error(sm.tag_resource, "ValidationException", SecretId=name,
                        Tags=[{"Key": "k", "Value": "v" * 257}])


def test_empty_key_is_validation_error(server, sm):
    name = make_secret(sm)
    raw_sm = server.client(validate=False)
    expect_client_error(raw_sm.tag_resource, "ValidationException", SecretId=name,
                        Tags=[{"Key": "", "Value": "v"}])


def test_create_with_overlong_tag_key_is_validation_error(sm):
    name = new_name("compat-tag")
    expect_client_error(sm.create_secret, "ValidationException", Name=name,
                        SecretString="v", Tags=[{"Key": "k" * 129, "Value": "v"}])
    expect_client_error(sm.describe_secret, "ResourceNotFoundException", SecretId=name)


@pytest.mark.parametrize("key", ["aws:owner", "AWS:owner", "Aws:x"])
def test_reserved_aws_prefix_is_rejected_on_tag_resource(sm, key):
    name = make_secret(sm)
    expect_client_error(sm.tag_resource, "InvalidParameterException", SecretId=name,
                        Tags=[{"Key": key, "Value": "v"}])
    assert tags_of(sm, name) == {}


def test_reserved_aws_prefix_is_rejected_on_create(sm):
    name = new_name("compat-tag")
    expect_client_error(sm.create_secret, "InvalidParameterException", Name=name,
                        SecretString="v", Tags=[{"Key": "aws:cloudformation:x", "Value": "v"}])


def test_untag_key_longer_than_128_is_validation_error(fresh_server):
    # a server of its own: this request once crashed the server (use after
    # free), which would take the shared server down with it
    sm = fresh_server.client()
    name = make_secret(sm)
    expect_client_error(sm.untag_resource, "ValidationException", SecretId=name,
                        TagKeys=["k" * 129])
    assert tags_of(sm, name) == {}


def test_tag_without_key_is_validation_error(server, sm):
    name = make_secret(sm)
    raw_sm = server.client(validate=False)
    expect_client_error(raw_sm.tag_resource, "ValidationException", SecretId=name,
                        Tags=[{"Value": "v"}])


def test_tag_resource_missing_tags_is_validation_error(server, sm):
    name = make_secret(sm)
    raw_sm = server.client(validate=False)
    expect_client_error(raw_sm.tag_resource, "ValidationException", SecretId=name)


def test_untag_resource_missing_tag_keys_is_validation_error(server, sm):
    name = make_secret(sm)
    raw_sm = server.client(validate=False)
    expect_client_error(raw_sm.untag_resource, "ValidationException", SecretId=name)


@pytest.mark.parametrize("op,kwargs", [
    ("tag_resource", {"Tags": [{"Key": "k", "Value": "v"}]}),
    ("untag_resource", {"TagKeys": ["k"]}),
])
def test_tagging_unknown_secret_is_not_found(sm, op, kwargs):
    expect_client_error(getattr(sm, op), "ResourceNotFoundException",
                        SecretId=new_name("compat-missing"), message=MSG_NOT_FOUND,
                        **kwargs)
