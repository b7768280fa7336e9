"""Local search over host decisions, each move priced exactly by the LP of the plan.

With the hosts fixed, the best outputs, shipments and imports are an LP. Its reduced cost of a
host decision y_sc is a subgradient of the plan's cost in y (the LP value is convex in the
bounds), so opening a closed host can save at most -rc, closing an open one at most rc, and a
swap within a segment at most the sum: only moves with a negative estimate can pay. Those are
tried most promising first, each by re-solving the LP from the last basis (`WarmLP`, stopped as
soon as its dual simplex proves the move cannot pay), and kept when the plan gets cheaper; one
pass over the list is a sweep, and sweeps repeat, with fresh reduced costs, until one keeps
nothing or the time is spent.
"""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np

from models.data import TOL
from solvers.highs import WarmLP

Move = tuple[tuple[int, ...], tuple[float, ...]]
"""Positions of host decisions in the LP's variables and their new values."""


def candidate_moves(
    segment_of: list[str], open_: np.ndarray, reduced_cost: np.ndarray
) -> list[Move]:
    """Moves with a negative estimate, most negative first: open a closed host, close an open
    one, or swap an open host for a closed one of the same segment."""
    scored: list[tuple[float, Move]] = []
    by_segment = defaultdict(list)
    for p, s in enumerate(segment_of):
        by_segment[s].append(p)
        change = -reduced_cost[p] if open_[p] else reduced_cost[p]
        if change < -TOL:
            scored.append((change, ((p,), (0.0 if open_[p] else 1.0,))))
    for positions in by_segment.values():
        hosts = [p for p in positions if open_[p]]
        others = [p for p in positions if not open_[p]]
        for a in hosts:
            for b in others:
                change = reduced_cost[b] - reduced_cost[a]
                if change < -TOL:
                    scored.append((change, ((a, b), (0.0, 1.0))))
    scored.sort(key=lambda item: item[0])
    return [move for _, move in scored]


def improve(
    lp: WarmLP,
    segment_of: list[str],
    open_: np.ndarray,
    cost: float,
    deadline: float | None = None,
) -> tuple[np.ndarray, float, np.ndarray]:
    """Sweeps of moves from the plan `open_` (0/1 per LP variable, solved last in `lp` at
    `cost`) until a sweep keeps nothing or time.perf_counter() passes `deadline`.

    Returns the hosts, the cost and the LP's column values of the cheapest plan found.
    """
    open_ = open_.copy()
    best_values = lp.values()
    while True:
        kept = False
        for positions, values in candidate_moves(segment_of, open_, lp.reduced_costs()):
            left = None if deadline is None else deadline - time.perf_counter()
            if left is not None and left <= 0:
                return open_, cost, best_values
            if any(open_[p] == v for p, v in zip(positions, values, strict=True)):
                continue  # a kept move changed this already
            lp.fix(list(positions), list(values))
            value = lp.solve(left, stop_above=cost - TOL)
            if value is not None and value < cost - TOL:
                open_[list(positions)] = values
                cost, best_values, kept = value, lp.values(), True
            else:
                lp.fix(list(positions), [float(open_[p]) for p in positions])
        if not kept:
            return open_, cost, best_values
        left = None if deadline is None else deadline - time.perf_counter()
        if lp.solve(left) is None:  # fresh reduced costs at the kept plan
            return open_, cost, best_values
