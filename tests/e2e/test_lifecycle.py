"""The binary's life outside single requests: init, start, stop, restart,
root key handling, at-rest encryption, TLS, listen policy, logs, admin
commands.  Every test here gets data folders and servers of its own.
"""

import base64
import json
import os
import re
import secrets
import signal
import stat
import subprocess
import time

import pytest
from botocore.exceptions import ClientError

from harness import (SESAME_BIN, Creds, DataDir, check_sanitizer_text, error_code,
                     expect_client_error, free_port, parse_key_lines, run_sesame,
                     sesame_init)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def start_expect_failure(data_dir, *extra, env=None, listen=None, timeout=15):
    """Run `sesame server` that must refuse to start: return (rc, output)."""
    port = free_port()
    cmd = [str(SESAME_BIN), "server", "--data-dir", str(data_dir),
           "--listen", listen or f"127.0.0.1:{port}", *map(str, extra)]
    full_env = dict(os.environ)
    full_env.pop("SESAME_ROOT_KEY", None)
    full_env.update(env or {})
    p = subprocess.Popen(cmd, env=full_env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        out, _ = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
        pytest.fail(f"server kept running although it should refuse to start: {cmd}\n"
                    f"{out.decode(errors='replace')[-3000:]}")
    text = out.decode(errors="replace")
    check_sanitizer_text(text, "refused server start")
    return p.returncode, text


def account_of(arn):
    return arn.split(":")[4]


def files_snapshot(d):
    return {p.name: p.read_bytes() for p in sorted(d.iterdir()) if p.is_file()}


# --------------------------------------------------------------------------
# init
# --------------------------------------------------------------------------

def test_init_writes_database_root_key_and_credentials_with_private_modes(tmp_path):
    d = tmp_path / "data"
    r = run_sesame("init", "--data-dir", d)
    assert r.returncode == 0, r.stderr
    assert (d / "sesame.db").is_file()
    key = (d / "root.key").read_text().strip()
    assert re.fullmatch(r"[0-9a-fA-F]{64}", key), key
    assert mode(d / "root.key") == 0o600
    assert mode(d / "credentials") == 0o600
    creds = DataDir(d).credentials()
    assert len(creds.access_key) >= 16 and re.fullmatch(r"[A-Z0-9]+", creds.access_key)
    assert len(creds.secret_key) >= 30
    assert creds.region == "us-east-1"
    # the output does not print the root key
    assert key not in r.stdout and key not in r.stderr


def test_init_picks_a_random_12_digit_account_id(tmp_path, make_server):
    accounts = []
    for i in range(2):
        dd = sesame_init(tmp_path / f"d{i}")
        srv = make_server(dd)
        arn = srv.client().create_secret(Name="probe", SecretString="x")["ARN"]
        accounts.append(account_of(arn))
        srv.stop()
    assert all(re.fullmatch(r"\d{12}", a) for a in accounts), accounts
    assert accounts[0] != accounts[1]


def test_init_with_account_id_uses_it_in_arns(init_data_dir, make_server):
    srv = make_server(init_data_dir(account_id="555566667777"))
    arn = srv.client().create_secret(Name="acct", SecretString="x")["ARN"]
    assert arn.startswith("arn:aws:secretsmanager:us-east-1:555566667777:secret:acct-")


def test_init_honours_sesame_root_key_env_and_writes_no_root_key(tmp_path, make_server):
    key = secrets.token_hex(32)
    d = tmp_path / "data"
    r = run_sesame("init", "--data-dir", d, env={"SESAME_ROOT_KEY": key})
    assert r.returncode == 0, r.stderr
    assert not (d / "root.key").exists()
    assert mode(d / "credentials") == 0o600
    srv = make_server(DataDir(d, env={"SESAME_ROOT_KEY": key}))
    sm = srv.client()
    sm.create_secret(Name="k", SecretString="with env key")
    srv.restart()
    assert srv.client().get_secret_value(SecretId="k")["SecretString"] == "with env key"


@pytest.mark.parametrize("bad", ["abc", "zz" * 32, "00" * 31, "00" * 33])
def test_init_rejects_malformed_sesame_root_key(tmp_path, bad):
    d = tmp_path / "data"
    r = run_sesame("init", "--data-dir", d, env={"SESAME_ROOT_KEY": bad})
    assert r.returncode != 0
    assert not (d / "credentials").exists(), "a failed init handed out credentials"


def test_init_refuses_an_existing_data_dir_without_touching_it(tmp_path):
    dd = sesame_init(tmp_path / "data")
    before = files_snapshot(dd.path)
    stats = {n: os.stat(dd.path / n).st_mtime_ns for n in before}
    r = run_sesame("init", "--data-dir", dd.path)
    assert r.returncode != 0
    assert r.stderr.strip(), "init failed silently"
    assert files_snapshot(dd.path) == before
    assert {n: os.stat(dd.path / n).st_mtime_ns for n in before} == stats
    r2 = run_sesame("init", "--data-dir", dd.path, "--account-id", "111111111111")
    assert r2.returncode != 0
    assert files_snapshot(dd.path) == before


def test_server_on_uninitialised_folder_refuses_to_start(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    rc, out = start_expect_failure(empty)
    assert rc != 0
    assert not (empty / "sesame.db").exists() or (empty / "sesame.db").stat().st_size == 0


def test_unknown_subcommand_fails(tmp_path):
    r = run_sesame("frobnicate", "--data-dir", tmp_path)
    assert r.returncode != 0


# --------------------------------------------------------------------------
# root key at start
# --------------------------------------------------------------------------

def test_server_refuses_to_start_with_a_different_root_key(tmp_path, make_server):
    key = secrets.token_hex(32)
    dd = sesame_init(tmp_path / "data", env={"SESAME_ROOT_KEY": key})
    srv = make_server(dd)
    srv.client().create_secret(Name="guarded", SecretString="v")
    srv.stop()
    wrong = secrets.token_hex(32)
    rc, out = start_expect_failure(dd.path, env={"SESAME_ROOT_KEY": wrong})
    assert rc != 0
    assert "key" in out.lower(), f"no clear error about the root key: {out!r}"
    assert wrong not in out and key not in out
    # the right key still works afterwards: the failed start broke nothing
    srv2 = make_server(dd)
    assert srv2.client().get_secret_value(SecretId="guarded")["SecretString"] == "v"


def test_server_refuses_to_start_with_a_replaced_root_key_file(tmp_path, make_server):
    dd = sesame_init(tmp_path / "data")
    original = (dd.path / "root.key").read_text()
    (dd.path / "root.key").write_text(secrets.token_hex(32) + "\n")
    rc, out = start_expect_failure(dd.path)
    assert rc != 0
    assert "key" in out.lower(), out
    (dd.path / "root.key").write_text(original)
    make_server(dd)


def test_server_refuses_to_start_without_any_root_key(tmp_path):
    key = secrets.token_hex(32)
    dd = sesame_init(tmp_path / "data", env={"SESAME_ROOT_KEY": key})
    rc, out = start_expect_failure(dd.path)
    assert rc != 0
    assert "key" in out.lower(), out


# --------------------------------------------------------------------------
# restart and stop
# --------------------------------------------------------------------------

def _describe(sm, sid):
    d = sm.describe_secret(SecretId=sid)
    d.pop("ResponseMetadata", None)
    d.pop("LastAccessedDate", None)
    return d


def test_restart_keeps_secrets_versions_labels_and_deletions(init_data_dir, make_server):
    dd = init_data_dir(account_id="333344445555")
    srv = make_server(dd)
    sm = srv.client()
    eu = srv.client(region="eu-west-1")

    versions = {}
    sm.create_secret(Name="multi", SecretString="v1", Description="three versions",
                     Tags=[{"Key": "a", "Value": "b"}])
    for v in ("v2", "v3"):
        sm.put_secret_value(SecretId="multi", SecretString=v)
    for vid in sm.describe_secret(SecretId="multi")["VersionIdsToStages"]:
        versions[vid] = sm.get_secret_value(SecretId="multi", VersionId=vid)["SecretString"]
    binary = bytes(range(256)) * 3
    sm.create_secret(Name="bin", SecretBinary=binary)
    sm.create_secret(Name="novalue", Description="empty")
    sm.create_secret(Name="scheduled", SecretString="gone soon")
    sm.delete_secret(SecretId="scheduled", RecoveryWindowInDays=7)
    sm.create_secret(Name="forced", SecretString="gone")
    sm.delete_secret(SecretId="forced", ForceDeleteWithoutRecovery=True)
    eu.create_secret(Name="multi", SecretString="europe")

    before = {n: _describe(sm, n) for n in ("multi", "bin", "novalue", "scheduled")}
    listed = sorted(s["ARN"] for s in sm.list_secrets()["SecretList"])

    srv.stop()
    srv2 = make_server(dd)
    sm2 = srv2.client()
    eu2 = srv2.client(region="eu-west-1")

    for n, d in before.items():
        assert _describe(sm2, n) == d, n
    for vid, value in versions.items():
        assert sm2.get_secret_value(SecretId="multi", VersionId=vid)["SecretString"] == value
    assert sm2.get_secret_value(SecretId="multi")["SecretString"] == "v3"
    assert sm2.get_secret_value(SecretId="multi", VersionStage="AWSPREVIOUS")["SecretString"] == "v2"
    assert sm2.get_secret_value(SecretId="bin")["SecretBinary"] == binary
    assert eu2.get_secret_value(SecretId="multi")["SecretString"] == "europe"
    assert sorted(s["ARN"] for s in sm2.list_secrets()["SecretList"]) == listed
    expect_client_error(sm2.describe_secret, "ResourceNotFoundException", SecretId="forced")
    expect_client_error(sm2.get_secret_value, "InvalidRequestException", SecretId="scheduled")
    sm2.restore_secret(SecretId="scheduled")
    assert sm2.get_secret_value(SecretId="scheduled")["SecretString"] == "gone soon"
    # writes keep working after the restart
    sm2.put_secret_value(SecretId="multi", SecretString="v4")
    assert sm2.get_secret_value(SecretId="multi")["SecretString"] == "v4"


def test_sigterm_exits_zero_promptly_with_an_idle_keep_alive_connection(fresh_server):
    conn = fresh_server.connection()
    conn.request("GET", "/health")
    r = conn.getresponse()
    r.read()
    assert r.status == 200
    t0 = time.monotonic()
    rc = fresh_server.stop(check=True)
    assert rc == 0
    assert time.monotonic() - t0 < 10
    conn.close()


def test_sigint_also_stops_the_server(fresh_server):
    fresh_server.proc.send_signal(signal.SIGINT)
    fresh_server.proc.wait(timeout=20)
    assert fresh_server.stop(check=True) == 0


# --------------------------------------------------------------------------
# at rest
# --------------------------------------------------------------------------

def _leaks(data_dir, needles):
    """(file, label) for each needle found in any file of the data folder
    (database, WAL, audit logs, ...) except the two key files."""
    found = []
    for p in sorted(data_dir.rglob("*")):
        if not p.is_file() or p.relative_to(data_dir).as_posix() in ("credentials", "root.key"):
            continue
        blob = p.read_bytes()
        for label, needle in needles.items():
            if needle in blob:
                found.append((p.relative_to(data_dir).as_posix(), label))
    return found


def test_data_folder_files_contain_no_secret_value_or_key(init_data_dir, make_server):
    dd = init_data_dir()
    srv = make_server(dd)
    sm = srv.client()
    tag = secrets.token_hex(8)
    values = {
        "string": f"PLAINTEXT-MARKER-{tag}-correct-horse-battery-staple",
        "json": f'{{"password":"JSONMARKER{tag}"}}',
        "unicode": f"\u79d8\u5bc6-UNICODE-{tag}-\u00e9\u00e8",
        "long": f"LONGMARKER{tag}" * 400,
        "updated": f"UPDATEMARKER-{tag}",
    }
    binary = b"\x00BINARYMARKER" + tag.encode() + b"\xff" * 40
    sm.create_secret(Name="s1", SecretString=values["string"])
    sm.put_secret_value(SecretId="s1", SecretString=values["json"])
    sm.create_secret(Name="s2", SecretString=values["unicode"])
    sm.create_secret(Name="s3", SecretString=values["long"])
    sm.create_secret(Name="s4", SecretBinary=binary)
    sm.update_secret(SecretId="s2", SecretString=values["updated"])
    sm.create_secret(Name="s5", SecretString=values["string"] + "-deleted")
    sm.delete_secret(SecretId="s5")
    password = sm.get_random_password(PasswordLength=48)["RandomPassword"]
    files = sorted(p.relative_to(dd.path).as_posix() for p in dd.path.rglob("*") if p.is_file())
    assert "sesame.db" in files

    needles = {"random-password": password.encode()}
    for label, v in values.items():
        raw = v.encode()
        needles[label] = raw[:40] if len(raw) > 40 else raw
        needles[label + "/b64"] = base64.b64encode(raw)[:32]
        needles[label + "/hex"] = raw.hex()[:40].encode()
    needles["binary"] = binary
    needles["binary/marker"] = b"BINARYMARKER" + tag.encode()
    needles["binary/b64"] = base64.b64encode(binary)[:32]
    creds = dd.credentials()
    needles["secret-access-key"] = creds.secret_key.encode()
    root_hex = (dd.path / "root.key").read_text().strip()
    needles["root-key-hex"] = root_hex.encode()
    needles["root-key-hex-upper"] = root_hex.upper().encode()
    needles["root-key-raw"] = bytes.fromhex(root_hex)

    assert _leaks(dd.path, needles) == [], "plaintext found while running"
    srv.stop()
    assert _leaks(dd.path, needles) == [], "plaintext found after shutdown"


def test_logs_are_json_lines_without_secret_values(init_data_dir, make_server):
    dd = init_data_dir()
    srv = make_server(dd, log_level="debug")
    sm = srv.client()
    marker = "LOGMARKER-" + secrets.token_hex(8)
    sm.create_secret(Name="logged", SecretString=marker)
    sm.put_secret_value(SecretId="logged", SecretString=marker + "-2")
    sm.get_secret_value(SecretId="logged")
    sm.create_secret(Name="logged-bin", SecretBinary=marker.encode())
    pw = sm.get_random_password()["RandomPassword"]
    with pytest.raises(ClientError):
        sm.create_secret(Name="logged", SecretString=marker + "-dup")
    creds = dd.credentials()
    bad = srv.client(creds=Creds(creds.access_key, "W" * 40))
    with pytest.raises(ClientError):
        bad.get_secret_value(SecretId="logged")
    srv.stop()

    text = srv.log_text()
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert lines, "the server logged nothing at debug level"
    for ln in lines:
        obj = json.loads(ln)
        assert isinstance(obj, dict), ln
    for needle in (marker, base64.b64encode(marker.encode()).decode()[:20], pw,
                   creds.secret_key, (dd.path / "root.key").read_text().strip()):
        assert needle not in text, f"log leaks {needle[:12]}..."


# --------------------------------------------------------------------------
# listen policy and TLS
# --------------------------------------------------------------------------

@pytest.mark.parametrize("listen", ["0.0.0.0", "[::]"])
def test_non_loopback_listen_without_tls_is_refused(init_data_dir, listen):
    dd = init_data_dir()
    rc, out = start_expect_failure(dd.path, listen=f"{listen}:{free_port()}")
    assert rc != 0
    assert out.strip(), "refused without saying why"


def test_non_loopback_listen_with_allow_insecure_remote_starts(init_data_dir, make_server):
    dd = init_data_dir()
    srv = make_server(dd, listen_host="0.0.0.0", extra_args=["--allow-insecure-remote"])
    status, _, _ = srv.http_get("/health")
    assert status == 200
    assert srv.client().get_random_password()["RandomPassword"]


def test_https_with_certificate_made_at_test_time(init_data_dir, make_server, tls_cert):
    dd = init_data_dir()
    srv = make_server(dd, tls=tls_cert)
    assert srv.endpoint.startswith("https://")
    status, _, body = srv.http_get("/health")
    assert status == 200 and json.loads(body) == {"status": "ok"}
    sm = srv.client()
    sm.create_secret(Name="tls", SecretString="over tls")
    assert sm.get_secret_value(SecretId="tls")["SecretString"] == "over tls"
    out = srv.aws("secretsmanager", "get-secret-value", "--secret-id", "tls").json
    assert out["SecretString"] == "over tls"


def test_https_server_does_not_speak_plain_http(init_data_dir, make_server, tls_cert):
    import http.client
    srv = make_server(init_data_dir(), tls=tls_cert)
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=5)
    try:
        try:
            conn.request("GET", "/health")
            r = conn.getresponse()
            assert r.status != 200
        except (OSError, http.client.HTTPException):
            pass
    finally:
        conn.close()
    assert srv.http_get("/health")[0] == 200


def test_https_client_rejects_an_untrusted_certificate(init_data_dir, make_server, tls_cert,
                                                       tmp_path):
    from botocore.exceptions import SSLError
    srv = make_server(init_data_dir(), tls=tls_cert)
    other_cert = tmp_path / "other.pem"
    other_key = tmp_path / "other.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(other_key),
                    "-out", str(other_cert), "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    import boto3
    from botocore.config import Config
    c = boto3.session.Session(aws_access_key_id="x", aws_secret_access_key="y",
                              region_name="us-east-1").client(
        "secretsmanager", endpoint_url=srv.endpoint, verify=str(other_cert),
        config=Config(retries={"total_max_attempts": 1}))
    with pytest.raises(SSLError):
        c.get_random_password()


def test_https_on_non_loopback_address_is_allowed(init_data_dir, make_server, tls_cert):
    srv = make_server(init_data_dir(), tls=tls_cert, listen_host="0.0.0.0")
    assert srv.http_get("/health")[0] == 200


def test_tls_with_missing_certificate_file_refuses_to_start(init_data_dir, tmp_path, tls_cert):
    dd = init_data_dir()
    rc, out = start_expect_failure(dd.path, "--tls-cert", tmp_path / "missing.pem",
                                   "--tls-key", tls_cert[1])
    assert rc != 0


# --------------------------------------------------------------------------
# admin commands
# --------------------------------------------------------------------------

def test_admin_create_account_while_running_gives_a_separate_account(init_data_dir,
                                                                      make_server):
    dd = init_data_dir(account_id="100000000001")
    srv = make_server(dd)
    first = srv.client()
    a1 = first.create_secret(Name="shared-name", SecretString="account one")["ARN"]
    first.create_secret(Name="only-in-one", SecretString="x")

    r = dd.admin("create-account", "--account-id", "200000000002")
    assert r.returncode == 0, r.stderr
    ak, sk = parse_key_lines(r.stdout)
    second = srv.client(creds=Creds(ak, sk))
    a2 = second.create_secret(Name="shared-name", SecretString="account two")["ARN"]
    assert account_of(a1) == "100000000001" and account_of(a2) == "200000000002"
    assert second.get_secret_value(SecretId="shared-name")["SecretString"] == "account two"
    assert first.get_secret_value(SecretId="shared-name")["SecretString"] == "account one"
    assert [s["Name"] for s in second.list_secrets()["SecretList"]] == ["shared-name"]
    expect_client_error(second.describe_secret, "ResourceNotFoundException",
                        SecretId="only-in-one")
    with pytest.raises(ClientError) as ei:
        second.get_secret_value(SecretId=a1)
    assert error_code(ei.value) in ("ResourceNotFoundException", "AccessDeniedException")
    second.delete_secret(SecretId="shared-name", ForceDeleteWithoutRecovery=True)
    assert first.get_secret_value(SecretId="shared-name")["SecretString"] == "account one"


def test_admin_create_existing_account_fails(init_data_dir):
    dd = init_data_dir(account_id="100000000003")
    assert dd.admin("create-account", "--account-id", "100000000004").returncode == 0
    assert dd.admin("create-account", "--account-id", "100000000004").returncode != 0
    assert dd.admin("create-account", "--account-id", "100000000003").returncode != 0


@pytest.mark.parametrize("bad", ["12345", "abcdefghijkl", "1234567890123"])
def test_admin_create_account_rejects_malformed_account_id(init_data_dir, bad):
    dd = init_data_dir()
    assert dd.admin("create-account", "--account-id", bad).returncode != 0


def test_admin_import_access_key_from_stdin(init_data_dir, make_server):
    dd = init_data_dir(account_id="300000000003")
    srv = make_server(dd)
    srv.client().create_secret(Name="mine", SecretString="first account")
    r = dd.admin("create-account", "--account-id", "400000000004")
    assert r.returncode == 0, r.stderr

    ak = "AKIA" + secrets.token_hex(8).upper()
    sk = base64.b64encode(secrets.token_bytes(30)).decode()[:40]
    r = dd.admin("import-access-key", "--account-id", "400000000004",
                 "--access-key-id", ak, "--secret-access-key", "-", input=sk + "\n")
    assert r.returncode == 0, r.stderr
    assert sk not in r.stdout and sk not in r.stderr
    imported = srv.client(creds=Creds(ak, sk))
    arn = imported.create_secret(Name="mine", SecretString="second account")["ARN"]
    assert account_of(arn) == "400000000004"
    assert imported.get_secret_value(SecretId="mine")["SecretString"] == "second account"
    assert srv.client().get_secret_value(SecretId="mine")["SecretString"] == "first account"
    # the same id with another secret is not accepted by the server
    wrong = srv.client(creds=Creds(ak, sk[::-1]))
    with pytest.raises(ClientError) as ei:
        wrong.list_secrets()
    assert error_code(ei.value) == "InvalidSignatureException"


def test_admin_import_access_key_for_the_initial_account_sees_its_secrets(init_data_dir,
                                                                         make_server):
    dd = init_data_dir(account_id="500000000005")
    srv = make_server(dd)
    srv.client().create_secret(Name="visible", SecretString="to every admin")
    ak = "AKIA" + secrets.token_hex(8).upper()
    sk = secrets.token_hex(20)
    r = dd.admin("import-access-key", "--account-id", "500000000005",
                 "--access-key-id", ak, "--secret-access-key", sk)
    assert r.returncode == 0, r.stderr
    c = srv.client(creds=Creds(ak, sk))
    assert c.get_secret_value(SecretId="visible")["SecretString"] == "to every admin"


def test_admin_import_duplicate_or_unknown_account_fails(init_data_dir):
    dd = init_data_dir(account_id="600000000006")
    ak = "AKIA" + secrets.token_hex(8).upper()
    r = dd.admin("import-access-key", "--account-id", "999999999999",
                 "--access-key-id", ak, "--secret-access-key", "-", input="s" * 40 + "\n")
    assert r.returncode != 0
    ok = dd.admin("import-access-key", "--account-id", "600000000006",
                  "--access-key-id", ak, "--secret-access-key", "-", input="s" * 40 + "\n")
    assert ok.returncode == 0, ok.stderr
    again = dd.admin("import-access-key", "--account-id", "600000000006",
                     "--access-key-id", ak, "--secret-access-key", "-",
                     input="t" * 40 + "\n")
    assert again.returncode != 0


def test_admin_account_made_while_stopped_works_after_start(init_data_dir, make_server):
    dd = init_data_dir(account_id="700000000007")
    r = dd.admin("create-account", "--account-id", "800000000008")
    assert r.returncode == 0, r.stderr
    ak, sk = parse_key_lines(r.stdout)
    srv = make_server(dd)
    arn = srv.client(creds=Creds(ak, sk)).create_secret(Name="x", SecretString="y")["ARN"]
    assert account_of(arn) == "800000000008"


# --------------------------------------------------------------------------
# health
# --------------------------------------------------------------------------

def test_health_answers_without_authentication(fresh_server):
    status, headers, body = fresh_server.http_get("/health")
    assert status == 200
    assert json.loads(body) == {"status": "ok"}


def test_second_server_on_the_same_port_is_refused(init_data_dir, make_server):
    """Each worker listens on the port with SO_REUSEPORT; a second server
    started on it by mistake must still fail, not share the connections."""
    first = make_server(init_data_dir(account_id="123412341234"))
    other = init_data_dir(account_id="432143214321")
    out = subprocess.run([str(SESAME_BIN), "server", "--data-dir",
                          str(other.path), "--listen",
                          f"127.0.0.1:{first.port}"],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode != 0
    assert "Address already in use" in out.stderr + out.stdout
    # Every new connection still reaches the first server.
    arn = first.client().create_secret(Name="port/only-mine",
                                       SecretString="v")["ARN"]
    assert ":123412341234:" in arn
    for _ in range(16):
        assert first.client().describe_secret(SecretId=arn)["ARN"] == arn
