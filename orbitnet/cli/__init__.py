"""The typer command-line interface (a thin client of :mod:`orbitnet.api`)."""

from orbitnet.cli.app import app, main

__all__ = ["app", "main"]
