"""STS end to end: GetCallerIdentity, AssumeRole (trust policy, durations,
session tags and policies, role chaining, across accounts),
GetSessionToken, and temporary credentials: the session token is checked,
expired credentials are refused (the server's clock shifted with
--test-clock-offset-seconds; clients sign with the shifted time)."""

import datetime
import json

import pytest

from compat_helpers import restart_with_offset, start_server, stop_server
from harness import Creds, error_message, expect_client_error, parse_key_lines, utcnow
from test_iam_support import (STS_NS, allow, iam_client, key_of, query,
                              session_of, sm_client, status_of, sts_client,
                              trust, unique)

ACCOUNT = "123456789012"


@pytest.fixture
def iam(server):
    return iam_client(server)


@pytest.fixture
def sts(server):
    return sts_client(server)


def role_arn(name, account=ACCOUNT):
    return f"arn:aws:iam::{account}:role/{name}"


def make_role(iam, doc=None, **kw):
    name = unique("role")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc or trust(ACCOUNT),
                    **kw)
    return name


def make_user(iam):
    name = unique("user")
    iam.create_user(UserName=name)
    return name, key_of(iam.create_access_key(UserName=name)["AccessKey"])


def parse_time(t):
    if isinstance(t, datetime.datetime):
        return t.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- identity

