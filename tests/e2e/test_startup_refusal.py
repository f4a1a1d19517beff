"""Start-up refuses what it cannot read: a database or root key that is
missing, unreadable or corrupted stops `sesame server` with a clear message
(exit status non-zero, nothing served), and the refusal leaves the data
as it was.  The server never starts empty over data it could not read.

Each case copies one initialised data folder (with secrets in it), breaks
one thing, and runs `sesame server` on it.
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import pytest

from harness import SESAME_BIN, Server, sesame_init
from reliability_helpers import record_figures

ACCOUNT = "789012345678"
START_TIMEOUT = 20     # a refusal takes milliseconds; this only bounds a hang


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory):
    """An initialised data folder holding 40 secrets, server stopped."""
    base = tmp_path_factory.mktemp("refusal")
    dd = sesame_init(base / "data", account_id=ACCOUNT)
    srv = Server(dd, base / "server.log")
    srv.start()
    sm = srv.client()
    for i in range(40):
        sm.create_secret(Name=f"refusal/{i}", SecretString=f"{i}:" + "s" * 3000)
    srv.stop()
    return dd.path


@pytest.fixture
def data_dir(base_dir, tmp_path):
    d = tmp_path / "data"
    shutil.copytree(base_dir, d)
    return d


def digest(path):
    p = Path(path)
    if not p.is_file():
        return None
    return hashlib.sha256(p.read_bytes()).hexdigest()


def start(data_dir, *extra, env=None, as_user=None, timeout=START_TIMEOUT):
    """Run `sesame server` and expect it to stop by itself; returns
    (exit status, combined output).  A server that starts serving is a
    failure of the test, not a hang."""
    full_env = dict(os.environ)
    full_env.pop("SESAME_ROOT_KEY", None)
    full_env.update(env or {})
    cmd = [str(SESAME_BIN), "server", "--data-dir", str(data_dir),
           "--listen", "127.0.0.1:0", *extra]
    if as_user is not None:
        cmd = ["setpriv", f"--reuid={as_user}", f"--regid={as_user}",
               "--clear-groups", *cmd]
    try:
        r = subprocess.run(cmd, env=full_env, capture_output=True, text=True,
                           timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"") + (e.stderr or b"")
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
        pytest.fail(f"the server started instead of refusing:\n{out[-3000:]}")
    out = r.stdout + r.stderr
    assert "listening on" not in out, f"the server listened before refusing:\n{out}"
    assert "AddressSanitizer" not in out and "runtime error:" not in out, out
    return r.returncode, out


def expect_refusal(data_dir, phrase, *extra, env=None, as_user=None,
                   unchanged=True, timeout=START_TIMEOUT):
    before = digest(data_dir / "sesame.db")
    rc, out = start(data_dir, *extra, env=env, as_user=as_user, timeout=timeout)
    assert rc != 0, f"exit status 0 after a refusal:\n{out}"
    assert phrase.lower() in out.lower(), f"expected {phrase!r} in:\n{out}"
    if unchanged:
        assert digest(data_dir / "sesame.db") == before, \
            "a refused start changed the database file"
    return out


# ---- the database ----

def test_missing_database_is_refused(data_dir):
    (data_dir / "sesame.db").unlink()
    expect_refusal(data_dir, "not an initialised data folder")
    assert not (data_dir / "sesame.db").exists(), "a refused start created a database"


def test_missing_data_folder_is_refused(tmp_path):
    expect_refusal(tmp_path / "nowhere", "not an initialised data folder")
    assert not (tmp_path / "nowhere").exists()


def test_database_with_garbage_header_is_refused(data_dir):
    with open(data_dir / "sesame.db", "r+b") as f:
        f.write(b"this is not a sqlite database at all")
    expect_refusal(data_dir, "not a valid SQLite database")


def test_database_that_is_random_bytes_is_refused(data_dir):
    size = (data_dir / "sesame.db").stat().st_size
    (data_dir / "sesame.db").write_bytes(os.urandom(size))
    expect_refusal(data_dir, "not a valid SQLite database")


def test_empty_database_file_is_refused(data_dir):
    (data_dir / "sesame.db").write_bytes(b"")
    # The file had nothing to lose; what matters is that no server starts
    # on an empty store with the old root key and credentials.
    expect_refusal(data_dir, "root key check", unchanged=False)


def test_truncated_database_is_refused(data_dir):
    with open(data_dir / "sesame.db", "r+b") as f:
        f.truncate(3 * 4096)
    out = expect_refusal(data_dir, "sesame", unchanged=False)
    assert "malformed" in out or "damaged" in out or "not a valid" in out, out


def test_database_with_damaged_pages_is_refused(data_dir):
    db = data_dir / "sesame.db"
    pages = db.stat().st_size // 4096
    assert pages > 20, pages
    with open(db, "r+b") as f:
        f.seek(4096 * (pages // 2))
        f.write(os.urandom(4096 * 4))
    # A refusal is immediate; a server that starts is waited for briefly.
    expect_refusal(data_dir, "damaged", timeout=3)


def test_database_of_another_program_is_refused(data_dir):
    db = data_dir / "sesame.db"
    db.unlink()
    con = sqlite3.connect(str(db))
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA application_id = 1234")
    con.execute("CREATE TABLE notes (body TEXT)")
    con.execute("INSERT INTO notes VALUES ('precious')")
    con.commit()
    con.close()
    expect_refusal(data_dir, "belongs to another program")


def test_rollback_journal_database_of_another_program_is_left_as_it_was(data_dir):
    db = data_dir / "sesame.db"
    db.unlink()
    con = sqlite3.connect(str(db))
    con.execute("PRAGMA application_id = 1234")
    con.execute("CREATE TABLE notes (body TEXT)")
    con.execute("INSERT INTO notes VALUES ('precious')")
    con.commit()
    con.close()
    expect_refusal(data_dir, "belongs to another program")


def test_database_from_a_newer_sesame_is_refused(data_dir):
    con = sqlite3.connect(str(data_dir / "sesame.db"))
    con.execute("PRAGMA user_version = 9999")
    con.commit()
    con.close()
    expect_refusal(data_dir, "newer Sesame")


def test_database_that_is_a_folder_is_refused(data_dir):
    (data_dir / "sesame.db").unlink()
    (data_dir / "sesame.db").mkdir()
    expect_refusal(data_dir, "not a regular file")


def test_database_behind_a_symlink_is_refused(data_dir):
    db = data_dir / "sesame.db"
    db.rename(data_dir / "elsewhere.db")
    db.symlink_to("elsewhere.db")
    expect_refusal(data_dir, "not a regular file")


def test_stale_shared_memory_file_is_rebuilt(data_dir, tmp_path):
    """Garbage in sesame.db-shm (a crash can leave anything there) is not
    data: SQLite rebuilds it from the WAL, and every secret reads back."""
    (data_dir / "sesame.db-shm").write_bytes(os.urandom(32768))
    from harness import DataDir
    srv = Server(DataDir(data_dir, ACCOUNT), tmp_path / "server.log")
    srv.start()
    try:
        sm = srv.client()
        for i in (0, 17, 39):
            assert sm.get_secret_value(SecretId=f"refusal/{i}")["SecretString"] \
                == f"{i}:" + "s" * 3000
    finally:
        srv.stop()


# ---- the root key ----

def test_missing_root_key_is_refused(data_dir):
    (data_dir / "root.key").unlink()
    expect_refusal(data_dir, "cannot open root key file")


def test_root_key_readable_by_others_is_refused(data_dir):
    os.chmod(data_dir / "root.key", 0o644)
    expect_refusal(data_dir, "permissions")


@pytest.mark.parametrize("content", [b"", b"zz\n", b"0" * 63 + b"\n",
                                     b"0" * 65, b"g" * 64, b"0" * 64 + b"\n\n",
                                     b"0" * 32 + b"\0" + b"0" * 31],
                         ids=["empty", "short", "63-hex", "65-hex", "not-hex",
                              "two-newlines", "nul-byte"])
def test_malformed_root_key_is_refused(data_dir, content):
    (data_dir / "root.key").write_bytes(content)
    os.chmod(data_dir / "root.key", 0o600)
    expect_refusal(data_dir, "64 hex characters")


def test_wrong_root_key_is_refused(data_dir):
    (data_dir / "root.key").write_text(os.urandom(32).hex() + "\n")
    expect_refusal(data_dir, "does not match")


def test_wrong_root_key_in_environment_is_refused(data_dir):
    expect_refusal(data_dir, "does not match",
                   env={"SESAME_ROOT_KEY": os.urandom(32).hex()})


def test_malformed_root_key_in_environment_is_refused(data_dir):
    expect_refusal(data_dir, "64 hex characters", env={"SESAME_ROOT_KEY": "abc"})


def test_root_key_that_is_a_fifo_is_refused_without_hanging(data_dir):
    (data_dir / "root.key").unlink()
    os.mkfifo(data_dir / "root.key", 0o600)
    expect_refusal(data_dir, "not a regular file")


def test_root_key_that_is_a_folder_is_refused(data_dir):
    (data_dir / "root.key").unlink()
    (data_dir / "root.key").mkdir(mode=0o700)
    expect_refusal(data_dir, "not a regular file")


# ---- files this user may not read ----

@pytest.fixture
def nobody_dir(base_dir):
    """A copy of the data folder owned by nobody, in a folder nobody can
    reach (pytest's own tmp folders are 0700 root)."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to test files another user "
                    "cannot read (root reads everything)")
    top = Path(tempfile.mkdtemp(prefix="sesame-nobody-"))
    os.chmod(top, 0o755)
    d = top / "data"
    shutil.copytree(base_dir, d)
    for p in [d, *d.rglob("*")]:
        os.chown(p, 65534, 65534, follow_symlinks=False)
    yield d
    shutil.rmtree(top, ignore_errors=True)


