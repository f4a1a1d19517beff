"""Compatibility: versions and staging labels.

PutSecretValue with and without VersionStages, the AWSCURRENT/AWSPREVIOUS
hand-over, custom labels (a label lives on at most one version),
UpdateSecretVersionStage and its errors, ListSecretVersionIds
(IncludeDeprecated, MaxResults, NextToken), GetSecretValue by VersionId /
VersionStage / both, ClientRequestToken idempotency, and version pruning
(100 most recent kept, plus everything younger than 24 hours, only unlabelled
versions removed) driven by `--test-clock-offset-seconds`.
"""

import pytest
from botocore.exceptions import ClientError

from compat_helpers import (DAY, all_versions, client, holders,
                            restart_with_offset, stages_by_version, start_server,
                            stop_server, token)
from harness import (MSG_NO_STAGE, MSG_NO_VERSION, MSG_NOT_FOUND,
                     MSG_STAGE_MISMATCH, expect_client_error, new_name)


def make_secret(sm, value="v1"):
    name = new_name("compat-ver")
    r = sm.create_secret(Name=name, SecretString=value)
    return name, r["VersionId"]


def put(sm, name, value, stages=None, tok=None):
    kw = {"SecretId": name, "SecretString": value}
    if stages is not None:
        kw["VersionStages"] = stages
    if tok is not None:
        kw["ClientRequestToken"] = tok
    return sm.put_secret_value(**kw)


def current_value(sm, name, **kw):
    return sm.get_secret_value(SecretId=name, **kw)["SecretString"]


# --------------------------------------------------------------------------
# PutSecretValue and labels
# --------------------------------------------------------------------------

def test_put_without_version_stages_moves_current_and_previous(sm):
    name, v1 = make_secret(sm)
    r = put(sm, name, "v2")
    v2 = r["VersionId"]
    assert r["VersionStages"] == ["AWSCURRENT"]
    assert stages_by_version(sm, name) == {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]}
    assert current_value(sm, name) == "v2"
    assert current_value(sm, name, VersionStage="AWSPREVIOUS") == "v1"


def test_third_put_leaves_oldest_version_without_labels(sm):
    name, v1 = make_secret(sm)
    v2 = put(sm, name, "v2")["VersionId"]
    v3 = put(sm, name, "v3")["VersionId"]
    assert stages_by_version(sm, name) == {v1: [], v2: ["AWSPREVIOUS"],
                                           v3: ["AWSCURRENT"]}


def test_put_with_pending_stage_leaves_current_alone(sm):
    name, v1 = make_secret(sm)
    r = put(sm, name, "pending", stages=["AWSPENDING"])
    assert r["VersionStages"] == ["AWSPENDING"]
    assert current_value(sm, name) == "v1"
    assert current_value(sm, name, VersionStage="AWSPENDING") == "pending"
    assert stages_by_version(sm, name) == {v1: ["AWSCURRENT"],
                                           r["VersionId"]: ["AWSPENDING"]}


def test_put_with_explicit_current_stage_moves_previous(sm):
    name, v1 = make_secret(sm)
    r = put(sm, name, "v2", stages=["AWSCURRENT", "mine"])
    assert sorted(r["VersionStages"]) == ["AWSCURRENT", "mine"]
    assert stages_by_version(sm, name) == {v1: ["AWSPREVIOUS"],
                                           r["VersionId"]: ["AWSCURRENT", "mine"]}


def test_first_version_always_gets_current(sm):
    """PutSecretValue on a secret without versions attaches AWSCURRENT even
    when VersionStages does not name it."""
    name = new_name("compat-ver")
    sm.create_secret(Name=name)
    r = put(sm, name, "first", stages=["custom"])
    assert current_value(sm, name) == "first"
    assert sorted(stages_by_version(sm, name)[r["VersionId"]]) == ["AWSCURRENT", "custom"]


def test_custom_label_moves_from_its_old_version(sm):
    name, v1 = make_secret(sm)
    a = put(sm, name, "a", stages=["blue"])["VersionId"]
    b = put(sm, name, "b", stages=["blue"])["VersionId"]
    st = stages_by_version(sm, name)
    assert st[a] == [] and st[b] == ["blue"] and st[v1] == ["AWSCURRENT"]
    assert current_value(sm, name, VersionStage="blue") == "b"


