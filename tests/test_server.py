"""The embedded FalkorDB lifecycle, on a real server in a private home."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from orbitnet.config import Settings
from orbitnet.cypher import EmbeddedServer, open_store
from orbitnet.errors import ConfigError


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory):
    s = EmbeddedServer(tmp_path_factory.mktemp("srv"))
    yield s
    s.stop()


def test_start_is_fast_and_locked_down(server: EmbeddedServer) -> None:
    began = time.perf_counter()
    assert server.start() is True
    elapsed = time.perf_counter() - began
    assert elapsed < 5  # the 1 s target is measured by benchmarks/bench_store.py
    status = server.status()
    assert status.running and status.pid
    mode = stat.S_IMODE(os.stat(server.socket).st_mode)
    assert mode & 0o077 == 0, oct(mode)
    assert stat.S_IMODE(os.stat(server.data_dir).st_mode) == 0o700
    assert server.pid_file.read_text().strip() == str(status.pid)
    config = (server.data_dir / "appendonlydir").exists()
    assert config


def test_second_start_does_nothing(server: EmbeddedServer) -> None:
    assert server.start() is True
    pid = server.status().pid
    assert server.start() is False
    assert server.status().pid == pid


def test_stop_persists_data(server: EmbeddedServer) -> None:
    server.start()
    settings = Settings.load(home=server.home, env={})
    with open_store(settings) as store:
        store.execute("CREATE (:Organization {id: 'kept'})")
    assert server.stop() is True
    assert not server.status().running
    assert not server.pid_file.exists()
    assert server.stop() is False
    with open_store(settings) as store:  # starts it again on demand
        assert store.read("MATCH (n:Organization) RETURN n.id AS id") == [{"id": "kept"}]


def test_crash_is_recovered_on_next_use(server: EmbeddedServer) -> None:
    server.start()
    settings = Settings.load(home=server.home, env={})
    with open_store(settings) as store:
        store.execute("CREATE (:Organization {id: 'before-crash'})")
    time.sleep(1.2)  # appendfsync everysec
    server.kill()
    status = server.status()
    assert not status.running and status.stale
    started = []
    with open_store(settings, on_start=started.append) as store:
        assert store.read("MATCH (n:Organization) RETURN n.id AS id") == [{"id": "before-crash"}]
    assert [s.home for s in started] == [server.home]


def test_stale_pid_file_is_cleaned(server: EmbeddedServer) -> None:
    server.data_dir.mkdir(parents=True, exist_ok=True)
    server.pid_file.write_text("999999\n")
    assert server.status().stale
    assert server.start() is True
    assert server.status().running


def test_too_deep_home_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ORBITNET_HOME"):
        EmbeddedServer(tmp_path / ("x" * 120))
