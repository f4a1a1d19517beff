"""IAM over the AWS Query protocol, end to end with boto3 and the aws CLI.

Users, groups and membership, roles and trust policies, access keys
(create, list, deactivate, delete), inline and managed policies with their
versions and attachments, tags; the Query protocol's XML answers and
errors; accounts kept apart.  What the policies allow is tested in
test_access_policies.py and test_sts.py (docs/access.md).
"""

import json

import pytest
from botocore.exceptions import ClientError

from harness import error_code, error_message, expect_client_error, parse_key_lines, Creds
from test_iam_support import (IAM_NS, allow, iam_client, key_of, query,
                              sm_client, status_of, sts_client, trust, unique)

ACCOUNT = "123456789012"


@pytest.fixture
def iam(server):
    return iam_client(server)


def expect(fn, code, status, *args, message=None, **kwargs):
    e = expect_client_error(fn, code, *args, message=message, **kwargs)
    assert status_of(e) == status, (code, status_of(e))
    return e


# ---------------------------------------------------------------- users

def test_user_round_trips_create_get_list_delete(iam):
    name = unique("user")
    path = f"/{unique('p')}/"
    user = iam.create_user(UserName=name, Path=path,
                           Tags=[{"Key": "team", "Value": "blue"}])["User"]
    assert user["UserName"] == name and user["Path"] == path
    assert user["Arn"] == f"arn:aws:iam::{ACCOUNT}:user{path}{name}"
    assert user["UserId"].startswith("AIDA") and len(user["UserId"]) == 21
    assert user["Tags"] == [{"Key": "team", "Value": "blue"}]
    got = iam.get_user(UserName=name)["User"]
    assert got["UserId"] == user["UserId"] and got["Tags"] == user["Tags"]
    listed = iam.list_users(PathPrefix=path)
    assert [u["UserName"] for u in listed["Users"]] == [name]
    assert listed["IsTruncated"] is False
    iam.delete_user(UserName=name)
    e = expect(iam.get_user, "NoSuchEntity", 404, UserName=name)
    assert error_message(e) == f"The user with name {name} cannot be found."


