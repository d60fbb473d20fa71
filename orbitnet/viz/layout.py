"""Node positions computed in Python, so a large map is usable the moment it is drawn.

A multilevel force-directed layout in the spirit of Walshaw (2000) and Hu (2005), written in plain
Python (no NumPy needed): the graph is coarsened by merging neighbours until a few dozen groups are
left, those are laid out with Fruchterman-Reingold (1991), and each finer level starts from its
group's position and is refined by a few force iterations whose repulsion only looks at nearby
nodes (the grid variant of Fruchterman-Reingold). The cost per level is close to linear, so 5,000
nodes take about a second or two.

References
----------
.. [1] T. M. J. Fruchterman and E. M. Reingold, "Graph drawing by force-directed placement",
   Software: Practice and Experience 21(11), 1991.
.. [2] C. Walshaw, "A multilevel algorithm for force-directed graph drawing", GD 2000.
.. [3] Y. Hu, "Efficient and high quality force-directed graph drawing",
   The Mathematica Journal 10(1), 2005.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Hashable
from typing import Any

import networkx as nx

__all__ = ["spring_positions"]

_K = 1.0
"""The natural edge length in layout units; callers scale the result."""
_COARSEST = 40
_ALL_PAIRS_BELOW = 250

Adjacency = list[dict[int, float]]


def spring_positions(
    G: nx.Graph[Any], *, seed: int = 0, iterations: int | None = None
) -> dict[Hashable, tuple[float, float]]:
    """Force-directed positions for every node, centred on 0 with unit natural edge length.

    Parameters
    ----------
    G : nx.Graph
        Any undirected graph; edge attributes are ignored (every edge pulls the same).
    seed : int
        Seed of the random start; the same graph and seed give the same positions.
    iterations : int, optional
        Force iterations on the finest level. By default fewer for larger graphs
        (60 below 200 nodes down to 12 at 5,000), which keeps 5,000 nodes to a second or two.

    Returns
    -------
    dict
        ``{node: (x, y)}``; neighbouring nodes end up roughly 1 apart.

    Examples
    --------
    >>> import networkx as nx
    >>> pos = spring_positions(nx.path_graph(3), seed=1)
    >>> sorted(pos) == [0, 1, 2]
    True
    """
    placed: dict[Hashable, tuple[float, float]] = {}
    parts = sorted(nx.connected_components(G), key=lambda c: (-len(c), min(map(str, c))))
    boxes: list[tuple[float, float]] = []
    local: list[dict[Hashable, tuple[float, float]]] = []
    for offset, part in enumerate(parts):
        pos = _component(G.subgraph(part), random.Random(seed + offset), iterations)
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        x0, y0 = min(xs), min(ys)
        local.append({node: (x - x0, y - y0) for node, (x, y) in pos.items()})
        boxes.append((max(xs) - x0, max(ys) - y0))
    for pos, (ox, oy) in zip(local, _pack(boxes), strict=True):
        for node, (x, y) in pos.items():
            placed[node] = (x + ox, y + oy)
    if not placed:
        return {}
    cx = sum(p[0] for p in placed.values()) / len(placed)
    cy = sum(p[1] for p in placed.values()) / len(placed)
    return {node: (placed[node][0] - cx, placed[node][1] - cy) for node in G}


def _component(
    G: nx.Graph[Any], rng: random.Random, iterations: int | None
) -> dict[Hashable, tuple[float, float]]:
    """Positions of one connected component, in its own frame."""
    nodes = list(G)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    adj: Adjacency = [{} for _ in nodes]
    for u, v in G.edges():
        if u != v:
            i, j = index[u], index[v]
            adj[i][j] = adj[i].get(j, 0.0) + 1.0
            adj[j][i] = adj[j].get(i, 0.0) + 1.0
    xs, ys = _multilevel(adj, [1.0] * len(nodes), rng, iterations)
    return {node: (xs[i], ys[i]) for i, node in enumerate(nodes)}


def _pack(boxes: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Offsets that set boxes (largest first) in rows about as wide as the whole is tall."""
    gap = 2.0 * _K
    area = sum((w + gap) * (h + gap) for w, h in boxes)
    width = max([math.sqrt(area)] + [w for w, _ in boxes])
    offsets: list[tuple[float, float]] = []
    x = y = row = 0.0
    for w, h in boxes:
        if x > 0 and x + w > width:
            x, y, row = 0.0, y + row + gap, 0.0
        offsets.append((x, y))
        x += w + gap
        row = max(row, h)
    return offsets


