"""Fixtures of the Sesame end-to-end suite; the helpers live in harness.py.

Everything drives the real binary (env SESAME_BIN, default <repo>/build/sesame)
as a subprocess and talks to it over loopback only.

sesame_bin      path of the binary (every test is skipped when it is missing)
server          the shared, session-scoped server (account 123456789012); per
                test it checks the process is still alive and that no sanitizer
                report appeared in its stderr meanwhile
fresh_server    a server of its own for one test
make_server     factory: make_server(data_dir, **opts) -> started Server,
                stopped at teardown with SIGTERM (exit 0 asserted)
init_data_dir   factory: init_data_dir(account_id=None, env=None) -> DataDir
sm              boto3 secretsmanager client bound to `server` (us-east-1)
aws_cli         `aws` CLI runner bound to `server`
tls_cert        (cert, key) made by openssl at test time
"""

import os
import subprocess

import pytest

from harness import (SESAME_BIN, SHARED_ACCOUNT, Server, check_sanitizer_text,
                     new_name, sesame_init)


# --------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------

def pytest_collection_modifyitems(config, items):
    if SESAME_BIN.exists():
        return
    skip = pytest.mark.skip(reason=f"sesame binary not found at {SESAME_BIN} (set SESAME_BIN)")
    for item in items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def sesame_bin():
    return SESAME_BIN


@pytest.fixture(scope="session")
def _shared_server(tmp_path_factory):
    base = tmp_path_factory.mktemp("shared")
    dd = sesame_init(base / "data", account_id=SHARED_ACCOUNT)
    srv = Server(dd, base / "server.log", account_id=SHARED_ACCOUNT)
    srv.start()
    yield srv
    srv.stop(check=True)


@pytest.fixture
def server(_shared_server):
    """The shared server; after the test it must still be alive and clean."""
    offset = _shared_server.log_size()
    yield _shared_server
    if not _shared_server.alive():
        pytest.fail(f"shared server died during the test (rc={_shared_server.proc.poll()}):\n"
                    f"{_shared_server.log_text()[offset:][-4000:]}")
    check_sanitizer_text(_shared_server.log_text()[offset:], "shared server log")


@pytest.fixture
def init_data_dir(tmp_path):
    counter = {"n": 0}

    def make(account_id=None, env=None):
        counter["n"] += 1
        return sesame_init(tmp_path / f"data{counter['n']}", account_id=account_id,
                           env=env)
    return make


@pytest.fixture
def make_server(tmp_path):
    started = []
    counter = {"n": 0}

    def make(data_dir, **kw):
        counter["n"] += 1
        srv = Server(data_dir, tmp_path / f"server{counter['n']}.log", **kw)
        started.append(srv)
        srv.start()
        return srv
    yield make
    errors = []
    for srv in started:
        if srv.proc is not None:
            try:
                srv.stop(check=True)
            except BaseException as e:   # pytest.fail raises BaseException
                errors.append(str(e))
    if errors:
        pytest.fail("\n".join(errors))


@pytest.fixture
def fresh_server(init_data_dir, make_server):
    dd = init_data_dir(account_id="210987654321")
    return make_server(dd)


@pytest.fixture
def sm(server):
    return server.client()


@pytest.fixture
def aws_cli(server):
    def run(*args, **kw):
        return server.aws(*args, **kw)
    return run


@pytest.fixture
def unique_name():
    return new_name


@pytest.fixture(scope="session")
def tls_cert(tmp_path_factory):
    d = tmp_path_factory.mktemp("certs")
    cert, key = d / "cert.pem", d / "key.pem"
    r = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec",
         "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2",
         "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    os.chmod(key, 0o600)
    return cert, key


