"""The built-in database rotators against real servers: MariaDB (the mysql
rotator) and PostgreSQL, each with the single-user and the alternating-users
strategy, through RotateSecret with the built-in function ARNs.

The servers are started by this session (dbservers.py) on loopback; every
login a test checks goes over TCP with a password, through PyMySQL (an
implementation of the protocol other than the rotator's libmariadb) or
psycopg2.  A session opened before each rotation must still work after it.
A TcpProxy in front of a server plays an unreachable database.

The Sesame server of this module runs the scheduler every second and never
retries a failed rotation on its own (rotation-retry-seconds 3600): every
retry here is the test's.  After each test no password it used may appear
in the server's log or anywhere in its data folder."""

import json
import socket
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from dbservers import TcpProxy, mariadb_server, postgres_server  # noqa: F401 (fixtures)
from harness import error_code, error_message, new_name, new_token
from rotation_helpers import (admin_rotation_status, client, function_arn,
                              rotation_server, stages, stop, version_with,
                              wait_outcome)

ROTATOR = {"mariadb": "mysql", "postgres": "postgres"}
PRODUCT = {"mariadb": "MySQL", "postgres": "PostgreSQL"}


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = rotation_server(tmp_path_factory.mktemp("rotation-db"))
    yield s
    stop(s)


@pytest.fixture
def sm(srv):
    return client(srv)


@pytest.fixture(params=["mariadb", "postgres"])
def db(request):
    return request.getfixturevalue(f"{request.param}_server")


@pytest.fixture
def no_leaks(srv):
    """Register passwords; none may appear in the server's log or files."""
    passwords = set()
    yield passwords
    haystacks = [("server log", srv.log_path)]
    haystacks += [(str(p), p) for p in sorted(srv.data_dir.path.rglob("*")) if p.is_file()]
    for what, path in haystacks:
        try:
            data = path.read_bytes()
        except FileNotFoundError:       # a SQLite journal that just went
            continue
        for pw in passwords:
            assert pw.encode() not in data, f"a password appears in {what}"


def builtin_arn(db, strategy):
    return function_arn(f"sesame-builtin-{ROTATOR[db.engine]}-{strategy}")


def new_user(prefix="app"):
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def login_value(db, user, password, dbname, port=None, **extra):
    value = {"engine": db.engine, "host": "127.0.0.1", "port": port or db.port,
             "username": user, "password": password}
    if dbname is not None:
        value["dbname"] = dbname
    value.update(extra)
    return value


def current_value(sm, name):
    return json.loads(sm.get_secret_value(SecretId=name)["SecretString"])


def expect_error(code, fn, **kwargs):
    with pytest.raises(ClientError) as ei:
        fn(**kwargs)
    assert error_code(ei.value) == code, error_message(ei.value)
    return error_message(ei.value)


def still_works(db, session, table):
    """A session opened before the rotation can still run queries."""
    with session.cursor() as cur:
        cur.execute(f"SELECT name FROM {table} WHERE id = 1")
        assert cur.fetchall()[0][0] == "one"


def app_with_secret(sm, db, no_leaks, **extra):
    """A database user and a secret holding its login."""
    user, password = new_user(), f"Pw-{uuid.uuid4().hex}"
    no_leaks.add(password)
    dbname, table = db.create_user(user, password)
    name = new_name("rotdb")
    sm.create_secret(Name=name, SecretString=json.dumps(
        login_value(db, user, password, dbname, **extra)))
    return name, user, password, table


def master_secret(sm, db, no_leaks):
    user, password = new_user("master"), f"Master-{uuid.uuid4().hex}"
    no_leaks.add(password)
    db.create_master(user, password)
    arn = sm.create_secret(Name=new_name("rotdb-master"), SecretString=json.dumps(
        login_value(db, user, password, "postgres" if db.engine == "postgres" else None)))["ARN"]
    return arn, user, password


# --------------------------------------------------------------------------
# single user
# --------------------------------------------------------------------------