def test_get_user_without_a_name_describes_the_caller(iam):
    me = iam.get_user()["User"]
    assert me["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/admin"
    assert me["UserName"] == "admin"


def test_user_names_are_unique_without_regard_to_case(iam):
    name = unique("Case")
    iam.create_user(UserName=name)
    e = expect(iam.create_user, "EntityAlreadyExists", 409,
               UserName=name.lower())
    assert error_message(e) == f"User with name {name.lower()} already exists."
    assert iam.get_user(UserName=name.upper())["User"]["UserName"] == name
    iam.delete_user(UserName=name)


def test_user_name_outside_the_pattern_is_a_validation_error(iam):
    e = expect(iam.create_user, "ValidationError", 400, UserName="bad name")
    assert "failed to satisfy constraint: Member must satisfy regular " \
        "expression pattern: [\\w+=,.@-]+" in error_message(e)
    assert "'userName'" in error_message(e)


def test_users_page_with_marker(iam):
    path = f"/{unique('page')}/"
    names = sorted(unique("pg") for _ in range(5))
    for n in names:
        iam.create_user(UserName=n, Path=path)
    seen, marker = [], None
    while True:
        kw = {"PathPrefix": path, "MaxItems": 2}
        if marker:
            kw["Marker"] = marker
        page = iam.list_users(**kw)
        seen += [u["UserName"] for u in page["Users"]]
        if not page["IsTruncated"]:
            break
        marker = page["Marker"]
    assert seen == names
    paginated = [u["UserName"] for p in iam.get_paginator("list_users").paginate(
        PathPrefix=path, PaginationConfig={"PageSize": 3}) for u in p["Users"]]
    assert paginated == names
    for n in names:
        iam.delete_user(UserName=n)


def test_user_tags_tag_untag_list(iam):
    name = unique("tagged")
    iam.create_user(UserName=name)
    iam.tag_user(UserName=name, Tags=[{"Key": "a", "Value": "1"},
                                      {"Key": "b", "Value": "2"}])
    iam.tag_user(UserName=name, Tags=[{"Key": "A", "Value": "3"}])
    tags = iam.list_user_tags(UserName=name)
    assert tags["Tags"] == [{"Key": "A", "Value": "3"}, {"Key": "b", "Value": "2"}]
    assert tags["IsTruncated"] is False
    iam.untag_user(UserName=name, TagKeys=["a", "missing"])
    assert iam.list_user_tags(UserName=name)["Tags"] == [{"Key": "b", "Value": "2"}]
    expect(iam.tag_user, "InvalidInput", 400, UserName=name,
           Tags=[{"Key": "x", "Value": "1"}, {"Key": "X", "Value": "2"}])
    expect(iam.tag_user, "LimitExceeded", 409, UserName=name,
           Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    expect(iam.list_user_tags, "NoSuchEntity", 404, UserName=unique("none"))
    iam.delete_user(UserName=name)


# ---------------------------------------------------------------- groups

def test_group_membership_round_trips(iam):
    group, user = unique("grp"), unique("member")
    g = iam.create_group(GroupName=group)["Group"]
    assert g["GroupId"].startswith("AGPA")
    assert g["Arn"] == f"arn:aws:iam::{ACCOUNT}:group/{group}"
    iam.create_user(UserName=user)
    iam.add_user_to_group(GroupName=group, UserName=user)
    iam.add_user_to_group(GroupName=group, UserName=user)   # no error twice
    got = iam.get_group(GroupName=group)
    assert got["Group"]["GroupName"] == group
    assert [u["UserName"] for u in got["Users"]] == [user]
    assert [x["GroupName"] for x in iam.list_groups_for_user(UserName=user)["Groups"]] == [group]
    assert group in [x["GroupName"] for x in iam.list_groups()["Groups"]]
    e = expect(iam.delete_group, "DeleteConflict", 409, GroupName=group)
    assert error_message(e) == "Cannot delete entity, must remove users from group first."
    e = expect(iam.delete_user, "DeleteConflict", 409, UserName=user)
    assert error_message(e) == \
        "Cannot delete entity, must remove user from all groups first."
    iam.remove_user_from_group(GroupName=group, UserName=user)
    expect(iam.remove_user_from_group, "NoSuchEntity", 404, GroupName=group,
           UserName=user)
    assert iam.get_group(GroupName=group)["Users"] == []
    iam.delete_group(GroupName=group)
    iam.delete_user(UserName=user)
    expect(iam.get_group, "NoSuchEntity", 404, GroupName=group)
    expect(iam.add_user_to_group, "NoSuchEntity", 404, GroupName=group,
           UserName=user)


# ---------------------------------------------------------------- roles

def test_role_round_trips_with_trust_policy_and_tags(iam):
    name = unique("role")
    doc = trust(f"arn:aws:iam::{ACCOUNT}:root")
    role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc,
                           Description="reads things", MaxSessionDuration=7200,
                           Tags=[{"Key": "env", "Value": "prod"}])["Role"]
    assert role["RoleId"].startswith("AROA")
    assert role["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/{name}"
    assert role["AssumeRolePolicyDocument"] == json.loads(doc)
    assert role["MaxSessionDuration"] == 7200
    got = iam.get_role(RoleName=name)["Role"]
    assert got["Description"] == "reads things"
    assert got["Tags"] == [{"Key": "env", "Value": "prod"}]
    other = trust(f"arn:aws:iam::{ACCOUNT}:user/someone")
    iam.update_assume_role_policy(RoleName=name, PolicyDocument=other)
    assert iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"] == \
        json.loads(other)
    assert name in [r["RoleName"] for r in iam.list_roles()["Roles"]]
    iam.tag_role(RoleName=name, Tags=[{"Key": "owner", "Value": "me"}])
    iam.untag_role(RoleName=name, TagKeys=["env"])
    assert iam.list_role_tags(RoleName=name)["Tags"] == [
        {"Key": "owner", "Value": "me"}]
    iam.delete_role(RoleName=name)
    e = expect(iam.get_role, "NoSuchEntity", 404, RoleName=name)
    assert error_message(e) == f"The role with name {name} cannot be found."


def test_malformed_trust_policy_is_refused(iam):
    bad = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole"}]})
    expect(iam.create_role, "MalformedPolicyDocument", 400,
           RoleName=unique("r"), AssumeRolePolicyDocument=bad)
    expect(iam.create_role, "MalformedPolicyDocument", 400,
           RoleName=unique("r"), AssumeRolePolicyDocument="{not json")
    name = unique("r")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust(ACCOUNT))
    expect(iam.update_assume_role_policy, "MalformedPolicyDocument", 400,
           RoleName=name, PolicyDocument=allow())
    iam.delete_role(RoleName=name)


def test_role_with_policies_cannot_be_deleted(iam):
    name = unique("r")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust(ACCOUNT))
    iam.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=allow())
    e = expect(iam.delete_role, "DeleteConflict", 409, RoleName=name)
    assert error_message(e) == "Cannot delete entity, must delete policies first."
    iam.delete_role_policy(RoleName=name, PolicyName="p")
    iam.delete_role(RoleName=name)


