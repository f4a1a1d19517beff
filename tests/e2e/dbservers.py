"""Real database servers for the end-to-end tests of the built-in rotators.

MariaDB and PostgreSQL are started from Debian's binaries, as the test
session runs, on loopback and on free ports, each in a temporary folder of
its own, and stopped (and the folder removed) when the session ends; one
of each per test process, however many modules import the fixtures, and a
watchdog process stops them should the test process be killed outright:

    mariadb_server    session fixture -> MariaDBServer
    postgres_server   session fixture -> PostgresServer
    TcpProxy          a loopback TCP relay to a server that a test can take
                      down (connections refused) and bring back, or let
                      through only a given number of connections

MariaDB runs as root when the tests do (mariadbd --user=root); PostgreSQL
refuses root, so as root it runs as the `postgres` system user of Debian's
package (or a `sesame-test` user made with useradd when that is missing),
its folder chowned to it.  Administrators' connections use the servers'
Unix sockets (root with no password for MariaDB, `postgres` trusted for
PostgreSQL); everything a test checks goes through TCP with passwords.

Each fixture skips (with the reason) only when the server's binaries are
not installed: scripts/packages.d/rotation.txt lists the packages, which
scripts/setup.sh installs.  A server that does not start fails the session
with its log.
"""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from harness import free_port

START_TIMEOUT = float(os.environ.get("SESAME_E2E_DB_START_TIMEOUT", "90"))
STOP_TIMEOUT = 30

MARIADB_BINARIES = ("mariadb-install-db", "mariadbd")
POSTGRES_VERSIONS = ("17", "16", "15", "14", "13")


def _which(name, extra_dirs=()):
    found = shutil.which(name)
    if found:
        return found
    for d in ("/usr/sbin", "/usr/bin", *extra_dirs):
        p = Path(d) / name
        if p.exists() and os.access(p, os.X_OK):
            return str(p)
    return None


def _tail(path, limit=6000):
    try:
        return Path(path).read_text(errors="replace")[-limit:]
    except FileNotFoundError:
        return f"(no {path})"


def _self_signed(directory, owner=None):
    """A certificate and key for the server's TLS; (cert, key), or None
    without openssl."""
    if not shutil.which("openssl"):
        return None
    cert, key = directory / "server.crt", directory / "server.key"
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec",
                        "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                        "-keyout", str(key), "-out", str(cert), "-days", "2",
                        "-subj", "/CN=localhost"],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"openssl req failed: {r.stderr}")
    os.chmod(key, 0o600)
    if owner is not None:
        for p in (cert, key):
            os.chown(p, *owner)
    return cert, key


def _stop_process(proc, sig):
    """Signal proc, wait, kill when it does not stop; its exit code."""
    if proc is None or proc.poll() is not None:
        return None if proc is None else proc.returncode
    proc.send_signal(sig)
    try:
        return proc.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait(timeout=STOP_TIMEOUT)


# --------------------------------------------------------------------------
# MariaDB
# --------------------------------------------------------------------------

