"""The credentials a rotation function gets: temporary (a session key and
its token), and scoped to the secret it rotates.  A function that reaches
for another secret, for IAM, or for a role is refused with
AccessDeniedException, while the rotation of its own secret succeeds; for
alternating users it may read the master secret its secret names."""

import json
import uuid

import pytest

from harness import new_name, new_token
from rotation_helpers import (client, function_arn, rotation_keys, rotation_server,
                              stages, stop, wait_outcome)
from test_iam_support import iam_client, trust
from test_kms_support import kms_client

PROBE_FUNCTION = '''\
#!/usr/bin/python3
"""A rotation function that, besides rotating a token secret, tries what
its credentials should not allow and writes down what it was told."""
import json
import os
import sys

import boto3
from botocore.exceptions import ClientError

PROBES = {probes!r}
OTHER = {other!r}
MASTER = {master!r}
ROLE = {role!r}


def probe(results, name, call, **kwargs):
    try:
        call(**kwargs)
        results[name] = "allowed"
    except ClientError as e:
        results[name] = [e.response["Error"]["Code"], e.response["Error"]["Message"]]


def main():
    event = json.load(sys.stdin)
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    endpoint, region = os.environ["AWS_ENDPOINT_URL"], os.environ["AWS_REGION"]
    sm = boto3.client("secretsmanager", endpoint_url=endpoint, region_name=region)
    if step == "createSecret":
        iam = boto3.client("iam", endpoint_url=endpoint, region_name=region)
        sts = boto3.client("sts", endpoint_url=endpoint, region_name=region)
        results = {{"key": os.environ["AWS_ACCESS_KEY_ID"],
                    "has_token": bool(os.environ.get("AWS_SESSION_TOKEN"))}}
        probe(results, "get_other", sm.get_secret_value, SecretId=OTHER)
        probe(results, "describe_other", sm.describe_secret, SecretId=OTHER)
        probe(results, "put_other", sm.put_secret_value, SecretId=OTHER,
              SecretString="overwritten by a rotation function")
        probe(results, "list", sm.list_secrets)
        probe(results, "create", sm.create_secret, Name="made-by-a-rotation-function",
              SecretString="x")
        probe(results, "delete_own", sm.delete_secret, SecretId=arn)
        probe(results, "policy_own", sm.put_resource_policy, SecretId=arn,
              ResourcePolicy=json.dumps({{"Version": "2012-10-17", "Statement": []}}))
        probe(results, "get_own", sm.get_secret_value, SecretId=arn)
        probe(results, "describe_own", sm.describe_secret, SecretId=arn)
        probe(results, "random", sm.get_random_password)
        if MASTER:
            probe(results, "get_master", sm.get_secret_value, SecretId=MASTER)
            probe(results, "put_master", sm.put_secret_value, SecretId=MASTER,
                  SecretString="overwritten by a rotation function")
        probe(results, "iam_create_user", iam.create_user, UserName="from-rotation")
        probe(results, "iam_create_key", iam.create_access_key)
        kms = boto3.client("kms", endpoint_url=endpoint, region_name=region)
        probe(results, "kms_create_key", kms.create_key)
        probe(results, "caller", sts.get_caller_identity)
        probe(results, "session_token", sts.get_session_token)
        if ROLE:
            probe(results, "assume_role", sts.assume_role, RoleArn=ROLE,
                  RoleSessionName="escape")
        with open(PROBES, "w") as f:
            json.dump(results, f)
        try:
            sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
            return
        except sm.exceptions.ResourceNotFoundException:
            pass
        new = sm.get_random_password(PasswordLength=24,
                                     ExcludePunctuation=True)["RandomPassword"]
        value = json.loads(sm.get_secret_value(SecretId=arn)["SecretString"])
        value["password"] = new
        sm.put_secret_value(SecretId=arn, ClientRequestToken=token,
                            SecretString=json.dumps(value), VersionStages=["AWSPENDING"])
    elif step == "finishSecret":
        versions = sm.list_secret_version_ids(SecretId=arn)["Versions"]
        current = [v["VersionId"] for v in versions if "AWSCURRENT" in v["VersionStages"]][0]
        if current != token:
            sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT",
                                           MoveToVersionId=token,
                                           RemoveFromVersionId=current)


main()
'''


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = rotation_server(tmp_path_factory.mktemp("rotation-credentials"))
    yield s
    stop(s)


