"""Compatibility: ListSecrets.

Filters (name, description, tag-key, tag-value, primary-region,
owning-service, all) with AWS's prefix and `!` negation semantics, values
ORed and filters ANDed; SortOrder and SortBy; IncludePlannedDeletion;
MaxResults 1-100; NextToken that stays correct while secrets are created
and deleted between pages; the shape of each entry.

One server for the module (account 555566667777); each test works under a
name prefix of its own so results are exact.
"""

import uuid

import pytest

from compat_helpers import (all_secrets, client, names, raw, raw_ok,
                            start_server, stop_server)
from harness import expect_client_error


@pytest.fixture(scope="module")
def lsrv(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("listing"), "555566667777")
    yield srv
    stop_server(srv)


@pytest.fixture
def ls(lsrv):
    return client(lsrv)


@pytest.fixture
def prefix():
    return f"ls{uuid.uuid4().hex[:10]}"


def only(prefix_):
    return {"Key": "name", "Values": [prefix_]}


def listed(sm, prefix_, *filters, **kw):
    return sorted(names(all_secrets(sm, Filters=[only(prefix_), *filters], **kw)))


def create(sm, name, **kw):
    return sm.create_secret(Name=name, SecretString="v", **kw)


# --------------------------------------------------------------------------
# filters
# --------------------------------------------------------------------------

def test_name_filter_is_a_case_sensitive_prefix_match(ls, prefix):
    for n in ("app/db", "app/web", "App/db", "other/app"):
        create(ls, f"{prefix}/{n}")
    assert listed(ls, f"{prefix}/app") == [f"{prefix}/app/db", f"{prefix}/app/web"]
    assert listed(ls, f"{prefix}/App") == [f"{prefix}/App/db"]
    assert listed(ls, f"{prefix}/pp") == []


def test_name_filter_negation(ls, prefix):
    for n in ("prod/a", "prod/b", "dev/a"):
        create(ls, f"{prefix}/{n}")
    got = listed(ls, prefix, {"Key": "name", "Values": [f"!{prefix}/prod"]})
    assert got == [f"{prefix}/dev/a"]


def test_description_filter_is_a_case_insensitive_prefix_match(ls, prefix):
    create(ls, f"{prefix}/a", Description="Database password for prod")
    create(ls, f"{prefix}/b", Description="database user")
    create(ls, f"{prefix}/c", Description="the database")
    create(ls, f"{prefix}/d")
    got = listed(ls, prefix, {"Key": "description", "Values": ["DATABASE"]})
    assert got == [f"{prefix}/a", f"{prefix}/b"]


def test_description_filter_negation_includes_secrets_without_description(ls, prefix):
    create(ls, f"{prefix}/a", Description="keep out")
    create(ls, f"{prefix}/b", Description="fine")
    create(ls, f"{prefix}/c")
    got = listed(ls, prefix, {"Key": "description", "Values": ["!keep"]})
    assert got == [f"{prefix}/b", f"{prefix}/c"]


def test_tag_key_filter_is_a_case_sensitive_prefix_match(ls, prefix):
    create(ls, f"{prefix}/a", Tags=[{"Key": "Environment", "Value": "prod"}])
    create(ls, f"{prefix}/b", Tags=[{"Key": "environment", "Value": "prod"}])
    create(ls, f"{prefix}/c", Tags=[{"Key": "team", "Value": "Environment"}])
    got = listed(ls, prefix, {"Key": "tag-key", "Values": ["Env"]})
    assert got == [f"{prefix}/a"]


def test_tag_value_filter_is_a_case_sensitive_prefix_match(ls, prefix):
    create(ls, f"{prefix}/a", Tags=[{"Key": "env", "Value": "production"}])
    create(ls, f"{prefix}/b", Tags=[{"Key": "env", "Value": "Production"}])
    create(ls, f"{prefix}/c", Tags=[{"Key": "production", "Value": "x"}])
    got = listed(ls, prefix, {"Key": "tag-value", "Values": ["prod"]})
    assert got == [f"{prefix}/a"]


def test_tag_key_negation(ls, prefix):
    create(ls, f"{prefix}/a", Tags=[{"Key": "secret-owner", "Value": "x"}])
    create(ls, f"{prefix}/b", Tags=[{"Key": "other", "Value": "x"}])
    create(ls, f"{prefix}/c")
    got = listed(ls, prefix, {"Key": "tag-key", "Values": ["!secret"]})
    assert got == [f"{prefix}/b", f"{prefix}/c"]