class MariaDBServer:
    engine = "mariadb"
    default_port = 3306

    def __init__(self):
        self.install_db = _which("mariadb-install-db")
        self.mariadbd = _which("mariadbd")
        self.dir = None
        self.proc = None
        self.port = None
        self.host = "127.0.0.1"
        self.tls = None             # (cert, key) when the server offers TLS

    @property
    def socket(self):
        return str(self.dir / "mysqld.sock")

    @property
    def log_path(self):
        return self.dir / "mariadbd.log"

    def logs(self):
        return (f"--- mariadb-install-db ---\n{_tail(self.dir / 'install.log')}\n"
                f"--- mariadbd ---\n{_tail(self.log_path)}")

    def start(self):
        self.dir = Path(tempfile.mkdtemp(prefix="sesame-mariadb-"))
        root = os.geteuid() == 0
        # A temporary folder of its own: bootstraps running at once in other
        # test workers must not share /tmp's temporary tables.
        (self.dir / "tmp").mkdir()
        cmd = [self.install_db, "--no-defaults", f"--datadir={self.dir / 'data'}",
               "--auth-root-authentication-method=normal", "--skip-test-db",
               "--skip-name-resolve", f"--tmpdir={self.dir / 'tmp'}"]
        if root:
            cmd.append("--user=root")
        for _attempt in range(2):      # once more if a busy machine upset it
            shutil.rmtree(self.dir / "data", ignore_errors=True)
            with open(self.dir / "install.log", "wb") as log:
                r = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, timeout=START_TIMEOUT)
            if r.returncode == 0:
                break
        if r.returncode != 0:
            raise RuntimeError(f"mariadb-install-db failed ({r.returncode}):\n{self.logs()}")
        self.tls = _self_signed(self.dir)
        last = None
        for _attempt in range(3):
            self.port = free_port()
            cmd = [self.mariadbd, "--no-defaults", f"--datadir={self.dir / 'data'}",
                   f"--socket={self.socket}", f"--port={self.port}",
                   "--bind-address=127.0.0.1", f"--pid-file={self.dir / 'mariadbd.pid'}",
                   f"--log-error={self.log_path}", "--skip-name-resolve",
                   "--skip-log-bin", "--innodb-buffer-pool-size=16M",
                   "--innodb-log-file-size=8M", "--max-connections=200",
                   f"--tmpdir={self.dir / 'tmp'}"]
            if root:
                cmd.append("--user=root")
            if self.tls:
                cmd += [f"--ssl-cert={self.tls[0]}", f"--ssl-key={self.tls[1]}"]
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL,
                                         start_new_session=True)
            try:
                self._wait_ready()
                return self
            except RuntimeError as e:
                last = e
                _stop_process(self.proc, signal.SIGKILL)
                if "already in use" not in _tail(self.log_path).lower():
                    raise
        raise last

    def _wait_ready(self):
        import pymysql
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"mariadbd exited with {self.proc.returncode}:\n{self.logs()}")
            if os.path.exists(self.socket):
                try:
                    pymysql.connect(unix_socket=self.socket, user="root",
                                    connect_timeout=2).close()
                    return
                except pymysql.err.MySQLError:
                    pass
            time.sleep(0.1)
        raise RuntimeError(f"mariadbd not ready after {START_TIMEOUT}s:\n{self.logs()}")

    def stop(self):
        rc = _stop_process(self.proc, signal.SIGTERM)
        self.proc = None
        return rc

    # ---- clients ----

    def admin(self, *statements):
        """Run statements as root over the socket; the last one's rows."""
        import pymysql
        conn = pymysql.connect(unix_socket=self.socket, user="root", autocommit=True)
        try:
            with conn.cursor() as cur:
                rows = None
                for sql in statements:
                    cur.execute(sql)
                    rows = cur.fetchall()
                return rows
        finally:
            conn.close()

    def connect(self, user, password, port=None, database=None):
        """A TCP session as user (pymysql; raises on a failed login)."""
        import pymysql
        return pymysql.connect(host=self.host, port=port or self.port, user=user,
                               password=password, database=database,
                               connect_timeout=5, autocommit=True)

    def can_login(self, user, password, port=None):
        import pymysql
        try:
            self.connect(user, password, port=port).close()
            return True
        except pymysql.err.OperationalError as e:
            if e.args and e.args[0] in (1045, 4151):   # denied, locked
                return False
            raise

    def query(self, user, password, sql, database=None):
        conn = self.connect(user, password, database=database)
        try:
            with conn.cursor() as cur:
                cur.execute(sql)
                return cur.fetchall()
        finally:
            conn.close()

    def create_user(self, user, password):
        """user@'%' with SELECT and INSERT on a database of its own;
        (dbname, table) of a table it may read."""
        import pymysql
        db = f"{user}_db"
        self.admin(f"CREATE USER '{user}'@'%' IDENTIFIED BY "
                   f"'{pymysql.converters.escape_string(password)}'",
                   f"CREATE DATABASE `{db}`",
                   f"CREATE TABLE `{db}`.items (id INT PRIMARY KEY, name TEXT)",
                   f"INSERT INTO `{db}`.items VALUES (1, 'one')",
                   f"GRANT SELECT, INSERT ON `{db}`.* TO '{user}'@'%'")
        return db, f"`{db}`.items"

    def create_master(self, user, password):
        import pymysql
        self.admin(f"CREATE USER '{user}'@'%' IDENTIFIED BY "
                   f"'{pymysql.converters.escape_string(password)}'",
                   f"GRANT ALL PRIVILEGES ON *.* TO '{user}'@'%' WITH GRANT OPTION")

    def users(self, name_prefix):
        return sorted(r[0] for r in self.admin(
            f"SELECT User FROM mysql.user WHERE User LIKE '{name_prefix}%'"))

    def tls_sessions(self, user=None):
        """How many sessions have begun with TLS so far (all users)."""
        return int(self.admin("SHOW GLOBAL STATUS LIKE 'Ssl_accepts'")[0][1])