def test_moving_a_custom_label_leaves_previous_in_place(sm):
    name, v1 = make_secret(sm)
    v2 = put(sm, name, "v2")["VersionId"]
    put(sm, name, "c1", stages=["green"])
    put(sm, name, "c2", stages=["green"])
    assert holders(sm, name, "AWSPREVIOUS") == [v1]
    assert holders(sm, name, "AWSCURRENT") == [v2]


def test_each_label_on_at_most_one_version_after_many_changes(sm):
    name, _ = make_secret(sm)
    for i in range(6):
        put(sm, name, f"x{i}", stages=["AWSCURRENT", "L1"] if i % 2 else ["L2"])
    seen = {}
    for vid, st in stages_by_version(sm, name).items():
        for label in st:
            assert label not in seen, f"{label} on {seen.get(label)} and {vid}"
            seen[label] = vid
    assert {"AWSCURRENT", "AWSPREVIOUS", "L1", "L2"} <= set(seen)


def test_put_with_duplicate_stage_in_request_is_rejected(sm):
    name, _ = make_secret(sm)
    expect_client_error(put, "InvalidParameterException", sm, name, "v",
                        stages=["dup", "dup"])


def test_put_with_more_than_20_stages_is_validation_error(sm):
    name, _ = make_secret(sm)
    expect_client_error(put, "ValidationException", sm, name, "v",
                        stages=[f"s{i}" for i in range(21)])


def test_put_with_stage_longer_than_256_is_validation_error(sm):
    name, _ = make_secret(sm)
    expect_client_error(put, "ValidationException", sm, name, "v",
                        stages=["s" * 257])


def test_put_response_carries_arn_name_version_and_stages(sm):
    name, _ = make_secret(sm)
    arn = sm.describe_secret(SecretId=name)["ARN"]
    r = put(sm, name, "v2", stages=["AWSPENDING"])
    assert r["ARN"] == arn and r["Name"] == name
    assert r["VersionStages"] == ["AWSPENDING"]


def test_put_on_unknown_secret_is_not_found(sm):
    expect_client_error(put, "ResourceNotFoundException", sm,
                        new_name("compat-missing"), "v", message=MSG_NOT_FOUND)


# --------------------------------------------------------------------------
# ClientRequestToken idempotency
# --------------------------------------------------------------------------

def test_put_same_token_same_value_is_a_no_op_returning_same_version(sm):
    name, _ = make_secret(sm)
    t = token()
    r1 = put(sm, name, "same", tok=t)
    r2 = put(sm, name, "same", tok=t)
    assert r1["VersionId"] == r2["VersionId"] == t
    assert len(all_versions(sm, name)) == 2


def test_put_same_token_different_value_is_resource_exists(sm):
    name, _ = make_secret(sm)
    t = token()
    put(sm, name, "one", tok=t)
    expect_client_error(put, "ResourceExistsException", sm, name, "two", tok=t)
    assert sm.get_secret_value(SecretId=name, VersionId=t)["SecretString"] == "one"


def test_put_retry_with_same_token_does_not_move_labels_again(sm):
    """A retried PutSecretValue (same token, same value) after another
    version became current is a no-op: AWSCURRENT stays where it is."""
    name, _ = make_secret(sm)
    t = token()
    put(sm, name, "a", tok=t)
    later = put(sm, name, "b")["VersionId"]
    put(sm, name, "a", tok=t)
    assert holders(sm, name, "AWSCURRENT") == [later]
    assert holders(sm, name, "AWSPREVIOUS") == [t]


def test_create_same_token_same_value_is_a_no_op_returning_same_version(sm):
    name = new_name("compat-ver")
    t = token()
    r1 = sm.create_secret(Name=name, SecretString="s", ClientRequestToken=t)
    r2 = sm.create_secret(Name=name, SecretString="s", ClientRequestToken=t)
    assert r1["VersionId"] == r2["VersionId"] == t
    assert r1["ARN"] == r2["ARN"]
    assert len(all_versions(sm, name)) == 1


def test_create_same_token_different_value_fails(sm):
    name = new_name("compat-ver")
    t = token()
    sm.create_secret(Name=name, SecretString="s", ClientRequestToken=t)
    expect_client_error(sm.create_secret, "ResourceExistsException", Name=name,
                        SecretString="other", ClientRequestToken=t)
    assert current_value(sm, name) == "s"


