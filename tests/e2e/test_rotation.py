"""Rotation through the API: RotateSecret, CancelRotateSecret, the rotation
members of DescribeSecret and ListSecrets, AWS's validation of
RotationRules, the pre-flight checks, and an external rotation function
(Python with boto3) that rotates a secret which is no database through the
four steps, fails on purpose, and is retried with the same token.

Servers of this module run the scheduler every second and never retry a
failed rotation on their own (rotation-retry-seconds 3600), so each retry
here is the test's."""

import json
import uuid

import pytest
from botocore.exceptions import ClientError

from harness import error_code, error_message, new_name, new_token, run_sesame
from rotation_helpers import (ACCOUNT, DAY, RotationFunction, admin_rotation_status,
                              audit_events, client, describe_raw, function_arn,
                              raw, rotation_keys, rotation_server, server_now,
                              stages, stop, version_with, wait_for, wait_outcome)

MSG_IN_PROGRESS = "A previous rotation isn't complete. That rotation will be reattempted."
MSG_CANNOT_INVOKE = ("Secrets Manager cannot invoke the specified Lambda function. "
                     "Ensure that the function policy grants access to the principal "
                     "secretsmanager.amazonaws.com.")


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = rotation_server(tmp_path_factory.mktemp("rotation"))
    yield s
    stop(s)


@pytest.fixture(scope="module")
def fn(srv, tmp_path_factory):
    return RotationFunction(srv, tmp_path_factory.mktemp("functions")).register()


@pytest.fixture
def sm(srv):
    return client(srv)


def session_client(srv, key, secret_key, session_token):
    """A client with temporary credentials (a rotation function's)."""
    import boto3
    from botocore.config import Config
    return boto3.client("secretsmanager", endpoint_url=srv.endpoint,
                        region_name="us-east-1", aws_access_key_id=key,
                        aws_secret_access_key=secret_key,
                        aws_session_token=session_token,
                        config=Config(retries={"total_max_attempts": 1,
                                               "mode": "standard"}))


def make_secret(sm, fn=None, password="first-password"):
    name = new_name("rot")
    arn = sm.create_secret(Name=name, SecretString=json.dumps(
        {"username": "app", "password": password}))["ARN"]
    if fn is not None:
        fn.accept(password)
    return name, arn


def expect(code, fn_, *args, message=None, **kwargs):
    with pytest.raises(ClientError) as ei:
        fn_(*args, **kwargs)
    assert error_code(ei.value) == code, error_message(ei.value)
    if message is not None:
        assert error_message(ei.value) == message
    return error_message(ei.value)


# --------------------------------------------------------------------------
# RotateSecret, CancelRotateSecret, DescribeSecret, ListSecrets
# --------------------------------------------------------------------------

def test_secret_never_configured_has_no_rotation_members(srv, sm):
    name, _ = make_secret(sm)
    d = describe_raw(srv, name)
    for member in ("RotationEnabled", "RotationLambdaARN", "RotationRules",
                   "LastRotatedDate", "NextRotationDate", "SesameRotationStatus"):
        assert member not in d


