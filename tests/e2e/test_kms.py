"""The KMS API (TrentService) with boto3, the aws CLI and raw calls: every
operation the server serves and the errors of the KMS model.

Most tests share the session's server (account 123456789012); the ones that
need time to pass or a second account start servers of their own.
"""

import base64
import json
import re
import uuid

import pytest
from botocore.exceptions import ClientError

from harness import error_code, error_message, expect_client_error
from test_kms_support import (DAY, blob_key_version, kms_client, kms_raw,
                              sm_client)

ACCOUNT = "123456789012"
KEY_ARN_RE = re.compile(r"^arn:aws:kms:us-east-1:\d{12}:key/"
                        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}"
                        r"-[0-9a-f]{12}$")


@pytest.fixture
def kms(server):
    return kms_client(server)


@pytest.fixture
def key(kms):
    return kms.create_key(Description="e2e")["KeyMetadata"]


def alias_name():
    return f"alias/e2e/{uuid.uuid4().hex[:12]}"


# ---------------------------------------------------------------- keys

def test_create_key_returns_symmetric_metadata(kms):
    md = kms.create_key(Description="orders")["KeyMetadata"]
    assert KEY_ARN_RE.match(md["Arn"]) and md["Arn"].endswith(md["KeyId"])
    assert md["AWSAccountId"] == ACCOUNT
    assert md["Description"] == "orders"
    assert md["Enabled"] is True and md["KeyState"] == "Enabled"
    assert md["KeyUsage"] == "ENCRYPT_DECRYPT"
    assert md["KeySpec"] == md["CustomerMasterKeySpec"] == "SYMMETRIC_DEFAULT"
    assert md["EncryptionAlgorithms"] == ["SYMMETRIC_DEFAULT"]
    assert md["Origin"] == "AWS_KMS" and md["KeyManager"] == "CUSTOMER"
    assert md["MultiRegion"] is False
    assert "DeletionDate" not in md


def test_describe_key_by_id_arn_alias_and_alias_arn(kms, key):
    name = alias_name()
    kms.create_alias(AliasName=name, TargetKeyId=key["KeyId"])
    for ref in (key["KeyId"], key["Arn"], name,
                f"arn:aws:kms:us-east-1:{ACCOUNT}:{name}"):
        assert kms.describe_key(KeyId=ref)["KeyMetadata"]["Arn"] == key["Arn"]


