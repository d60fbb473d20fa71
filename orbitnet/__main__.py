"""``python -m orbitnet``."""

from orbitnet.cli import main

main()