def test_version_ids_are_per_secret(sm):
    """The same token may name a version of two different secrets."""
    t = token()
    a, _ = make_secret(sm)
    b, _ = make_secret(sm)
    put(sm, a, "in a", tok=t)
    put(sm, b, "in b", tok=t)
    assert sm.get_secret_value(SecretId=a, VersionId=t)["SecretString"] == "in a"
    assert sm.get_secret_value(SecretId=b, VersionId=t)["SecretString"] == "in b"


# --------------------------------------------------------------------------
# GetSecretValue by VersionId / VersionStage / both
# --------------------------------------------------------------------------

def test_get_by_version_id(sm):
    name, v1 = make_secret(sm, "first")
    put(sm, name, "second")
    r = sm.get_secret_value(SecretId=name, VersionId=v1)
    assert r["SecretString"] == "first" and r["VersionId"] == v1
    assert r["VersionStages"] == ["AWSPREVIOUS"]


def test_get_by_version_stage(sm):
    name, v1 = make_secret(sm, "first")
    r2 = put(sm, name, "second")
    r = sm.get_secret_value(SecretId=name, VersionStage="AWSCURRENT")
    assert r["VersionId"] == r2["VersionId"] and r["SecretString"] == "second"


def test_get_by_version_id_and_matching_stage(sm):
    name, v1 = make_secret(sm, "first")
    put(sm, name, "second")
    r = sm.get_secret_value(SecretId=name, VersionId=v1, VersionStage="AWSPREVIOUS")
    assert r["SecretString"] == "first"


def test_get_by_version_id_and_other_versions_stage_is_invalid_request(sm):
    name, v1 = make_secret(sm, "first")
    put(sm, name, "second")
    expect_client_error(sm.get_secret_value, "InvalidRequestException",
                        SecretId=name, VersionId=v1, VersionStage="AWSCURRENT",
                        message=MSG_STAGE_MISMATCH)


def test_get_deprecated_version_by_id_still_works(sm):
    name, v1 = make_secret(sm, "first")
    put(sm, name, "2")
    put(sm, name, "3")
    r = sm.get_secret_value(SecretId=name, VersionId=v1)
    assert r["SecretString"] == "first"
    assert r.get("VersionStages", []) == []


def test_get_unknown_stage_is_not_found_with_label_in_message(sm):
    name, _ = make_secret(sm)
    expect_client_error(sm.get_secret_value, "ResourceNotFoundException",
                        SecretId=name, VersionStage="NOPE",
                        message=MSG_NO_STAGE.format("NOPE"))


def test_get_unknown_version_id_is_not_found_with_id_in_message(sm):
    name, _ = make_secret(sm)
    vid = token()
    expect_client_error(sm.get_secret_value, "ResourceNotFoundException",
                        SecretId=name, VersionId=vid,
                        message=MSG_NO_VERSION.format(vid))


def test_get_without_versions_is_not_found_for_awscurrent(sm):
    name = new_name("compat-ver")
    sm.create_secret(Name=name)
    expect_client_error(sm.get_secret_value, "ResourceNotFoundException",
                        SecretId=name, message=MSG_NO_STAGE.format("AWSCURRENT"))


# --------------------------------------------------------------------------
# UpdateSecretVersionStage
# --------------------------------------------------------------------------

def uvs(sm, name, stage, move=None, remove=None):
    kw = {"SecretId": name, "VersionStage": stage}
    if move:
        kw["MoveToVersionId"] = move
    if remove:
        kw["RemoveFromVersionId"] = remove
    return sm.update_secret_version_stage(**kw)


def test_uvs_move_current_back_moves_previous_too(sm):
    name, v1 = make_secret(sm)
    v2 = put(sm, name, "v2")["VersionId"]
    r = uvs(sm, name, "AWSCURRENT", move=v1, remove=v2)
    assert r["Name"] == name
    assert r["ARN"] == sm.describe_secret(SecretId=name)["ARN"]
    assert stages_by_version(sm, name) == {v1: ["AWSCURRENT"], v2: ["AWSPREVIOUS"]}
    assert current_value(sm, name) == "v1"


def test_uvs_promote_pending_like_rotation_finish(sm):
    name, v1 = make_secret(sm)
    v2 = put(sm, name, "new", stages=["AWSPENDING"])["VersionId"]
    uvs(sm, name, "AWSCURRENT", move=v2, remove=v1)
    st = stages_by_version(sm, name)
    assert "AWSCURRENT" in st[v2] and "AWSPENDING" in st[v2]
    assert st[v1] == ["AWSPREVIOUS"]
    uvs(sm, name, "AWSPENDING", remove=v2)
    assert stages_by_version(sm, name)[v2] == ["AWSCURRENT"]


