"""The root key: `sesame admin rotate-root-key` while servers serve, a crash
at every step of it, the environment and PKCS#11 (SoftHSM2) sources, and
refusing to start with the wrong key.
"""

import os
import subprocess
import threading
import time

import pytest

from harness import SESAME_BIN, expect_client_error, run_sesame
from test_kms_support import kms_client, sm_client, softhsm_token  # noqa: F401

K1 = "11" * 32
K2 = "22" * 32


def populate(srv, count=4):
    """Customer keys with a secret under each, a default-key secret, and a
    KMS ciphertext per key; returns what check_all expects."""
    sm, kms = sm_client(srv), kms_client(srv)
    state = {"secrets": {}, "blobs": []}
    for i in range(count):
        kid = kms.create_key()["KeyMetadata"]["KeyId"]
        sm.create_secret(Name=f"root/s{i}", SecretString=f"value-{i}",
                         KmsKeyId=kid)
        state["secrets"][f"root/s{i}"] = f"value-{i}"
        blob = kms.encrypt(KeyId=kid, Plaintext=f"plain-{i}".encode(),
                           EncryptionContext={"i": str(i)})["CiphertextBlob"]
        state["blobs"].append((blob, {"i": str(i)}, f"plain-{i}".encode()))
    sm.create_secret(Name="root/default", SecretString="default-value")
    state["secrets"]["root/default"] = "default-value"
    return state


def check_all(srv, state):
    sm, kms = sm_client(srv), kms_client(srv)
    for name, want in state["secrets"].items():
        assert sm.get_secret_value(SecretId=name)["SecretString"] == want
    for blob, ctx, want in state["blobs"]:
        assert kms.decrypt(CiphertextBlob=blob,
                           EncryptionContext=ctx)["Plaintext"] == want
    # Writes work too: new key material, a new secret version.
    kid = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.encrypt(KeyId=kid, Plaintext=b"fresh")
    sm.put_secret_value(SecretId="root/default", SecretString="default-value")


def rotate(dd, *args, env=None):
    return dd.admin("rotate-root-key", *args, env=env)


def start_refused(dd, *extra, env=None):
    """Run a server that must refuse to start; return its stderr."""
    full_env = dict(os.environ)
    full_env.pop("SESAME_ROOT_KEY", None)
    full_env.update(dd.env)
    if env:
        full_env.update(env)
    r = subprocess.run([str(SESAME_BIN), "server", "--data-dir", str(dd.path),
                        "--listen", "127.0.0.1:0", *extra], env=full_env,
                       capture_output=True, text=True, timeout=30)
    assert r.returncode != 0, r.stderr
    return r.stderr


def test_rotation_while_readers_read(init_data_dir, make_server):
    dd = init_data_dir(account_id="210987654321")
    srv = make_server(dd)
    state = populate(srv)
    old_key = (dd.path / "root.key").read_text()
    errors, reads = [], [0]
    stop = threading.Event()

    def reader():
        sm, kms = sm_client(srv), kms_client(srv)
        while not stop.is_set():
            try:
                for name, want in state["secrets"].items():
                    got = sm.get_secret_value(SecretId=name)["SecretString"]
                    assert got == want
                blob, ctx, want = state["blobs"][0]
                assert kms.decrypt(CiphertextBlob=blob,
                                   EncryptionContext=ctx)["Plaintext"] == want
                reads[0] += 1
            except Exception as e:      # noqa: BLE001 -- recorded, asserted
                errors.append(repr(e))
    threads = [threading.Thread(target=reader, daemon=True) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)
        for _ in range(2):
            r = rotate(dd)
            assert r.returncode == 0, r.stderr
            assert "root key rotated to generation" in r.stdout
            time.sleep(0.5)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == [] and reads[0] > 0
    check_all(srv, state)
    assert (dd.path / "root.key").read_text() != old_key
    assert os.stat(dd.path / "root.key").st_mode & 0o077 == 0
    srv.restart()
    check_all(srv, state)
    srv.stop()
    (dd.path / "root.key").write_text(old_key)
    err = start_refused(dd)
    assert "root key does not match" in err and "refusing to start" in err