# ---------------------------------------------------------------- access keys

def test_access_keys_create_list_deactivate_delete(server, iam):
    name = unique("keyed")
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="self",
                        PolicyDocument=allow("iam:*"))
    k1 = iam.create_access_key(UserName=name)["AccessKey"]
    assert k1["AccessKeyId"].startswith("AKIA") and k1["Status"] == "Active"
    assert len(k1["SecretAccessKey"]) == 40 and k1["UserName"] == name
    k2 = iam.create_access_key(UserName=name)["AccessKey"]
    e = expect(iam.create_access_key, "LimitExceeded", 409, UserName=name)
    assert error_message(e) == "Cannot exceed quota for AccessKeysPerUser: 2"
    listed = iam.list_access_keys(UserName=name)["AccessKeyMetadata"]
    assert {k["AccessKeyId"] for k in listed} == {k1["AccessKeyId"], k2["AccessKeyId"]}
    assert all("SecretAccessKey" not in k for k in listed)

    # The key works, and it is the user.
    as_user = sts_client(server, creds=key_of(k1))
    me = as_user.get_caller_identity()
    assert me["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/{name}"
    assert me["UserId"] == iam.get_user(UserName=name)["User"]["UserId"]
    assert iam_client(server, creds=key_of(k1)).get_user()["User"]["UserName"] == name

    # Deactivated: refused at once, by every service.
    iam.update_access_key(UserName=name, AccessKeyId=k1["AccessKeyId"],
                          Status="Inactive")
    statuses = {k["AccessKeyId"]: k["Status"] for k in
                iam.list_access_keys(UserName=name)["AccessKeyMetadata"]}
    assert statuses[k1["AccessKeyId"]] == "Inactive"
    e = expect(as_user.get_caller_identity, "InvalidClientTokenId", 403)
    assert error_message(e) == "The security token included in the request is invalid."
    expect_client_error(sm_client(server, creds=key_of(k1)).list_secrets,
                        "UnrecognizedClientException")
    iam.update_access_key(UserName=name, AccessKeyId=k1["AccessKeyId"],
                          Status="Active")
    assert as_user.get_caller_identity()["Arn"].endswith(f"user/{name}")

    # A key of someone else is not found under this user.
    other = unique("other")
    iam.create_user(UserName=other)
    e = expect(iam.delete_access_key, "NoSuchEntity", 404, UserName=other,
               AccessKeyId=k1["AccessKeyId"])
    assert error_message(e) == \
        f"The Access Key with id {k1['AccessKeyId']} cannot be found."
    e = expect(iam.delete_user, "DeleteConflict", 409, UserName=name)
    assert error_message(e) == "Cannot delete entity, must delete access keys first."
    iam.delete_access_key(UserName=name, AccessKeyId=k1["AccessKeyId"])
    iam.delete_access_key(UserName=name, AccessKeyId=k2["AccessKeyId"])
    expect_client_error(as_user.get_caller_identity, "InvalidClientTokenId")
    iam.delete_user_policy(UserName=name, PolicyName="self")
    iam.delete_user(UserName=name)
    iam.delete_user(UserName=other)


def test_user_manages_its_own_keys_without_user_name(server, iam):
    name = unique("self")
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="self",
                        PolicyDocument=allow("iam:*"))
    k1 = iam.create_access_key(UserName=name)["AccessKey"]
    mine = iam_client(server, creds=key_of(k1))
    k2 = mine.create_access_key()["AccessKey"]
    assert k2["UserName"] == name
    assert {k["AccessKeyId"] for k in mine.list_access_keys()["AccessKeyMetadata"]} \
        == {k1["AccessKeyId"], k2["AccessKeyId"]}
    mine.update_access_key(AccessKeyId=k2["AccessKeyId"], Status="Inactive")
    mine.delete_access_key(AccessKeyId=k2["AccessKeyId"])
    iam.delete_access_key(UserName=name, AccessKeyId=k1["AccessKeyId"])
    iam.delete_user_policy(UserName=name, PolicyName="self")
    iam.delete_user(UserName=name)


