"""The runner with the built-in database rotators, against real MariaDB and
PostgreSQL servers (tests/e2e/dbservers.py): RotateSecret's pre-flight
login, single-user rotation (the user's own password changes; AWSCURRENT
moves only after the new one logs in), alternating users (the _clone user
appears and the two take turns), and a failed setSecret that leaves
AWSCURRENT working.  The rotators' own SQL is tested with them; this is the
protocol around them."""

import json
import uuid

import pytest
from botocore.exceptions import ClientError

from dbservers import TcpProxy, mariadb_server, postgres_server  # noqa: F401
from harness import error_code, error_message, new_name, new_token
from rotation_helpers import (client, function_arn, rotation_server, stages, stop,
                              version_with, wait_outcome)

EXCLUDED = set("/@\"'\\")


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = rotation_server(tmp_path_factory.mktemp("builtin"))
    yield s
    stop(s)


@pytest.fixture
def sm(srv):
    return client(srv)


def login(db, user, password, engine):
    return {"engine": engine, "host": db.host, "port": db.port, "username": user,
            "password": password}


def make_secret(sm, value):
    name = new_name("db")
    arn = sm.create_secret(Name=name, SecretString=json.dumps(value))["ARN"]
    return name, arn


def new_password(sm, name):
    return json.loads(sm.get_secret_value(SecretId=name)["SecretString"])


@pytest.mark.parametrize("engine", ["mariadb", "postgres"])
def test_single_user_rotation_changes_the_users_own_password(srv, sm, request, engine):
    db = request.getfixturevalue("mariadb_server" if engine == "mariadb"
                                 else "postgres_server")
    family = "mysql" if engine == "mariadb" else "postgres"
    user = f"app_{uuid.uuid4().hex[:8]}"
    db.create_user(user, "Initial-pass-1")
    name, arn = make_secret(sm, login(db, user, "Initial-pass-1", engine))
    old = version_with(sm, name, "AWSCURRENT")
    token = new_token()
    sm.rotate_secret(SecretId=name, ClientRequestToken=token,
                     RotationLambdaARN=function_arn(f"sesame-builtin-{family}-single-user"),
                     RotationRules={"AutomaticallyAfterDays": 30})
    d = wait_outcome(srv, name, timeout=90)
    assert d["SesameRotationStatus"] == "Succeeded", d
    assert stages(sm, name) == {token: ["AWSCURRENT"], old: ["AWSPREVIOUS"]}
    value = new_password(sm, name)
    assert value["username"] == user and value["engine"] == engine
    assert value["port"] == db.port and value["host"] == db.host
    password = value["password"]
    assert len(password) == 32 and not (set(password) & EXCLUDED)
    assert db.can_login(user, password)
    assert not db.can_login(user, "Initial-pass-1")


def test_alternating_users_take_turns(srv, sm, postgres_server):
    db = postgres_server
    master = f"master_{uuid.uuid4().hex[:8]}"
    user = f"app_{uuid.uuid4().hex[:8]}"
    db.create_master(master, "Master-pass-1")
    db.create_user(user, "User-pass-1")
    master_name, master_arn = make_secret(sm, login(db, master, "Master-pass-1", "postgres"))
    value = login(db, user, "User-pass-1", "postgres")
    value["masterarn"] = master_arn
    name, arn = make_secret(sm, value)
    fn = function_arn("sesame-builtin-postgres-alternating-users")

    sm.rotate_secret(SecretId=name, RotationLambdaARN=fn)
    assert wait_outcome(srv, name, timeout=90)["SesameRotationStatus"] == "Succeeded"
    first = new_password(sm, name)
    assert first["username"] == f"{user}_clone"
    assert first["masterarn"] == master_arn
    assert db.can_login(f"{user}_clone", first["password"])
    # The user the application held before still works meanwhile.
    assert db.can_login(user, "User-pass-1")

    sm.rotate_secret(SecretId=name, ClientRequestToken=new_token())
    assert wait_outcome(srv, name, timeout=90)["SesameRotationStatus"] == "Succeeded"
    second = new_password(sm, name)
    assert second["username"] == user
    assert db.can_login(user, second["password"])
    assert db.can_login(f"{user}_clone", first["password"])


def test_preflight_refuses_credentials_that_do_not_log_in(srv, sm, mariadb_server):
    db = mariadb_server
    user = f"app_{uuid.uuid4().hex[:8]}"
    db.create_user(user, "Right-pass-1")
    name, _ = make_secret(sm, login(db, user, "wrong-password", "mariadb"))
    with pytest.raises(ClientError) as ei:
        sm.rotate_secret(SecretId=name, RotationLambdaARN=function_arn(
            "sesame-builtin-mysql-single-user"), RotationRules={"AutomaticallyAfterDays": 1})
    assert error_code(ei.value) == "InvalidRequestException"
    message = error_message(ei.value)
    assert "cannot log in" in message and "sesame-builtin-mysql-single-user" in message
    assert "wrong-password" not in message
    assert "RotationEnabled" not in sm.describe_secret(SecretId=name)
    # The engine must fit the rotator.
    name2, _ = make_secret(sm, login(db, user, "Right-pass-1", "postgres"))
    with pytest.raises(ClientError) as ei:
        sm.rotate_secret(SecretId=name2, RotationLambdaARN=function_arn(
            "sesame-builtin-mysql-single-user"))
    assert error_code(ei.value) == "InvalidRequestException"
    assert "engine" in error_message(ei.value)


def test_failed_set_secret_leaves_awscurrent_working(srv, sm, mariadb_server):
    db = mariadb_server
    user = f"app_{uuid.uuid4().hex[:8]}"
    db.create_user(user, "Initial-pass-1")
    # The secret reaches the database through a relay the test can break.
    proxy = TcpProxy(db.port).up()
    try:
        value = login(db, user, "Initial-pass-1", "mariadb")
        value["port"] = proxy.port
        name, arn = make_secret(sm, value)
        old = version_with(sm, name, "AWSCURRENT")
        # One connection for RotateSecret's pre-flight login, then none:
        # setSecret cannot reach the database.
        proxy.allow(1)
        token = new_token()
        sm.rotate_secret(SecretId=name, ClientRequestToken=token, RotationLambdaARN=
                         function_arn("sesame-builtin-mysql-single-user"))
        d = wait_outcome(srv, name, timeout=90)
        assert d["SesameRotationStatus"] == "Failed", d
        assert d["SesameRotationStep"] == "setSecret"
        assert d["SesameLastRotationError"].startswith("setSecret: ")
        assert "Initial-pass-1" not in d["SesameLastRotationError"]
        assert version_with(sm, name, "AWSCURRENT") == old
        assert "AWSPENDING" in stages(sm, name)[token]
        assert db.can_login(user, "Initial-pass-1")
        # Retried with the same version, it completes.
        proxy.up()
        sm.rotate_secret(SecretId=name, ClientRequestToken=token)
        assert wait_outcome(srv, name, ("Succeeded",), timeout=90)
        assert version_with(sm, name, "AWSCURRENT") == token
        assert db.can_login(user, new_password(sm, name)["password"])
        assert not db.can_login(user, "Initial-pass-1")
    finally:
        proxy.down()
