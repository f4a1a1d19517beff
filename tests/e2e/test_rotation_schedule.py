"""The rotation scheduler with an injected clock (--test-clock-offset-seconds):
a rate(1 day) secret rotates once a day, a cron schedule inside its window
at the moment drawn for the secret (not when the window opens),
a rotation due while the server was down runs after it starts, a failed
attempt is retried by the scheduler with the same pending version, a value
written by hand counts as a rotation for AutomaticallyAfterDays, and a
server killed (-9) or stopped in the middle of a rotation completes it at
its next start.

Each test has a server of its own; restarting it with another clock offset
is how time passes."""

import json
import time

import pytest

from harness import new_name, new_token
from rotation_helpers import (DAY, RotationFunction, audit_events, client,
                              describe_raw, kill_hard, process_kill, restart,
                              rotates_at, rotation_keys, rotation_server, server_now,
                              stages, stop, version_with, wait_for, wait_outcome)

HOUR = 3600


@pytest.fixture
def srv(tmp_path):
    s = rotation_server(tmp_path / "server")
    yield s
    stop(s)


@pytest.fixture
def fn(srv, tmp_path):
    return RotationFunction(srv, tmp_path / "functions").register()


def make_secret(sm, fn):
    name = new_name("sched")
    arn = sm.create_secret(Name=name, SecretString=json.dumps(
        {"username": "app", "password": "first-password"}))["ARN"]
    fn.accept("first-password")
    return name, arn


def finished(fn, arn):
    return [c["token"] for c in fn.calls(arn) if c["step"] == "finishSecret"]


def rotation_calls(fn, arn):
    """The function's calls but the test RotateSecret runs when it does not
    rotate at once (its first call, a testSecret)."""
    calls = fn.calls(arn)
    assert calls and calls[0]["step"] == "testSecret", calls
    return calls[1:]


def offset_for(server_time):
    """The clock offset that makes the server's now server_time."""
    return int(server_time - time.time())


