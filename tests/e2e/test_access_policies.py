"""Identity policies and secret resource policies enforced, end to end.

IAM users and role sessions made through the server's own IAM API ask
Secrets Manager for secrets; the policy engine decides with AWS's logic:
nothing without an Allow, an explicit Deny beats any Allow, conditions on
the secret's tags follow the tags, another account's user needs both the
secret's resource policy and its own identity policy, a role session gets
its role's policies (narrowed by a session policy).  The account's own
(administrator) key keeps every permission in its account.
"""

import json
import subprocess

import pytest

from harness import Creds, expect_client_error, parse_key_lines
from test_kms_support import kms_client
from test_iam_support import (iam_client, key_of, session_of, sm_client,
                              sts_client, trust, unique)

ACCOUNT = "123456789012"


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*", condition=None):
    s = {"Effect": "Allow", "Action": action, "Resource": resource}
    if condition:
        s["Condition"] = condition
    return s


def deny(action, resource="*"):
    return {"Effect": "Deny", "Action": action, "Resource": resource}


def user_with(iam, *statements, account=ACCOUNT):
    """A new user (with an inline policy of statements, if any): its ARN
    and key."""
    name = unique("user")
    arn = iam.create_user(UserName=name)["User"]["Arn"]
    if statements:
        iam.put_user_policy(UserName=name, PolicyName="p",
                            PolicyDocument=doc(*statements))
    return name, arn, key_of(iam.create_access_key(UserName=name)["AccessKey"])


def denied(user_arn, action, resource, why="no identity-based policy allows"):
    return (f"User: {user_arn} is not authorized to perform: {action} on "
            f"resource: {resource} because {why} the {action} action")


@pytest.fixture
def iam(server):
    return iam_client(server)


@pytest.fixture
def admin_sm(server):
    return sm_client(server)


def make_secret(sm, name, tags=None):
    return sm.create_secret(Name=name, SecretString=f"value of {name}",
                            **({"Tags": tags} if tags else {}))["ARN"]


def test_user_without_policies_is_denied_naming_user_action_and_resource(
        server, iam, admin_sm):
    name = unique("plain")
    make_secret(admin_sm, name)
    _, arn, key = user_with(iam)
    sm = sm_client(server, creds=key)
    expect_client_error(sm.get_secret_value, "AccessDeniedException",
                        SecretId=name, message=denied(
                            arn, "secretsmanager:GetSecretValue", name))
    e = expect_client_error(sm.list_secrets, "AccessDeniedException")
    assert "secretsmanager:ListSecrets" in str(e)


def test_reader_policy_allows_its_prefix_and_nothing_else(server, iam,
                                                          admin_sm):
    prefix = unique("prod")
    make_secret(admin_sm, f"{prefix}/app/x")
    make_secret(admin_sm, f"{prefix}/other")
    _, arn, key = user_with(iam, allow(
        "secretsmanager:GetSecretValue",
        f"arn:aws:secretsmanager:*:*:secret:{prefix}/app/*"))
    sm = sm_client(server, creds=key)
    got = sm.get_secret_value(SecretId=f"{prefix}/app/x")
    assert got["SecretString"] == f"value of {prefix}/app/x"
    expect_client_error(sm.get_secret_value, "AccessDeniedException",
                        SecretId=f"{prefix}/other", message=denied(
                            arn, "secretsmanager:GetSecretValue",
                            f"{prefix}/other"))
    expect_client_error(sm.describe_secret, "AccessDeniedException",
                        SecretId=f"{prefix}/app/x")


def test_auditor_lists_and_describes_but_cannot_read(server, iam, admin_sm):
    name = unique("audited")
    make_secret(admin_sm, name)
    _, arn, key = user_with(iam, allow(["secretsmanager:ListSecrets",
                                        "secretsmanager:DescribeSecret"]))
    sm = sm_client(server, creds=key)
    names = [s["Name"] for s in sm.list_secrets(
        Filters=[{"Key": "name", "Values": [name]}])["SecretList"]]
    assert name in names
    assert sm.describe_secret(SecretId=name)["Name"] == name
    expect_client_error(sm.get_secret_value, "AccessDeniedException",
                        SecretId=name, message=denied(
                            arn, "secretsmanager:GetSecretValue", name))