def _default_iterations(n: int) -> int:
    if n < 200:
        return 60
    if n < 600:
        return 30
    if n < 1500:
        return 20
    if n < 3000:
        return 12
    return 8


def _multilevel(
    adj: Adjacency, mass: list[float], rng: random.Random, iterations: int | None
) -> tuple[list[float], list[float]]:
    """Lay out ``adj`` by coarsening, laying out the coarsest graph, then refining back."""
    n = len(adj)
    if n <= _COARSEST:
        side = math.sqrt(sum(mass)) * _K
        xs = [rng.uniform(0.0, side) for _ in range(n)]
        ys = [rng.uniform(0.0, side) for _ in range(n)]
        _forces(adj, mass, xs, ys, iterations=iterations or 150, start_temp=side / 4)
        return xs, ys
    group, coarse_adj, coarse_mass = _coarsen(adj, mass, rng)
    if len(coarse_adj) > 0.85 * n:  # coarsening stalled: lay this level out directly
        side = math.sqrt(sum(mass)) * _K
        xs = [rng.uniform(0.0, side) for _ in range(n)]
        ys = [rng.uniform(0.0, side) for _ in range(n)]
        steps = iterations or max(_default_iterations(n), 40)
        _forces(adj, mass, xs, ys, iterations=steps, start_temp=side / 4)
        return xs, ys
    cxs, cys = _multilevel(coarse_adj, coarse_mass, rng, None)
    jitter = 0.3 * _K
    xs = [cxs[g] + rng.uniform(-jitter, jitter) for g in group]
    ys = [cys[g] + rng.uniform(-jitter, jitter) for g in group]
    steps = iterations or _default_iterations(n)
    _forces(adj, mass, xs, ys, iterations=steps, start_temp=0.6 * _K)
    return xs, ys


def _coarsen(
    adj: Adjacency, mass: list[float], rng: random.Random
) -> tuple[list[int], Adjacency, list[float]]:
    """Merge each node with a neighbour (hubs absorb their leaves); return the coarser graph.

    Returns ``group`` (fine node -> coarse node), the coarse adjacency and the coarse masses.
    """
    n = len(adj)
    order = list(range(n))
    rng.shuffle(order)
    order.sort(key=lambda i: len(adj[i]))
    group = [-1] * n
    group_mass: list[float] = []
    for i in order:
        if group[i] != -1:
            continue
        free = [j for j in adj[i] if group[j] == -1]
        if free:
            j = min(free, key=lambda j: (mass[j], len(adj[j])))
            group[i] = group[j] = len(group_mass)
            group_mass.append(mass[i] + mass[j])
        elif adj[i]:
            j = min(adj[i], key=lambda j: group_mass[group[j]])
            group[i] = group[j]
            group_mass[group[j]] += mass[i]
        else:
            group[i] = len(group_mass)
            group_mass.append(mass[i])
    coarse: Adjacency = [{} for _ in group_mass]
    for i, neighbours in enumerate(adj):
        gi = group[i]
        row = coarse[gi]
        for j, w in neighbours.items():
            gj = group[j]
            if gj != gi:
                row[gj] = row.get(gj, 0.0) + w
    return group, coarse, group_mass