# ---------------------------------------------------------------- inline policies

@pytest.mark.parametrize("kind", ["user", "group", "role"])
def test_inline_policies_put_get_list_delete(iam, kind):
    name = unique(kind)
    create = {"user": lambda: iam.create_user(UserName=name),
              "group": lambda: iam.create_group(GroupName=name),
              "role": lambda: iam.create_role(
                  RoleName=name, AssumeRolePolicyDocument=trust(ACCOUNT))}
    member = {"user": "UserName", "group": "GroupName", "role": "RoleName"}[kind]
    put = getattr(iam, f"put_{kind}_policy")
    get = getattr(iam, f"get_{kind}_policy")
    lst = getattr(iam, f"list_{kind}_policies")
    delete = getattr(iam, f"delete_{kind}_policy")
    create[kind]()
    doc = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
        "Resource": f"arn:aws:secretsmanager:*:{ACCOUNT}:secret:prod/*"}]}
    put(**{member: name}, PolicyName="read", PolicyDocument=json.dumps(doc))
    put(**{member: name}, PolicyName="all", PolicyDocument=allow())
    got = get(**{member: name}, PolicyName="read")
    assert got[member] == name and got["PolicyName"] == "read"
    assert got["PolicyDocument"] == doc
    assert lst(**{member: name})["PolicyNames"] == ["all", "read"]
    page = lst(**{member: name}, MaxItems=1)
    assert page["PolicyNames"] == ["all"] and page["IsTruncated"] is True
    assert lst(**{member: name}, Marker=page["Marker"])["PolicyNames"] == ["read"]
    delete(**{member: name}, PolicyName="read")
    e = expect(get, "NoSuchEntity", 404, **{member: name}, PolicyName="read")
    assert error_message(e) == f"The {kind} policy with name read cannot be found."
    expect(delete, "NoSuchEntity", 404, **{member: name}, PolicyName="read")
    expect(put, "MalformedPolicyDocument", 400, **{member: name},
           PolicyName="bad", PolicyDocument='{"Statement": []}')
    expect(put, "NoSuchEntity", 404, **{member: unique("none")},
           PolicyName="p", PolicyDocument=allow())
    delete(**{member: name}, PolicyName="all")
    getattr(iam, f"delete_{kind}")(**{member: name})


def test_inline_policies_of_a_user_are_limited_in_size(iam):
    name = unique("big")
    iam.create_user(UserName=name)
    resources = [f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:s{i:04d}"
                 for i in range(40)]
    big = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
        "Resource": resources}]})
    e = expect(iam.put_user_policy, "LimitExceeded", 409, UserName=name,
               PolicyName="big", PolicyDocument=big)
    assert error_message(e) == \
        f"Maximum policy size of 2048 bytes exceeded for user {name}"
    iam.delete_user(UserName=name)


# ---------------------------------------------------------------- managed policies