def test_values_of_one_filter_are_ored(ls, prefix):
    for n in ("a/1", "b/1", "c/1"):
        create(ls, f"{prefix}/{n}")
    got = sorted(names(all_secrets(ls, Filters=[
        {"Key": "name", "Values": [f"{prefix}/a", f"{prefix}/c"]}])))
    assert got == [f"{prefix}/a/1", f"{prefix}/c/1"]


def test_filters_are_anded(ls, prefix):
    create(ls, f"{prefix}/a", Description="alpha", Tags=[{"Key": "t", "Value": "1"}])
    create(ls, f"{prefix}/b", Description="alpha")
    create(ls, f"{prefix}/c", Tags=[{"Key": "t", "Value": "1"}])
    got = listed(ls, prefix, {"Key": "description", "Values": ["alpha"]},
                 {"Key": "tag-key", "Values": ["t"]})
    assert got == [f"{prefix}/a"]


def test_primary_region_filter_matches_the_region_of_the_secret(ls, prefix):
    create(ls, f"{prefix}/a")
    assert listed(ls, prefix, {"Key": "primary-region", "Values": ["us-east-1"]}) \
        == [f"{prefix}/a"]
    assert listed(ls, prefix, {"Key": "primary-region", "Values": ["eu-west-1"]}) == []
    assert listed(ls, prefix, {"Key": "primary-region", "Values": ["!eu-west-1"]}) \
        == [f"{prefix}/a"]


def test_owning_service_filter_matches_no_user_secret(ls, prefix):
    create(ls, f"{prefix}/a")
    assert listed(ls, prefix, {"Key": "owning-service", "Values": ["rds"]}) == []
    assert listed(ls, prefix, {"Key": "owning-service", "Values": ["!rds"]}) \
        == [f"{prefix}/a"]


def test_all_filter_matches_words_of_any_attribute_case_insensitively(ls, prefix):
    create(ls, f"{prefix}/payments-db")
    create(ls, f"{prefix}/x1", Description="Used by the Payments team")
    create(ls, f"{prefix}/x2", Tags=[{"Key": "PaymentsOwner", "Value": "z"}])
    create(ls, f"{prefix}/x3", Tags=[{"Key": "z", "Value": "payments"}])
    create(ls, f"{prefix}/x4", Description="unrelated")
    got = listed(ls, prefix, {"Key": "all", "Values": ["PAYMENTS"]})
    assert got == sorted([f"{prefix}/payments-db", f"{prefix}/x1", f"{prefix}/x2",
                          f"{prefix}/x3"])


def test_all_filter_negation(ls, prefix):
    create(ls, f"{prefix}/a", Description="legacy system")
    create(ls, f"{prefix}/b", Description="new system")
    got = listed(ls, prefix, {"Key": "all", "Values": ["!legacy"]})
    assert got == [f"{prefix}/b"]


def test_filter_with_unknown_key_is_validation_error(lsrv):
    sm = lsrv.client(validate=False)
    expect_client_error(sm.list_secrets, "ValidationException",
                        Filters=[{"Key": "colour", "Values": ["x"]}])


def test_filter_value_with_forbidden_character_is_validation_error(ls):
    expect_client_error(ls.list_secrets, "ValidationException",
                        Filters=[{"Key": "name", "Values": ["a*b"]}])


def test_filter_with_more_than_10_values_is_validation_error(lsrv):
    sm = lsrv.client(validate=False)
    expect_client_error(sm.list_secrets, "ValidationException",
                        Filters=[{"Key": "name", "Values": [f"v{i}" for i in range(11)]}])


def test_filter_with_no_values_is_validation_error(lsrv):
    sm = lsrv.client(validate=False)
    expect_client_error(sm.list_secrets, "ValidationException",
                        Filters=[{"Key": "name", "Values": []}])


def test_more_than_10_filters_is_validation_error(lsrv):
    sm = lsrv.client(validate=False)
    expect_client_error(sm.list_secrets, "ValidationException",
                        Filters=[{"Key": "name", "Values": ["a"]}] * 11)


# --------------------------------------------------------------------------
# order
# --------------------------------------------------------------------------