@pytest.mark.parametrize("crash", [
    {"SESAME_TEST_CRASH_AFTER": "1"},
    {"SESAME_TEST_CRASH_AFTER": "3"},
    {"SESAME_TEST_CRASH_AT": "begun"},
    {"SESAME_TEST_CRASH_AT": "rewrapped"},
    {"SESAME_TEST_CRASH_AT": "stored"},
], ids=lambda c: "-".join(c.values()))
def test_crash_during_rotation_leaves_every_key_usable(init_data_dir,
                                                       make_server, crash):
    dd = init_data_dir(account_id="210987654321")
    srv = make_server(dd)
    state = populate(srv)
    r = rotate(dd, env=crash)
    assert r.returncode in (-9, 137), (r.returncode, r.stderr)
    # The running server never stopped answering.
    check_all(srv, state)
    # A server started now, with whatever key the file holds, reads all.
    srv.restart()
    check_all(srv, state)
    # Running the command again finishes the rotation.
    r = rotate(dd)
    assert r.returncode == 0, r.stderr
    check_all(srv, state)
    srv.restart()
    check_all(srv, state)
    # And the next rotation starts from a clean state.
    r = rotate(dd)
    assert r.returncode == 0 and "generation 3" in r.stdout, r.stdout + r.stderr
    srv.restart()
    check_all(srv, state)


def test_environment_source_rotation(init_data_dir, make_server):
    dd = init_data_dir(account_id="210987654321", env={"SESAME_ROOT_KEY": K1})
    assert not (dd.path / "root.key").exists()
    srv = make_server(dd)
    state = populate(srv)
    srv.stop()
    r = rotate(dd, "--new-source", "env")
    assert r.returncode == 2 and "SESAME_NEW_ROOT_KEY" in r.stderr
    r = rotate(dd, "--new-source", "env", env={"SESAME_NEW_ROOT_KEY": K2})
    assert r.returncode == 0, r.stderr
    assert "restart servers with SESAME_ROOT_KEY" in r.stdout
    err = start_refused(dd)
    assert "root key does not match" in err
    dd.env["SESAME_ROOT_KEY"] = K2
    srv2 = make_server(dd)
    check_all(srv2, state)


def test_wrong_and_malformed_root_keys_are_refused(init_data_dir):
    dd = init_data_dir(account_id="210987654321")
    (dd.path / "root.key").write_text(K1 + "\n")
    err = start_refused(dd)
    assert "does not match" in err
    err = start_refused(dd, env={"SESAME_ROOT_KEY": "abc"})
    assert "64 hex characters" in err
    err = start_refused(dd, "--root-key-source", "env")
    assert "SESAME_ROOT_KEY is not set" in err
    os.chmod(dd.path / "root.key", 0o644)
    err = start_refused(dd, "--root-key-source", "file")
    assert "chmod 600" in err