def test_describe_unknown_key_is_not_found(kms):
    kid = str(uuid.uuid4())
    e = expect_client_error(kms.describe_key, "NotFoundException", KeyId=kid)
    assert error_message(e) == \
        f"Key 'arn:aws:kms:us-east-1:{ACCOUNT}:key/{kid}' does not exist"
    expect_client_error(kms.describe_key, "NotFoundException", KeyId="not-a-key")
    e = expect_client_error(kms.describe_key, "NotFoundException",
                            KeyId="alias/none-such")
    assert error_message(e) == \
        f"Alias arn:aws:kms:us-east-1:{ACCOUNT}:alias/none-such is not found."
    expect_client_error(kms.describe_key, "InvalidArnException",
                        KeyId=f"arn:aws:kms:us-east-1:{ACCOUNT}:thing/x")
    expect_client_error(kms.describe_key, "NotFoundException",
                        KeyId=f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/{kid}")


def test_create_key_refuses_what_this_server_does_not_make(kms):
    for kw in ({"KeySpec": "RSA_2048"}, {"KeyUsage": "SIGN_VERIFY"},
               {"Origin": "EXTERNAL"}, {"MultiRegion": True}):
        expect_client_error(kms.create_key, "UnsupportedOperationException", **kw)


def test_create_key_with_malformed_policy_fails(kms):
    expect_client_error(kms.create_key, "MalformedPolicyDocumentException",
                        Policy="not json")
    expect_client_error(kms.create_key, "MalformedPolicyDocumentException",
                        Policy='{"Version": "2012-10-17"}')


def test_list_keys_pages_with_marker(kms):
    made = {kms.create_key()["KeyMetadata"]["KeyId"] for _ in range(3)}
    seen, kw = [], {"Limit": 2}
    for _ in range(1000):
        page = kms.list_keys(**kw)
        assert len(page["Keys"]) <= 2
        for k in page["Keys"]:
            assert k["KeyArn"].endswith(k["KeyId"])
        seen += [k["KeyId"] for k in page["Keys"]]
        if not page["Truncated"]:
            assert "NextMarker" not in page
            break
        kw["Marker"] = page["NextMarker"]
    assert made <= set(seen)
    assert len(seen) == len(set(seen))
    expect_client_error(kms.list_keys, "InvalidMarkerException",
                        Marker="garbage")


def test_disable_and_enable_key(kms, key):
    kms.disable_key(KeyId=key["KeyId"])
    md = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert md["Enabled"] is False and md["KeyState"] == "Disabled"
    e = expect_client_error(kms.encrypt, "DisabledException",
                            KeyId=key["KeyId"], Plaintext=b"x")
    assert error_message(e) == f"{key['Arn']} is disabled."
    kms.enable_key(KeyId=key["KeyId"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["Enabled"]
    kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")


def test_schedule_and_cancel_key_deletion(kms, key):
    out = kms.schedule_key_deletion(KeyId=key["KeyId"])
    assert out["KeyId"] == key["Arn"] and out["KeyState"] == "PendingDeletion"
    assert out["PendingWindowInDays"] == 30
    md = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert md["KeyState"] == "PendingDeletion" and md["Enabled"] is False
    assert md["DeletionDate"] == out["DeletionDate"]
    e = expect_client_error(kms.encrypt, "KMSInvalidStateException",
                            KeyId=key["KeyId"], Plaintext=b"x")
    assert error_message(e) == f"{key['Arn']} is pending deletion."
    expect_client_error(kms.schedule_key_deletion, "KMSInvalidStateException",
                        KeyId=key["KeyId"])
    expect_client_error(kms.enable_key, "KMSInvalidStateException",
                        KeyId=key["KeyId"])
    assert kms.cancel_key_deletion(KeyId=key["KeyId"])["KeyId"] == key["Arn"]
    md = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert md["KeyState"] == "Disabled" and "DeletionDate" not in md
    e = expect_client_error(kms.cancel_key_deletion, "KMSInvalidStateException",
                            KeyId=key["KeyId"])
    assert "is not pending deletion" in error_message(e)


def test_pending_window_is_7_to_30_days(kms, key):
    for days in (6, 31):
        e = expect_client_error(kms.schedule_key_deletion, "ValidationException",
                                KeyId=key["KeyId"], PendingWindowInDays=days)
        assert "pendingWindowInDays" in error_message(e)
    out = kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    assert out["PendingWindowInDays"] == 7


def test_key_is_gone_after_its_waiting_period(init_data_dir, make_server):
    dd = init_data_dir(account_id="210987654321")
    srv = make_server(dd)
    kms = kms_client(srv)
    kid = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=kid, Plaintext=b"bye")["CiphertextBlob"]
    kms.schedule_key_deletion(KeyId=kid, PendingWindowInDays=7)
    srv.stop()
    srv.extra_args = ["--test-clock-offset-seconds", str(8 * DAY)]
    srv.start()
    later = kms_client(srv, offset_seconds=8 * DAY)
    expect_client_error(later.describe_key, "NotFoundException", KeyId=kid)
    expect_client_error(later.decrypt, "NotFoundException", CiphertextBlob=blob)
    assert kid not in [k["KeyId"] for k in later.list_keys()["Keys"]]


# ---------------------------------------------------------------- aliases

def test_alias_lifecycle(kms, key):
    other = kms.create_key()["KeyMetadata"]
    name = alias_name()
    kms.create_alias(AliasName=name, TargetKeyId=key["KeyId"])
    e = expect_client_error(kms.create_alias, "AlreadyExistsException",
                            AliasName=name, TargetKeyId=key["KeyId"])
    assert error_message(e) == \
        f"An alias with the name arn:aws:kms:us-east-1:{ACCOUNT}:{name} already exists"
    listed = kms.list_aliases(KeyId=key["KeyId"])["Aliases"]
    assert [a["AliasName"] for a in listed] == [name]
    assert listed[0]["AliasArn"] == f"arn:aws:kms:us-east-1:{ACCOUNT}:{name}"
    assert listed[0]["TargetKeyId"] == key["KeyId"]
    kms.update_alias(AliasName=name, TargetKeyId=other["Arn"])
    assert kms.describe_key(KeyId=name)["KeyMetadata"]["KeyId"] == other["KeyId"]
    assert kms.list_aliases(KeyId=key["KeyId"])["Aliases"] == []
    kms.delete_alias(AliasName=name)
    expect_client_error(kms.describe_key, "NotFoundException", KeyId=name)
    expect_client_error(kms.delete_alias, "NotFoundException", AliasName=name)
    expect_client_error(kms.update_alias, "NotFoundException", AliasName=name,
                        TargetKeyId=key["KeyId"])


def test_alias_names_are_checked(kms, key):
    expect_client_error(kms.create_alias, "InvalidAliasNameException",
                        AliasName="no-prefix", TargetKeyId=key["KeyId"])
    expect_client_error(kms.create_alias, "InvalidAliasNameException",
                        AliasName="alias/aws/mine", TargetKeyId=key["KeyId"])
    expect_client_error(kms.create_alias, "NotFoundException",
                        AliasName=alias_name(), TargetKeyId=str(uuid.uuid4()))


def test_alias_cannot_target_key_pending_deletion(kms, key):
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    expect_client_error(kms.create_alias, "KMSInvalidStateException",
                        AliasName=alias_name(), TargetKeyId=key["KeyId"])


def test_list_aliases_pages(kms, key):
    names = sorted(alias_name() for _ in range(3))
    for n in names:
        kms.create_alias(AliasName=n, TargetKeyId=key["KeyId"])
    page = kms.list_aliases(KeyId=key["KeyId"], Limit=2)
    assert page["Truncated"] is True
    rest = kms.list_aliases(KeyId=key["KeyId"], Marker=page["NextMarker"])
    got = [a["AliasName"] for a in page["Aliases"] + rest["Aliases"]]
    assert got == names and rest["Truncated"] is False


# ---------------------------------------------------------------- policies

def test_default_key_policy_lets_the_account_do_everything(server, kms, key):
    out = kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")
    raw = kms_raw(server, "GetKeyPolicy", {"KeyId": key["KeyId"]}).json
    assert raw["PolicyName"] == "default" and raw["Policy"] == out["Policy"]
    policy = json.loads(out["Policy"])
    [stmt] = policy["Statement"]
    assert stmt["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    assert stmt["Action"] == "kms:*" and stmt["Effect"] == "Allow"


def test_put_key_policy_is_returned_verbatim(kms, key):
    doc = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "owner", "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": "kms:*", "Resource": "*"}, {
        "Sid": "partner", "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
        "Action": "kms:Decrypt", "Resource": "*",
        "Condition": {"StringEquals": {
            "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}}}]})
    kms.put_key_policy(KeyId=key["KeyId"], PolicyName="default", Policy=doc)
    assert kms.get_key_policy(KeyId=key["KeyId"],
                              PolicyName="default")["Policy"] == doc
    expect_client_error(kms.put_key_policy, "MalformedPolicyDocumentException",
                        KeyId=key["KeyId"], PolicyName="default", Policy="{")
    expect_client_error(kms.get_key_policy, "NotFoundException",
                        KeyId=key["KeyId"], PolicyName="other")


def test_key_policy_lockout_safety_check(kms):
    """A policy that would stop the caller managing the key is refused
    unless the caller bypasses the check; bypassed, it binds at once."""
    partner_only = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
        "Action": "kms:*", "Resource": "*"}]})
    expect_client_error(
        kms.create_key, "MalformedPolicyDocumentException",
        Policy=partner_only,
        message="The new key policy will not allow you to update the key "
                "policy in the future.")
    key = kms.create_key()["KeyMetadata"]
    expect_client_error(
        kms.put_key_policy, "MalformedPolicyDocumentException",
        KeyId=key["KeyId"], PolicyName="default", Policy=partner_only,
        message="The new key policy will not allow you to update the key "
                "policy in the future.")
    # Grammar errors name the problem.
    bad = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "kms:*", "Resource": "*"}]})
    e = expect_client_error(kms.put_key_policy,
                            "MalformedPolicyDocumentException",
                            KeyId=key["KeyId"], PolicyName="default",
                            Policy=bad)
    assert "rincipal" in error_message(e), error_message(e)
    kms.put_key_policy(KeyId=key["KeyId"], PolicyName="default",
                       Policy=partner_only,
                       BypassPolicyLockoutSafetyCheck=True)
    expect_client_error(kms.get_key_policy, "AccessDeniedException",
                        KeyId=key["KeyId"], PolicyName="default")
    expect_client_error(kms.encrypt, "AccessDeniedException",
                        KeyId=key["KeyId"], Plaintext=b"x")