def test_resource_tag_condition_follows_the_secrets_tags(server, iam,
                                                         admin_sm):
    name = unique("tagged")
    make_secret(admin_sm, name, tags=[{"Key": "team", "Value": "payments"}])
    _, _, key = user_with(iam, allow(
        "secretsmanager:GetSecretValue", "*",
        {"StringEquals": {"secretsmanager:ResourceTag/team": "payments"}}))
    sm = sm_client(server, creds=key)
    assert sm.get_secret_value(SecretId=name)["SecretString"]
    admin_sm.tag_resource(SecretId=name,
                          Tags=[{"Key": "team", "Value": "search"}])
    expect_client_error(sm.get_secret_value, "AccessDeniedException",
                        SecretId=name)
    admin_sm.tag_resource(SecretId=name,
                          Tags=[{"Key": "team", "Value": "payments"}])
    assert sm.get_secret_value(SecretId=name)["SecretString"]


def test_explicit_deny_beats_allow(server, iam, admin_sm):
    name = unique("guarded")
    make_secret(admin_sm, name)
    _, arn, key = user_with(iam, allow("secretsmanager:*"),
                            deny("secretsmanager:GetSecretValue"))
    sm = sm_client(server, creds=key)
    assert sm.describe_secret(SecretId=name)["Name"] == name
    expect_client_error(sm.get_secret_value, "AccessDeniedException",
                        SecretId=name, message=(
                            f"User: {arn} is not authorized to perform: "
                            f"secretsmanager:GetSecretValue on resource: "
                            f"{name} with an explicit deny in an "
                            f"identity-based policy"))


def test_policy_change_takes_effect_on_the_next_request(server, iam,
                                                        admin_sm):
    name = unique("changing")
    make_secret(admin_sm, name)
    user, _, key = user_with(iam)
    sm = sm_client(server, creds=key)
    expect_client_error(sm.get_secret_value, "AccessDeniedException",
                        SecretId=name)
    iam.put_user_policy(UserName=user, PolicyName="now",
                        PolicyDocument=doc(allow(
                            "secretsmanager:GetSecretValue")))
    assert sm.get_secret_value(SecretId=name)["SecretString"]
    group = unique("deny-group")
    iam.create_group(GroupName=group)
    iam.put_group_policy(GroupName=group, PolicyName="no",
                         PolicyDocument=doc(deny("secretsmanager:*")))
    iam.add_user_to_group(GroupName=group, UserName=user)
    expect_client_error(sm.get_secret_value, "AccessDeniedException",
                        SecretId=name)
    iam.remove_user_from_group(GroupName=group, UserName=user)
    assert sm.get_secret_value(SecretId=name)["SecretString"]


def test_same_account_resource_policy_alone_allows_the_named_user(
        server, iam, admin_sm):
    name = unique("shared-in")
    make_secret(admin_sm, name)
    _, arn, key = user_with(iam)
    sm = sm_client(server, creds=key)
    expect_client_error(sm.get_secret_value, "AccessDeniedException",
                        SecretId=name)
    admin_sm.put_resource_policy(SecretId=name, ResourcePolicy=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": arn},
            "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}))
    assert sm.get_secret_value(SecretId=name)["SecretString"]


def test_assumed_role_session_is_limited_to_the_roles_policies(server, iam,
                                                                admin_sm):
    prefix = unique("prod")
    make_secret(admin_sm, f"{prefix}/app/x")
    make_secret(admin_sm, f"{prefix}/app/y")
    make_secret(admin_sm, f"{prefix}/other")
    _, user_arn, key = user_with(iam)
    role = unique("reader-role")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust(user_arn))
    iam.put_role_policy(RoleName=role, PolicyName="read", PolicyDocument=doc(
        allow("secretsmanager:GetSecretValue",
              f"arn:aws:secretsmanager:*:*:secret:{prefix}/app/*")))
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/{role}"
    sts = sts_client(server, creds=key)
    creds, token = session_of(sts.assume_role(
        RoleArn=role_arn, RoleSessionName="s1")["Credentials"])
    sm = sm_client(server, creds=creds, token=token)
    assert sm.get_secret_value(SecretId=f"{prefix}/app/x")["SecretString"]
    session_arn = f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/s1"
    expect_client_error(sm.get_secret_value, "AccessDeniedException",
                        SecretId=f"{prefix}/other", message=denied(
                            session_arn, "secretsmanager:GetSecretValue",
                            f"{prefix}/other"))
    expect_client_error(sm.list_secrets, "AccessDeniedException")
    # A session policy narrows the session further.
    creds, token = session_of(sts.assume_role(
        RoleArn=role_arn, RoleSessionName="s2", Policy=doc(allow(
            "secretsmanager:GetSecretValue",
            f"arn:aws:secretsmanager:*:*:secret:{prefix}/app/x-*")))
        ["Credentials"])
    narrow = sm_client(server, creds=creds, token=token)
    assert narrow.get_secret_value(SecretId=f"{prefix}/app/x")["SecretString"]
    expect_client_error(narrow.get_secret_value, "AccessDeniedException",
                        SecretId=f"{prefix}/app/y")


