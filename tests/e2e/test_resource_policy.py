"""Resource policies on secrets: PutResourcePolicy, GetResourcePolicy,
DeleteResourcePolicy, ValidateResourcePolicy (issue 5)."""

import json

import pytest
from botocore.exceptions import ClientError

from harness import SHARED_ACCOUNT, error_code, new_name


def policy(principal, action="secretsmanager:GetSecretValue", condition=None):
    stmt = {"Effect": "Allow", "Principal": principal, "Action": action,
            "Resource": "*"}
    if condition:
        stmt["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [stmt]})


PARTNER = policy({"AWS": "arn:aws:iam::444455556666:root"})
PUBLIC = policy("*")


def test_put_get_delete_round_trip(sm):
    name = new_name("policy")
    arn = sm.create_secret(Name=name, SecretString="v")["ARN"]
    r = sm.put_resource_policy(SecretId=name, ResourcePolicy=PARTNER)
    assert (r["ARN"], r["Name"]) == (arn, name)
    got = sm.get_resource_policy(SecretId=name)
    assert json.loads(got["ResourcePolicy"]) == json.loads(PARTNER)
    sm.delete_resource_policy(SecretId=name)
    assert "ResourcePolicy" not in sm.get_resource_policy(SecretId=name)


def test_malformed_policy_is_refused_with_a_useful_message(sm):
    name = new_name("policy")
    sm.create_secret(Name=name, SecretString="v")
    bad = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Principal": {"AWS": "arn:aws:iam::444455556666:root"},
         "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]})
    with pytest.raises(ClientError) as e:
        sm.put_resource_policy(SecretId=name, ResourcePolicy=bad)
    assert error_code(e.value) == "MalformedPolicyDocumentException"
    assert "Effect" in e.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as e:
        sm.put_resource_policy(SecretId=name, ResourcePolicy="{not json")
    assert error_code(e.value) == "MalformedPolicyDocumentException"
    assert "ResourcePolicy" not in sm.get_resource_policy(SecretId=name)


def test_block_public_policy_refuses_a_public_grant(sm):
    name = new_name("policy")
    sm.create_secret(Name=name, SecretString="v")
    with pytest.raises(ClientError) as e:
        sm.put_resource_policy(SecretId=name, ResourcePolicy=PUBLIC,
                               BlockPublicPolicy=True)
    assert error_code(e.value) == "PublicPolicyException"
    # Restricted to one account by a condition, it is not public.
    scoped = policy("*", condition={"StringEquals": {
        "aws:PrincipalAccount": SHARED_ACCOUNT}})
    sm.put_resource_policy(SecretId=name, ResourcePolicy=scoped,
                           BlockPublicPolicy=True)
    # Without BlockPublicPolicy (AWS's default) a public policy is stored.
    sm.put_resource_policy(SecretId=name, ResourcePolicy=PUBLIC)


def test_validate_resource_policy_reports_findings(sm):
    ok = sm.validate_resource_policy(ResourcePolicy=PARTNER)
    assert ok["PolicyValidationPassed"] is True
    assert ok["ValidationErrors"] == []
    bad = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
         "Resource": "*"}]})
    r = sm.validate_resource_policy(ResourcePolicy=bad)
    assert r["PolicyValidationPassed"] is False
    assert r["ValidationErrors"] and all(
        e["CheckName"] and e["ErrorMessage"] for e in r["ValidationErrors"])
    r = sm.validate_resource_policy(ResourcePolicy=PUBLIC)
    assert r["PolicyValidationPassed"] is False
    assert any(e["CheckName"] == "BROAD_ACCESS" for e in r["ValidationErrors"])


def test_policy_operations_on_missing_secret_are_not_found(sm):
    for call in (lambda: sm.get_resource_policy(SecretId=new_name("nope")),
                 lambda: sm.delete_resource_policy(SecretId=new_name("nope")),
                 lambda: sm.put_resource_policy(SecretId=new_name("nope"),
                                                ResourcePolicy=PARTNER)):
        with pytest.raises(ClientError) as e:
            call()
        assert error_code(e.value) == "ResourceNotFoundException"
