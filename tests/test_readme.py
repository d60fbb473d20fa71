"""The README's commands, run verbatim as a new user would."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_blocks(text: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)```", text, flags=re.S)


def commands(block: str) -> list[str]:
    return [line.split("  #")[0].strip() for line in block.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


@pytest.fixture
def user_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["ORBITNET_HOME"] = str(tmp_path_factory.mktemp("readme"))
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "160"
    yield env
    subprocess.run([sys.executable, "-m", "orbitnet", "db", "stop"], env=env,
                   capture_output=True, timeout=60)


def test_readme_starts_with_exactly_two_commands() -> None:
    first = code_blocks(README)[0]
    assert README.index("```bash") < README.index("\n## ")
    assert commands(first) == ["bash scripts/demo.sh", "bash scripts/test.sh"]
    assert "scripts/test.sh" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.slow
def test_quickstart_main_job(user_env: dict[str, str]) -> None:
    demo = commands(code_blocks(README)[0])[0]
    done = subprocess.run(shlex.split(demo), cwd=ROOT, env=user_env, capture_output=True,
                          text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Top 10 by betweenness" in done.stdout
    assert "nasa" in done.stdout
    assert (ROOT / "orbitnet-map.html").stat().st_size > 100_000
    assert "Traceback" not in done.stderr


def test_using_it_commands_run_verbatim(user_env: dict[str, str], tmp_path: Path) -> None:
    block = next(b for b in code_blocks(README) if "orbitnet stats" in b)
    for command in commands(block):
        done = subprocess.run(command, shell=True, cwd=tmp_path, env=user_env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{command}: {done.stderr[-1500:]}"
        assert "Traceback" not in done.stderr
    assert (tmp_path / "orbitnet-map.html").exists()


def test_ctrl_c_exits_130_without_traceback(user_env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "orbitnet", "db", "start"], env=user_env, check=True,
                   capture_output=True, timeout=60)
    proc = subprocess.Popen(
        [sys.executable, "-m", "orbitnet", "query",
         "UNWIND range(1, 400000000) AS x RETURN sum(x) AS s", "--timeout", "120"],
        env=user_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    assert "interrupted" in err and "Traceback" not in err