def register_probe(srv, tmp_path, other, master="", role=""):
    probes = tmp_path / "probes.json"
    path = tmp_path / "probe.py"
    path.write_text(PROBE_FUNCTION.format(probes=str(probes), other=other,
                                          master=master, role=role))
    path.chmod(0o755)
    arn = function_arn(f"probe-{uuid.uuid4().hex[:8]}")
    r = srv.data_dir.admin("function", "register", "--arn", arn, "--command", str(path))
    assert r.returncode == 0, r.stderr
    return arn, probes


def denied(result, action, code="AccessDeniedException"):
    assert result != "allowed", action
    assert result[0] == code, result
    message = result[1]
    assert action in message, result
    assert "sesame-rotation" in message, result


def test_function_cannot_reach_beyond_its_secret(srv, tmp_path):
    sm = client(srv)
    iam = iam_client(srv)
    other_name = new_name("other")
    other = sm.create_secret(Name=other_name, SecretString="not for the function")
    # A role the account trusts: the function must not become it.
    role = f"escape-{uuid.uuid4().hex[:8]}"
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust(
        srv.account_id))["Role"]["Arn"]
    # A resource policy that grants the account's root user: the function's
    # session must not inherit it.
    sm.put_resource_policy(SecretId=other_name, ResourcePolicy=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
            "Principal": {"AWS": f"arn:aws:iam::{srv.account_id}:root"},
            "Resource": "*"}]}))
    fn_arn, probes = register_probe(srv, tmp_path, other["ARN"], role=role_arn)

    name = new_name("scoped")
    first = sm.create_secret(Name=name, SecretString=json.dumps(
        {"username": "app", "password": "first"}))["VersionId"]
    token = new_token()
    sm.rotate_secret(SecretId=name, ClientRequestToken=token, RotationLambdaARN=fn_arn)
    d = wait_outcome(srv, name)
    assert d["SesameRotationStatus"] == "Succeeded", d
    assert stages(sm, name) == {token: ["AWSCURRENT"], first: ["AWSPREVIOUS"]}

    seen = json.loads(probes.read_text())
    assert seen["key"].startswith("ASIA") and seen["has_token"]
    denied(seen["get_other"], "secretsmanager:GetSecretValue")
    denied(seen["describe_other"], "secretsmanager:DescribeSecret")
    denied(seen["put_other"], "secretsmanager:PutSecretValue")
    denied(seen["list"], "secretsmanager:ListSecrets")
    denied(seen["create"], "secretsmanager:CreateSecret")
    denied(seen["delete_own"], "secretsmanager:DeleteSecret")
    denied(seen["policy_own"], "secretsmanager:PutResourcePolicy")
    denied(seen["iam_create_user"], "iam:CreateUser", code="AccessDenied")
    denied(seen["iam_create_key"], "iam:CreateAccessKey", code="AccessDenied")
    denied(seen["kms_create_key"], "kms:CreateKey")
    assert seen["get_own"] == "allowed"
    assert seen["describe_own"] == "allowed"
    assert seen["random"] == "allowed"
    assert seen["caller"] == "allowed"
    assert seen["session_token"] != "allowed"
    assert seen["assume_role"] != "allowed"
    assert seen["assume_role"][0] == "AccessDenied", seen["assume_role"]
    # Nothing of it happened.
    assert sm.get_secret_value(SecretId=other_name)["SecretString"] == \
        "not for the function"
    assert "RotationEnabled" in sm.describe_secret(SecretId=name)
    # The session went with the attempt.
    assert seen["key"] not in rotation_keys(srv)