def test_unreadable_database_is_refused(nobody_dir):
    os.chmod(nobody_dir / "sesame.db", 0)
    expect_refusal(nobody_dir, "cannot open the database", as_user=65534)


def test_unreadable_root_key_is_refused(nobody_dir):
    os.chmod(nobody_dir / "root.key", 0)
    expect_refusal(nobody_dir, "Permission denied", as_user=65534)


def test_readable_copy_as_nobody_starts(nobody_dir):
    """The control case: the same folder, readable, serves (so the two
    refusals above are about the files, not about the user)."""
    proc = subprocess.Popen(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
         str(SESAME_BIN), "server", "--data-dir", str(nobody_dir), "--listen",
         "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)
    try:
        line = ""
        for line in proc.stdout:
            if "listening on" in line:
                break
        assert "listening on" in line, line
    finally:
        proc.terminate()
        proc.wait(timeout=20)


# ---- the audit folder and the configuration ----

def test_audit_folder_that_is_a_file_is_refused(data_dir):
    shutil.rmtree(data_dir / "audit", ignore_errors=True)
    (data_dir / "audit").write_text("not a folder")
    expect_refusal(data_dir, "audit")


def test_configuration_error_names_file_and_line(data_dir):
    (data_dir / "sesame.conf").write_text("# ok\nthreads = 2\ncolour = blue\n")
    out = expect_refusal(data_dir, "sesame.conf:3: unknown option 'colour'")
    record_figures("startup_refusal_config", message=out.strip()[-200:])


def test_long_comment_line_is_only_a_comment(data_dir):
    (data_dir / "sesame.conf").write_text(
        "#" + "x" * 4094 + "colour = blue\n")
    rc, out = start(data_dir, "--check")
    assert rc == 0 and "configuration OK" in out, out