# ---------------------------------------------------------------- rotation

def test_key_rotation_status_enable_disable(kms, key):
    st = kms.get_key_rotation_status(KeyId=key["KeyId"])
    assert st["KeyRotationEnabled"] is False
    kms.enable_key_rotation(KeyId=key["KeyId"])
    st = kms.get_key_rotation_status(KeyId=key["KeyId"])
    assert st["KeyRotationEnabled"] is True
    kms.disable_key_rotation(KeyId=key["KeyId"])
    assert kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"] \
        is False
    kms.disable_key(KeyId=key["KeyId"])
    expect_client_error(kms.enable_key_rotation, "DisabledException",
                        KeyId=key["KeyId"])


def test_rotation_period_is_reported_and_bounded(server, kms, key):
    r = kms_raw(server, "EnableKeyRotation", {"KeyId": key["KeyId"],
                                              "RotationPeriodInDays": 90})
    assert r.status == 200, r
    st = kms_raw(server, "GetKeyRotationStatus", {"KeyId": key["KeyId"]}).json
    assert st["KeyRotationEnabled"] is True and st["RotationPeriodInDays"] == 90
    assert st["KeyId"] == key["Arn"] and st["NextRotationDate"] > 0
    for days in (89, 2561):
        r = kms_raw(server, "EnableKeyRotation", {"KeyId": key["KeyId"],
                                                  "RotationPeriodInDays": days})
        assert r.status == 400 and r.error_type == "ValidationException", r