def test_managed_policy_versions_round_trip(iam):
    name = unique("pol")
    v1 = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "secretsmanager:ListSecrets", "Resource": "*"}]}
    v2 = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "secretsmanager:Describe*", "Resource": "*"}]}
    pol = iam.create_policy(PolicyName=name, Path="/team/", Description="d",
                            PolicyDocument=json.dumps(v1),
                            Tags=[{"Key": "k", "Value": "v"}])["Policy"]
    arn = pol["Arn"]
    assert arn == f"arn:aws:iam::{ACCOUNT}:policy/team/{name}"
    assert pol["DefaultVersionId"] == "v1" and pol["AttachmentCount"] == 0
    assert pol["PolicyId"].startswith("ANPA") and pol["IsAttachable"] is True
    got = iam.get_policy(PolicyArn=arn)["Policy"]
    assert got["Description"] == "d" and got["Tags"] == [{"Key": "k", "Value": "v"}]
    e = expect(iam.create_policy, "EntityAlreadyExists", 409, PolicyName=name,
               PolicyDocument=json.dumps(v1))
    assert error_message(e) == \
        f"A policy called {name} already exists. Duplicate names are not allowed."

    ver = iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(v2),
                                    SetAsDefault=True)["PolicyVersion"]
    assert ver["VersionId"] == "v2" and ver["IsDefaultVersion"] is True
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v2"
    got = iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]
    assert got["Document"] == v1 and got["IsDefaultVersion"] is False
    versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert [(v["VersionId"], v["IsDefaultVersion"]) for v in versions] == \
        [("v2", True), ("v1", False)]
    iam.set_default_policy_version(PolicyArn=arn, VersionId="v1")
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v1"
    e = expect(iam.delete_policy_version, "DeleteConflict", 409, PolicyArn=arn,
               VersionId="v1")
    assert error_message(e) == "Cannot delete the default version of a policy."
    expect(iam.delete_policy, "DeleteConflict", 409, PolicyArn=arn)
    iam.delete_policy_version(PolicyArn=arn, VersionId="v2")
    e = expect(iam.get_policy_version, "NoSuchEntity", 404, PolicyArn=arn,
               VersionId="v2")
    assert "version v2 does not exist" in error_message(e)
    for _ in range(4):
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(v2))
    e = expect(iam.create_policy_version, "LimitExceeded", 409, PolicyArn=arn,
               PolicyDocument=json.dumps(v2))
    assert "up to 5 versions" in error_message(e)
    assert [v["VersionId"] for v in iam.list_policy_versions(PolicyArn=arn)["Versions"]] \
        == ["v6", "v5", "v4", "v3", "v1"]
    for v in ("v3", "v4", "v5", "v6"):
        iam.delete_policy_version(PolicyArn=arn, VersionId=v)
    iam.delete_policy(PolicyArn=arn)
    e = expect(iam.get_policy, "NoSuchEntity", 404, PolicyArn=arn)
    assert error_message(e) == f"Policy {arn} was not found."


def test_managed_policy_attachments(iam):
    pname, user, group, role = (unique(p) for p in ("pol", "u", "g", "r"))
    arn = iam.create_policy(PolicyName=pname, PolicyDocument=allow())["Policy"]["Arn"]
    iam.create_user(UserName=user)
    iam.create_group(GroupName=group)
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust(ACCOUNT))
    iam.attach_user_policy(UserName=user, PolicyArn=arn)
    iam.attach_user_policy(UserName=user, PolicyArn=arn)   # twice: no error
    iam.attach_group_policy(GroupName=group, PolicyArn=arn)
    iam.attach_role_policy(RoleName=role, PolicyArn=arn)
    want = [{"PolicyName": pname, "PolicyArn": arn}]
    assert iam.list_attached_user_policies(UserName=user)["AttachedPolicies"] == want
    assert iam.list_attached_group_policies(GroupName=group)["AttachedPolicies"] == want
    assert iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"] == want
    assert iam.list_attached_role_policies(RoleName=role, PathPrefix="/other/")[
        "AttachedPolicies"] == []
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 3
    attached = iam.list_policies(Scope="Local", OnlyAttached=True)["Policies"]
    assert arn in [p["Arn"] for p in attached]
    assert iam.list_policies(Scope="AWS")["Policies"] == []
    e = expect(iam.delete_policy, "DeleteConflict", 409, PolicyArn=arn)
    assert error_message(e) == "Cannot delete a policy attached to entities."
    e = expect(iam.delete_user, "DeleteConflict", 409, UserName=user)
    assert error_message(e) == "Cannot delete entity, must detach all policies first."
    missing = f"arn:aws:iam::{ACCOUNT}:policy/{unique('none')}"
    e = expect(iam.attach_user_policy, "NoSuchEntity", 404, UserName=user,
               PolicyArn=missing)
    assert error_message(e) == f"Policy {missing} does not exist or is not attachable."
    expect(iam.attach_user_policy, "InvalidInput", 400, UserName=user,
           PolicyArn="arn:aws:s3:::not-a-policy")
    iam.detach_user_policy(UserName=user, PolicyArn=arn)
    expect(iam.detach_user_policy, "NoSuchEntity", 404, UserName=user, PolicyArn=arn)
    iam.detach_group_policy(GroupName=group, PolicyArn=arn)
    iam.detach_role_policy(RoleName=role, PolicyArn=arn)
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 0
    iam.delete_policy(PolicyArn=arn)
    iam.delete_user(UserName=user)
    iam.delete_group(GroupName=group)
    iam.delete_role(RoleName=role)