def test_administrator_key_keeps_every_permission_in_its_account(admin_sm):
    name = unique("admin")
    make_secret(admin_sm, name)
    assert admin_sm.get_secret_value(SecretId=name)["SecretString"]
    admin_sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)


def test_request_condition_keys_of_secrets_manager(server, iam, admin_sm):
    """Conditions on the request's own parameters, as AWS sets them:
    no deletion without recovery, only AWSCURRENT, and rotation only by
    the approved function."""
    prefix = unique("keys")
    name = f"{prefix}/db"
    make_secret(admin_sm, name)
    admin_sm.put_secret_value(SecretId=name, SecretString="second")
    _, _, key = user_with(
        iam,
        allow("secretsmanager:RestoreSecret"),
        allow("secretsmanager:DeleteSecret",
              condition={"Bool": {
                  "secretsmanager:ForceDeleteWithoutRecovery": "false"},
                  "NumericGreaterThanEquals": {
                      "secretsmanager:RecoveryWindowInDays": "14"}}),
        allow("secretsmanager:GetSecretValue", condition={
            "StringEquals": {"secretsmanager:VersionStage": "AWSCURRENT"}}),
        allow("secretsmanager:RotateSecret", condition={
            "StringEquals": {"secretsmanager:RotationLambdaARN":
                             "arn:aws:lambda:us-east-1:123456789012:function:approved"},
            "Bool": {"secretsmanager:ModifyRotationRules": "true"}}))
    sm = sm_client(server, creds=key)
    assert sm.get_secret_value(SecretId=name,
                               VersionStage="AWSCURRENT")["SecretString"]
    expect_client_error(sm.get_secret_value, "AccessDeniedException",
                        SecretId=name, VersionStage="AWSPREVIOUS")
    # Without VersionStage the key is absent: the condition does not match.
    expect_client_error(sm.get_secret_value, "AccessDeniedException",
                        SecretId=name)
    expect_client_error(sm.rotate_secret, "AccessDeniedException",
                        SecretId=name, RotationLambdaARN=
                        "arn:aws:lambda:us-east-1:123456789012:function:other",
                        RotationRules={"AutomaticallyAfterDays": 30})
    expect_client_error(sm.delete_secret, "AccessDeniedException",
                        SecretId=name, ForceDeleteWithoutRecovery=True)
    expect_client_error(sm.delete_secret, "AccessDeniedException",
                        SecretId=name, RecoveryWindowInDays=7)
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=14,
                     ForceDeleteWithoutRecovery=False)
    sm.restore_secret(SecretId=name)


def test_secret_primary_region_condition(server, iam, admin_sm):
    name = unique("primary")
    make_secret(admin_sm, name)
    _, _, key = user_with(iam, allow(
        "secretsmanager:DescribeSecret", condition={"StringEquals": {
            "secretsmanager:SecretPrimaryRegion": "eu-west-1"}}))
    expect_client_error(sm_client(server, creds=key).describe_secret,
                        "AccessDeniedException", SecretId=name)
    _, _, key = user_with(iam, allow(
        "secretsmanager:DescribeSecret", condition={"StringEquals": {
            "secretsmanager:SecretPrimaryRegion": "us-east-1"}}))
    assert sm_client(server, creds=key).describe_secret(SecretId=name)["Name"] \
        == name