def test_rotate_on_demand_keeps_old_ciphertexts_readable(server, kms, key):
    kid = key["KeyId"]
    old = kms.encrypt(KeyId=kid, Plaintext=b"before")["CiphertextBlob"]
    assert blob_key_version(old) == (kid, 1)
    r = kms_raw(server, "RotateKeyOnDemand", {"KeyId": kid})
    assert r.status == 200 and r.json["KeyId"] == kid, r
    new = kms.encrypt(KeyId=kid, Plaintext=b"after")["CiphertextBlob"]
    assert blob_key_version(new) == (kid, 2)
    assert kms.decrypt(CiphertextBlob=old)["Plaintext"] == b"before"
    assert kms.decrypt(CiphertextBlob=new)["Plaintext"] == b"after"
    rot = kms_raw(server, "ListKeyRotations", {"KeyId": kid}).json
    assert [x["RotationType"] for x in rot["Rotations"]] == ["ON_DEMAND"]
    assert rot["Rotations"][0]["KeyId"] == key["Arn"]
    st = kms_raw(server, "GetKeyRotationStatus", {"KeyId": kid}).json
    assert st["OnDemandRotationStartDate"] > 0


def test_on_demand_rotations_are_limited_to_ten(server, key):
    for _ in range(10):
        assert kms_raw(server, "RotateKeyOnDemand",
                       {"KeyId": key["KeyId"]}).status == 200
    r = kms_raw(server, "RotateKeyOnDemand", {"KeyId": key["KeyId"]})
    assert r.status == 400 and r.error_type == "LimitExceededException", r
    page = kms_raw(server, "ListKeyRotations", {"KeyId": key["KeyId"],
                                                "Limit": 4}).json
    assert len(page["Rotations"]) == 4 and page["Truncated"] is True