def test_uvs_add_new_custom_label_without_remove(sm):
    name, v1 = make_secret(sm)
    uvs(sm, name, "custom", move=v1)
    assert stages_by_version(sm, name)[v1] == ["AWSCURRENT", "custom"]
    assert current_value(sm, name, VersionStage="custom") == "v1"


def test_uvs_move_label_onto_version_that_has_it_is_a_no_op(sm):
    name, v1 = make_secret(sm)
    uvs(sm, name, "AWSCURRENT", move=v1)
    assert stages_by_version(sm, name) == {v1: ["AWSCURRENT"]}


def test_uvs_remove_custom_label_deprecates_version(sm):
    name, v1 = make_secret(sm)
    v2 = put(sm, name, "x", stages=["tmp"])["VersionId"]
    uvs(sm, name, "tmp", remove=v2)
    assert v2 not in [v["VersionId"] for v in
                      all_versions(sm, name, include_deprecated=False)]
    assert stages_by_version(sm, name)[v2] == []


def test_uvs_remove_custom_label_does_not_touch_previous(sm):
    name, v1 = make_secret(sm)
    v2 = put(sm, name, "v2")["VersionId"]
    uvs(sm, name, "extra", move=v2)
    uvs(sm, name, "extra", remove=v2)
    assert stages_by_version(sm, name) == {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]}


def test_uvs_move_attached_label_without_remove_is_invalid_parameter(sm):
    name, v1 = make_secret(sm)
    v2 = put(sm, name, "p", stages=["AWSPENDING"])["VersionId"]
    expect_client_error(uvs, "InvalidParameterException", sm, name,
                        "AWSCURRENT", move=v2)
    assert holders(sm, name, "AWSCURRENT") == [v1]


def test_uvs_remove_from_wrong_version_is_invalid_parameter(sm):
    name, v1 = make_secret(sm)
    v2 = put(sm, name, "p", stages=["AWSPENDING"])["VersionId"]
    expect_client_error(uvs, "InvalidParameterException", sm, name,
                        "AWSCURRENT", move=v2, remove=v2)
    assert holders(sm, name, "AWSCURRENT") == [v1]


def test_uvs_remove_label_not_on_that_version_is_invalid_parameter(sm):
    name, v1 = make_secret(sm)
    expect_client_error(uvs, "InvalidParameterException", sm, name,
                        "nothere", remove=v1)


def test_uvs_remove_current_without_move_is_invalid_parameter(sm):
    name, v1 = make_secret(sm)
    expect_client_error(uvs, "InvalidParameterException", sm, name,
                        "AWSCURRENT", remove=v1)
    assert holders(sm, name, "AWSCURRENT") == [v1]


def test_uvs_without_move_or_remove_is_rejected(sm):
    name, _ = make_secret(sm)
    expect_client_error(uvs, "InvalidParameterException", sm, name, "custom")


def test_uvs_move_to_unknown_version_is_rejected_and_changes_nothing(sm):
    name, v1 = make_secret(sm)
    with pytest.raises(ClientError) as ei:
        uvs(sm, name, "custom", move=token())
    # AWS: not documented which of the two; emulators use InvalidParameter.
    assert ei.value.response["Error"]["Code"] in (
        "ResourceNotFoundException", "InvalidParameterException")
    assert stages_by_version(sm, name) == {v1: ["AWSCURRENT"]}


def test_uvs_on_unknown_secret_is_not_found(sm):
    expect_client_error(uvs, "ResourceNotFoundException", sm,
                        new_name("compat-missing"), "AWSCURRENT", move=token(),
                        message=MSG_NOT_FOUND)


def test_uvs_missing_version_stage_is_validation_error(sm, server):
    name, v1 = make_secret(sm)
    sm2 = server.client(validate=False)
    expect_client_error(sm2.update_secret_version_stage, "ValidationException",
                        SecretId=name, MoveToVersionId=v1)


def test_uvs_version_id_shorter_than_32_is_validation_error(sm, server):
    name, _ = make_secret(sm)
    sm2 = server.client(validate=False)
    expect_client_error(sm2.update_secret_version_stage, "ValidationException",
                        SecretId=name, VersionStage="x", MoveToVersionId="short")