def test_user_with_a_permissions_boundary(iam):
    pname, user = unique("boundary"), unique("bounded")
    arn = iam.create_policy(PolicyName=pname, PolicyDocument=allow())["Policy"]["Arn"]
    u = iam.create_user(UserName=user, PermissionsBoundary=arn)["User"]
    assert u["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
        "PermissionsBoundaryArn": arn}
    assert iam.get_policy(PolicyArn=arn)["Policy"]["PermissionsBoundaryUsageCount"] == 1
    expect(iam.delete_policy, "DeleteConflict", 409, PolicyArn=arn)
    expect(iam.create_user, "NoSuchEntity", 404, UserName=unique("u"),
           PermissionsBoundary=f"arn:aws:iam::{ACCOUNT}:policy/{unique('none')}")
    iam.delete_user(UserName=user)
    iam.delete_policy(PolicyArn=arn)


# ---------------------------------------------------------------- the wire

def test_answers_are_query_xml(server):
    name = unique("xml")
    r = query(server, "iam", {"Action": "CreateRole", "Version": "2010-05-08",
                              "RoleName": name, "Description": "a & b <c>",
                              "AssumeRolePolicyDocument": trust(ACCOUNT),
                              "Tags.member.1.Key": "k", "Tags.member.1.Value": "v"})
    assert r.status == 200, r
    assert r.headers["content-type"].startswith("text/xml")
    root = r.xml
    assert root.tag == f"{{{IAM_NS}}}CreateRoleResponse"
    role = root.find(f"{{{IAM_NS}}}CreateRoleResult/{{{IAM_NS}}}Role")
    assert role.findtext(f"{{{IAM_NS}}}RoleName") == name
    assert role.findtext(f"{{{IAM_NS}}}Description") == "a & b <c>"
    # Documents are URL-encoded, as IAM sends them.
    assert role.findtext(f"{{{IAM_NS}}}AssumeRolePolicyDocument").startswith("%7B")
    tag = role.find(f"{{{IAM_NS}}}Tags/{{{IAM_NS}}}member")
    assert (tag.findtext(f"{{{IAM_NS}}}Key"), tag.findtext(f"{{{IAM_NS}}}Value")) == \
        ("k", "v")
    rid = root.findtext(f"{{{IAM_NS}}}ResponseMetadata/{{{IAM_NS}}}RequestId")
    assert rid and r.headers["x-amzn-requestid"] == rid

    r = query(server, "iam", {"Action": "DeleteRole", "Version": "2010-05-08",
                              "RoleName": name})
    assert r.status == 200 and b"DeleteRoleResult" not in r.body, r
    r = query(server, "iam", {"Action": "GetRole", "Version": "2010-05-08",
                              "RoleName": name})
    assert r.status == 404
    assert r.xml.tag == f"{{{IAM_NS}}}ErrorResponse"
    assert r.error()[:3] == ("Sender", "NoSuchEntity",
                             f"The role with name {name} cannot be found.")
    r = query(server, "iam", {"Action": "CreateUser", "Version": "2010-05-08",
                              "UserName": name, "Tags.member.1.Key": "k",
                              "Tags.member.1.Value": "<v>"})
    assert r.status == 400 and r.error()[1] == "ValidationError"
    assert b"'&lt;v&gt;'" in r.body


def test_unknown_action_and_version_are_invalid_action(server):
    r = query(server, "iam", {"Action": "Frobnicate", "Version": "2010-05-08"})
    assert r.status == 400
    assert r.error()[1:3] == ("InvalidAction",
                              "Could not find operation Frobnicate for version 2010-05-08")
    r = query(server, "iam", {"Action": "ListUsers", "Version": "2099-01-01"})
    assert r.error()[1] == "InvalidAction"


def test_missing_required_parameter_is_validation_error(server):
    r = query(server, "iam", {"Action": "CreateUser", "Version": "2010-05-08"})
    assert r.status == 400
    assert r.error()[1:3] == ("ValidationError",
                              "1 validation error detected: Value null at 'userName' "
                              "failed to satisfy constraint: Member must not be null")


