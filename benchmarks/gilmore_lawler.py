"""A Gilmore–Lawler branch-and-bound for the QAP files of the benchmark set: a yardstick for
what a bound recomputed at every node of the search does on the instances that the tool's MIP
proves through the general model (README, Performance).

    python -m benchmarks.gilmore_lawler benchmarks/data/nug8.txt benchmarks/data/tai9a.txt

Not part of the tool: it knows only the pure QAP (one facility per location, cost Σ_ij
flow_ij · distance_p(i)p(j)). At a node where some facilities are placed, the bound is the cost
among the placed ones plus a linear assignment of the others, where placing facility i at free
location k costs its flows with the placed facilities and the least product of its flows to the
other unplaced facilities with the distances from k to the other free locations (the smallest
flows against the largest distances). Depth first, facilities with most flow first, locations
in the order of that cost; no starting plan.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from benchmarks.convert import detect_kind, parse_qaplib, parse_taillard, qap_cost


def placement_costs(
    flow: np.ndarray,
    distance: np.ndarray,
    placed: dict[int, int],
    free: list[int],
    spots: list[int],
) -> np.ndarray:
    """Gilmore–Lawler cost of placing each unplaced facility (row) at each free location."""
    costs = np.empty((len(free), len(spots)))
    for a, i in enumerate(free):
        flows = np.sort([flow[i, j] for j in free if j != i])
        for b, k in enumerate(spots):
            with_placed = sum(
                flow[i, j] * distance[k, p] + flow[j, i] * distance[p, k] for j, p in placed.items()
            )
            distances = np.sort([distance[k, m] for m in spots if m != k])[::-1]
            costs[a, b] = flow[i, i] * distance[k, k] + with_placed + float(flows @ distances)
    return costs


def branch_and_bound(flow: np.ndarray, distance: np.ndarray) -> tuple[float, list[int], int]:
    """The optimal cost, a permutation reaching it (facility i at location p[i]) and the number
    of nodes searched."""
    n = len(flow)
    order = [int(i) for i in np.argsort(-(flow.sum(axis=0) + flow.sum(axis=1)), kind="stable")]
    best: dict = {"cost": np.inf, "plan": None}
    nodes = 0

    def search(placed: dict[int, int]) -> None:
        nonlocal nodes
        nodes += 1
        free = [i for i in order if i not in placed]
        spots = [k for k in range(n) if k not in placed.values()]
        pairs = [(p, q, flow[i, j]) for i, p in placed.items() for j, q in placed.items()]
        cost = sum(f * distance[p, q] for p, q, f in pairs)
        if not free:
            if cost < best["cost"]:
                best.update(cost=cost, plan=dict(placed))
            return
        costs = placement_costs(flow, distance, placed, free, spots)
        rows, cols = linear_sum_assignment(costs)
        if cost + costs[rows, cols].sum() >= best["cost"] - 1e-9:
            return
        for b in np.argsort(costs[0], kind="stable"):
            placed[free[0]] = spots[b]
            search(placed)
            del placed[free[0]]

    search({})
    plan = [best["plan"][i] for i in range(n)]
    return float(best["cost"]), plan, nodes


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("files", nargs="+", type=Path, help="QAPLIB .dat or Taillard-format .txt files")
    args = p.parse_args(argv)
    print("| instance | n | optimum proven | nodes | seconds |\n|---|---|---|---|---|")
    for path in args.files:
        parse = parse_qaplib if detect_kind(path) == "qaplib" else parse_taillard
        data = parse(path.read_text(encoding="utf-8"), path.stem)
        start = time.perf_counter()
        cost, plan, nodes = branch_and_bound(data.flow, data.distance)
        seconds = time.perf_counter() - start
        assert abs(qap_cost(data.flow, data.distance, plan) - cost) < 1e-6
        print(f"| {path.stem} | {len(plan)} | {cost:,.0f} | {nodes:,} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