# --------------------------------------------------------------------------
# ListSecretVersionIds
# --------------------------------------------------------------------------

def test_list_versions_hides_deprecated_by_default(sm):
    name, v1 = make_secret(sm)
    v2 = put(sm, name, "2")["VersionId"]
    v3 = put(sm, name, "3")["VersionId"]
    r = sm.list_secret_version_ids(SecretId=name)
    assert {v["VersionId"] for v in r["Versions"]} == {v2, v3}
    r = sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)
    assert {v["VersionId"] for v in r["Versions"]} == {v1, v2, v3}


def test_list_versions_entries_and_response_shape(sm):
    name, v1 = make_secret(sm)
    arn = sm.describe_secret(SecretId=name)["ARN"]
    r = sm.list_secret_version_ids(SecretId=name)
    assert r["ARN"] == arn and r["Name"] == name
    (e,) = r["Versions"]
    assert e["VersionId"] == v1 and e["VersionStages"] == ["AWSCURRENT"]
    assert "CreatedDate" in e
    assert "NextToken" not in r


def test_list_versions_deprecated_entry_has_no_stages(sm):
    name, v1 = make_secret(sm)
    put(sm, name, "2")
    put(sm, name, "3")
    e = [v for v in sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)
         ["Versions"] if v["VersionId"] == v1][0]
    assert not e.get("VersionStages")


def test_list_versions_pages_with_max_results_and_next_token(sm):
    name, _ = make_secret(sm)
    ids = {sm.describe_secret(SecretId=name)["VersionIdsToStages"].popitem()[0]}
    for i in range(6):
        ids.add(put(sm, name, f"v{i}")["VersionId"])
    seen, kw = [], {"SecretId": name, "IncludeDeprecated": True, "MaxResults": 2}
    for _ in range(10):
        page = sm.list_secret_version_ids(**kw)
        assert len(page["Versions"]) <= 2
        seen += [v["VersionId"] for v in page["Versions"]]
        if "NextToken" not in page:
            break
        kw["NextToken"] = page["NextToken"]
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == ids


def test_list_versions_invalid_next_token_is_rejected(sm):
    name, _ = make_secret(sm)
    expect_client_error(sm.list_secret_version_ids, "InvalidNextTokenException",
                        SecretId=name, NextToken="garbage-token")


@pytest.mark.parametrize("n", [0, 101])
def test_list_versions_max_results_out_of_range_is_validation_error(sm, server, n):
    name, _ = make_secret(sm)
    sm2 = server.client(validate=False)
    expect_client_error(sm2.list_secret_version_ids, "ValidationException",
                        SecretId=name, MaxResults=n)


def test_list_versions_of_unknown_secret_is_not_found(sm):
    expect_client_error(sm.list_secret_version_ids, "ResourceNotFoundException",
                        SecretId=new_name("compat-missing"), message=MSG_NOT_FOUND)


# --------------------------------------------------------------------------
# UpdateSecret and versions
# --------------------------------------------------------------------------

def test_update_secret_with_value_creates_version_and_moves_labels(sm):
    name, v1 = make_secret(sm)
    r = sm.update_secret(SecretId=name, SecretString="u")
    assert r["VersionId"] != v1
    assert stages_by_version(sm, name) == {v1: ["AWSPREVIOUS"],
                                           r["VersionId"]: ["AWSCURRENT"]}


def test_update_secret_without_value_creates_no_version(sm):
    name, v1 = make_secret(sm)
    r = sm.update_secret(SecretId=name, Description="only metadata")
    assert "VersionId" not in r
    assert stages_by_version(sm, name) == {v1: ["AWSCURRENT"]}


def test_update_secret_with_token_of_existing_version_and_other_value_fails(sm):
    name, v1 = make_secret(sm, "orig")
    expect_client_error(sm.update_secret, "ResourceExistsException",
                        SecretId=name, SecretString="changed",
                        ClientRequestToken=v1)
    assert current_value(sm, name) == "orig"


def test_update_secret_with_token_of_existing_version_is_an_error(sm):
    """AWS's UpdateSecret documentation: "If you call this operation with a
    ClientRequestToken that matches an existing version's VersionId, the
    operation results in an error." (even with the same value)"""
    name, v1 = make_secret(sm, "orig")
    with pytest.raises(ClientError):
        sm.update_secret(SecretId=name, SecretString="orig", ClientRequestToken=v1)