def test_iam_actions_see_the_target_users_tags(server, iam):
    """A delegated user administrator limited to the users of its team:
    iam:ResourceTag (and aws:ResourceTag) carry the target user's tags."""
    team_user = unique("payments-user")
    iam.create_user(UserName=team_user,
                    Tags=[{"Key": "team", "Value": "payments"}])
    other_user = unique("other-user")
    iam.create_user(UserName=other_user)
    _, _, key = user_with(iam, allow(
        ["iam:GetUser", "iam:TagUser"], "*",
        condition={"StringEquals": {"iam:ResourceTag/team": "payments"}}))
    admin = iam_client(server, creds=key)
    assert admin.get_user(UserName=team_user)["User"]["UserName"] == team_user
    expect_client_error(admin.get_user, "AccessDenied", UserName=other_user)
    # Retagging moves the user out of reach at once.
    iam.tag_user(UserName=team_user, Tags=[{"Key": "team", "Value": "billing"}])
    expect_client_error(admin.get_user, "AccessDenied", UserName=team_user)

def test_partner_reads_a_shared_secret_only_when_both_sides_allow(
        init_data_dir, make_server):
    """Across accounts the secret's policy, the reader's own identity
    policies and the key policy of the secret's KMS key must all allow."""
    owner, partner_account = "100000000077", "200000000088"
    dd = init_data_dir(account_id=owner)
    srv = make_server(dd)
    r = dd.admin("create-account", "--account-id", partner_account)
    assert r.returncode == 0, r.stderr
    partner_admin = Creds(*parse_key_lines(r.stdout))
    owner_sm = sm_client(srv)
    owner_kms = kms_client(srv)
    arn = owner_sm.create_secret(Name="shared/db", SecretString="s3cret")["ARN"]

    partner_iam = iam_client(srv, creds=partner_admin)
    reader_name, reader_arn, reader_key = user_with(
        partner_iam, allow("secretsmanager:GetSecretValue",
                           f"arn:aws:secretsmanager:*:{owner}:secret:shared/*"))
    _, other_arn, other_key = user_with(partner_iam)
    reader = sm_client(srv, creds=reader_key)
    other = sm_client(srv, creds=other_key)

    # Its own identity policy allows, the secret's policy does not (yet).
    expect_client_error(reader.get_secret_value, "AccessDeniedException",
                        SecretId=arn, message=denied(
                            reader_arn, "secretsmanager:GetSecretValue", arn,
                            "no resource-based policy allows"))
    owner_sm.put_resource_policy(SecretId=arn, ResourcePolicy=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{partner_account}:root"},
            "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}))
    # Both allow, but the secret is under aws/secretsmanager, whose key
    # policy admits only its own account: as on AWS, no sharing.
    expect_client_error(reader.get_secret_value, "AccessDeniedException",
                        SecretId=arn, message="Access to KMS is not allowed")

    # The owner moves the secret to a key of its own whose policy lets
    # the partner account decrypt through Secrets Manager.
    key = owner_kms.create_key(Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Sid": "owner", "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{owner}:root"},
            "Action": "kms:*", "Resource": "*"}, {
            "Sid": "partner", "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{partner_account}:root"},
            "Action": "kms:Decrypt", "Resource": "*",
            "Condition": {"StringEquals": {
                "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}}}]}
    ))["KeyMetadata"]
    owner_sm.update_secret(SecretId=arn, KmsKeyId=key["Arn"],
                           SecretString="s3cret")
    # The key policy delegates to the partner account: the reader's own
    # policies must allow kms:Decrypt on the key too.
    expect_client_error(reader.get_secret_value, "AccessDeniedException",
                        SecretId=arn, message="Access to KMS is not allowed")
    partner_iam.put_user_policy(UserName=reader_name, PolicyName="p",
                                PolicyDocument=doc(
        allow("secretsmanager:GetSecretValue",
              f"arn:aws:secretsmanager:*:{owner}:secret:shared/*"),
        allow("kms:Decrypt", key["Arn"])))
    assert reader.get_secret_value(SecretId=arn)["SecretString"] == "s3cret"
    # Calling KMS directly is not through Secrets Manager: the key policy's
    # condition does not hold.
    blob = owner_kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")[
        "CiphertextBlob"]
    expect_client_error(kms_client(srv, creds=reader_key).decrypt,
                        "AccessDeniedException", CiphertextBlob=blob,
                        KeyId=key["Arn"])
    # The secret's policy allows the account, the user's own does not.
    expect_client_error(other.get_secret_value, "AccessDeniedException",
                        SecretId=arn, message=denied(
                            other_arn, "secretsmanager:GetSecretValue", arn))
    # The partner's administrator is its account's root: the resource
    # and key policies decide for it.
    partner_sm = sm_client(srv, creds=partner_admin)
    assert partner_sm.get_secret_value(SecretId=arn)["SecretString"] == "s3cret"
    expect_client_error(partner_sm.describe_secret, "AccessDeniedException",
                        SecretId=arn)
    # Withdrawing the key policy's grant closes the door again.
    owner_kms.put_key_policy(KeyId=key["KeyId"], PolicyName="default",
                             Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{owner}:root"},
            "Action": "kms:*", "Resource": "*"}]}))
    expect_client_error(reader.get_secret_value, "AccessDeniedException",
                        SecretId=arn, message="Access to KMS is not allowed")