def test_softhsm_backed_root_key(init_data_dir, make_server, softhsm_token):
    tok = softhsm_token
    dd = init_data_dir(account_id="210987654321")
    srv = make_server(dd)
    state = populate(srv)
    srv.stop()
    r = rotate(dd, "--new-source", "pkcs11", *tok["args"][2:], env=tok["env"])
    assert r.returncode == 0, r.stderr
    assert not (dd.path / "root.key").exists()
    wrapped = dd.path / "root.key.p11"
    assert wrapped.exists() and os.stat(wrapped).st_mode & 0o077 == 0
    assert wrapped.stat().st_size == 1 + 12 + 32 + 16

    hsm = make_server(dd, extra_args=tok["args"], env=tok["env"])
    check_all(hsm, state)
    # The key file alone opens nothing, and a running server follows a
    # further rotation through the token.
    r = rotate(dd, *tok["args"], env=tok["env"])
    assert r.returncode == 0, r.stderr
    check_all(hsm, state)
    hsm.restart()
    check_all(hsm, state)
    hsm.stop()

    bad_pin = [a if a != tok["pin_file"] else tok["bad_pin_file"]
               for a in tok["args"]]
    err = start_refused(dd, *bad_pin, env=tok["env"])
    assert "PKCS#11" in err and "wrong PIN" in err
    good = wrapped.read_bytes()
    wrapped.write_bytes(good[:20] + bytes([good[20] ^ 1]) + good[21:])
    err = start_refused(dd, *tok["args"], env=tok["env"])
    assert "does not open" in err
    wrapped.write_bytes(good)
    err = start_refused(dd, *[a if a != "sesame" else "no-such-token"
                              for a in tok["args"]], env=tok["env"])
    assert "no PKCS#11 token labelled" in err
    hsm2 = make_server(dd, extra_args=tok["args"], env=tok["env"])
    check_all(hsm2, state)


def test_pkcs11_source_from_the_configuration_file(init_data_dir, make_server,
                                                   softhsm_token):
    tok = softhsm_token
    dd = init_data_dir(account_id="210987654321")
    srv = make_server(dd)
    state = populate(srv, count=1)
    srv.stop()
    conf = dd.path / "sesame.conf"
    conf.write_text("root-key-source = pkcs11\n"
                    "pkcs11-token-label = sesame\n"
                    f"pkcs11-pin-file = {tok['pin_file']}\n")
    # The configured source does not hold the key yet: the file does.
    r = rotate(dd, "--root-key-source", "file", "--new-source", "pkcs11",
               env=tok["env"])
    assert r.returncode == 0, r.stderr
    hsm = make_server(dd, env=tok["env"])
    check_all(hsm, state)
    r = run_sesame("server", "--data-dir", dd.path, "--check", env=tok["env"])
    assert r.returncode == 0 and "configuration OK" in r.stdout
    conf.write_text("root-key-source = hsm\n")
    r = run_sesame("server", "--data-dir", dd.path, "--check")
    assert r.returncode != 0 and "root-key-source" in r.stderr
    conf.write_text("root-key-source = pkcs11\n"
                    "pkcs11-token-label = sesame\n"
                    f"pkcs11-pin-file = {tok['pin_file']}\n")
    # Access keys moved with the rest: a new account's key works.
    expect_client_error(sm_client(hsm).get_secret_value,
                        "ResourceNotFoundException", SecretId="nope")


def test_sts_session_keys_survive_rotation(init_data_dir, make_server):
    import boto3
    dd = init_data_dir(account_id="210987654321")
    srv = make_server(dd)
    state = populate(srv, count=1)
    creds = srv.credentials()
    session = boto3.session.Session(aws_access_key_id=creds.access_key,
                                    aws_secret_access_key=creds.secret_key,
                                    region_name="us-east-1")
    try:
        c = session.client("sts", endpoint_url=srv.endpoint) \
            .get_session_token()["Credentials"]
    except Exception as e:      # noqa: BLE001 -- STS is another issue's
        pytest.skip(f"STS GetSessionToken is not served: {e!r}")

    def temp_sm():
        return boto3.session.Session(
            aws_access_key_id=c["AccessKeyId"],
            aws_secret_access_key=c["SecretAccessKey"],
            aws_session_token=c["SessionToken"],
            region_name="us-east-1").client("secretsmanager",
                                            endpoint_url=srv.endpoint)
    want = state["secrets"]["root/s0"]
    assert temp_sm().get_secret_value(SecretId="root/s0")["SecretString"] == want
    r = rotate(dd)
    assert r.returncode == 0, r.stderr
    srv.restart()
    assert temp_sm().get_secret_value(SecretId="root/s0")["SecretString"] == want