# --------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------

def _postgres_bindir():
    for v in POSTGRES_VERSIONS:
        d = Path(f"/usr/lib/postgresql/{v}/bin")
        if (d / "initdb").exists() and (d / "postgres").exists():
            return d
    initdb = shutil.which("initdb")
    if initdb and shutil.which("postgres"):
        return Path(initdb).parent
    return None


def _postgres_os_user():
    """(uid, gid, name) the server runs as: ourselves unless root."""
    if os.geteuid() != 0:
        return os.geteuid(), os.getegid(), pwd.getpwuid(os.geteuid()).pw_name
    for name in ("postgres", "sesame-test"):
        try:
            pw = pwd.getpwnam(name)
            return pw.pw_uid, pw.pw_gid, name
        except KeyError:
            pass
    r = subprocess.run(["useradd", "--system", "--no-create-home", "--user-group",
                        "--shell", "/usr/sbin/nologin", "sesame-test"],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"useradd sesame-test failed: {r.stderr}")
    pw = pwd.getpwnam("sesame-test")
    return pw.pw_uid, pw.pw_gid, "sesame-test"


class PostgresServer:
    engine = "postgres"
    default_port = 5432
    superuser = "postgres"

    def __init__(self):
        self.bindir = _postgres_bindir()
        self.dir = None
        self.proc = None
        self.port = None
        self.host = "127.0.0.1"
        self.tls = None             # (cert, key) when the server offers TLS

    @property
    def log_path(self):
        return self.dir / "postgres.log"

    def logs(self):
        return (f"--- initdb ---\n{_tail(self.dir / 'initdb.log')}\n"
                f"--- postgres ---\n{_tail(self.log_path)}")

    def _as_user(self):
        if os.geteuid() != 0:
            return {}
        return {"user": self.uid, "group": self.gid, "extra_groups": []}

    def start(self):
        self.uid, self.gid, self.os_user = _postgres_os_user()
        self.dir = Path(tempfile.mkdtemp(prefix="sesame-pg-"))
        os.chmod(self.dir, 0o755)
        os.chown(self.dir, self.uid, self.gid)
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
               "HOME": str(self.dir)}
        with open(self.dir / "initdb.log", "wb") as log:
            r = subprocess.run([str(self.bindir / "initdb"), "-D", str(self.dir / "data"),
                                "-U", self.superuser, "--auth-local=trust",
                                "--auth-host=scram-sha-256", "-E", "UTF8",
                                "--no-sync", "--no-instructions"],
                               stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, cwd=self.dir, env=env,
                               timeout=START_TIMEOUT, **self._as_user())
        if r.returncode != 0:
            raise RuntimeError(f"initdb failed ({r.returncode}):\n{self.logs()}")
        self.tls = _self_signed(self.dir, owner=(self.uid, self.gid))
        tls = (["-c", "ssl=on", "-c", f"ssl_cert_file={self.tls[0]}",
                "-c", f"ssl_key_file={self.tls[1]}"] if self.tls else [])
        last = None
        for _attempt in range(3):
            self.port = free_port()
            log = open(self.log_path, "ab")
            self.proc = subprocess.Popen(
                [str(self.bindir / "postgres"), "-D", str(self.dir / "data"),
                 "-p", str(self.port), "-k", str(self.dir),
                 "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                 "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                 "-c", "max_connections=100", "-c", "shared_buffers=16MB",
                 "-c", "log_connections=on", *tls],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=self.dir,
                env=env, start_new_session=True, **self._as_user())
            log.close()
            try:
                self._wait_ready()
                return self
            except RuntimeError as e:
                last = e
                _stop_process(self.proc, signal.SIGKILL)
                if "already in use" not in _tail(self.log_path).lower():
                    raise
        raise last

    def _wait_ready(self):
        import psycopg2
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"postgres exited with {self.proc.returncode}:\n{self.logs()}")
            try:
                self._admin_connection().close()
                return
            except psycopg2.OperationalError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"postgres not ready after {START_TIMEOUT}s:\n{self.logs()}")

    def stop(self):
        rc = _stop_process(self.proc, signal.SIGINT)     # fast shutdown
        self.proc = None
        return rc

    # ---- clients ----

    def _admin_connection(self):
        import psycopg2
        return psycopg2.connect(host=str(self.dir), port=self.port, user=self.superuser,
                                dbname="postgres", connect_timeout=2)

    def admin(self, *statements, dbname="postgres"):
        """Run statements as the superuser over the socket; the last one's rows."""
        import psycopg2
        conn = psycopg2.connect(host=str(self.dir), port=self.port, user=self.superuser,
                                dbname=dbname)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                rows = None
                for sql in statements:
                    cur.execute(sql)
                    rows = cur.fetchall() if cur.description else None
                return rows
        finally:
            conn.close()

    def connect(self, user, password, port=None, database="postgres"):
        import psycopg2
        conn = psycopg2.connect(host=self.host, port=port or self.port, user=user,
                                password=password, dbname=database, connect_timeout=5,
                                sslmode="disable")
        conn.autocommit = True
        return conn

    def can_login(self, user, password, port=None):
        import psycopg2
        try:
            self.connect(user, password, port=port).close()
            return True
        except psycopg2.OperationalError as e:
            if "password authentication failed" in str(e):
                return False
            raise

    def query(self, user, password, sql, database="postgres"):
        conn = self.connect(user, password, database=database)
        try:
            with conn.cursor() as cur:
                cur.execute(sql)
                return cur.fetchall()
        finally:
            conn.close()

    def create_user(self, user, password):
        """A login role with SELECT and INSERT on a table of its own;
        (dbname, table) of that table."""
        from psycopg2 import sql
        table = f"{user}_items"
        self.admin(sql.SQL("CREATE ROLE {} WITH LOGIN PASSWORD {}").format(
            sql.Identifier(user), sql.Literal(password)),
            sql.SQL("CREATE TABLE public.{} (id INT PRIMARY KEY, name TEXT)").format(
                sql.Identifier(table)),
            sql.SQL("INSERT INTO public.{} VALUES (1, 'one')").format(sql.Identifier(table)),
            sql.SQL("GRANT SELECT, INSERT ON public.{} TO {}").format(
                sql.Identifier(table), sql.Identifier(user)))
        return "postgres", f'public."{table}"'

    def create_master(self, user, password):
        """A role that may create roles (not a superuser), as RDS's master."""
        from psycopg2 import sql
        self.admin(sql.SQL("CREATE ROLE {} WITH LOGIN CREATEROLE PASSWORD {}").format(
            sql.Identifier(user), sql.Literal(password)))

    def users(self, name_prefix):
        return sorted(r[0] for r in self.admin(
            f"SELECT rolname FROM pg_roles WHERE rolname LIKE '{name_prefix}%'"))

    def trust(self, user):
        """Let user in over TCP without a password (pg_hba.conf "trust")."""
        hba = self.dir / "data" / "pg_hba.conf"
        hba.write_text(f"host all {user} 127.0.0.1/32 trust\n" + hba.read_text())
        self.admin("SELECT pg_reload_conf()")

    def tls_sessions(self, user=None):
        """How many of user's sessions began with TLS so far (from the
        server's connection log)."""
        return sum(1 for line in _tail(self.log_path, 10 ** 8).splitlines()
                   if "connection authorized:" in line and "SSL enabled" in line
                   and (user is None or f"user={user} " in line))