def test_single_user_rotation_changes_the_password_and_spares_open_sessions(srv, sm, db,
                                                                          no_leaks):
    name, user, old_password, table = app_with_secret(sm, db, no_leaks)
    first_version = version_with(sm, name, "AWSCURRENT")
    session = db.connect(user, old_password)
    try:
        token = new_token()
        sm.rotate_secret(SecretId=name, ClientRequestToken=token,
                         RotationLambdaARN=builtin_arn(db, "single-user"),
                         RotationRules={"AutomaticallyAfterDays": 30},
                         RotateImmediately=True)
        d = wait_outcome(srv, name)
        assert d["SesameRotationStatus"] == "Succeeded", d.get("SesameLastRotationError")

        value = current_value(sm, name)
        no_leaks.add(value["password"])
        assert value["username"] == user
        assert value["password"] != old_password and len(value["password"]) == 32
        assert {k: v for k, v in value.items() if k != "password"} == {
            k: v for k, v in login_value(db, user, "", value["dbname"]).items()
            if k != "password"}
        assert stages(sm, name) == {token: ["AWSCURRENT"], first_version: ["AWSPREVIOUS"]}
        # The new password logs in, the old one no longer does, and the
        # session opened with the old one was left alone.
        assert db.can_login(user, value["password"])
        assert not db.can_login(user, old_password)
        assert list(db.query(user, value["password"], f"SELECT name FROM {table}",
                             database=value["dbname"])) == [("one",)]
        still_works(db, session, table)

        # Again: the password of the first rotation stops working in turn.
        sm.rotate_secret(SecretId=name, RotateImmediately=True)
        assert wait_outcome(srv, name)["SesameRotationStatus"] == "Succeeded"
        second = current_value(sm, name)
        no_leaks.add(second["password"])
        assert second["password"] != value["password"]
        assert db.can_login(user, second["password"])
        assert not db.can_login(user, value["password"])
        still_works(db, session, table)
        assert sm.describe_secret(SecretId=name)["RotationEnabled"] is True
    finally:
        session.close()


# --------------------------------------------------------------------------
# alternating users
# --------------------------------------------------------------------------

def test_alternating_users_rotation_creates_the_clone_and_keeps_the_previous_user(
        srv, sm, db, no_leaks):
    master_arn, master_user, master_password = master_secret(sm, db, no_leaks)
    name, user, old_password, table = app_with_secret(sm, db, no_leaks,
                                                      masterarn=master_arn)
    clone = f"{user}_clone"
    session = db.connect(user, old_password)
    try:
        sm.rotate_secret(SecretId=name, RotationLambdaARN=builtin_arn(db, "alternating-users"),
                         RotationRules={"AutomaticallyAfterDays": 30})
        d = wait_outcome(srv, name)
        assert d["SesameRotationStatus"] == "Succeeded", d.get("SesameLastRotationError")

        # The secret now names the clone, with a new password; the clone has
        # the user's privileges; the user keeps working with its password.
        value = current_value(sm, name)
        no_leaks.add(value["password"])
        assert value["username"] == clone
        assert value["masterarn"] == master_arn
        assert db.users(user) == [user, clone]
        assert db.can_login(clone, value["password"])
        assert list(db.query(clone, value["password"], f"SELECT name FROM {table}",
                             database=value["dbname"])) == [("one",)]
        assert db.can_login(user, old_password)
        still_works(db, session, table)
        previous = json.loads(sm.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")
                              ["SecretString"])
        assert previous["username"] == user and previous["password"] == old_password

        # Rotating again switches back to the user, with a new password; the
        # clone (now AWSPREVIOUS) keeps working; the master is untouched.
        sm.rotate_secret(SecretId=name)
        assert wait_outcome(srv, name)["SesameRotationStatus"] == "Succeeded"
        again = current_value(sm, name)
        no_leaks.add(again["password"])
        assert again["username"] == user
        assert again["password"] not in (old_password, value["password"])
        assert db.can_login(user, again["password"])
        assert not db.can_login(user, old_password)
        assert db.can_login(clone, value["password"])
        assert db.can_login(master_user, master_password)
        assert db.users(user) == [user, clone]
        still_works(db, session, table)
    finally:
        session.close()


def test_alternating_users_refuses_a_pending_version_naming_another_user(srv, sm, db,
                                                                        no_leaks):
    """A pending version that names another user (here the master) must not
    get the master to change that user's password."""
    master_arn, master_user, master_password = master_secret(sm, db, no_leaks)
    name, user, password, _ = app_with_secret(sm, db, no_leaks, masterarn=master_arn)
    token = new_token()
    planted = login_value(db, master_user, "Planted-password-123", None, masterarn=master_arn)
    sm.put_secret_value(SecretId=name, ClientRequestToken=token,
                        SecretString=json.dumps(planted), VersionStages=["AWSPENDING"])
    sm.rotate_secret(SecretId=name, ClientRequestToken=token,
                     RotationLambdaARN=builtin_arn(db, "alternating-users"))
    d = wait_outcome(srv, name)
    assert d["SesameRotationStatus"] == "Failed", d
    assert d["SesameRotationStep"] == "setSecret"
    assert "is not the alternate of" in d["SesameLastRotationError"]
    assert db.can_login(master_user, master_password)
    assert not db.can_login(master_user, "Planted-password-123")
    assert db.users(user) == [user]
    assert current_value(sm, name)["password"] == password
    sm.cancel_rotate_secret(SecretId=name)