def test_default_and_asc_order_is_by_creation(ls, prefix):
    made = [f"{prefix}/{c}" for c in ("m", "b", "z", "a")]
    for n in made:
        create(ls, n)
    assert names(all_secrets(ls, Filters=[only(prefix)])) == made
    assert names(all_secrets(ls, Filters=[only(prefix)], SortOrder="asc")) == made


def test_desc_order_is_newest_first(ls, prefix):
    made = [f"{prefix}/{c}" for c in ("m", "b", "z", "a")]
    for n in made:
        create(ls, n)
    assert names(all_secrets(ls, Filters=[only(prefix)], SortOrder="desc")) == made[::-1]


def test_desc_order_pages_cover_everything_once(ls, prefix):
    made = [f"{prefix}/{i:02d}" for i in range(7)]
    for n in made:
        create(ls, n)
    got = names(all_secrets(ls, Filters=[only(prefix)], SortOrder="desc", MaxResults=2))
    assert got == made[::-1]


def test_invalid_sort_order_is_validation_error(lsrv):
    sm = lsrv.client(validate=False)
    expect_client_error(sm.list_secrets, "ValidationException", SortOrder="sideways")


def test_sort_by_name(lsrv, ls, prefix):
    made = [f"{prefix}/{c}" for c in ("m", "b", "z", "a")]
    for n in made:
        create(ls, n)
    r = raw_ok(lsrv, "ListSecrets", {"Filters": [only(prefix)], "SortBy": "name",
                                     "SortOrder": "asc"})
    assert names(r["SecretList"]) == sorted(made)


def test_sort_by_created_date_is_accepted(lsrv, ls, prefix):
    made = [f"{prefix}/{c}" for c in ("m", "b")]
    for n in made:
        create(ls, n)
    r = raw_ok(lsrv, "ListSecrets", {"Filters": [only(prefix)],
                                     "SortBy": "created-date"})
    assert names(r["SecretList"]) == made


def test_invalid_sort_by_is_validation_error(lsrv):
    r = raw(lsrv, "ListSecrets", {"SortBy": "colour"})
    assert r.status == 400 and r.error_type == "ValidationException", r


# --------------------------------------------------------------------------
# paging
# --------------------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 100])
def test_max_results_bounds_are_accepted(ls, prefix, n):
    for i in range(3):
        create(ls, f"{prefix}/{i}")
    page = ls.list_secrets(Filters=[only(prefix)], MaxResults=n)
    assert len(page["SecretList"]) <= n


@pytest.mark.parametrize("n", [0, 101])
def test_max_results_out_of_range_is_validation_error(lsrv, n):
    sm = lsrv.client(validate=False)
    expect_client_error(sm.list_secrets, "ValidationException", MaxResults=n)


def test_pages_respect_max_results_and_end_without_token(ls, prefix):
    made = [f"{prefix}/{i:02d}" for i in range(5)]
    for n in made:
        create(ls, n)
    seen, kw, pages = [], {"Filters": [only(prefix)], "MaxResults": 2}, 0
    while True:
        page = ls.list_secrets(**kw)
        pages += 1
        assert len(page["SecretList"]) <= 2
        seen += names(page["SecretList"])
        if not page.get("NextToken"):
            break
        kw["NextToken"] = page["NextToken"]
    assert seen == made
    assert pages >= 3