def test_rotate_secret_configures_schedule_without_rotating(srv, sm, fn):
    name, arn = make_secret(sm, fn)
    current = version_with(sm, name, "AWSCURRENT")
    r = sm.rotate_secret(SecretId=name, RotationLambdaARN=fn.arn,
                         RotationRules={"AutomaticallyAfterDays": 7},
                         RotateImmediately=False)
    assert r["ARN"] == arn and r["Name"] == name
    assert "VersionId" not in r
    d = sm.describe_secret(SecretId=name)
    assert d["RotationEnabled"] is True
    assert d["RotationLambdaARN"] == fn.arn
    assert d["RotationRules"] == {"AutomaticallyAfterDays": 7}
    assert "LastRotatedDate" not in d
    # The window is the whole UTC day seven days from now; AWS's
    # NextRotationDate is its last second.
    raw_d = describe_raw(srv, name)
    day = int(server_now(srv) // DAY)
    assert raw_d["NextRotationDate"] == (day + 8) * DAY - 1
    assert "SesameRotationStatus" not in raw_d
    listed = [e for e in sm.list_secrets(Filters=[{"Key": "name", "Values": [name]}])
              ["SecretList"] if e["ARN"] == arn]
    assert listed and listed[0]["RotationEnabled"] is True
    assert listed[0]["RotationLambdaARN"] == fn.arn
    assert listed[0]["RotationRules"] == {"AutomaticallyAfterDays": 7}
    listed_raw = raw(srv, "ListSecrets", {"Filters": [{"Key": "name", "Values": [name]}]}).json
    entry = [e for e in listed_raw["SecretList"] if e["ARN"] == arn][0]
    assert entry["NextRotationDate"] == (day + 8) * DAY - 1
    # Nothing rotated: the function only ran its test.
    assert [c["step"] for c in fn.calls(arn)] == ["testSecret"]
    assert version_with(sm, name, "AWSCURRENT") == current


def test_rotate_immediately_false_tests_the_function_on_a_pending_copy(srv, sm, fn):
    """As AWS does: the function's testSecret step runs on an AWSPENDING
    version (a copy of AWSCURRENT) that is taken away afterwards."""
    name, arn = make_secret(sm, fn)
    current = version_with(sm, name, "AWSCURRENT")
    before = sm.get_secret_value(SecretId=name)["SecretString"]
    r = sm.rotate_secret(SecretId=name, RotationLambdaARN=fn.arn, RotateImmediately=False,
                         RotationRules={"AutomaticallyAfterDays": 30})
    assert "VersionId" not in r
    calls = fn.calls(arn)
    assert [c["step"] for c in calls] == ["testSecret"]
    test_version = calls[0]["token"]
    assert test_version != current
    # The function read the copy as AWSPENDING (it checks the password it
    # holds), with temporary credentials of its own, gone now.
    assert calls[0]["key"].startswith("ASIA") and calls[0]["session_token"]
    assert calls[0]["key"] not in rotation_keys(srv)
    assert calls[0]["rotation_token"] and len(calls[0]["rotation_token"]) >= 36
    # Afterwards: AWSCURRENT as it was, no AWSPENDING anywhere, nothing
    # in progress; the copy keeps no label.
    assert stages(sm, name) == {current: ["AWSCURRENT"]}
    assert sm.get_secret_value(SecretId=name)["SecretString"] == before
    d = describe_raw(srv, name)
    assert d["RotationEnabled"] is True and "SesameRotationStatus" not in d
    # A rotation can start at once.
    token = new_token()
    sm.rotate_secret(SecretId=name, ClientRequestToken=token)
    assert wait_outcome(srv, name)["SesameRotationStatus"] == "Succeeded"
    assert version_with(sm, name, "AWSCURRENT") == token


def test_rotate_immediately_false_refuses_a_function_that_fails_its_test(srv, sm, fn):
    fn.control({"fail": {"testSecret": 1}})
    try:
        name, arn = make_secret(sm, fn)
        current = version_with(sm, name, "AWSCURRENT")
        msg = expect("InvalidRequestException", sm.rotate_secret, SecretId=name,
                     RotationLambdaARN=fn.arn, RotateImmediately=False,
                     RotationRules={"AutomaticallyAfterDays": 30})
        assert msg.startswith("Secrets Manager can't rotate this secret: the rotation "
                              "function failed its test (testSecret: ")
        assert "exit status 3" in msg
        # Nothing was configured and nothing is left pending.
        assert "RotationEnabled" not in sm.describe_secret(SecretId=name)
        assert stages(sm, name) == {current: ["AWSCURRENT"]}
        assert not any(c["key"] in rotation_keys(srv) for c in fn.calls(arn))
        # Fixed, it is accepted.
        sm.rotate_secret(SecretId=name, RotationLambdaARN=fn.arn, RotateImmediately=False,
                         RotationRules={"AutomaticallyAfterDays": 30})
        assert sm.describe_secret(SecretId=name)["RotationEnabled"] is True
        assert [c["step"] for c in fn.calls(arn)] == ["testSecret", "testSecret"]
    finally:
        fn.control({})


SLOW_TEST_FUNCTION = """#!/bin/sh
# testSecret takes a while; every other step does nothing.
cat >/dev/null
[ "$SESAME_ROTATION_STEP" = testSecret ] && sleep 4
exit 0
"""


def test_function_tests_leave_threads_for_the_functions(tmp_path):
    """With two HTTP threads, two RotateSecret requests testing their
    functions at once both finish: they wait on the blocking pool, and the
    functions' own calls find threads (reads on the HTTP threads, writes on
    the pool, which admits at most its size minus one such tests)."""
    import concurrent.futures
    srv = rotation_server(tmp_path / "server", threads=2)
    try:
        path = tmp_path / "slow.sh"
        path.write_text(SLOW_TEST_FUNCTION)
        path.chmod(0o755)
        arn = function_arn(f"slow-{uuid.uuid4().hex[:6]}")
        r = srv.data_dir.admin("function", "register", "--arn", arn, "--command", str(path))
        assert r.returncode == 0, r.stderr
        sm = client(srv)
        names = [make_secret(sm)[0] for _ in range(2)]

        def configure(name):
            try:
                client(srv).rotate_secret(SecretId=name, RotationLambdaARN=arn,
                                          RotateImmediately=False,
                                          RotationRules={"AutomaticallyAfterDays": 9})
                return "ok"
            except ClientError as e:
                return (error_code(e), error_message(e))

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            first = pool.submit(configure, names[0])
            import time
            time.sleep(1.5)
            second = pool.submit(configure, names[1])
            results = [first.result(timeout=60), second.result(timeout=60)]
        assert results == ["ok", "ok"], results
    finally:
        stop(srv)


def test_schedule_expression_and_duration_are_described(srv, sm, fn):
    name, _ = make_secret(sm, fn)
    sm.rotate_secret(SecretId=name, RotationLambdaARN=fn.arn, RotateImmediately=False,
                     RotationRules={"ScheduleExpression": "rate(10 hours)", "Duration": "2h"})
    d = sm.describe_secret(SecretId=name)
    # As AWS shows an hourly rate: one day, with the expression.
    assert d["RotationRules"] == {"AutomaticallyAfterDays": 1, "Duration": "2h",
                                  "ScheduleExpression": "rate(10 hours)"}
    now = server_now(srv)
    midnight = int(now // DAY) * DAY
    starts = [midnight + h * 3600 for h in (0, 10, 20)] + [midnight + DAY]
    start = min(s for s in starts if s > now)
    assert describe_raw(srv, name)["NextRotationDate"] == start + 2 * 3600 - 1

    name2, _ = make_secret(sm, fn)
    sm.rotate_secret(SecretId=name2, RotationLambdaARN=fn.arn, RotateImmediately=False,
                     RotationRules={"ScheduleExpression": "cron(0 16 ? * MON *)"})
    d = sm.describe_secret(SecretId=name2)
    assert d["RotationRules"] == {"AutomaticallyAfterDays": 7,
                                  "ScheduleExpression": "cron(0 16 ? * MON *)"}


def test_rotate_again_without_rules_keeps_the_stored_ones(srv, sm, fn):
    name, _ = make_secret(sm, fn)
    sm.rotate_secret(SecretId=name, RotationLambdaARN=fn.arn, RotateImmediately=False,
                     RotationRules={"ScheduleExpression": "cron(0 8 1 * ? *)", "Duration": "3h"})
    sm.rotate_secret(SecretId=name, RotateImmediately=False)
    d = sm.describe_secret(SecretId=name)
    assert d["RotationLambdaARN"] == fn.arn
    assert d["RotationRules"]["ScheduleExpression"] == "cron(0 8 1 * ? *)"
    assert d["RotationRules"]["Duration"] == "3h"


def test_cancel_rotate_secret_turns_rotation_off_and_keeps_the_rules(srv, sm, fn):
    name, arn = make_secret(sm, fn)
    sm.rotate_secret(SecretId=name, RotationLambdaARN=fn.arn, RotateImmediately=False,
                     RotationRules={"AutomaticallyAfterDays": 30})
    r = sm.cancel_rotate_secret(SecretId=name)
    assert r["ARN"] == arn and r["Name"] == name and "VersionId" not in r
    d = sm.describe_secret(SecretId=name)
    assert d["RotationEnabled"] is False
    assert d["RotationLambdaARN"] == fn.arn
    assert d["RotationRules"] == {"AutomaticallyAfterDays": 30}
    assert "NextRotationDate" not in describe_raw(srv, name)
    # Turning it on again needs no arguments but the secret.
    sm.rotate_secret(SecretId=name, RotateImmediately=False)
    assert sm.describe_secret(SecretId=name)["RotationEnabled"] is True


def test_rotate_secret_errors(srv, sm, fn):
    name, _ = make_secret(sm, fn)
    expect("ResourceNotFoundException", sm.rotate_secret, SecretId=new_name("missing"),
           RotationLambdaARN=fn.arn)
    # No function, ever.
    expect("InvalidRequestException", sm.rotate_secret, SecretId=name,
           message="No Lambda rotation function ARN is associated with this secret.")
    # Functions that cannot be invoked, as AWS says it.
    for arn in (function_arn("not-registered"), "arn:aws:lambda:us-east-1:123456789012:layer:x",
                "not-an-arn", function_arn(fn.name, region="eu-west-1"),
                function_arn(fn.name, account="210987654321")):
        expect("AccessDeniedException", sm.rotate_secret, SecretId=name,
               RotationLambdaARN=arn, message=MSG_CANNOT_INVOKE)
    assert "RotationEnabled" not in sm.describe_secret(SecretId=name)
    # A secret scheduled for deletion.
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    expect("InvalidRequestException", sm.rotate_secret, SecretId=name,
           RotationLambdaARN=fn.arn,
           message="You can't perform this operation on the secret because it was "
                   "marked for deletion.")
    expect("InvalidRequestException", sm.cancel_rotate_secret, SecretId=name)


def test_rotate_secret_without_token_over_raw_http(srv, sm, fn):
    name, _ = make_secret(sm, fn)
    r = raw(srv, "RotateSecret", {"SecretId": name, "RotationLambdaARN": fn.arn})
    assert r.status == 400
    assert r.error_type == "InvalidParameterException"
    assert r.message == ("You must provide a ClientRequestToken value. We recommend a "
                         "UUID-type value.")


@pytest.mark.parametrize("rules,code,message", [
    ({"AutomaticallyAfterDays": 0}, "ValidationException",
     "1 validation error detected: Value '0' at 'rotationRules.automaticallyAfterDays' "
     "failed to satisfy constraint: Member must have value greater than or equal to 1"),
    ({"AutomaticallyAfterDays": 1001}, "ValidationException",
     "1 validation error detected: Value '1001' at 'rotationRules.automaticallyAfterDays' "
     "failed to satisfy constraint: Member must have value less than or equal to 1000"),
    ({"ScheduleExpression": "rate(1 day)", "Duration": "3x"}, "ValidationException",
     "1 validation error detected: Value '3x' at 'rotationRules.duration' failed to "
     "satisfy constraint: Member must satisfy regular expression pattern: [0-9]+h"),
    ({"ScheduleExpression": "rate(1 day);"}, "ValidationException",
     "1 validation error detected: Value 'rate(1 day);' at 'rotationRules.scheduleExpression' "
     "failed to satisfy constraint: Member must satisfy regular expression pattern: "
     "[0-9A-Za-z\\(\\)#\\?\\*\\-\\/, ]+"),
    ({"AutomaticallyAfterDays": 10, "ScheduleExpression": "rate(10 days)"},
     "InvalidParameterException",
     "You cannot specify both rotation frequency and schedule expression together."),
    ({"ScheduleExpression": "rate(3 hours)"}, "InvalidParameterException",
     "Rate in hour should be least 4 and less than 24."),
    ({"ScheduleExpression": "rate(1000 days)"}, "InvalidParameterException",
     "Rate in day should be greater than 0 and less than 1000."),
    ({"ScheduleExpression": "rate(5 minutes)"}, "InvalidParameterException",
     "Invalid schedule expression."),
    ({"ScheduleExpression": "cron(15 10 * * ? *)"}, "InvalidParameterException",
     "Invalid schedule expression."),
    ({"ScheduleExpression": "cron(0 10 * * * *)"}, "InvalidParameterException",
     "Invalid schedule expression."),
    ({"ScheduleExpression": "cron(0 10 * * ? 2030)"}, "InvalidParameterException",
     "Invalid schedule expression."),
    ({"ScheduleExpression": "cron(0 */2 * * ? *)"}, "InvalidParameterException",
     "Invalid schedule expression."),
    ({"ScheduleExpression": "cron(0 10 * *)"}, "InvalidParameterException",
     "Invalid schedule expression."),
    ({"ScheduleExpression": "rate(1 day)", "Duration": "25h"}, "InvalidParameterException",
     "Duration must be at least 1 hour, at most 24 hour."),
    ({"ScheduleExpression": "rate(6 hours)", "Duration": "7h"}, "InvalidParameterException",
     "Duration cannot be greater than Rate in hour."),
    ({"ScheduleExpression": "cron(0 22 * * ? *)", "Duration": "4h"},
     "InvalidParameterException", "Starting hour and duration must be within a day."),
])
def test_rotation_rules_are_checked_as_aws_does(srv, fn, rules, code, message):
    sm = client(srv, validate=False)
    name, _ = make_secret(sm, fn)
    expect(code, sm.rotate_secret, SecretId=name, RotationLambdaARN=fn.arn,
           RotationRules=rules, RotateImmediately=False, message=message)
    assert "RotationEnabled" not in sm.describe_secret(SecretId=name)


def test_builtin_rotator_preflight_refuses_what_cannot_work(srv, sm):
    arn_single = function_arn("sesame-builtin-mysql-single-user")
    # A login the database cannot accept (nothing listens on port 1).
    name, _ = make_secret(sm)
    sm.put_secret_value(SecretId=name, SecretString=json.dumps(
        {"engine": "mysql", "host": "127.0.0.1", "port": 1, "username": "app",
         "password": "x"}))
    msg = expect("InvalidRequestException", sm.rotate_secret, SecretId=name,
                 RotationLambdaARN=arn_single, RotationRules={"AutomaticallyAfterDays": 1})
    assert "sesame-builtin-mysql-single-user" in msg
    assert "RotationEnabled" not in sm.describe_secret(SecretId=name)
    # An unknown built-in name.
    msg = expect("InvalidRequestException", sm.rotate_secret, SecretId=name,
                 RotationLambdaARN=function_arn("sesame-builtin-oracle-single-user"))
    assert "is not a built-in rotator" in msg
    # Not a database login at all (when the rotator is built in).
    name2, _ = make_secret(sm)
    sm.put_secret_value(SecretId=name2, SecretString="plain text")
    msg = expect("InvalidRequestException", sm.rotate_secret, SecretId=name2,
                 RotationLambdaARN=arn_single)
    assert "sesame-builtin-mysql-single-user" in msg or "database login" in msg
    # Built-in names cannot be registered.
    r = srv.data_dir.admin("function", "register", "--arn", arn_single,
                           "--command", "/bin/true")
    assert r.returncode != 0 and "reserved" in r.stderr


# --------------------------------------------------------------------------
# an external function through the four steps
# --------------------------------------------------------------------------

def test_external_function_rotates_through_the_four_steps(srv, sm, fn):
    name, arn = make_secret(sm, fn)
    old_version = version_with(sm, name, "AWSCURRENT")
    token = new_token()
    r = sm.rotate_secret(SecretId=name, ClientRequestToken=token, RotationLambdaARN=fn.arn,
                         RotationRules={"AutomaticallyAfterDays": 30})
    assert r["VersionId"] == token
    d = wait_outcome(srv, name)
    assert d["SesameRotationStatus"] == "Succeeded", d

    calls = fn.calls(arn)
    assert [c["step"] for c in calls] == ["createSecret", "setSecret", "testSecret",
                                         "finishSecret"]
    assert {c["token"] for c in calls} == {token}
    # The event carries a RotationToken, and the environment the endpoint,
    # the region and a key of the attempt's own, never the root key.
    assert all(c["rotation_token"] and len(c["rotation_token"]) >= 36 for c in calls)
    assert {c["endpoint"] for c in calls} == {srv.endpoint}
    assert {c["region"] for c in calls} == {"us-east-1"}
    assert len({c["key"] for c in calls}) == 1
    key = calls[0]["key"]
    assert key and key != srv.credentials().access_key
    assert not any(c["has_root_key"] for c in calls)
    # Temporary credentials: a session key with its token.
    assert key.startswith("ASIA") and calls[0]["session_token"]

    # AWSCURRENT moved to the new version, AWSPREVIOUS to the old one, and
    # AWSPENDING is gone.
    assert stages(sm, name) == {token: ["AWSCURRENT"], old_version: ["AWSPREVIOUS"]}
    value = json.loads(sm.get_secret_value(SecretId=name)["SecretString"])
    assert value["username"] == "app"
    assert value["password"] != "first-password" and len(value["password"]) == 32
    assert value["password"] in fn.accepted()
    d = sm.describe_secret(SecretId=name)
    assert d["RotationEnabled"] is True and "LastRotatedDate" in d
    # The attempt's key is gone with it.
    assert key not in rotation_keys(srv)
    from harness import Creds
    with pytest.raises(ClientError) as ei:
        client(srv, creds=Creds(key, calls[0]["secret_key"])).list_secrets()
    assert error_code(ei.value) == "UnrecognizedClientException"
    with pytest.raises(ClientError) as ei:
        session_client(srv, key, calls[0]["secret_key"],
                       calls[0]["session_token"]).list_secrets()
    assert error_code(ei.value) == "UnrecognizedClientException"

    # Every step is an audit event.
    names = [e["eventName"] for e in audit_events(srv, arn, {
        "RotationStarted", "RotationStepSucceeded", "RotationSucceeded", "RotationFailed"})]
    assert names == ["RotationStarted"] + ["RotationStepSucceeded"] * 4 + ["RotationSucceeded"]
    ev = audit_events(srv, arn, {"RotationSucceeded"})[0]
    assert ev["eventType"] == "AwsServiceEvent"
    assert ev["additionalEventData"]["versionId"] == token

    # The same token again: that rotation is done; nothing runs again.
    r = sm.rotate_secret(SecretId=name, ClientRequestToken=token)
    assert r["VersionId"] == token
    assert len(fn.calls(arn)) == 4
    out = admin_rotation_status(srv, "--secret-id", name)
    assert out.returncode == 0, out.stderr
    assert "last outcome:  Succeeded" in out.stdout and arn in out.stdout


def test_failed_step_keeps_awscurrent_and_a_retry_with_the_same_token_completes(srv, sm, fn):
    fn.control({"fail": {"testSecret": 1}})
    try:
        name, arn = make_secret(sm, fn)
        old_version = version_with(sm, name, "AWSCURRENT")
        token = new_token()
        sm.rotate_secret(SecretId=name, ClientRequestToken=token, RotationLambdaARN=fn.arn)
        d = wait_outcome(srv, name)
        assert d["SesameRotationStatus"] == "Failed"
        assert d["SesameRotationStep"] == "testSecret"
        assert d["SesameRotationVersionId"] == token
        assert d["SesameLastRotationError"].startswith("testSecret: ")
        assert "exit status 3" in d["SesameLastRotationError"]

        # AWSCURRENT is untouched and still works; the new version waits.
        value = json.loads(sm.get_secret_value(SecretId=name)["SecretString"])
        assert value["password"] == "first-password"
        assert "first-password" in fn.accepted()
        assert stages(sm, name) == {old_version: ["AWSCURRENT"], token: ["AWSPENDING"]}
        assert [c["step"] for c in fn.calls(arn)] == ["createSecret", "setSecret",
                                                      "testSecret"]
        ev = audit_events(srv, arn, {"RotationFailed"})
        assert len(ev) == 1 and ev[0]["additionalEventData"]["step"] == "testSecret"
        assert ev[0]["errorCode"] == "RotationFailed"
        out = admin_rotation_status(srv, "--secret-id", arn)
        assert "last outcome:  Failed (step testSecret, attempt 1)" in out.stdout
        assert "last error:    testSecret:" in out.stdout
        # The attempt's key went with the attempt.
        assert not any(c["key"] in rotation_keys(srv) for c in fn.calls(arn))

        # Another rotation is refused as AWS does while this one is pending.
        expect("InvalidRequestException", sm.rotate_secret, SecretId=name,
               ClientRequestToken=new_token(), message=MSG_IN_PROGRESS)
        # The same token retries it, with the same pending version.
        r = sm.rotate_secret(SecretId=name, ClientRequestToken=token)
        assert r["VersionId"] == token
        d = wait_outcome(srv, name, statuses=("Succeeded",))
        assert "SesameLastRotationError" not in d
        calls = fn.calls(arn)
        assert [c["step"] for c in calls] == [
            "createSecret", "setSecret", "testSecret",
            "createSecret", "setSecret", "testSecret", "finishSecret"]
        assert {c["token"] for c in calls} == {token}
        assert len({c["key"] for c in calls}) == 2      # one key per attempt
        assert stages(sm, name) == {token: ["AWSCURRENT"], old_version: ["AWSPREVIOUS"]}
        # createSecret's second run reused the pending value.
        value = json.loads(sm.get_secret_value(SecretId=name)["SecretString"])
        assert fn.accepted().count(value["password"]) == 1
    finally:
        fn.control({})


def test_cancel_abandons_a_failed_rotation_and_leaves_awspending(srv, sm, fn):
    fn.control({"fail": {"setSecret": 1}})
    try:
        name, arn = make_secret(sm, fn)
        token = new_token()
        sm.rotate_secret(SecretId=name, ClientRequestToken=token, RotationLambdaARN=fn.arn,
                         RotationRules={"AutomaticallyAfterDays": 5})
        assert wait_outcome(srv, name)["SesameRotationStatus"] == "Failed"
        r = sm.cancel_rotate_secret(SecretId=name)
        assert r["VersionId"] == token
        d = describe_raw(srv, name)
        assert d["RotationEnabled"] is False
        assert d["SesameRotationStatus"] == "Cancelled"
        assert "SesameRotationVersionId" not in d
        # As on AWS, the version keeps AWSPENDING until someone removes it,
        # and a new rotation is refused meanwhile.
        assert "AWSPENDING" in stages(sm, name)[token]
        expect("InvalidRequestException", sm.rotate_secret, SecretId=name,
               ClientRequestToken=new_token(), message=MSG_IN_PROGRESS)
        sm.update_secret_version_stage(SecretId=name, VersionStage="AWSPENDING",
                                       RemoveFromVersionId=token)
        token2 = new_token()
        sm.rotate_secret(SecretId=name, ClientRequestToken=token2)
        d = wait_outcome(srv, name)
        assert d["SesameRotationStatus"] == "Succeeded"
        assert version_with(sm, name, "AWSCURRENT") == token2
    finally:
        fn.control({})


def test_removed_function_cannot_be_invoked(srv, sm, tmp_path):
    other = RotationFunction(srv, tmp_path).register()
    name, arn = make_secret(sm, other)
    sm.rotate_secret(SecretId=name, RotationLambdaARN=other.arn, RotateImmediately=False,
                     RotationRules={"AutomaticallyAfterDays": 1})
    r = srv.data_dir.admin("function", "remove", "--arn", other.arn)
    assert r.returncode == 0, r.stderr
    token = new_token()
    # The pre-flight check sees it first.
    expect("AccessDeniedException", sm.rotate_secret, SecretId=name, ClientRequestToken=token,
           message=MSG_CANNOT_INVOKE)
    # Only the test RotateImmediately=False ran while it was registered.
    assert [c["step"] for c in other.calls(arn)] == ["testSecret"]


def test_function_registry_commands(srv, tmp_path):
    dd = srv.data_dir
    script = tmp_path / "f.sh"
    script.write_text("#!/bin/sh\nexit 0\n")
    script.chmod(0o755)
    arn = function_arn(f"reg-{uuid.uuid4().hex[:6]}")
    for args, text in [
        (["--arn", "arn:aws:lambda:us-east-1:123:function:x", "--command", str(script)],
         "not a Lambda function ARN"),
        (["--arn", arn, "--command", "relative/path"], "absolute path"),
        (["--arn", arn, "--command", str(tmp_path / "missing")], "not an executable"),
        (["--arn", arn, "--url", "http://192.0.2.1:8080/rotate"], "loopback"),
        (["--arn", arn, "--url", "ftp://127.0.0.1/x"], "http://"),
        (["--arn", arn], "--command or --url"),
        (["--arn", arn, "--command", str(script), "--timeout-seconds", "0"], "1 to 900"),
    ]:
        r = dd.admin("function", "register", *args)
        assert r.returncode != 0 and text in r.stderr, (args, r.stderr)
    r = dd.admin("function", "register", "--arn", arn, "--command", str(script),
                 "--timeout-seconds", "30")
    assert r.returncode == 0, r.stderr
    r = dd.admin("function", "register", "--arn", arn, "--command", str(script))
    assert r.returncode != 0 and "already registered" in r.stderr
    url_arn = function_arn(f"url-{uuid.uuid4().hex[:6]}")
    r = dd.admin("function", "register", "--arn", url_arn, "--url",
                 "http://127.0.0.1:9/rotate")
    assert r.returncode == 0, r.stderr
    listing = dd.admin("function", "list").stdout
    assert f"{arn}\tcommand\t{script}\t30s" in listing
    assert f"{url_arn}\turl\thttp://127.0.0.1:9/rotate\tdefault" in listing
    assert dd.admin("function", "remove", "--arn", arn).returncode == 0
    r = dd.admin("function", "remove", "--arn", arn)
    assert r.returncode != 0 and "no function is registered" in r.stderr
    assert arn not in dd.admin("function", "list").stdout
    r = dd.admin("function", "frobnicate")
    assert r.returncode == 2


def test_url_function_gets_the_event_and_credentials(srv, sm, fn, tmp_path):
    """A function registered as a URL: an HTTP server on loopback that
    answers each step by running the command function's logic."""
    import http.server
    import subprocess
    import threading

    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            event = json.loads(body)
            received.append((event, dict(self.headers)))
            env = {"AWS_ENDPOINT_URL": self.headers["X-Sesame-Endpoint-Url"],
                   "AWS_REGION": self.headers["X-Sesame-Region"],
                   "AWS_ACCESS_KEY_ID": self.headers["X-Sesame-Access-Key-Id"],
                   "AWS_SECRET_ACCESS_KEY": self.headers["X-Sesame-Secret-Access-Key"],
                   "AWS_SESSION_TOKEN": self.headers["X-Sesame-Session-Token"],
                   "AWS_CONFIG_FILE": "/dev/null",
                   "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
                   "PATH": "/usr/bin:/bin"}
            rc = subprocess.run([str(fn.path)], input=body, env=env,
                                capture_output=True, timeout=60).returncode
            self.send_response(200 if rc == 0 else 500)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url_arn = function_arn(f"url-{uuid.uuid4().hex[:6]}")
        r = srv.data_dir.admin("function", "register", "--arn", url_arn, "--url",
                               f"http://127.0.0.1:{httpd.server_port}/rotate")
        assert r.returncode == 0, r.stderr
        name, arn = make_secret(sm, fn)
        token = new_token()
        sm.rotate_secret(SecretId=name, ClientRequestToken=token, RotationLambdaARN=url_arn)
        d = wait_outcome(srv, name)
        assert d["SesameRotationStatus"] == "Succeeded", d
        assert [e["Step"] for e, _ in received] == ["createSecret", "setSecret",
                                                    "testSecret", "finishSecret"]
        assert {e["ClientRequestToken"] for e, _ in received} == {token}
        assert {e["SecretId"] for e, _ in received} == {arn}
        assert version_with(sm, name, "AWSCURRENT") == token
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_rotation_status_of_unknown_secret(srv):
    r = admin_rotation_status(srv, "--secret-id", "never/configured")
    assert r.returncode == 1 and "never had rotation configured" in r.stderr
    r = run_sesame("admin", "--data-dir", srv.data_dir.path, "rotation-status",
                   "--account-id", ACCOUNT)
    assert r.returncode == 0


def test_documented_shell_function_rotates_a_token(srv, sm, tmp_path):
    """docs/rotation.md's rotate-token.sh, as printed there, with the aws CLI."""
    from harness import REPO
    doc = (REPO / "docs" / "rotation.md").read_text()
    after = doc.split("<!-- rotate-token.sh", 1)[1]
    script = after.split("```sh\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "rotate-token.sh"
    path.write_text(script)
    path.chmod(0o755)
    arn = function_arn(f"rotate-token-{uuid.uuid4().hex[:6]}")
    r = srv.data_dir.admin("function", "register", "--arn", arn, "--command", str(path))
    assert r.returncode == 0, r.stderr
    name = new_name("token")
    first = sm.create_secret(Name=name, SecretString="first-token")["VersionId"]
    token = new_token()
    sm.rotate_secret(SecretId=name, ClientRequestToken=token, RotationLambdaARN=arn,
                     RotationRules={"ScheduleExpression": "rate(30 days)"})
    d = wait_outcome(srv, name, timeout=180)
    assert d["SesameRotationStatus"] == "Succeeded", d
    assert stages(sm, name) == {token: ["AWSCURRENT"], first: ["AWSPREVIOUS"]}
    value = sm.get_secret_value(SecretId=name)["SecretString"]
    assert value != "first-token" and len(value) == 40 and value.isalnum()