def test_function_rotates_a_secret_under_a_customer_managed_key(srv, tmp_path):
    """The key's default policy delegates to the account, and the
    function's session policy allows the key's use through Secrets Manager
    only: the rotation reads and writes the secret; calling KMS directly
    with the same credentials is still refused."""
    sm = client(srv)
    key = kms_client(srv).create_key()["KeyMetadata"]["Arn"]
    other = sm.create_secret(Name=new_name("cmk-other"), SecretString="x")
    fn_arn, probes = register_probe(srv, tmp_path, other["ARN"])
    name = new_name("cmk")
    first = sm.create_secret(Name=name, KmsKeyId=key, SecretString=json.dumps(
        {"username": "app", "password": "first"}))["VersionId"]
    token = new_token()
    sm.rotate_secret(SecretId=name, ClientRequestToken=token, RotationLambdaARN=fn_arn)
    d = wait_outcome(srv, name)
    assert d["SesameRotationStatus"] == "Succeeded", d
    assert stages(sm, name) == {token: ["AWSCURRENT"], first: ["AWSPREVIOUS"]}
    seen = json.loads(probes.read_text())
    assert seen["get_own"] == "allowed"
    denied(seen["get_other"], "secretsmanager:GetSecretValue")
    denied(seen["kms_create_key"], "kms:CreateKey")

def test_alternating_users_function_may_read_its_master_secret(srv, tmp_path):
    sm = client(srv)
    master_name = new_name("master")
    master = sm.create_secret(Name=master_name, SecretString=json.dumps(
        {"username": "root", "password": "master-password"}))
    other = sm.create_secret(Name=new_name("other"), SecretString="x")
    # masterarn as a partial ARN (no random suffix), as people write it.
    partial = master["ARN"].rsplit("-", 1)[0]
    fn_arn, probes = register_probe(srv, tmp_path, other["ARN"], master=partial)
    name = new_name("alternating")
    sm.create_secret(Name=name, SecretString=json.dumps(
        {"username": "app", "password": "first", "masterarn": partial}))
    sm.rotate_secret(SecretId=name, ClientRequestToken=new_token(),
                     RotationLambdaARN=fn_arn)
    d = wait_outcome(srv, name)
    assert d["SesameRotationStatus"] == "Succeeded", d
    seen = json.loads(probes.read_text())
    assert seen["get_master"] == "allowed"
    denied(seen["put_master"], "secretsmanager:PutSecretValue")
    denied(seen["get_other"], "secretsmanager:GetSecretValue")
    assert json.loads(sm.get_secret_value(SecretId=master_name)["SecretString"])[
        "password"] == "master-password"
    # The master is the one RotateSecret saw: a value naming another secret
    # later does not move it (only a new RotateSecret does).
    status = srv.data_dir.admin("rotation-status", "--secret-id", name)
    assert status.returncode == 0, status.stderr
    assert f"master secret: {master['ARN']}" in status.stdout, status.stdout
    sm.put_secret_value(SecretId=name, SecretString=json.dumps(
        {"username": "app", "password": "again", "masterarn": other["ARN"]}))
    status = srv.data_dir.admin("rotation-status", "--secret-id", name)
    assert f"master secret: {master['ARN']}" in status.stdout, status.stdout
    assert other["ARN"] not in status.stdout


# --------------------------------------------------------------------------
# PutSecretValue's RotationToken
# --------------------------------------------------------------------------

