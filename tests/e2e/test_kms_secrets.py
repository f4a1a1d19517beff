"""Secrets under KMS keys the user owns: KmsKeyId in every form, a disabled
or pending-deletion key (DecryptionFailure / EncryptionFailure, and access
back when the key is enabled again), KMS key rotation, and the
re-encryption UpdateSecret does when the key changes.
"""

import json
import uuid

import pytest

from harness import error_message, expect_client_error, new_name
from test_kms_support import DAY, kms_client, kms_raw, sm_client

ACCOUNT = "123456789012"
MSG_DECRYPT = ("Secrets Manager can't decrypt the protected secret text using "
               "the provided KMS key.")


@pytest.fixture
def kms(server):
    return kms_client(server)


@pytest.fixture
def key(kms):
    return kms.create_key(Description="secrets")["KeyMetadata"]


def value(sm, name, **kw):
    return sm.get_secret_value(SecretId=name, **kw)["SecretString"]


def test_secret_under_customer_key_in_every_form(sm, kms, key):
    alias = f"alias/e2e/{uuid.uuid4().hex[:10]}"
    kms.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])
    forms = [key["KeyId"], key["Arn"], alias,
             f"arn:aws:kms:us-east-1:{ACCOUNT}:{alias}"]
    names = []
    for form in forms:
        name = new_name("kms")
        names.append(name)
        sm.create_secret(Name=name, SecretString=f"under {form}", KmsKeyId=form)
        assert value(sm, name) == f"under {form}"
        assert sm.describe_secret(SecretId=name)["KmsKeyId"] == form
    # Every one of them depends on that key.
    kms.disable_key(KeyId=key["KeyId"])
    for name in names:
        expect_client_error(sm.get_secret_value, "DecryptionFailure",
                            SecretId=name)
    kms.enable_key(KeyId=key["KeyId"])
    for name, form in zip(names, forms):
        assert value(sm, name) == f"under {form}"


def test_unknown_key_is_refused_and_nothing_is_created(sm):
    name = new_name("kms")
    expect_client_error(sm.create_secret, "InvalidParameterException",
                        Name=name, SecretString="x",
                        KmsKeyId=str(uuid.uuid4()))
    expect_client_error(sm.describe_secret, "ResourceNotFoundException",
                        SecretId=name)


def test_disable_gives_decryption_failure_then_enable_restores(sm, kms, key):
    name = new_name("kms")
    sm.create_secret(Name=name, SecretString="s1", KmsKeyId=key["Arn"])
    kms.disable_key(KeyId=key["KeyId"])
    e = expect_client_error(sm.get_secret_value, "DecryptionFailure",
                            SecretId=name)
    assert error_message(e) == MSG_DECRYPT
    e = expect_client_error(sm.put_secret_value, "EncryptionFailure",
                            SecretId=name, SecretString="s2")
    assert "KMS key" in error_message(e)
    # Describing needs no key.
    assert sm.describe_secret(SecretId=name)["KmsKeyId"] == key["Arn"]
    kms.enable_key(KeyId=key["KeyId"])
    assert value(sm, name) == "s1"
    sm.put_secret_value(SecretId=name, SecretString="s2")
    assert value(sm, name) == "s2"


def test_pending_deletion_key_blocks_then_cancel_and_enable_restore(sm, kms, key):
    name = new_name("kms")
    sm.create_secret(Name=name, SecretString="keep", KmsKeyId=key["KeyId"])
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    expect_client_error(sm.get_secret_value, "DecryptionFailure", SecretId=name)
    expect_client_error(sm.put_secret_value, "EncryptionFailure", SecretId=name,
                        SecretString="new")
    kms.cancel_key_deletion(KeyId=key["KeyId"])
    expect_client_error(sm.get_secret_value, "DecryptionFailure", SecretId=name)
    kms.enable_key(KeyId=key["KeyId"])
    assert value(sm, name) == "keep"