@pytest.mark.parametrize("body", [
    b"Action=ListUsers&Version=2010-05-08&MaxItems=%zz",
    b"Action=ListUsers&Version=2010-05-08&MaxItems=%0",
    b"Action=ListUsers&Version=2010-05-08&Marker=a%00b",
    b"Action=ListUsers&Version=2010-05-08&Marker=%ff%fe",
    b"Action=ListUsers&Version=2010-05-08&Action=ListUsers",
    b"Action=ListUsers&Version=2010-05-08&Tags=1&Tags.member.1=x",
    b"Action=ListUsers&Version=2010-05-08&Tags.member.01=x",
    b"Action=ListUsers&Version=2010-05-08&Tags.member.1001=x",
    b"Action=ListUsers&Version=2010-05-08&A.b.c.d.e.f.g.h.i=x",
    b"Action=ListUsers&Version=2010-05-08&=x",
])
def test_malformed_form_bodies_are_refused(server, body):
    r = query(server, "iam", body=body)
    assert r.status == 400, r
    assert r.error()[1] == "MalformedQueryString"


def test_non_numbers_for_numbers_are_validation_errors(server):
    r = query(server, "iam", {"Action": "ListUsers", "Version": "2010-05-08",
                              "MaxItems": "ten"})
    assert r.status == 400 and r.error()[1] == "ValidationError", r


def test_bad_signature_and_unknown_key_in_query_shape(server):
    bad = Creds(server.credentials().access_key, "x" * 40)
    r = query(server, "iam", {"Action": "ListUsers", "Version": "2010-05-08"},
              creds=bad)
    assert r.status == 403 and r.error()[1] == "SignatureDoesNotMatch", r
    r = query(server, "iam", {"Action": "ListUsers", "Version": "2010-05-08"},
              creds=Creds("AKIAUNKNOWNUNKNOWN00", "x" * 40))
    assert r.status == 403 and r.error()[1] == "InvalidClientTokenId", r
    r = query(server, "iam", {"Action": "ListUsers", "Version": "2010-05-08"},
              sign=False)
    assert r.status == 403 and r.error()[1] == "MissingAuthenticationToken", r


def test_aws_cli_iam_round_trip(server, aws_cli):
    name = unique("cli")
    out = aws_cli("iam", "create-user", "--user-name", name).json
    assert out["User"]["UserName"] == name
    assert aws_cli("iam", "get-user", "--user-name", name).json["User"]["Arn"] == \
        f"arn:aws:iam::{ACCOUNT}:user/{name}"
    aws_cli("iam", "put-user-policy", "--user-name", name, "--policy-name", "p",
            "--policy-document", allow("secretsmanager:*"))
    got = aws_cli("iam", "get-user-policy", "--user-name", name,
                  "--policy-name", "p").json
    assert got["PolicyDocument"]["Statement"][0]["Action"] == "secretsmanager:*"
    key = aws_cli("iam", "create-access-key", "--user-name", name).json["AccessKey"]
    aws_cli("iam", "update-access-key", "--user-name", name, "--access-key-id",
            key["AccessKeyId"], "--status", "Inactive")
    meta = aws_cli("iam", "list-access-keys", "--user-name", name).json
    assert meta["AccessKeyMetadata"][0]["Status"] == "Inactive"
    aws_cli("iam", "delete-access-key", "--user-name", name, "--access-key-id",
            key["AccessKeyId"])
    aws_cli("iam", "delete-user-policy", "--user-name", name, "--policy-name", "p")
    aws_cli("iam", "delete-user", "--user-name", name)
    r = aws_cli("iam", "get-user", "--user-name", name, check=False)
    assert r.returncode != 0 and "NoSuchEntity" in r.stderr


# ---------------------------------------------------------------- accounts

def test_accounts_keep_their_identities_apart(init_data_dir, make_server):
    dd = init_data_dir(account_id="100000000011")
    srv = make_server(dd)
    r = dd.admin("create-account", "--account-id", "200000000022")
    assert r.returncode == 0, r.stderr
    first = iam_client(srv)
    second = iam_client(srv, creds=Creds(*parse_key_lines(r.stdout)))
    first.create_user(UserName="same")
    u2 = second.create_user(UserName="same")["User"]
    assert u2["Arn"] == "arn:aws:iam::200000000022:user/same"
    pol = first.create_policy(PolicyName="p", PolicyDocument=allow())["Policy"]["Arn"]
    expect_client_error(second.attach_user_policy, "NoSuchEntity",
                        UserName="same", PolicyArn=pol)
    with pytest.raises(ClientError) as ei:
        second.get_policy(PolicyArn=pol)
    assert error_code(ei.value) == "AccessDenied"
    second.delete_user(UserName="same")
    assert [u["UserName"] for u in first.list_users()["Users"]] == ["same"]
    assert second.list_users()["Users"] == []