def test_get_caller_identity_of_the_account_key(sts):
    me = sts.get_caller_identity()
    assert me["Account"] == ACCOUNT
    assert me["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/admin"
    assert me["UserId"].startswith("AIDA")


def test_get_caller_identity_answers_in_sts_xml(server):
    r = query(server, "sts", {"Action": "GetCallerIdentity",
                              "Version": "2011-06-15"})
    assert r.status == 200, r
    res = r.xml.find(f"{{{STS_NS}}}GetCallerIdentityResult")
    assert res.findtext(f"{{{STS_NS}}}Account") == ACCOUNT


# ---------------------------------------------------------------- AssumeRole

def test_assume_role_gives_working_temporary_credentials(server, iam, sts):
    name = make_role(iam)
    iam.put_role_policy(RoleName=name, PolicyName="all",
                        PolicyDocument=allow("secretsmanager:*"))
    role_id = iam.get_role(RoleName=name)["Role"]["RoleId"]
    before = utcnow()
    out = sts.assume_role(RoleArn=role_arn(name), RoleSessionName="app-1")
    c = out["Credentials"]
    assert c["AccessKeyId"].startswith("ASIA") and len(c["AccessKeyId"]) == 20
    assert len(c["SecretAccessKey"]) == 40 and len(c["SessionToken"]) > 40
    expires = parse_time(c["Expiration"])
    assert abs((expires - before).total_seconds() - 3600) < 60
    assert out["AssumedRoleUser"] == {
        "AssumedRoleId": f"{role_id}:app-1",
        "Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{name}/app-1"}
    creds, token = session_of(c)
    me = sts_client(server, creds=creds, token=token).get_caller_identity()
    assert me == {**me, "Account": ACCOUNT, "UserId": f"{role_id}:app-1",
                  "Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{name}/app-1"}
    sm = sm_client(server, creds=creds, token=token)
    sid = unique("sts-secret")
    sm.create_secret(Name=sid, SecretString="made by a role session")
    assert sm.get_secret_value(SecretId=sid)["SecretString"] == "made by a role session"
    sm.delete_secret(SecretId=sid, ForceDeleteWithoutRecovery=True)


def test_presigned_request_carries_its_session_token_in_the_query(server, iam,
                                                                  sts):
    """A presigned GetCallerIdentity URL (what Kubernetes' AWS authenticator
    sends as its token) of a role session: a GET whose query carries the
    action and SigV4, X-Amz-Security-Token included."""
    import urllib.error
    import urllib.request
    name = make_role(iam)
    c = sts.assume_role(RoleArn=role_arn(name), RoleSessionName="url-1")["Credentials"]
    creds, token = session_of(c)
    url = sts_client(server, creds=creds, token=token).generate_presigned_url(
        "get_caller_identity", ExpiresIn=60, HttpMethod="GET")
    assert "X-Amz-Security-Token=" in url
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            body = r.read().decode()
    except urllib.error.HTTPError as e:
        raise AssertionError(f"{e.code} {e.read().decode()}") from e
    assert f"arn:aws:sts::{ACCOUNT}:assumed-role/{name}/url-1" in body
    bad = url.replace("X-Amz-Security-Token=", "X-Amz-Security-Token=x", 1)
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(bad, timeout=10)
    assert e.value.code == 403


def test_presigned_iam_request_is_iam_whatever_its_other_pairs_say(server, iam):
    """The service of a presigned request is the one its credential scope
    names: a later pair holding "/sts/" does not make an IAM request STS.
    The canonical query is sorted, so moving a pair keeps the signature."""
    import urllib.parse
    import urllib.request
    url = iam.generate_presigned_url("list_users", Params={"PathPrefix": "/sts/"},
                                     ExpiresIn=60, HttpMethod="GET")
    base, query = url.split("?", 1)
    pairs = query.split("&")
    moved = [p for p in pairs if not p.startswith("PathPrefix=")]
    moved += [p for p in pairs if p.startswith("PathPrefix=")]
    assert moved[-1] == "PathPrefix=%2Fsts%2F"
    with urllib.request.urlopen(base + "?" + "&".join(moved), timeout=10) as r:
        body = r.read().decode()
    assert "<ListUsersResponse" in body and "<IsTruncated>false" in body


def test_temporary_credentials_need_their_own_session_token(server, iam, sts):
    name = make_role(iam)
    c = sts.assume_role(RoleArn=role_arn(name), RoleSessionName="s1")["Credentials"]
    creds, token = session_of(c)
    e = expect_client_error(sts_client(server, creds=creds).get_caller_identity,
                            "InvalidClientTokenId")
    assert status_of(e) == 403
    assert error_message(e) == "The security token included in the request is invalid."
    expect_client_error(sts_client(server, creds=creds, token=token[:-4] + "AAAA")
                        .get_caller_identity, "InvalidClientTokenId")
    expect_client_error(sm_client(server, creds=creds, token="nope").list_secrets,
                        "UnrecognizedClientException")
    # A long-term key refuses a session token.
    expect_client_error(sts_client(server, token=token).get_caller_identity,
                        "InvalidClientTokenId")


def test_trust_policy_refuses_a_principal_it_does_not_name(server, iam, sts):
    alice, alice_key = make_user(iam)
    bob, bob_key = make_user(iam)
    name = make_role(iam, trust(f"arn:aws:iam::{ACCOUNT}:user/{alice}"))
    out = sts_client(server, creds=alice_key).assume_role(
        RoleArn=role_arn(name), RoleSessionName="alice")
    assert out["AssumedRoleUser"]["Arn"].endswith(f"assumed-role/{name}/alice")
    e = expect_client_error(sts_client(server, creds=bob_key).assume_role,
                            "AccessDenied", RoleArn=role_arn(name),
                            RoleSessionName="bob")
    assert status_of(e) == 403
    assert error_message(e) == (f"User: arn:aws:iam::{ACCOUNT}:user/{bob} is not "
                                f"authorized to perform: sts:AssumeRole on resource: "
                                f"{role_arn(name)}")
    expect_client_error(sts.assume_role, "AccessDenied", RoleArn=role_arn(name),
                        RoleSessionName="admin")
    # Naming the account delegates to the account's principals: their own
    # identity policies must allow sts:AssumeRole on the role.
    iam.update_assume_role_policy(RoleName=name, PolicyDocument=trust(ACCOUNT))
    expect_client_error(sts_client(server, creds=bob_key).assume_role,
                        "AccessDenied", RoleArn=role_arn(name),
                        RoleSessionName="bob")
    iam.put_user_policy(UserName=bob, PolicyName="assume",
                        PolicyDocument=allow("sts:AssumeRole", role_arn(name)))
    sts_client(server, creds=bob_key).assume_role(RoleArn=role_arn(name),
                                                  RoleSessionName="bob")


def test_callers_own_policies_take_part_in_assume_role(server, iam):
    """A trust policy naming the user suffices within the account, but
    an explicit deny in the user's policies still wins, and a permissions
    boundary or a session policy of the caller bounds a delegation."""
    alice, alice_key = make_user(iam)
    alice_arn = f"arn:aws:iam::{ACCOUNT}:user/{alice}"
    named = make_role(iam, trust(alice_arn))
    delegated = make_role(iam, trust(ACCOUNT))
    alice_sts = sts_client(server, creds=alice_key)
    alice_sts.assume_role(RoleArn=role_arn(named), RoleSessionName="a1")
    expect_client_error(alice_sts.assume_role, "AccessDenied",
                        RoleArn=role_arn(delegated), RoleSessionName="a2")
    iam.put_user_policy(UserName=alice, PolicyName="assume",
                        PolicyDocument=allow("sts:AssumeRole"))
    alice_sts.assume_role(RoleArn=role_arn(delegated), RoleSessionName="a3")
    # A boundary that leaves sts:AssumeRole out bounds the delegation...
    boundary = iam.create_policy(
        PolicyName=unique("boundary"),
        PolicyDocument=allow("secretsmanager:*"))["Policy"]["Arn"]
    carol = unique("carol")
    iam.create_user(UserName=carol, PermissionsBoundary=boundary)
    iam.put_user_policy(UserName=carol, PolicyName="assume",
                        PolicyDocument=allow("sts:AssumeRole"))
    carol_key = key_of(iam.create_access_key(UserName=carol)["AccessKey"])
    expect_client_error(sts_client(server, creds=carol_key).assume_role,
                        "AccessDenied", RoleArn=role_arn(delegated),
                        RoleSessionName="c1")
    # ...and an explicit deny beats even a trust policy naming her.
    iam.put_user_policy(UserName=alice, PolicyName="deny", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Deny", "Action": "sts:AssumeRole",
            "Resource": role_arn(named)}]}))
    e = expect_client_error(alice_sts.assume_role, "AccessDenied",
                            RoleArn=role_arn(named), RoleSessionName="a6")
    assert error_message(e) == (f"User: {alice_arn} is not authorized to "
                                f"perform: sts:AssumeRole on resource: "
                                f"{role_arn(named)}")
    alice_sts.assume_role(RoleArn=role_arn(delegated), RoleSessionName="a7")


