"""The examples in orbitnet.viz docstrings run and say what they do."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "orbitnet.viz",
    "orbitnet.viz.demo",
    "orbitnet.viz.encode",
    "orbitnet.viz.html",
    "orbitnet.viz.layout",
    "orbitnet.viz.views",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