def documented_block(marker):
    from harness import REPO
    doc = (REPO / "docs" / "access.md").read_text()
    after = doc.split(f"<!-- {marker}", 1)[1]
    return after.split("```sh\n", 1)[1].split("```", 1)[0]


def run_block(script, srv, tmp_path, creds_text):
    """Run a documented block with bash and the aws CLI against srv."""
    from harness import AWS_CLI
    creds = tmp_path / "credentials"
    creds.write_text(creds_text)
    script = script.replace("$PWD/sesame-data/credentials", str(creds))
    script = script.replace("http://127.0.0.1:8080", srv.endpoint)
    bindir = tmp_path / "bin"
    bindir.mkdir(exist_ok=True)
    if not (bindir / "aws").exists():
        (bindir / "aws").symlink_to(AWS_CLI)
    env = {"PATH": f"{bindir}:/usr/bin:/bin", "HOME": str(tmp_path),
           "LANG": "C.UTF-8", "AWS_SHARED_CREDENTIALS_FILE": str(creds),
           "AWS_CONFIG_FILE": "/dev/null", "AWS_PAGER": "",
           "AWS_EC2_METADATA_DISABLED": "true", "AWS_MAX_ATTEMPTS": "1"}
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], env=env,
                          capture_output=True, text=True, timeout=300)


def test_documented_first_steps_run_as_printed(init_data_dir, make_server,
                                               tmp_path):
    """docs/access.md's "Try it" block, run by bash with the aws CLI."""
    dd = init_data_dir(account_id="123456789012")
    srv = make_server(dd)
    out = run_block(documented_block("access-try.sh"), srv, tmp_path,
                    dd.credentials_file.read_text())
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert "s3cret" in lines, out.stdout
    assert "other" not in lines, out.stdout
    assert "denied, as it should be" in lines, out.stdout
    assert "AccessDeniedException" in out.stderr, out.stderr
    assert lines[-1] == \
        "arn:aws:sts::123456789012:assumed-role/deployer/ci-42", out.stdout


def test_documented_sharing_runs_as_printed(init_data_dir, make_server,
                                            tmp_path):
    """docs/access.md's sharing scenario, run by bash with the aws CLI."""
    script = documented_block("access-share.sh")
    dd = init_data_dir(account_id="123456789012")
    srv = make_server(dd)
    r = dd.admin("create-account", "--account-id", "444455556666")
    assert r.returncode == 0, r.stderr
    partner = Creds(*parse_key_lines(r.stdout))
    out = run_block(script, srv, tmp_path, dd.credentials_file.read_text() +
                    f"\n[partner]\naws_access_key_id = {partner.access_key}\n"
                    f"aws_secret_access_key = {partner.secret_key}\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "s3cret", out.stdout