def test_trust_policy_of_a_service_refuses_users(iam, sts):
    name = make_role(iam, trust(service="lambda.amazonaws.com"))
    expect_client_error(sts.assume_role, "AccessDenied", RoleArn=role_arn(name),
                        RoleSessionName="s1")


def test_trust_policy_conditions_see_the_external_id(iam, sts):
    doc = trust(ACCOUNT, conditions={"StringEquals": {"sts:ExternalId": "xyz-123"}})
    name = make_role(iam, doc)
    expect_client_error(sts.assume_role, "AccessDenied", RoleArn=role_arn(name),
                        RoleSessionName="s1")
    expect_client_error(sts.assume_role, "AccessDenied", RoleArn=role_arn(name),
                        RoleSessionName="s1", ExternalId="wrong-1")
    sts.assume_role(RoleArn=role_arn(name), RoleSessionName="s1",
                    ExternalId="xyz-123")


def test_a_role_that_does_not_exist_is_access_denied(sts):
    arn = role_arn(unique("missing"))
    e = expect_client_error(sts.assume_role, "AccessDenied", RoleArn=arn,
                            RoleSessionName="s1")
    assert error_message(e).endswith(f"on resource: {arn}")


def test_assume_role_duration_bounds(server, iam, sts):
    name = make_role(iam)
    lax = sts_client(server, validate=False)
    for bad in (899, 43201):
        e = expect_client_error(lax.assume_role, "ValidationError",
                                RoleArn=role_arn(name), RoleSessionName="s1",
                                DurationSeconds=bad)
        assert "durationSeconds" in error_message(e)
    e = expect_client_error(sts.assume_role, "ValidationError",
                            RoleArn=role_arn(name), RoleSessionName="s1",
                            DurationSeconds=7200)
    assert error_message(e) == ("The requested DurationSeconds exceeds the "
                                "MaxSessionDuration set for this role.")
    c = sts.assume_role(RoleArn=role_arn(name), RoleSessionName="s1",
                        DurationSeconds=900)["Credentials"]
    assert abs((parse_time(c["Expiration"]) - utcnow()).total_seconds() - 900) < 60
    long = make_role(iam, MaxSessionDuration=43200)
    c = sts.assume_role(RoleArn=role_arn(long), RoleSessionName="s1",
                        DurationSeconds=43200)["Credentials"]
    assert abs((parse_time(c["Expiration"]) - utcnow()).total_seconds() - 43200) < 60