def test_nothing_falls_back_to_another_key(sm, kms, key):
    name = new_name("kms")
    sm.create_secret(Name=name, SecretString="v1", KmsKeyId=key["KeyId"])
    kms.disable_key(KeyId=key["KeyId"])
    for _ in range(2):
        expect_client_error(sm.put_secret_value, "EncryptionFailure",
                            SecretId=name, SecretString="v2")
    expect_client_error(sm.update_secret, "EncryptionFailure", SecretId=name,
                        SecretString="v3")
    kms.enable_key(KeyId=key["KeyId"])
    versions = sm.list_secret_version_ids(SecretId=name)["Versions"]
    assert len(versions) == 1
    assert value(sm, name) == "v1"


def test_key_rotation_keeps_every_version_readable(server, sm, kms, key):
    name = new_name("kms")
    v1 = sm.create_secret(Name=name, SecretString="one",
                          KmsKeyId=key["KeyId"])["VersionId"]
    assert kms_raw(server, "RotateKeyOnDemand", {"KeyId": key["KeyId"]}).status == 200
    v2 = sm.put_secret_value(SecretId=name, SecretString="two")["VersionId"]
    assert kms_raw(server, "RotateKeyOnDemand", {"KeyId": key["KeyId"]}).status == 200
    v3 = sm.put_secret_value(SecretId=name, SecretString="three")["VersionId"]
    assert value(sm, name) == "three"
    assert value(sm, name, VersionStage="AWSPREVIOUS") == "two"
    assert value(sm, name, VersionId=v1) == "one"
    assert value(sm, name, VersionId=v2) == "two"
    assert value(sm, name, VersionId=v3) == "three"


def test_update_secret_key_reencrypts_labelled_versions(sm, kms, key):
    new_key = kms.create_key(Description="new")["KeyMetadata"]
    name = new_name("kms")
    v1 = sm.create_secret(Name=name, SecretString="one",
                          KmsKeyId=key["KeyId"])["VersionId"]
    v2 = sm.put_secret_value(SecretId=name, SecretString="two")["VersionId"]
    v3 = sm.put_secret_value(SecretId=name, SecretString="three")["VersionId"]
    pending = sm.put_secret_value(SecretId=name, SecretString="four",
                                  VersionStages=["AWSPENDING"])["VersionId"]
    # v1 carries no label any more; v2 AWSPREVIOUS, v3 AWSCURRENT.
    sm.update_secret(SecretId=name, KmsKeyId=new_key["Arn"])
    assert sm.describe_secret(SecretId=name)["KmsKeyId"] == new_key["Arn"]
    kms.disable_key(KeyId=key["KeyId"])
    assert value(sm, name) == "three"
    assert value(sm, name, VersionId=v2) == "two"
    assert value(sm, name, VersionId=pending) == "four"
    # The unlabelled version stays under the old key, as on AWS.
    expect_client_error(sm.get_secret_value, "DecryptionFailure",
                        SecretId=name, VersionId=v1)
    kms.enable_key(KeyId=key["KeyId"])
    assert value(sm, name, VersionId=v1) == "one"
    # New versions go under the new key only.
    kms.disable_key(KeyId=new_key["KeyId"])
    expect_client_error(sm.put_secret_value, "EncryptionFailure",
                        SecretId=name, SecretString="five")
    expect_client_error(sm.get_secret_value, "DecryptionFailure", SecretId=name)
    kms.enable_key(KeyId=new_key["KeyId"])
    assert value(sm, name, VersionId=v3) == "three"


def test_update_secret_with_new_key_and_value(sm, kms, key):
    new_key = kms.create_key()["KeyMetadata"]
    name = new_name("kms")
    sm.create_secret(Name=name, SecretString="old", KmsKeyId=key["KeyId"])
    sm.update_secret(SecretId=name, KmsKeyId=new_key["KeyId"],
                     SecretString="new")
    kms.disable_key(KeyId=key["KeyId"])
    assert value(sm, name) == "new"
    assert value(sm, name, VersionStage="AWSPREVIOUS") == "old"