# --------------------------------------------------------------------------
# failures
# --------------------------------------------------------------------------

def test_unreachable_database_fails_the_rotation_and_a_retry_completes(srv, sm, db,
                                                                       no_leaks):
    proxy = TcpProxy(db.port)
    try:
        name, user, old_password, table = app_with_secret(sm, db, no_leaks,
                                                          port=proxy.port)
        first_version = version_with(sm, name, "AWSCURRENT")
        # The pre-flight check gets through; then the database is gone.
        proxy.allow(1)
        token = new_token()
        started = time.monotonic()
        sm.rotate_secret(SecretId=name, ClientRequestToken=token,
                         RotationLambdaARN=builtin_arn(db, "single-user"))
        d = wait_outcome(srv, name)
        assert time.monotonic() - started < 20
        assert proxy.accepted == 1
        assert d["SesameRotationStatus"] == "Failed", d
        assert d["SesameRotationStep"] == "setSecret"
        assert d["SesameRotationVersionId"] == token
        error = d["SesameLastRotationError"]
        assert error.startswith("setSecret: "), error
        assert f"cannot log in to {PRODUCT[db.engine]} at 127.0.0.1:{proxy.port} as {user}" \
            in error, error
        out = admin_rotation_status(srv, "--secret-id", name)
        assert "Failed (step setSecret" in out.stdout, out.stdout + out.stderr

        # AWSCURRENT is untouched and still logs in; the new version waits.
        assert current_value(sm, name)["password"] == old_password
        assert db.can_login(user, old_password)
        assert stages(sm, name) == {first_version: ["AWSCURRENT"], token: ["AWSPENDING"]}
        pending = json.loads(sm.get_secret_value(SecretId=name, VersionId=token,
                                                 VersionStage="AWSPENDING")["SecretString"])
        no_leaks.add(pending["password"])
        assert not db.can_login(user, pending["password"])

        # The database is back: the same token completes the rotation.
        proxy.up()
        sm.rotate_secret(SecretId=name, ClientRequestToken=token)
        d = wait_outcome(srv, name, statuses=("Succeeded",))
        assert "SesameLastRotationError" not in d
        assert stages(sm, name) == {token: ["AWSCURRENT"], first_version: ["AWSPREVIOUS"]}
        value = current_value(sm, name)
        assert value["password"] == pending["password"]
        assert db.can_login(user, value["password"], port=proxy.port)
        assert not db.can_login(user, old_password)
    finally:
        proxy.close()


def test_preflight_refuses_credentials_that_cannot_log_in(srv, sm, db, no_leaks):
    name, user, password, _ = app_with_secret(sm, db, no_leaks)
    wrong = f"Wrong-{uuid.uuid4().hex}"
    no_leaks.add(wrong)
    value = current_value(sm, name)
    sm.put_secret_value(SecretId=name, SecretString=json.dumps(dict(value, password=wrong)))
    arn = builtin_arn(db, "single-user")
    msg = expect_error("InvalidRequestException", sm.rotate_secret, SecretId=name,
                       RotationLambdaARN=arn, RotationRules={"AutomaticallyAfterDays": 7})
    assert f"sesame-builtin-{ROTATOR[db.engine]}-single-user" in msg, msg
    assert f"cannot log in to {PRODUCT[db.engine]} at 127.0.0.1:{db.port} as {user}" in msg, msg
    assert "password authentication failed" in msg or "Access denied" in msg, msg
    assert wrong not in msg and password not in msg
    assert "RotationEnabled" not in sm.describe_secret(SecretId=name)

    # Alternating users: the master's login is checked too.
    master_arn, master_user, _ = master_secret(sm, db, no_leaks)
    master_value = current_value(sm, master_arn)
    sm.put_secret_value(SecretId=master_arn, SecretString=json.dumps(
        dict(master_value, password=wrong)))
    sm.put_secret_value(SecretId=name, SecretString=json.dumps(
        dict(value, masterarn=master_arn)))
    msg = expect_error("InvalidRequestException", sm.rotate_secret, SecretId=name,
                       RotationLambdaARN=builtin_arn(db, "alternating-users"))
    assert "the master secret" in msg and f"as {master_user}" in msg, msg
    assert "RotationEnabled" not in sm.describe_secret(SecretId=name)