def test_invalid_next_token_is_invalid_next_token_exception(ls):
    expect_client_error(ls.list_secrets, "InvalidNextTokenException",
                        NextToken="not-a-token-we-gave")


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_next_token_stays_correct_while_secrets_come_and_go(ls, prefix, order):
    """Between pages: new secrets are created, and secrets already returned
    and not yet returned are deleted.  Every secret that existed from the
    first page to the last and was never deleted is returned exactly once;
    nothing is returned twice; a secret deleted before its page came is not
    returned."""
    made = [f"{prefix}/{i:02d}" for i in range(12)]
    for n in made:
        create(ls, n)
    kw = {"Filters": [only(prefix)], "MaxResults": 3, "SortOrder": order}
    seen, deleted_early, added = [], set(), []
    page_no = 0
    while True:
        page = ls.list_secrets(**kw)
        got = names(page["SecretList"])
        seen += got
        page_no += 1
        if not page.get("NextToken"):
            break
        kw["NextToken"] = page["NextToken"]
        # churn between pages
        new = f"{prefix}/new{page_no:02d}"
        create(ls, new)
        added.append(new)
        unseen = [n for n in made if n not in seen and n not in deleted_early]
        if unseen:
            victim = unseen[len(unseen) // 2]
            ls.delete_secret(SecretId=victim, ForceDeleteWithoutRecovery=True)
            deleted_early.add(victim)
        if got and got[-1] in made:
            # one already returned goes too (it must not come back)
            ls.delete_secret(SecretId=got[-1], RecoveryWindowInDays=7)
    assert len(seen) == len(set(seen)), f"duplicates: {seen}"
    survivors = [n for n in made if n not in deleted_early]
    missing = [n for n in survivors if n not in seen]
    assert not missing, f"never returned: {missing}"
    assert not (deleted_early & set(seen)), "deleted secrets were returned"
    assert set(seen) <= set(made) | set(added)


def test_next_token_survives_deletion_of_the_last_returned_secret(ls, prefix):
    made = [f"{prefix}/{i}" for i in range(4)]
    for n in made:
        create(ls, n)
    p1 = ls.list_secrets(Filters=[only(prefix)], MaxResults=2)
    assert names(p1["SecretList"]) == made[:2]
    ls.delete_secret(SecretId=made[1], ForceDeleteWithoutRecovery=True)
    p2 = ls.list_secrets(Filters=[only(prefix)], MaxResults=2,
                         NextToken=p1["NextToken"])
    assert names(p2["SecretList"]) == made[2:]


# --------------------------------------------------------------------------
# planned deletion and entry shape
# --------------------------------------------------------------------------

def test_include_planned_deletion(lsrv, ls, prefix):
    create(ls, f"{prefix}/live")
    create(ls, f"{prefix}/dying")
    ls.delete_secret(SecretId=f"{prefix}/dying", RecoveryWindowInDays=7)
    assert listed(ls, prefix) == [f"{prefix}/live"]
    r = raw_ok(lsrv, "ListSecrets", {"Filters": [only(prefix)],
                                     "IncludePlannedDeletion": True})
    got = {e["Name"]: e for e in r["SecretList"]}
    assert sorted(got) == [f"{prefix}/dying", f"{prefix}/live"]
    assert "DeletedDate" in got[f"{prefix}/dying"]
    assert "DeletedDate" not in got[f"{prefix}/live"]
    r = raw_ok(lsrv, "ListSecrets", {"Filters": [only(prefix)],
                                     "IncludePlannedDeletion": False})
    assert names(r["SecretList"]) == [f"{prefix}/live"]


def test_entry_carries_secret_metadata(ls, prefix):
    name = f"{prefix}/meta"
    create(ls, name, Description="d", Tags=[{"Key": "k", "Value": "v"}])
    vid = ls.list_secret_version_ids(SecretId=name)["Versions"][0]["VersionId"]
    (e,) = ls.list_secrets(Filters=[only(prefix)])["SecretList"]
    d = ls.describe_secret(SecretId=name)
    assert e["ARN"] == d["ARN"] and e["Name"] == name
    assert e["Description"] == "d"
    assert e["Tags"] == [{"Key": "k", "Value": "v"}]
    assert e["SecretVersionsToStages"] == {vid: ["AWSCURRENT"]}
    assert e["CreatedDate"] == d["CreatedDate"]
    assert e["LastChangedDate"] == d["LastChangedDate"]
    assert "VersionIdsToStages" not in e
    assert "SecretString" not in e and "SecretBinary" not in e


def test_listing_is_scoped_to_the_signing_region(lsrv, prefix):
    east, west = client(lsrv), client(lsrv, region="eu-west-1")
    create(east, f"{prefix}/east")
    create(west, f"{prefix}/west")
    assert listed(east, prefix) == [f"{prefix}/east"]
    assert listed(west, prefix) == [f"{prefix}/west"]
    assert listed(west, prefix, {"Key": "primary-region", "Values": ["eu-west-1"]}) \
        == [f"{prefix}/west"]


def test_empty_listing_has_empty_list(ls, prefix):
    r = ls.list_secrets(Filters=[only(prefix)])
    assert r["SecretList"] == [] and "NextToken" not in r