def test_rotate_on_demand_of_disabled_key_fails(server, kms, key):
    kms.disable_key(KeyId=key["KeyId"])
    r = kms_raw(server, "RotateKeyOnDemand", {"KeyId": key["KeyId"]})
    assert r.status == 400 and r.error_type == "DisabledException", r


def test_automatic_rotation_happens_when_due(init_data_dir, make_server):
    dd = init_data_dir(account_id="210987654321")
    srv = make_server(dd)
    kms = kms_client(srv)
    kid = kms.create_key()["KeyMetadata"]["KeyId"]
    old = kms.encrypt(KeyId=kid, Plaintext=b"year one")["CiphertextBlob"]
    kms.enable_key_rotation(KeyId=kid)
    srv.stop()
    srv.extra_args = ["--test-clock-offset-seconds", str(366 * DAY)]
    srv.start()
    later = kms_client(srv, offset_seconds=366 * DAY)
    new = later.encrypt(KeyId=kid, Plaintext=b"year two")["CiphertextBlob"]
    assert blob_key_version(new) == (kid, 2)
    assert later.decrypt(CiphertextBlob=old)["Plaintext"] == b"year one"
    rot = kms_raw(srv, "ListKeyRotations", {"KeyId": kid},
                  offset_seconds=366 * DAY).json
    assert [x["RotationType"] for x in rot["Rotations"]] == ["AUTOMATIC"]


# ---------------------------------------------------------------- crypto