def test_session_tags_and_session_policy(server, iam, sts):
    name = make_role(iam, Tags=[{"Key": "team", "Value": "role-team"}])
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
         "Resource": "*"}]}
    out = sts.assume_role(RoleArn=role_arn(name), RoleSessionName="tagged",
                          Policy=json.dumps(policy),
                          Tags=[{"Key": "project", "Value": "p1"}],
                          TransitiveTagKeys=["project"], SourceIdentity="alice")
    assert 0 < out["PackedPolicySize"] <= 100
    assert out["SourceIdentity"] == "alice"
    creds, token = session_of(out["Credentials"])
    assert sts_client(server, creds=creds, token=token).get_caller_identity()[
        "Arn"].endswith("/tagged")
    expect_client_error(sts.assume_role, "MalformedPolicyDocument",
                        RoleArn=role_arn(name), RoleSessionName="s1",
                        Policy='{"Statement": "nope"}')
    expect_client_error(sts.assume_role, "ValidationError", RoleArn=role_arn(name),
                        RoleSessionName="s1",
                        Tags=[{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}])
    big = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
         "Resource": [f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:s{i:05d}"
                      for i in range(60)]}]}
    e = expect_client_error(sts.assume_role, "PackedPolicyTooLarge",
                            RoleArn=role_arn(name), RoleSessionName="s1",
                            Policy=json.dumps(big))
    assert "of allotted space" in error_message(e)
    pol = iam.create_policy(PolicyName=unique("session"),
                            PolicyDocument=allow())["Policy"]["Arn"]
    sts.assume_role(RoleArn=role_arn(name), RoleSessionName="arns",
                    PolicyArns=[{"arn": pol}])


def test_assume_role_by_the_roles_tags(server, iam):
    """A caller's policy may allow assuming only roles tagged for its team;
    retagging the role changes the answer at once."""
    dev, dev_key = make_user(iam)
    iam.put_user_policy(UserName=dev, PolicyName="team-roles",
                        PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*",
            "Condition": {"StringEquals": {
                "aws:ResourceTag/team": "payments"}}}]}))
    name = make_role(iam, Tags=[{"Key": "team", "Value": "payments"}])
    dev_sts = sts_client(server, creds=dev_key)
    dev_sts.assume_role(RoleArn=role_arn(name), RoleSessionName="d1")
    iam.tag_role(RoleName=name, Tags=[{"Key": "team", "Value": "billing"}])
    expect_client_error(dev_sts.assume_role, "AccessDenied",
                        RoleArn=role_arn(name), RoleSessionName="d2")
    iam.tag_role(RoleName=name, Tags=[{"Key": "team", "Value": "payments"}])
    dev_sts.assume_role(RoleArn=role_arn(name), RoleSessionName="d3")


