"""Where orbitnet keeps its data and which database it talks to.

Settings come, in order of precedence, from explicit arguments (the CLI's options), the process
environment, and a ``.env`` file in the working directory:

``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``
    Use Neo4j. Without ``NEO4J_URI`` orbitnet uses its embedded FalkorDB.
``ORBITNET_HOME``
    Data directory of the embedded server (default: the platform's user data dir).
``ORBITNET_GRAPH``
    Name of the FalkorDB graph (default ``orbitnet``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from orbitnet.errors import ConfigError

NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


class Secret(str):
    """A string that never shows itself in ``repr``, f-strings of reprs, or tracebacks' locals."""

    def __repr__(self) -> str:
        return "Secret('********')"


def _dotenv(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    return {k: v for k, v in dotenv_values(path).items() if v is not None}


@dataclass(frozen=True)
class Settings:
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: Secret | None = field(default=None, repr=False)
    neo4j_database: str | None = None
    home: Path = field(default_factory=lambda: default_home())
    graph: str = "orbitnet"

    @property
    def backend(self) -> str:
        return "neo4j" if self.neo4j_uri else "falkordb"

    @classmethod
    def load(
        cls,
        *,
        neo4j_uri: str | None = None,
        neo4j_user: str | None = None,
        neo4j_password: str | None = None,
        neo4j_database: str | None = None,
        home: str | Path | None = None,
        env: dict[str, str] | None = None,
        dotenv_path: Path | None = None,
    ) -> Settings:
        """Merge explicit values, the environment and ``.env`` (in that order of precedence)."""
        file_values = _dotenv(dotenv_path or Path.cwd() / ".env")
        environ = dict(os.environ if env is None else env)

        def pick(explicit: str | Path | None, key: str) -> str | None:
            if explicit is not None and str(explicit) != "":
                return str(explicit)
            value = environ.get(key) or file_values.get(key)
            return value or None

        uri = pick(neo4j_uri, "NEO4J_URI")
        if uri is not None:
            scheme = uri.split("://", 1)[0] if "://" in uri else ""
            if scheme not in NEO4J_SCHEMES:
                schemes = ", ".join(s + "://" for s in NEO4J_SCHEMES)
                raise ConfigError(
                    f"NEO4J_URI must start with one of {schemes}"
                    f" (got scheme {scheme or 'none'!r})"
                )
        password = pick(neo4j_password, "NEO4J_PASSWORD")
        home_value = pick(home, "ORBITNET_HOME")
        return cls(
            neo4j_uri=uri,
            neo4j_user=pick(neo4j_user, "NEO4J_USER") or "neo4j",
            neo4j_password=Secret(password) if password is not None else None,
            neo4j_database=pick(neo4j_database, "NEO4J_DATABASE"),
            home=Path(home_value).expanduser() if home_value else default_home(),
            graph=pick(None, "ORBITNET_GRAPH") or "orbitnet",
        )


def default_home() -> Path:
    override = os.environ.get("ORBITNET_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("orbitnet", appauthor=False)