def test_encrypt_decrypt_with_encryption_context(kms, key):
    ctx = {"tenant": "blue", "purpose": "test"}
    out = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"payload",
                      EncryptionContext=ctx)
    assert out["KeyId"] == key["Arn"]
    assert out["EncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    blob = out["CiphertextBlob"]
    d = kms.decrypt(CiphertextBlob=blob,
                    EncryptionContext=dict(reversed(list(ctx.items()))))
    assert d["Plaintext"] == b"payload" and d["KeyId"] == key["Arn"]
    for wrong in ({}, {"tenant": "red", "purpose": "test"}, {"tenant": "blue"}):
        e = expect_client_error(kms.decrypt, "InvalidCiphertextException",
                                CiphertextBlob=blob, EncryptionContext=wrong)
        assert error_message(e) == ""


def test_altered_ciphertext_is_invalid(kms, key):
    blob = bytearray(kms.encrypt(KeyId=key["KeyId"],
                                 Plaintext=b"x" * 40)["CiphertextBlob"])
    for i in (0, 45, len(blob) // 2, len(blob) - 1):
        bad = bytearray(blob)
        bad[i] ^= 1
        with pytest.raises(ClientError) as ei:
            kms.decrypt(CiphertextBlob=bytes(bad))
        assert error_code(ei.value) in ("InvalidCiphertextException",
                                        "NotFoundException")
    expect_client_error(kms.decrypt, "InvalidCiphertextException",
                        CiphertextBlob=b"not a ciphertext at all")


def test_decrypt_with_the_wrong_key_id_is_incorrect_key(kms, key):
    other = kms.create_key()["KeyMetadata"]
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    expect_client_error(kms.decrypt, "IncorrectKeyException",
                        CiphertextBlob=blob, KeyId=other["KeyId"])
    assert kms.decrypt(CiphertextBlob=blob, KeyId=key["Arn"])["Plaintext"] == b"x"


def test_decrypt_under_disabled_key_fails(kms, key):
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    kms.disable_key(KeyId=key["KeyId"])
    expect_client_error(kms.decrypt, "DisabledException", CiphertextBlob=blob)


def test_plaintext_limits(server, key):
    b64 = base64.b64encode(b"a" * 4097).decode()
    r = kms_raw(server, "Encrypt", {"KeyId": key["KeyId"], "Plaintext": b64})
    assert r.status == 400 and r.error_type == "ValidationException", r
    assert b"a" * 4097 not in r.body
    r = kms_raw(server, "Encrypt", {"KeyId": key["KeyId"],
                                    "Plaintext": base64.b64encode(b"a" * 4096).decode()})
    assert r.status == 200, r
    r = kms_raw(server, "Encrypt", {"KeyId": key["KeyId"]})
    assert r.status == 400 and r.error_type == "ValidationException", r
    r = kms_raw(server, "Encrypt", {"KeyId": key["KeyId"], "Plaintext": "eA==",
                                    "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"})
    assert r.status == 400 and r.error_type == "InvalidKeyUsageException", r


def test_reencrypt_moves_ciphertext_to_another_key(kms, key):
    dest = kms.create_key()["KeyMetadata"]
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"move me",
                       EncryptionContext={"a": "1"})["CiphertextBlob"]
    out = kms.re_encrypt(CiphertextBlob=blob, SourceEncryptionContext={"a": "1"},
                         DestinationKeyId=dest["KeyId"],
                         DestinationEncryptionContext={"b": "2"})
    assert out["SourceKeyId"] == key["Arn"] and out["KeyId"] == dest["Arn"]
    assert blob_key_version(out["CiphertextBlob"])[0] == dest["KeyId"]
    d = kms.decrypt(CiphertextBlob=out["CiphertextBlob"],
                    EncryptionContext={"b": "2"})
    assert d["Plaintext"] == b"move me" and d["KeyId"] == dest["Arn"]
    expect_client_error(kms.re_encrypt, "InvalidCiphertextException",
                        CiphertextBlob=blob, DestinationKeyId=dest["KeyId"])
    kms.disable_key(KeyId=dest["KeyId"])
    expect_client_error(kms.re_encrypt, "DisabledException", CiphertextBlob=blob,
                        SourceEncryptionContext={"a": "1"},
                        DestinationKeyId=dest["KeyId"])


def test_generate_data_key_variants(kms, key):
    out = kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256",
                                EncryptionContext={"k": "v"})
    assert len(out["Plaintext"]) == 32 and out["KeyId"] == key["Arn"]
    back = kms.decrypt(CiphertextBlob=out["CiphertextBlob"],
                       EncryptionContext={"k": "v"})
    assert back["Plaintext"] == out["Plaintext"]
    assert len(kms.generate_data_key(KeyId=key["KeyId"],
                                     KeySpec="AES_128")["Plaintext"]) == 16
    assert len(kms.generate_data_key(KeyId=key["KeyId"],
                                     NumberOfBytes=64)["Plaintext"]) == 64
    wp = kms.generate_data_key_without_plaintext(KeyId=key["KeyId"],
                                                 KeySpec="AES_256")
    assert "Plaintext" not in wp
    assert len(kms.decrypt(CiphertextBlob=wp["CiphertextBlob"])["Plaintext"]) == 32
    expect_client_error(kms.generate_data_key, "ValidationException",
                        KeyId=key["KeyId"])
    expect_client_error(kms.generate_data_key, "ValidationException",
                        KeyId=key["KeyId"], KeySpec="AES_256", NumberOfBytes=32)