# --------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------

def _watchdog(server, sig):
    """A shell that outlives a test run killed outright (SIGKILL, a CI
    timeout): when this process is gone it stops the server and removes its
    folder.  Normal teardown stops the watchdog first."""
    script = ('while kill -0 "$1" 2>/dev/null; do sleep 1; done; '
              'kill -"$2" "$3" 2>/dev/null; i=0; '
              'while kill -0 "$3" 2>/dev/null && [ $i -lt 30 ]; do sleep 1; i=$((i+1)); done; '
              'kill -KILL "$3" 2>/dev/null; rm -rf "$4"')
    return subprocess.Popen(["/bin/sh", "-c", script, "watchdog", str(os.getpid()),
                             sig.name[3:], str(server.proc.pid), str(server.dir)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


# Each test module that imports a fixture gets a fixture of its own from
# pytest, session scope or not; this registry gives them one server of each
# kind per test process, started by the first user and stopped by the last.
_running = {}


def _session_server(kind, make, stop_signal):
    entry = _running.get(kind)
    if entry is None:
        server, missing = make()
        if missing:
            pytest.skip(f"{missing} not installed (scripts/packages.d/rotation.txt; "
                        "run scripts/setup.sh)")
        try:
            server.start()
        except BaseException:
            if server.dir is not None:
                print(server.logs())
            if server.proc is not None:
                _stop_process(server.proc, signal.SIGKILL)
            if server.dir is not None:
                shutil.rmtree(server.dir, ignore_errors=True)
            raise
        entry = _running[kind] = {"server": server, "users": 0,
                                  "watchdog": _watchdog(server, stop_signal)}
    entry["users"] += 1
    try:
        yield entry["server"]
    finally:
        entry["users"] -= 1
        if entry["users"] == 0:
            del _running[kind]
            server = entry["server"]
            entry["watchdog"].kill()
            entry["watchdog"].wait()
            rc = server.stop()
            if rc not in (0, None):
                print(f"{server.engine} exited with {rc}:\n{server.logs()}")
            shutil.rmtree(server.dir, ignore_errors=True)


def _make_mariadb():
    s = MariaDBServer()
    ok = s.install_db and s.mariadbd
    return s, None if ok else "MariaDB (mariadb-install-db, mariadbd)"


def _make_postgres():
    s = PostgresServer()
    return s, None if s.bindir else "PostgreSQL (initdb, postgres)"


@pytest.fixture(scope="session")
def mariadb_server():
    pytest.importorskip("pymysql", reason="python3-pymysql not installed "
                        "(scripts/packages.d/rotation.txt)")
    yield from _session_server("mariadb", _make_mariadb, signal.SIGTERM)


@pytest.fixture(scope="session")
def postgres_server():
    pytest.importorskip("psycopg2", reason="python3-psycopg2 not installed "
                        "(scripts/packages.d/rotation.txt)")
    yield from _session_server("postgres", _make_postgres,
                               signal.SIGINT)     # fast shutdown


# --------------------------------------------------------------------------
# a TCP relay a test can break
# --------------------------------------------------------------------------

class TcpProxy:
    """127.0.0.1:port -> 127.0.0.1:target_port.

    down(): the port refuses connections (nothing listens); up(): it
    relays again; allow(n): relay the next n connections, then go down.
    Relayed connections live on when the proxy goes down."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.port = free_port()
        self._lock = threading.Lock()
        self._listener = None
        self._thread = None
        self._budget = None
        self.accepted = 0
        self._pipes = []

    def up(self, budget=None):
        with self._lock:
            self._budget = budget
            if self._listener is not None:
                return self
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", self.port))
            s.listen(64)
            self._listener = s
            self._thread = threading.Thread(target=self._accept_loop, args=(s,),
                                             daemon=True)
            self._thread.start()
        return self

    def allow(self, n):
        return self.up(budget=n)

    def down(self):
        with self._lock:
            s, self._listener = self._listener, None
        if s is not None:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        return self

    def close(self):
        self.down()
        for p in self._pipes:
            try:
                p.close()
            except OSError:
                pass

    def _accept_loop(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    return
                self.accepted += 1
                if self._budget is not None:
                    self._budget -= 1
                    last = self._budget <= 0
                else:
                    last = False
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port),
                                                    timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            self._pipes += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()
            if last:
                with self._lock:
                    if self._listener is listener:
                        self._listener = None
                try:
                    listener.close()
                except OSError:
                    pass
                return

    @staticmethod
    def _pipe(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
