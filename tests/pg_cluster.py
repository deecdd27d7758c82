"""A private PostgreSQL cluster for the tests: its own folder, port and socket directory.

Started once per test process (``pg_cluster`` in tests/conftest.py) and stopped at the end,
also when tests fail or the run is interrupted. PostgreSQL refuses to run as root, so when
the tests run as root (CI does) the cluster's folder belongs to the ``postgres`` OS user and
``initdb``/``pg_ctl`` run as that user through ``runuser``.

``XORO_TUI_TEST_PG=required`` (CI): a cluster that cannot start fails the run loudly.
Unset: tests needing PostgreSQL skip, saying why, when ``pg_ctl``/``initdb`` are not found
or the cluster does not start.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

#: the cluster's superuser (the database owner in tests) and the app's least-rights role
SUPERUSER = "postgres"
APP_ROLE = "xoro_app"
APP_PASSWORD = "s3cret-app-pw"


class ClusterUnavailable(RuntimeError):
    """No PostgreSQL here to test with, and why."""


def required() -> bool:
    return os.environ.get("XORO_TUI_TEST_PG", "").strip().lower() == "required"


def find_bin_dir() -> Path:
    """The folder holding ``initdb`` and ``pg_ctl`` (15 or newer)."""
    from xoro_tui.data.postgres.pg_programs import server_bin_dir

    found = server_bin_dir()
    if found is None:
        raise ClusterUnavailable(
            "PostgreSQL's pg_ctl/initdb not found (install Debian's postgresql, 15 or newer)"
        )
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    bin_dir: Path
    base: Path
    port: int
    as_user: str | None  # the OS user the server runs as, when not this process's
    _databases: int = field(default=0)

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def socket_dir(self) -> Path:
        return self.base / "sock"

    @property
    def log(self) -> Path:
        return self.base / "server.log"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if self.as_user:
            command = ["runuser", "-u", self.as_user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        self.socket_dir.mkdir(mode=0o755)
        if self.as_user:
            entry = pwd.getpwnam(self.as_user)
            for path in (self.base, self.socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        init = self._run(
            str(self.bin_dir / "initdb"),
            "-D", str(self.data), "-U", SUPERUSER, "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        if init.returncode != 0:
            raise ClusterUnavailable(f"initdb failed: {init.stderr.strip() or init.stdout}")
        # the socket trusts (only this test folder reaches it); TCP asks for a password
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\n"
            "host all all 127.0.0.1/32 scram-sha-256\n"
            "host all all ::1/128 scram-sha-256\n"
        )
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c shared_buffers=32MB -c max_connections=60"
        )
        started = self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip
        if started.returncode != 0:
            tail = self.log.read_text()[-2000:] if self.log.exists() else started.stderr
            raise ClusterUnavailable(f"the PostgreSQL server did not start: {tail.strip()}")
        self.sql(
            f"CREATE ROLE {APP_ROLE} LOGIN PASSWORD '{APP_PASSWORD}'",
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                      "-w", "stop")  # fmt: skip
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        """A libpq URI over the cluster's socket directory (no password needed there)."""
        return f"postgresql://{user}@/{database}?host={quote(str(self.socket_dir), safe='')}&port={self.port}"

    def tcp_url(self, database: str, user: str = APP_ROLE, password: str = APP_PASSWORD) -> str:
        return f"postgresql://{user}:{quote(password, safe='')}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[arg-type]

    def new_database(self, prefix: str = "xoro") -> str:
        """A new empty database (owned by the superuser; the app role may connect): its name."""
        self._databases += 1
        name = f"{prefix}_{os.getpid()}_{self._databases}_{secrets.token_hex(2)}"
        self.sql(f"CREATE DATABASE {name}")
        self.sql(f"GRANT CONNECT, TEMPORARY ON DATABASE {name} TO {APP_ROLE}")
        return name

    def drop_database(self, name: str) -> None:
        with contextlib.suppress(Exception):
            self.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def start_cluster() -> Cluster:
    """Start a private cluster; raise :class:`ClusterUnavailable` saying why it cannot."""
    bin_dir = find_bin_dir()
    as_user = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise ClusterUnavailable(
                "running as root and there is no postgres OS user to run the server as"
            ) from None
        as_user = "postgres"
    base = Path(tempfile.mkdtemp(prefix="xoro-pg-"))
    base.chmod(0o755)
    cluster = Cluster(bin_dir=bin_dir, base=base, port=_free_port(), as_user=as_user)
    atexit.register(cluster.stop)  # an interrupted run stops it too
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster


def session_cluster() -> Iterator[Cluster]:
    """The body of the ``pg_cluster`` fixture: skip or fail (when required) if none starts."""
    import pytest

    try:
        cluster = start_cluster()
    except ClusterUnavailable as exc:
        if required():
            pytest.fail(f"XORO_TUI_TEST_PG=required but no PostgreSQL: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    try:
        yield cluster
    finally:
        cluster.stop()