# --------------------------------------------------------------------------
# version pruning (clock-shifted servers of their own)
# --------------------------------------------------------------------------

@pytest.fixture
def pruning_server(tmp_path):
    srv = start_server(tmp_path / "prune", "333344445555")
    yield srv
    stop_server(srv)


def fill_versions(sm, name, count):
    ids = []
    for i in range(count):
        ids.append(put(sm, name, f"value-{i}")["VersionId"])
    return ids


def test_versions_younger_than_24_hours_are_all_kept(pruning_server):
    sm = client(pruning_server)
    name, v0 = make_secret(sm)
    fill_versions(sm, name, 109)
    assert len(all_versions(sm, name)) == 110


def test_old_unlabelled_versions_beyond_100_are_pruned_labelled_ones_kept(pruning_server):
    sm = client(pruning_server)
    name, v0 = make_secret(sm)
    ids = [v0] + fill_versions(sm, name, 109)          # 110 versions
    # keep one old version alive with a custom label
    uvs(sm, name, "KEEP", move=ids[3])
    restart_with_offset(pruning_server, 2 * DAY)
    sm = client(pruning_server)
    newest = put(sm, name, "after two days")["VersionId"]   # prunes
    left = stages_by_version(sm, name)
    # 111 versions: the 100 most recent stay, the labelled old one stays,
    # the 10 oldest unlabelled ones go.
    assert newest in left and ids[-1] in left
    assert ids[3] in left and left[ids[3]] == ["KEEP"]
    gone = [v for v in ids[:11] if v != ids[3] and v not in left]
    assert len(gone) == 10, f"{len(left)} versions left"
    assert len(left) == 101
    expect_client_error(sm.get_secret_value, "ResourceNotFoundException",
                        SecretId=name, VersionId=ids[0])


def test_old_unlabelled_versions_pushed_beyond_100_by_young_ones_are_pruned(pruning_server):
    sm = client(pruning_server)
    name, v0 = make_secret(sm)
    old = [v0] + fill_versions(sm, name, 4)                 # 5 old versions
    restart_with_offset(pruning_server, 2 * DAY)
    sm = client(pruning_server)
    young = fill_versions(sm, name, 100)                    # 100 young ones
    left = stages_by_version(sm, name)
    # the 5 old versions are beyond the 100 most recent and older than a day:
    # the unlabelled ones go (AWSPREVIOUS/AWSCURRENT moved to the young ones)
    assert all(v in left for v in young)
    assert not any(v in left for v in old), [v for v in old if v in left]


# --------------------------------------------------------------------------
# more parameter rules and paging under change
# --------------------------------------------------------------------------

def test_put_with_empty_version_stages_is_validation_error(server, sm):
    name, _ = make_secret(sm)
    sm2 = server.client(validate=False)
    expect_client_error(sm2.put_secret_value, "ValidationException", SecretId=name,
                        SecretString="x", VersionStages=[])


def test_uvs_stage_longer_than_256_is_validation_error(sm):
    name, v1 = make_secret(sm)
    expect_client_error(uvs, "ValidationException", sm, name, "s" * 257, move=v1)


def test_uvs_changes_last_changed_date(sm):
    name, v1 = make_secret(sm)
    before = sm.describe_secret(SecretId=name)["LastChangedDate"]
    import time
    time.sleep(0.05)
    uvs(sm, name, "extra", move=v1)
    assert sm.describe_secret(SecretId=name)["LastChangedDate"] > before


def test_list_versions_next_token_survives_new_versions_between_pages(sm):
    """Versions added between two pages neither repeat nor hide the versions
    that existed when the listing started (as ListSecrets' tokens do)."""
    name, v1 = make_secret(sm)
    existing = {v1} | {put(sm, name, f"v{i}")["VersionId"] for i in range(5)}
    kw = {"SecretId": name, "IncludeDeprecated": True, "MaxResults": 2}
    seen = []
    for _ in range(20):
        page = sm.list_secret_version_ids(**kw)
        seen += [v["VersionId"] for v in page["Versions"]]
        if not page.get("NextToken"):
            break
        kw["NextToken"] = page["NextToken"]
        put(sm, name, "between pages")
    assert len(seen) == len(set(seen)), f"repeated: {[v for v in seen if seen.count(v) > 1]}"
    assert existing <= set(seen), f"never listed: {existing - set(seen)}"