def test_rate_one_day_rotates_once_a_day_and_catches_up_after_downtime(srv, fn):
    sm = client(srv)
    name, arn = make_secret(sm, fn)
    sm.rotate_secret(SecretId=name, RotationLambdaARN=fn.arn, RotateImmediately=False,
                     RotationRules={"ScheduleExpression": "rate(1 day)"})
    day = int(server_now(srv) // DAY)
    assert describe_raw(srv, name)["NextRotationDate"] == (day + 2) * DAY - 1
    time.sleep(3)
    assert rotation_calls(fn, arn) == []

    # The rotation starts at a moment inside the window (the next UTC
    # day), drawn for this secret, leaving the window's last quarter hour.
    at = rotates_at(srv, name)
    assert (day + 1) * DAY <= at < (day + 2) * DAY - 15 * 60

    # Late on the next day: the window opened at midnight and its moment
    # passed while the server was down; it rotates once it starts.
    restart(srv, offset_for((day + 2) * DAY - 10 * 60))
    sm = client(srv)
    wait_for(lambda: len(finished(fn, arn)) == 1, what="the first rotation")
    d = wait_outcome(srv, name, ("Succeeded",))
    assert (day + 1) * DAY <= d["LastRotatedDate"] < (day + 2) * DAY
    assert d["NextRotationDate"] == (day + 3) * DAY - 1
    first = finished(fn, arn)[0]
    assert version_with(sm, name, "AWSCURRENT") == first
    time.sleep(3)
    assert len(finished(fn, arn)) == 1, "rotated twice on one day"

    # A day later: once more, and only once.
    at = rotates_at(srv, name)
    assert (day + 2) * DAY <= at < (day + 3) * DAY - 15 * 60
    restart(srv, offset_for((day + 3) * DAY - 10 * 60))
    sm = client(srv)
    wait_for(lambda: len(finished(fn, arn)) == 2, what="the second rotation")
    second = finished(fn, arn)[1]
    assert second != first
    wait_outcome(srv, name, ("Succeeded",))
    assert stages(sm, name) == {second: ["AWSCURRENT"], first: ["AWSPREVIOUS"]}
    time.sleep(3)
    assert len(finished(fn, arn)) == 2


def test_cron_schedule_fires_inside_its_window(srv, fn):
    sm = client(srv)
    name, arn = make_secret(sm, fn)
    sm.rotate_secret(SecretId=name, RotationLambdaARN=fn.arn, RotateImmediately=False,
                     RotationRules={"ScheduleExpression": "cron(0 5 * * ? *)",
                                    "Duration": "2h"})
    now = server_now(srv)
    window = int(now // DAY) * DAY + 5 * HOUR
    if window <= now:
        window += DAY
    assert describe_raw(srv, name)["NextRotationDate"] == window + 2 * HOUR - 1

    at = rotates_at(srv, name)
    assert window <= at < window + 2 * HOUR - 15 * 60

    # An hour before the window: nothing.
    restart(srv, offset_for(window - HOUR))
    time.sleep(3)
    assert rotation_calls(fn, arn) == []
    # In the window, before the secret's moment: nothing yet.
    if at - window >= 60:
        restart(srv, offset_for(at - 40))
        time.sleep(3)
        assert rotation_calls(fn, arn) == []
    # Its moment came: it rotates.
    restart(srv, offset_for(at + 5))
    wait_for(lambda: len(finished(fn, arn)) == 1, what="the rotation in the window")
    d = wait_outcome(srv, name, ("Succeeded",))
    assert at <= d["LastRotatedDate"] < window + 2 * HOUR
    assert d["NextRotationDate"] == window + DAY + 2 * HOUR - 1
    time.sleep(2)
    assert len(finished(fn, arn)) == 1


def test_value_written_by_hand_counts_as_a_rotation_for_automatic_days(srv, fn):
    sm = client(srv)
    name, arn = make_secret(sm, fn)
    sm.rotate_secret(SecretId=name, RotationLambdaARN=fn.arn, RotateImmediately=False,
                     RotationRules={"AutomaticallyAfterDays": 2})
    day = int(server_now(srv) // DAY)
    # The next day, someone changes the value.
    restart(srv, offset_for((day + 1) * DAY + 10 * HOUR))
    sm = client(srv)
    sm.put_secret_value(SecretId=name, SecretString=json.dumps(
        {"username": "app", "password": "by-hand"}))
    fn.accept("by-hand")
    # Two days after the first: two days after the change have not passed.
    restart(srv, offset_for((day + 2) * DAY + 2 * HOUR))
    wait_for(lambda: describe_raw(srv, name)["NextRotationDate"] == (day + 4) * DAY - 1,
             what="the window to move")
    assert rotation_calls(fn, arn) == []
    restart(srv, offset_for((day + 4) * DAY - 10 * 60))
    wait_for(lambda: len(finished(fn, arn)) == 1, what="the rotation")


def test_failed_attempt_is_retried_by_the_scheduler(tmp_path):
    srv = rotation_server(tmp_path / "server", retry=2)
    try:
        fn = RotationFunction(srv, tmp_path / "functions").register()
        fn.control({"fail": {"setSecret": 2}})
        sm = client(srv)
        name, arn = make_secret(sm, fn)
        token = new_token()
        sm.rotate_secret(SecretId=name, ClientRequestToken=token, RotationLambdaARN=fn.arn)
        wait_for(lambda: len(finished(fn, arn)) == 1, timeout=90, what="the rotation")
        wait_outcome(srv, name, ("Succeeded",))
        steps = [c["step"] for c in fn.calls(arn)]
        assert steps == ["createSecret", "setSecret"] * 3 + ["testSecret", "finishSecret"]
        assert {c["token"] for c in fn.calls(arn)} == {token}
        assert version_with(sm, name, "AWSCURRENT") == token
        names = [e["eventName"] for e in audit_events(srv, arn, {
            "RotationStarted", "RotationFailed", "RotationSucceeded"})]
        assert names == ["RotationStarted", "RotationFailed"] * 2 + [
            "RotationStarted", "RotationSucceeded"]
        assert rotation_keys(srv) == []
    finally:
        stop(srv)


def test_kill_9_during_a_rotation_is_completed_at_the_next_start(srv, fn):
    sm = client(srv)
    name, arn = make_secret(sm, fn)
    old = version_with(sm, name, "AWSCURRENT")
    fn.control({"hang_once": "setSecret"})
    token = new_token()
    sm.rotate_secret(SecretId=name, ClientRequestToken=token, RotationLambdaARN=fn.arn)
    reached = wait_for(lambda: fn.reached_path.exists() and
                       json.loads(fn.reached_path.read_text()), what="setSecret")
    kill_hard(srv)
    process_kill(reached["pid"])
    # Mid-rotation: the pending version exists, AWSCURRENT has not moved,
    # and the dead attempt's key is still stored.
    assert len(rotation_keys(srv)) == 1

    srv.start()
    sm = client(srv)
    d = wait_outcome(srv, name, ("Succeeded",))
    assert "SesameLastRotationError" not in d
    assert stages(sm, name) == {token: ["AWSCURRENT"], old: ["AWSPREVIOUS"]}
    steps = [c["step"] for c in fn.calls(arn)]
    assert steps == ["createSecret", "setSecret", "createSecret", "setSecret",
                     "testSecret", "finishSecret"]
    assert {c["token"] for c in fn.calls(arn)} == {token}
    assert rotation_keys(srv) == []
    value = json.loads(sm.get_secret_value(SecretId=name)["SecretString"])
    assert value["password"] in fn.accepted()


def test_server_stopping_mid_rotation_kills_the_function_and_resumes_later(srv, fn):
    sm = client(srv)
    name, arn = make_secret(sm, fn)
    fn.control({"hang_once": "testSecret"})
    token = new_token()
    sm.rotate_secret(SecretId=name, ClientRequestToken=token, RotationLambdaARN=fn.arn)
    reached = wait_for(lambda: fn.reached_path.exists() and
                       json.loads(fn.reached_path.read_text()), what="testSecret")
    started = time.monotonic()
    srv.stop(check=True)            # SIGTERM: exits cleanly, soon
    assert time.monotonic() - started < 15
    with pytest.raises(ProcessLookupError):
        import os
        os.kill(reached["pid"], 0)
    assert "the server stopped" in srv.log_text()
    srv.start()
    sm = client(srv)
    d = wait_outcome(srv, name, ("Succeeded",))
    assert version_with(sm, name, "AWSCURRENT") == token
    assert [c["step"] for c in fn.calls(arn)] == [
        "createSecret", "setSecret", "testSecret",
        "createSecret", "setSecret", "testSecret", "finishSecret"]
    assert rotation_keys(srv) == []
    assert d["RotationEnabled"] is True


def test_failed_scheduled_rotation_waits_for_its_retry_in_an_open_window(srv, fn):
    sm = client(srv)
    name, arn = make_secret(sm, fn)
    sm.rotate_secret(SecretId=name, RotationLambdaARN=fn.arn, RotateImmediately=False,
                     RotationRules={"AutomaticallyAfterDays": 1})
    day = int(server_now(srv) // DAY)
    fn.control({"fail": {"createSecret": 1}})
    restart(srv, offset_for((day + 2) * DAY - 10 * 60))
    d = wait_outcome(srv, name, ("Failed",))
    token = d["SesameRotationVersionId"]
    # The window is open, but the failed rotation waits for its retry
    # (rotation-retry-seconds is an hour here): no attempt every pass.
    time.sleep(4)
    assert [c["step"] for c in rotation_calls(fn, arn)] == ["createSecret"]
    assert describe_raw(srv, name)["SesameRotationStatus"] == "Failed"
    # Retried by hand with its version, it completes.
    sm = client(srv)
    sm.rotate_secret(SecretId=name, ClientRequestToken=token)
    wait_outcome(srv, name, ("Succeeded",))
    assert version_with(sm, name, "AWSCURRENT") == token
    assert describe_raw(srv, name)["NextRotationDate"] == (day + 3) * DAY - 1


def test_retry_asked_for_while_an_attempt_runs_is_not_lost(srv, fn):
    sm = client(srv)
    name, arn = make_secret(sm, fn)
    fn.control({"slow_fail_once": {"testSecret": 4}})
    token = new_token()
    sm.rotate_secret(SecretId=name, ClientRequestToken=token, RotationLambdaARN=fn.arn)
    wait_for(lambda: fn.reached_path.exists(), what="testSecret")
    # The attempt is still running (and about to fail): retry it.
    sm.rotate_secret(SecretId=name, ClientRequestToken=token)
    # No retry delay (an hour here) applies: the retry runs once the
    # failed attempt ends.
    wait_outcome(srv, name, ("Succeeded",), timeout=60)
    assert [c["step"] for c in fn.calls(arn)] == [
        "createSecret", "setSecret", "testSecret",
        "createSecret", "setSecret", "testSecret", "finishSecret"]