def test_generate_random(kms, server):
    a = kms.generate_random(NumberOfBytes=32)["Plaintext"]
    b = kms.generate_random(NumberOfBytes=32)["Plaintext"]
    assert len(a) == 32 and a != b
    r = kms_raw(server, "GenerateRandom", {"NumberOfBytes": 1025})
    assert r.status == 400 and r.error_type == "ValidationException", r


# ---------------------------------------------------------------- tags

def test_key_tags(kms):
    kid = kms.create_key(Tags=[{"TagKey": "team", "TagValue": "red"}])[
        "KeyMetadata"]["KeyId"]
    kms.tag_resource(KeyId=kid, Tags=[{"TagKey": "env", "TagValue": "prod"},
                                      {"TagKey": "team", "TagValue": "blue"}])
    tags = kms.list_resource_tags(KeyId=kid)
    assert tags["Tags"] == [{"TagKey": "env", "TagValue": "prod"},
                            {"TagKey": "team", "TagValue": "blue"}]
    assert tags["Truncated"] is False
    page = kms.list_resource_tags(KeyId=kid, Limit=1)
    assert page["Truncated"] and len(page["Tags"]) == 1
    rest = kms.list_resource_tags(KeyId=kid, Marker=page["NextMarker"])
    assert [t["TagKey"] for t in rest["Tags"]] == ["team"]
    kms.untag_resource(KeyId=kid, TagKeys=["env"])
    assert kms.list_resource_tags(KeyId=kid)["Tags"] == [
        {"TagKey": "team", "TagValue": "blue"}]
    expect_client_error(kms.tag_resource, "TagException", KeyId=kid,
                        Tags=[{"TagKey": "aws:owned", "TagValue": "x"}])
    expect_client_error(kms.create_key, "TagException",
                        Tags=[{"TagKey": "aws:x", "TagValue": "y"}])
    kms.schedule_key_deletion(KeyId=kid, PendingWindowInDays=7)
    expect_client_error(kms.tag_resource, "KMSInvalidStateException", KeyId=kid,
                        Tags=[{"TagKey": "a", "TagValue": "b"}])


# ---------------------------------------------------------------- managed key

def test_aws_managed_secretsmanager_key(kms):
    md = kms.describe_key(KeyId="alias/aws/secretsmanager")["KeyMetadata"]
    assert md["KeyManager"] == "AWS" and md["KeyState"] == "Enabled"
    assert md["Description"].startswith("Default key that protects my Secrets")
    again = kms.describe_key(KeyId="alias/aws/secretsmanager")["KeyMetadata"]
    assert again["KeyId"] == md["KeyId"]
    assert "alias/aws/secretsmanager" in [
        a["AliasName"] for a in kms.list_aliases()["Aliases"]]
    policy = json.loads(kms.get_key_policy(KeyId=md["KeyId"],
                                           PolicyName="default")["Policy"])
    via = [s["Condition"] for s in policy["Statement"] if "Condition" in s]
    assert any("secretsmanager.us-east-1.amazonaws.com" in json.dumps(c)
               for c in via)
    assert kms.get_key_rotation_status(KeyId=md["KeyId"])["KeyRotationEnabled"]
    # Its key policy lets the account read the key's metadata and use it
    # through Secrets Manager only: managing it is denied, as on AWS.
    for op, kw in ((kms.disable_key, {}), (kms.schedule_key_deletion, {}),
                   (kms.enable_key_rotation, {}),
                   (kms.put_key_policy, {"PolicyName": "default",
                                         "Policy": '{"Statement": []}'})):
        e = expect_client_error(op, "AccessDeniedException",
                                KeyId=md["KeyId"], **kw)
        assert "because no resource-based policy allows" in \
            error_message(e), error_message(e)
    expect_client_error(kms.encrypt, "AccessDeniedException",
                        KeyId=md["KeyId"], Plaintext=b"direct use")
    expect_client_error(kms.delete_alias, "InvalidAliasNameException",
                        AliasName="alias/aws/secretsmanager")


# ---------------------------------------------------------------- protocol

