"""Cold start of the CLI: wall time of ``orbitnet --help`` (target: under 0.3 s).

Run: ``python benchmarks/bench_cli.py [--runs 20]``. Each run is a fresh interpreter, as a user
typing the command gets. Writes ``benchmarks/results/cli.md``.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "cli.md"
TARGET = 0.3


def time_command(argv: list[str], runs: int) -> list[float]:
    subprocess.run(argv, capture_output=True, check=True)  # warm the file cache
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True)
        times.append(time.perf_counter() - began)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    script = shutil.which("orbitnet") or str(Path(sys.executable).with_name("orbitnet"))
    cases = {
        "orbitnet --help": [script, "--help"],
        "orbitnet --version": [script, "--version"],
        "python -m orbitnet --help": [sys.executable, "-m", "orbitnet", "--help"],
        "python -c pass (interpreter alone)": [sys.executable, "-c", "pass"],
    }
    lines = [
        "# CLI cold start",
        "",
        f"`python benchmarks/bench_cli.py --runs {args.runs}` on {platform.machine()}, Python "
        f"{platform.python_version()}; fresh process each run, file cache warm.",
        "",
        "| command | median s | max s | target |",
        "|---|---:|---:|---|",
    ]
    ok = True
    for name, argv in cases.items():
        times = time_command(argv, args.runs)
        median = statistics.median(times)
        target = f"< {TARGET} s" if name.startswith("orbitnet --help") else ""
        if target and median >= TARGET:
            ok = False
        lines.append(f"| `{name}` | {median:.3f} | {max(times):.3f} | {target} |")
        print(f"{name:<40} median {median:.3f} s  max {max(times):.3f} s", flush=True)
    lines += ["", "Heavy libraries (networkx, the database drivers, pyvis) load only inside the "
              "commands that need them.", ""]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {RESULTS}; target {'met' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
