"""The public surface of orbitnet.graph: lazy exports and runnable docstring examples."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import orbitnet.graph

MODULES = [
    "orbitnet.graph",
    "orbitnet.graph.collaboration",
    "orbitnet.graph.filters",
    "orbitnet.graph.metrics",
    "orbitnet.graph.paths",
    "orbitnet.graph.timelines",
    "orbitnet.graph.whatif",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_every_export_resolves_to_a_callable() -> None:
    for name in orbitnet.graph.__all__:
        value = getattr(orbitnet.graph, name)
        assert callable(value), name
        assert value.__module__.startswith("orbitnet.graph."), name
    assert set(orbitnet.graph.__all__) <= set(dir(orbitnet.graph))
    missing = "nope"
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        getattr(orbitnet.graph, missing)


def test_public_functions_have_examples_and_references() -> None:
    for name in orbitnet.graph.__all__:
        doc = getattr(orbitnet.graph, name).__doc__ or ""
        if name[0].isupper():
            continue  # result classes and the exception
        assert ">>> " in doc, name
        assert "References" in doc, name


def test_import_is_cheap() -> None:
    code = (
        "import sys, orbitnet.graph; "
        "print('networkx' in sys.modules); "
        "from orbitnet.graph import timeline; "
        "print(callable(timeline), 'networkx' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    ).stdout.split()
    assert out == ["False", "True", "True"]