TOKEN_FUNCTION = '''\
#!/usr/bin/python3
"""Stores the pending version with the event's RotationToken, as AWS's
cross-account templates do, after trying a made-up one.  Debian's boto3
predates RotationToken: a hook adds it to the request before signing."""
import json
import os
import sys
import uuid

import boto3
from botocore.exceptions import ClientError

RECORD = {record!r}


def main():
    event = json.load(sys.stdin)
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    sm = boto3.client("secretsmanager", endpoint_url=os.environ["AWS_ENDPOINT_URL"],
                      region_name=os.environ["AWS_REGION"])
    rotation_token = [None]

    def add_token(request, **kwargs):
        if rotation_token[0] is not None:
            body = json.loads(request.data)
            body["RotationToken"] = rotation_token[0]
            request.data = json.dumps(body).encode()
    sm.meta.events.register("before-sign.secretsmanager.PutSecretValue", add_token)
    if step == "createSecret":
        record = {{"rotation_token": event["RotationToken"]}}
        rotation_token[0] = str(uuid.uuid4())
        try:
            sm.put_secret_value(SecretId=arn, ClientRequestToken=token,
                                SecretString="from a made-up token",
                                VersionStages=["AWSPENDING"])
            record["made_up"] = "allowed"
        except ClientError as e:
            record["made_up"] = [e.response["Error"]["Code"], e.response["Error"]["Message"]]
        rotation_token[0] = event["RotationToken"]
        sm.put_secret_value(SecretId=arn, ClientRequestToken=token,
                            SecretString="rotated with its token",
                            VersionStages=["AWSPENDING"])
        with open(RECORD, "w") as f:
            json.dump(record, f)
    elif step == "finishSecret":
        versions = sm.list_secret_version_ids(SecretId=arn)["Versions"]
        current = [v["VersionId"] for v in versions if "AWSCURRENT" in v["VersionStages"]][0]
        if current != token:
            sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT",
                                           MoveToVersionId=token,
                                           RemoveFromVersionId=current)


main()
'''

MSG_BAD_ROTATION_TOKEN = ("The rotation token isn't valid for this secret: no rotation "
                          "of it with this token is in progress.")


def test_put_secret_value_checks_the_rotation_token(srv, tmp_path):
    from rotation_helpers import raw
    record = tmp_path / "token.json"
    path = tmp_path / "rotate_with_token.py"
    path.write_text(TOKEN_FUNCTION.format(record=str(record)))
    path.chmod(0o755)
    fn_arn = function_arn(f"token-{uuid.uuid4().hex[:8]}")
    r = srv.data_dir.admin("function", "register", "--arn", fn_arn, "--command", str(path))
    assert r.returncode == 0, r.stderr
    sm = client(srv)
    name = new_name("token")
    sm.create_secret(Name=name, SecretString="first")
    token = new_token()
    sm.rotate_secret(SecretId=name, ClientRequestToken=token, RotationLambdaARN=fn_arn)
    d = wait_outcome(srv, name)
    assert d["SesameRotationStatus"] == "Succeeded", d
    # The running attempt's token was accepted, a made-up one refused.
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "rotated with its token"
    seen = json.loads(record.read_text())
    assert seen["made_up"] == ["AccessDeniedException", MSG_BAD_ROTATION_TOKEN]
    assert "from a made-up token" not in json.dumps(stages(sm, name))

    # Once the attempt ended, its token is good for nothing.
    r = raw(srv, "PutSecretValue", {"SecretId": name, "SecretString": "late",
                                    "ClientRequestToken": new_token(),
                                    "RotationToken": seen["rotation_token"]})
    assert (r.status, r.error_type, r.message) == (
        400, "AccessDeniedException", MSG_BAD_ROTATION_TOKEN)
    # Nor on a secret that is not rotating; the token never shows up in
    # the answer.
    other = new_name("token-other")
    sm.create_secret(Name=other, SecretString="x")
    r = raw(srv, "PutSecretValue", {"SecretId": other, "SecretString": "y",
                                    "ClientRequestToken": new_token(),
                                    "RotationToken": seen["rotation_token"]})
    assert r.error_type == "AccessDeniedException"
    assert seen["rotation_token"] not in r.message
    # A malformed token is the model's ValidationException.
    r = raw(srv, "PutSecretValue", {"SecretId": other, "SecretString": "y",
                                    "ClientRequestToken": new_token(),
                                    "RotationToken": "short"})
    assert r.error_type == "ValidationException"
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "rotated with its token"
    assert sm.get_secret_value(SecretId=other)["SecretString"] == "x"
    # Without a RotationToken nothing changes.
    sm.put_secret_value(SecretId=other, SecretString="z")
    assert sm.get_secret_value(SecretId=other)["SecretString"] == "z"