def test_preflight_fails_fast_when_nothing_answers(srv, sm, db, no_leaks):
    """A closed port is refused at once; a port that accepts but never
    speaks gives up after the connection timeout (5 s)."""
    # Nothing listens.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    # Listens, never answers.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    try:
        for port, limit in ((closed_port, 3), (silent.getsockname()[1], 15)):
            name, user, _, _ = app_with_secret(sm, db, no_leaks, port=port)
            started = time.monotonic()
            msg = expect_error("InvalidRequestException", sm.rotate_secret, SecretId=name,
                               RotationLambdaARN=builtin_arn(db, "single-user"))
            assert time.monotonic() - started < limit
            assert f"cannot log in to {PRODUCT[db.engine]} at 127.0.0.1:{port}" in msg, msg
    finally:
        silent.close()


def test_rotator_uses_tls_when_the_server_offers_it(srv, sm, db, no_leaks):
    if db.tls is None:
        pytest.skip("openssl is not installed: the test server offers no TLS")
    name, user, _, _ = app_with_secret(sm, db, no_leaks)
    before = db.tls_sessions(user)
    sm.rotate_secret(SecretId=name, RotationLambdaARN=builtin_arn(db, "single-user"))
    d = wait_outcome(srv, name)
    assert d["SesameRotationStatus"] == "Succeeded", d.get("SesameLastRotationError")
    no_leaks.add(current_value(sm, name)["password"])
    # The pre-flight login, setSecret's and testSecret's all went over TLS.
    assert db.tls_sessions(user) - before >= 3


def test_mysql_clone_stays_locked_until_all_its_grants_are_copied(srv, sm, mariadb_server,
                                                                 no_leaks):
    """The master may not grant the user's role: setSecret fails with the
    grant named, the half-made clone cannot log in, and once the master may
    grant it the same rotation completes with every grant copied."""
    db = mariadb_server
    master_arn, master_user, _ = master_secret(sm, db, no_leaks)
    name, user, password, table = app_with_secret(sm, db, no_leaks, masterarn=master_arn)
    role = f"reader_{user}"
    db.admin(f"CREATE ROLE {role}", f"GRANT SELECT ON `{user}_db`.* TO {role}",
             f"GRANT {role} TO '{user}'@'%'", f"SET DEFAULT ROLE {role} FOR '{user}'@'%'")
    token = new_token()
    sm.rotate_secret(SecretId=name, ClientRequestToken=token,
                     RotationLambdaARN=builtin_arn(db, "alternating-users"))
    d = wait_outcome(srv, name)
    assert d["SesameRotationStatus"] == "Failed", d
    assert d["SesameRotationStep"] == "setSecret"
    assert f'copying the grant "GRANT `{role}` TO' in d["SesameLastRotationError"], d
    pending = json.loads(sm.get_secret_value(SecretId=name, VersionId=token,
                                             VersionStage="AWSPENDING")["SecretString"])
    no_leaks.add(pending["password"])
    assert db.users(user) == [user, f"{user}_clone"]
    assert not db.can_login(f"{user}_clone", pending["password"])    # locked
    assert current_value(sm, name)["password"] == password

    db.admin(f"GRANT {role} TO '{master_user}'@'%' WITH ADMIN OPTION")
    sm.rotate_secret(SecretId=name, ClientRequestToken=token)
    d = wait_outcome(srv, name, statuses=("Succeeded",))
    value = current_value(sm, name)
    assert value["username"] == f"{user}_clone"
    grants = [r[0] for r in db.admin(f"SHOW GRANTS FOR '{user}_clone'@'%'")]
    assert f"GRANT `{role}` TO `{user}_clone`@`%`" in grants
    assert f"SET DEFAULT ROLE `{role}` FOR `{user}_clone`@`%`" in grants
    assert list(db.query(value["username"], value["password"], f"SELECT name FROM {table}")) \
        == [("one",)]
    assert db.can_login(user, password)


def test_postgres_login_that_needs_no_password_is_refused(srv, sm, postgres_server, no_leaks):
    """A server that trusts the client would accept any password: the
    rotator refuses to call that a working login."""
    db = postgres_server
    name, user, _, _ = app_with_secret(sm, db, no_leaks)
    db.trust(user)
    msg = expect_error("InvalidRequestException", sm.rotate_secret, SecretId=name,
                       RotationLambdaARN=builtin_arn(db, "single-user"))
    assert f"let {user} in without asking for a password" in msg, msg
    assert "RotationEnabled" not in sm.describe_secret(SecretId=name)