def test_update_secret_to_unusable_key_changes_nothing(sm, kms, key):
    bad = kms.create_key()["KeyMetadata"]
    kms.disable_key(KeyId=bad["KeyId"])
    name = new_name("kms")
    sm.create_secret(Name=name, SecretString="stay", KmsKeyId=key["KeyId"])
    expect_client_error(sm.update_secret, "EncryptionFailure", SecretId=name,
                        KmsKeyId=bad["KeyId"])
    assert sm.describe_secret(SecretId=name)["KmsKeyId"] == key["KeyId"]
    kms.disable_key(KeyId=key["KeyId"])
    expect_client_error(sm.update_secret, "DecryptionFailure", SecretId=name,
                        KmsKeyId=kms.create_key()["KeyMetadata"]["KeyId"])
    kms.enable_key(KeyId=key["KeyId"])
    assert value(sm, name) == "stay"
    assert sm.describe_secret(SecretId=name)["KmsKeyId"] == key["KeyId"]


def test_moving_a_secret_back_to_the_default_key(sm, kms, key):
    name = new_name("kms")
    sm.create_secret(Name=name, SecretString="v", KmsKeyId=key["KeyId"])
    sm.update_secret(SecretId=name, KmsKeyId="alias/aws/secretsmanager")
    kms.disable_key(KeyId=key["KeyId"])
    assert value(sm, name) == "v"


def test_default_key_is_created_on_first_use(fresh_server):
    sm = sm_client(fresh_server)
    kms = kms_client(fresh_server)
    assert "alias/aws/secretsmanager" not in [
        a["AliasName"] for a in kms.list_aliases()["Aliases"]]
    sm.create_secret(Name="first", SecretString="v")
    aliases = {a["AliasName"]: a for a in kms.list_aliases()["Aliases"]}
    target = aliases["alias/aws/secretsmanager"]["TargetKeyId"]
    md = kms.describe_key(KeyId=target)["KeyMetadata"]
    assert md["KeyManager"] == "AWS"
    sm.create_secret(Name="second", SecretString="v")
    assert [a["TargetKeyId"] for a in kms.list_aliases()["Aliases"]
            if a["AliasName"] == "alias/aws/secretsmanager"] == [target]


def test_secrets_of_a_deleted_key_stay_unreadable(init_data_dir, make_server):
    dd = init_data_dir(account_id="210987654321")
    srv = make_server(dd)
    sm, kms = sm_client(srv), kms_client(srv)
    kid = kms.create_key()["KeyMetadata"]["KeyId"]
    sm.create_secret(Name="doomed", SecretString="v", KmsKeyId=kid)
    kms.schedule_key_deletion(KeyId=kid, PendingWindowInDays=7)
    srv.stop()
    srv.extra_args = ["--test-clock-offset-seconds", str(8 * DAY)]
    srv.start()
    later = sm_client(srv, offset_seconds=8 * DAY)
    expect_client_error(later.get_secret_value, "DecryptionFailure",
                        SecretId="doomed")
    expect_client_error(later.put_secret_value, "InvalidParameterException",
                        SecretId="doomed", SecretString="again")


def test_key_policy_change_applies_to_the_next_read(sm, kms, key):
    """Reads keep what they read of the key until the next write: a new key
    policy, denying or allowing again, decides the very next read."""
    name = new_name("kms")
    sm.create_secret(Name=name, SecretString="kept", KmsKeyId=key["Arn"])
    for _ in range(3):
        assert value(sm, name) == "kept"
    owner = {"Sid": "owner", "Effect": "Allow",
             "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
             "Action": "kms:*", "Resource": "*"}
    deny = {"Sid": "no-decrypt", "Effect": "Deny", "Principal": "*",
            "Action": "kms:Decrypt", "Resource": "*"}
    kms.put_key_policy(KeyId=key["KeyId"], PolicyName="default",
                       Policy=json.dumps({"Version": "2012-10-17",
                                          "Statement": [owner, deny]}))
    expect_client_error(sm.get_secret_value, "AccessDeniedException",
                        SecretId=name)
    kms.put_key_policy(KeyId=key["KeyId"], PolicyName="default",
                       Policy=json.dumps({"Version": "2012-10-17",
                                          "Statement": [owner]}))
    assert value(sm, name) == "kept"