def test_role_chaining_is_limited_to_one_hour(server, iam, sts):
    first = make_role(iam)
    second = make_role(iam)
    # The second role's trust policy delegates to the account: the first
    # role's own policies must let its sessions assume it.
    iam.put_role_policy(RoleName=first, PolicyName="chain",
                        PolicyDocument=allow("sts:AssumeRole"))
    creds, token = session_of(sts.assume_role(
        RoleArn=role_arn(first), RoleSessionName="one")["Credentials"])
    chained = sts_client(server, creds=creds, token=token)
    e = expect_client_error(chained.assume_role, "ValidationError",
                            RoleArn=role_arn(second), RoleSessionName="two",
                            DurationSeconds=3601)
    assert "role chaining" in error_message(e)
    out = chained.assume_role(RoleArn=role_arn(second), RoleSessionName="two")
    assert out["AssumedRoleUser"]["Arn"].endswith(f"assumed-role/{second}/two")
    # A trust policy may name the first role's sessions by the role.
    third = make_role(iam, trust(role_arn(first)))
    chained.assume_role(RoleArn=role_arn(third), RoleSessionName="three")
    expect_client_error(sts.assume_role, "AccessDenied", RoleArn=role_arn(third),
                        RoleSessionName="admin")


def test_sessions_of_a_deleted_role_stop_working(server, iam, sts):
    name = make_role(iam)
    creds, token = session_of(sts.assume_role(
        RoleArn=role_arn(name), RoleSessionName="s1")["Credentials"])
    session = sts_client(server, creds=creds, token=token)
    session.get_caller_identity()
    iam.delete_role(RoleName=name)
    make_role_again = iam.create_role(RoleName=name,
                                      AssumeRolePolicyDocument=trust(ACCOUNT))
    assert make_role_again["Role"]["RoleId"]
    expect_client_error(session.get_caller_identity, "InvalidClientTokenId")


# ---------------------------------------------------------------- GetSessionToken