def test_unknown_operation_and_wrong_signing_service(server):
    r = kms_raw(server, "NoSuchThing", {})
    assert r.status == 400 and r.error_type == "UnknownOperationException", r
    r = server.raw("ListKeys", {}, target="TrentService.ListKeys",
                   service="secretsmanager")
    assert r.status == 400, r
    assert r.error_type in ("InvalidSignatureException",
                            "IncompleteSignatureException"), r


def test_other_account_cannot_use_a_key(init_data_dir, make_server):
    dd = init_data_dir(account_id="111122223333")
    srv = make_server(dd)
    kms_a = kms_client(srv)
    key = kms_a.create_key()["KeyMetadata"]
    blob = kms_a.encrypt(KeyId=key["KeyId"], Plaintext=b"mine")["CiphertextBlob"]
    r = dd.admin("create-account", "--account-id", "444455556666")
    assert r.returncode == 0, r.stderr
    from harness import Creds, parse_key_lines
    kms_b = kms_client(srv, creds=Creds(*parse_key_lines(r.stdout)))
    e = expect_client_error(kms_b.encrypt, "AccessDeniedException",
                            KeyId=key["Arn"], Plaintext=b"x")
    assert "kms:Encrypt" in error_message(e) and key["Arn"] in error_message(e)
    expect_client_error(kms_b.describe_key, "AccessDeniedException",
                        KeyId=key["Arn"])
    # Its own account has no such key: the blob does not open there.
    with pytest.raises(ClientError):
        kms_b.decrypt(CiphertextBlob=blob)
    assert key["KeyId"] not in [k["KeyId"] for k in kms_b.list_keys()["Keys"]]


# ---------------------------------------------------------------- aws CLI

def test_aws_cli_kms_round_trip(server, aws_cli, tmp_path):
    md = aws_cli("kms", "create-key", "--description", "cli").json["KeyMetadata"]
    name = alias_name()
    aws_cli("kms", "create-alias", "--alias-name", name, "--target-key-id",
            md["KeyId"])
    plain = tmp_path / "plain.bin"
    plain.write_bytes(b"\x00\x01 cli bytes \xff")
    out = aws_cli("kms", "encrypt", "--key-id", name, "--plaintext",
                  f"fileb://{plain}", "--encryption-context", "app=cli").json
    assert out["KeyId"] == md["Arn"]
    blob = tmp_path / "blob.bin"
    blob.write_bytes(base64.b64decode(out["CiphertextBlob"]))
    back = aws_cli("kms", "decrypt", "--ciphertext-blob", f"fileb://{blob}",
                   "--encryption-context", "app=cli").json
    assert base64.b64decode(back["Plaintext"]) == plain.read_bytes()
    aliases = aws_cli("kms", "list-aliases", "--key-id", md["KeyId"]).json
    assert [a["AliasName"] for a in aliases["Aliases"]] == [name]
    aws_cli("kms", "disable-key", "--key-id", md["KeyId"])
    r = aws_cli("kms", "encrypt", "--key-id", md["KeyId"], "--plaintext",
                f"fileb://{plain}", check=False)
    assert r.returncode != 0 and "DisabledException" in r.stderr
    aws_cli("kms", "enable-key", "--key-id", md["KeyId"])
    aws_cli("kms", "enable-key-rotation", "--key-id", md["KeyId"])
    assert aws_cli("kms", "get-key-rotation-status", "--key-id",
                   md["KeyId"]).json["KeyRotationEnabled"] is True
    sched = aws_cli("kms", "schedule-key-deletion", "--key-id", md["KeyId"],
                    "--pending-window-in-days", "7").json
    assert sched["KeyState"] == "PendingDeletion"
    aws_cli("kms", "cancel-key-deletion", "--key-id", md["KeyId"])
    keys = aws_cli("kms", "list-keys").json["Keys"]
    assert md["KeyId"] in [k["KeyId"] for k in keys]