def _forces(
    adj: Adjacency,
    mass: list[float],
    xs: list[float],
    ys: list[float],
    *,
    iterations: int,
    start_temp: float,
) -> None:
    """Fruchterman-Reingold iterations in place.

    Masses scale the repulsion, so a coarse node standing for many fine ones claims their room.
    Small graphs feel every pair; larger ones only pairs closer than a cut-off, which on its own
    lets the drawing shrink (the long-range push is gone), so there the spread inherited from the
    coarser level is kept: after each step the positions are rescaled to their starting radius.
    """
    n = len(adj)
    k2 = _K * _K
    all_pairs = n < _ALL_PAIRS_BELOW
    typical = sorted(mass)[int(0.9 * (n - 1))]
    cutoff = 1.5 * _K * math.sqrt(typical) if not all_pairs else 0.0
    cutoff2 = cutoff * cutoff
    edges = [(i, j) for i, row in enumerate(adj) for j in row if i < j]
    temp = start_temp
    cool = start_temp / (iterations + 1)
    radius = 0.0 if all_pairs else _radius(xs, ys)
    for _ in range(iterations):
        dx = [0.0] * n
        dy = [0.0] * n
        if all_pairs:
            _repel_all(mass, xs, ys, dx, dy, k2)
        else:
            _repel_grid(mass, xs, ys, dx, dy, k2, cutoff, cutoff2)
        for i, j in edges:
            ex = xs[i] - xs[j]
            ey = ys[i] - ys[j]
            dist = math.sqrt(ex * ex + ey * ey) + 1e-9
            f = dist / _K
            fx = ex * f
            fy = ey * f
            dx[i] -= fx / mass[i]
            dy[i] -= fy / mass[i]
            dx[j] += fx / mass[j]
            dy[j] += fy / mass[j]
        for i in range(n):
            ddx = dx[i]
            ddy = dy[i]
            length = math.sqrt(ddx * ddx + ddy * ddy)
            if length > temp:
                scale = temp / length
                ddx *= scale
                ddy *= scale
            xs[i] += ddx
            ys[i] += ddy
        temp = max(temp - cool, 0.02 * _K)
        if radius > 0.0:
            _rescale(xs, ys, radius)


def _radius(xs: list[float], ys: list[float]) -> float:
    """Root-mean-square distance from the centroid."""
    n = len(xs)
    cx = sum(xs) / n
    cy = sum(ys) / n
    return math.sqrt(sum((x - cx) ** 2 + (y - cy) ** 2 for x, y in zip(xs, ys, strict=True)) / n)


def _rescale(xs: list[float], ys: list[float], radius: float) -> None:
    """Scale positions about their centroid so that their RMS radius becomes ``radius``."""
    now = _radius(xs, ys)
    if now <= 0.0:
        return
    factor = radius / now
    n = len(xs)
    cx = sum(xs) / n
    cy = sum(ys) / n
    for i in range(n):
        xs[i] = cx + (xs[i] - cx) * factor
        ys[i] = cy + (ys[i] - cy) * factor


def _repel_all(
    mass: list[float], xs: list[float], ys: list[float], dx: list[float], dy: list[float], k2: float
) -> None:
    n = len(xs)
    for i in range(n):
        xi, yi, mi = xs[i], ys[i], mass[i]
        ax = ay = 0.0
        for j in range(i + 1, n):
            ex = xi - xs[j]
            ey = yi - ys[j]
            d2 = ex * ex + ey * ey
            if d2 < 1e-9:
                ex, ey, d2 = 0.01 * (i - j), 0.01, 1e-4 * ((i - j) ** 2 + 1)
            f = k2 / d2
            fx = ex * f
            fy = ey * f
            mj = mass[j]
            ax += fx * mj
            ay += fy * mj
            dx[j] -= fx * mi
            dy[j] -= fy * mi
        dx[i] += ax
        dy[i] += ay


def _repel_grid(
    mass: list[float],
    xs: list[float],
    ys: list[float],
    dx: list[float],
    dy: list[float],
    k2: float,
    cell: float,
    cutoff2: float,
) -> None:
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i in range(len(xs)):
        grid[(int(xs[i] // cell), int(ys[i] // cell))].append(i)
    half = ((1, 0), (-1, 1), (0, 1), (1, 1))
    for (gx, gy), members in grid.items():
        near = list(members)
        for ox, oy in half:
            near.extend(grid.get((gx + ox, gy + oy), ()))
        count = len(members)
        for a in range(count):
            i = members[a]
            xi, yi, mi = xs[i], ys[i], mass[i]
            ax = ay = 0.0
            for j in near[a + 1 :]:
                ex = xi - xs[j]
                ey = yi - ys[j]
                d2 = ex * ex + ey * ey
                if d2 >= cutoff2:
                    continue
                if d2 < 1e-9:
                    ex, ey, d2 = 0.01 * (i - j), 0.01, 1e-4 * ((i - j) ** 2 + 1)
                f = k2 / d2
                fx = ex * f
                fy = ey * f
                mj = mass[j]
                ax += fx * mj
                ay += fy * mj
                dx[j] -= fx * mi
                dy[j] -= fy * mi
            dx[i] += ax
            dy[i] += ay