def test_get_session_token_for_a_user(server, iam):
    name, key = make_user(iam)
    out = sts_client(server, creds=key).get_session_token(DurationSeconds=900)
    creds, token = session_of(out["Credentials"])
    assert creds.access_key.startswith("ASIA")
    session = sts_client(server, creds=creds, token=token)
    me = session.get_caller_identity()
    assert me["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/{name}"
    e = expect_client_error(session.get_session_token, "AccessDenied")
    assert error_message(e) == "Cannot call GetSessionToken with session credentials"
    lax = sts_client(server, creds=key, validate=False)
    expect_client_error(lax.get_session_token, "ValidationError",
                        DurationSeconds=129601)
    expect_client_error(sts_client(server, creds=key).get_session_token,
                        "AccessDenied", SerialNumber="arn:aws:iam::1:mfa/x",
                        TokenCode="123456")


# ---------------------------------------------------------------- expiry

def test_expired_session_credentials_are_refused(tmp_path):
    srv = start_server(tmp_path / "expiry", "300000000033")
    try:
        iam = iam_client(srv)
        iam.create_role(RoleName="short", AssumeRolePolicyDocument=trust("300000000033"))
        out = sts_client(srv).assume_role(
            RoleArn=role_arn("short", "300000000033"), RoleSessionName="s1",
            DurationSeconds=900)
        creds, token = session_of(out["Credentials"])
        sts_client(srv, creds=creds, token=token).get_caller_identity()
        user_creds, user_token = session_of(sts_client(srv).get_session_token(
            DurationSeconds=900)["Credentials"])

        restart_with_offset(srv, 1000)
        late = sts_client(srv, creds=creds, token=token, offset_seconds=1000)
        e = expect_client_error(late.get_caller_identity, "ExpiredToken")
        assert status_of(e) == 403
        assert error_message(e) == "The security token included in the request is expired"
        e = expect_client_error(sm_client(srv, creds=creds, token=token,
                                          offset_seconds=1000).list_secrets,
                                "ExpiredTokenException")
        assert error_message(e) == "The security token included in the request is expired"
        expect_client_error(sts_client(srv, creds=user_creds, token=user_token,
                                       offset_seconds=1000).get_caller_identity,
                            "ExpiredToken")
        # Long-term keys are not affected; new sessions work.
        now = sts_client(srv, offset_seconds=1000)
        assert now.get_caller_identity()["Account"] == "300000000033"
        fresh = now.assume_role(RoleArn=role_arn("short", "300000000033"),
                                RoleSessionName="again")["Credentials"]
        c2, t2 = session_of(fresh)
        sts_client(srv, creds=c2, token=t2, offset_seconds=1000).get_caller_identity()
    finally:
        stop_server(srv)


# ---------------------------------------------------------------- accounts

def test_cross_account_assume_role(init_data_dir, make_server):
    dd = init_data_dir(account_id="100000000044")
    srv = make_server(dd)
    r = dd.admin("create-account", "--account-id", "200000000055")
    assert r.returncode == 0, r.stderr
    partner = Creds(*parse_key_lines(r.stdout))
    iam_b = iam_client(srv, creds=partner)
    iam_b.create_role(RoleName="for-a", AssumeRolePolicyDocument=trust("100000000044"))
    iam_b.put_role_policy(RoleName="for-a", PolicyName="all",
                          PolicyDocument=allow("secretsmanager:*"))
    iam_b.create_role(RoleName="private",
                      AssumeRolePolicyDocument=trust("200000000055"))
    sts_a = sts_client(srv)
    out = sts_a.assume_role(RoleArn=role_arn("for-a", "200000000055"),
                            RoleSessionName="visitor")
    creds, token = session_of(out["Credentials"])
    me = sts_client(srv, creds=creds, token=token).get_caller_identity()
    assert me["Account"] == "200000000055"
    assert me["Arn"] == "arn:aws:sts::200000000055:assumed-role/for-a/visitor"
    # The session acts in the role's account.
    sm = sm_client(srv, creds=creds, token=token)
    arn = sm.create_secret(Name="from-a", SecretString="x")["ARN"]
    assert ":200000000055:" in arn
    expect_client_error(sts_a.assume_role, "AccessDenied",
                        RoleArn=role_arn("private", "200000000055"),
                        RoleSessionName="visitor")
    # Across accounts the visitor's own policies must allow it too.
    iam_a = iam_client(srv)
    iam_a.create_user(UserName="visitor")
    visitor_key = key_of(iam_a.create_access_key(UserName="visitor")["AccessKey"])
    visitor_sts = sts_client(srv, creds=visitor_key)
    expect_client_error(visitor_sts.assume_role, "AccessDenied",
                        RoleArn=role_arn("for-a", "200000000055"),
                        RoleSessionName="v1")
    iam_a.put_user_policy(UserName="visitor", PolicyName="assume",
                          PolicyDocument=allow("sts:AssumeRole",
                                               role_arn("for-a", "200000000055")))
    visitor_sts.assume_role(RoleArn=role_arn("for-a", "200000000055"),
                            RoleSessionName="v2")


# ---------------------------------------------------------------- the CLI

def test_aws_cli_sts(server, aws_cli, iam):
    name = make_role(iam)
    me = aws_cli("sts", "get-caller-identity").json
    assert me["Account"] == ACCOUNT
    out = aws_cli("sts", "assume-role", "--role-arn", role_arn(name),
                  "--role-session-name", "cli").json
    c = out["Credentials"]
    env = {"AWS_ACCESS_KEY_ID": c["AccessKeyId"],
           "AWS_SECRET_ACCESS_KEY": c["SecretAccessKey"],
           "AWS_SESSION_TOKEN": c["SessionToken"]}
    as_role = aws_cli("sts", "get-caller-identity", env=env).json
    assert as_role["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/{name}/cli"
