"""Replication to other regions (issue 3): replicas are read-only copies under
the same name and account in another region, kept in step with the primary."""

import pytest
from botocore.exceptions import ClientError

from harness import error_code, new_name

PRIMARY, REPLICA, OTHER = "us-east-1", "eu-west-1", "ap-south-1"


@pytest.fixture
def clients(server):
    return server.client(region=PRIMARY), server.client(region=REPLICA)


def test_replicate_secret_copies_value_under_same_name_and_suffix(clients):
    sm, sm_eu = clients
    name = new_name("repl")
    created = sm.create_secret(Name=name, SecretString="primary-value")
    r = sm.replicate_secret_to_regions(SecretId=name,
                                       AddReplicaRegions=[{"Region": REPLICA}])
    assert r["ARN"] == created["ARN"]
    assert r["ReplicationStatus"] == [{"Region": REPLICA,
                                      "KmsKeyId": "alias/aws/secretsmanager",
                                      "Status": "InSync"}]
    got = sm_eu.get_secret_value(SecretId=name)
    assert got["SecretString"] == "primary-value"
    assert got["VersionId"] == created["VersionId"]
    assert got["ARN"] == created["ARN"].replace(f":{PRIMARY}:", f":{REPLICA}:")


def test_replica_follows_every_change_to_the_primary(clients):
    sm, sm_eu = clients
    name = new_name("repl")
    sm.create_secret(Name=name, SecretString="v1", Description="d1",
                     AddReplicaRegions=[{"Region": REPLICA}])
    v2 = sm.put_secret_value(SecretId=name, SecretString="v2")["VersionId"]
    sm.update_secret(SecretId=name, Description="d2")
    sm.tag_resource(SecretId=name, Tags=[{"Key": "team", "Value": "blue"}])
    assert sm_eu.get_secret_value(SecretId=name)["SecretString"] == "v2"
    prev = sm_eu.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")
    assert prev["SecretString"] == "v1"
    d = sm_eu.describe_secret(SecretId=name)
    assert d["Description"] == "d2"
    assert d["Tags"] == [{"Key": "team", "Value": "blue"}]
    assert d["PrimaryRegion"] == PRIMARY
    assert d["VersionIdsToStages"][v2] == ["AWSCURRENT"]
    p = sm.describe_secret(SecretId=name)
    assert p["PrimaryRegion"] == PRIMARY
    assert p["ReplicationStatus"][0]["Region"] == REPLICA
    assert p["ReplicationStatus"][0]["Status"] == "InSync"


def test_replica_is_read_only(clients):
    sm, sm_eu = clients
    name = new_name("repl")
    sm.create_secret(Name=name, SecretString="v1",
                     AddReplicaRegions=[{"Region": REPLICA}])
    for call in (lambda: sm_eu.put_secret_value(SecretId=name, SecretString="x"),
                 lambda: sm_eu.update_secret(SecretId=name, Description="x"),
                 lambda: sm_eu.delete_secret(SecretId=name),
                 lambda: sm_eu.tag_resource(SecretId=name,
                                            Tags=[{"Key": "k", "Value": "v"}])):
        with pytest.raises(ClientError) as e:
            call()
        assert error_code(e.value) == "InvalidRequestException"
        assert "replica" in e.value.response["Error"]["Message"]
    assert sm_eu.get_secret_value(SecretId=name)["SecretString"] == "v1"


def test_deleting_a_primary_with_replicas_fails(clients):
    sm, _ = clients
    name = new_name("repl")
    sm.create_secret(Name=name, SecretString="v1",
                     AddReplicaRegions=[{"Region": REPLICA}])
    with pytest.raises(ClientError) as e:
        sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    assert error_code(e.value) == "InvalidRequestException"
    sm.remove_regions_from_replication(SecretId=name,
                                       RemoveReplicaRegions=[REPLICA])
    sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)


def test_remove_regions_deletes_the_replica(clients):
    sm, sm_eu = clients
    name = new_name("repl")
    sm.create_secret(Name=name, SecretString="v1",
                     AddReplicaRegions=[{"Region": REPLICA}, {"Region": OTHER}])
    r = sm.remove_regions_from_replication(SecretId=name,
                                           RemoveReplicaRegions=[REPLICA])
    assert [s["Region"] for s in r["ReplicationStatus"]] == [OTHER]
    with pytest.raises(ClientError) as e:
        sm_eu.describe_secret(SecretId=name)
    assert error_code(e.value) == "ResourceNotFoundException"


def test_stop_replication_promotes_the_replica(clients):
    sm, sm_eu = clients
    name = new_name("repl")
    sm.create_secret(Name=name, SecretString="v1",
                     AddReplicaRegions=[{"Region": REPLICA}])
    sm_eu.stop_replication_to_replica(SecretId=name)
    sm_eu.put_secret_value(SecretId=name, SecretString="independent")
    assert sm_eu.get_secret_value(SecretId=name)["SecretString"] == "independent"
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "v1"
    assert "ReplicationStatus" not in sm.describe_secret(SecretId=name)
    with pytest.raises(ClientError) as e:
        sm.stop_replication_to_replica(SecretId=name)
    assert error_code(e.value) == "InvalidRequestException"


def test_existing_secret_in_region_fails_replica_unless_overwrite(clients):
    sm, sm_eu = clients
    name = new_name("repl")
    sm_eu.create_secret(Name=name, SecretString="local")
    sm.create_secret(Name=name, SecretString="primary")
    r = sm.replicate_secret_to_regions(SecretId=name,
                                       AddReplicaRegions=[{"Region": REPLICA}])
    assert r["ReplicationStatus"][0]["Status"] == "Failed"
    assert sm_eu.get_secret_value(SecretId=name)["SecretString"] == "local"
    r = sm.replicate_secret_to_regions(SecretId=name,
                                       AddReplicaRegions=[{"Region": REPLICA}],
                                       ForceOverwriteReplicaSecret=True)
    assert r["ReplicationStatus"][0]["Status"] == "InSync"
    assert sm_eu.get_secret_value(SecretId=name)["SecretString"] == "primary"


def test_list_secrets_primary_region_filter(clients):
    sm, sm_eu = clients
    name = new_name("replfilter")
    sm.create_secret(Name=name, SecretString="v1",
                     AddReplicaRegions=[{"Region": REPLICA}])
    local = new_name("replfilter")
    sm_eu.create_secret(Name=local, SecretString="x")
    names = {s["Name"] for s in sm_eu.list_secrets(
        Filters=[{"Key": "primary-region", "Values": [PRIMARY]}])["SecretList"]}
    assert name in names and local not in names


def test_replicating_to_the_primary_region_is_refused(clients):
    sm, _ = clients
    name = new_name("repl")
    sm.create_secret(Name=name, SecretString="v1")
    with pytest.raises(ClientError) as e:
        sm.replicate_secret_to_regions(SecretId=name,
                                       AddReplicaRegions=[{"Region": PRIMARY}])
    assert error_code(e.value) == "InvalidParameterException"
