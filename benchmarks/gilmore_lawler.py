"""A Gilmore–Lawler branch-and-bound for the QAP files of the benchmark set: a yardstick for
what a bound recomputed at every node of the search does on the instances that the tool's MIP
proves through the general model (benchmarks/README.md).

    python -m benchmarks.gilmore_lawler benchmarks/data/nug8.txt benchmarks/data/tai9a.txt
    python -m benchmarks.gilmore_lawler --floors lp --incumbent 214 benchmarks/data/nug8.txt

Not part of the tool: it knows only the pure QAP (one facility per location, cost Σ_ij
flow_ij · distance_p(i)p(j)). At a node where some facilities are placed, the bound is the cost
among the placed ones plus a linear assignment of the others, where placing facility i at free
location k costs its flows with the placed facilities and the least product of its flows to the
other unplaced facilities with the distances from k to the other free locations (the smallest
flows against the largest distances). Depth first, facilities with most flow first, locations
in the order of that cost; no starting plan unless `--incumbent` gives the cost of one.

With `--floors lp` the least product is instead the value of the linear program the tool solves
for a transport floor (models/constraints/floor.py: the users placed as near as the capacities
allow, here one slot per location), kept in one HiGHS instance per facility and re-solved from
its last basis for each location and node. Same bound, same nodes; it measures what the bound
costs where no sorting rule gives it, as in the general model with capacities.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import highspy
import numpy as np
from scipy.optimize import linear_sum_assignment

from benchmarks.convert import detect_kind, parse_qaplib, parse_taillard, qap_cost
from solvers.highs import new_highs


class PlacementLP:
    """For one facility i, the least cost of its flows to the unplaced facilities, each placed at
    a free location other than i's own (at most one per location), as the LP
        min Σ_jm flow_ij distance_km z_jm  s.t.  Σ_m z_jm = 1 (j unplaced),  Σ_j z_jm ≤ 1,
    over columns z_jm for every j ≠ i and location m, those of placed j, taken locations and k
    held at 0. Its value is the sorted product of placement_costs (the assignment polytope is
    integral, and a rank-one cost is least in sorted order)."""

    def __init__(self, flow: np.ndarray, i: int):
        n = len(flow)
        self.i, self.n = i, n
        self.others = [j for j in range(n) if j != i]
        self.flows = np.repeat(flow[i, self.others].astype(float), n)
        self.columns = np.arange(len(self.others) * n, dtype=np.int32)
        self.h = new_highs()
        self.h.silent(True)
        self.h.addVars(len(self.columns), np.zeros(len(self.columns)), np.ones(len(self.columns)))
        for a in range(len(self.others)):  # each other facility at one location
            cols = self.columns[a * n : (a + 1) * n]
            self.h.addRow(1.0, 1.0, n, cols, np.ones(n))
        for m in range(n):  # at most one facility per location
            cols = self.columns[m::n]
            self.h.addRow(-highspy.kHighsInf, 1.0, len(cols), cols, np.ones(len(cols)))

    def value(self, distance: np.ndarray, k: int, placed: dict[int, int]) -> float:
        n, others = self.n, self.others
        taken = set(placed.values()) | {k}
        open_spot = np.array([m not in taken for m in range(n)], dtype=float)
        unplaced = np.array([j not in placed for j in others], dtype=float)
        upper = np.outer(unplaced, open_spot).ravel()
        self.h.changeColsCost(
            len(self.columns), self.columns, self.flows * np.tile(distance[k], n - 1)
        )
        self.h.changeColsBounds(len(self.columns), self.columns, np.zeros(len(upper)), upper)
        rows = np.arange(n - 1, dtype=np.int32)
        self.h.changeRowsBounds(n - 1, rows, unplaced, unplaced)
        self.h.run()
        return float(self.h.getInfo().objective_function_value)


def placement_costs(
    flow: np.ndarray,
    distance: np.ndarray,
    placed: dict[int, int],
    free: list[int],
    spots: list[int],
    lps: list[PlacementLP] | None = None,
) -> np.ndarray:
    """Gilmore–Lawler cost of placing each unplaced facility (row) at each free location; the
    least product from sorting, or from each facility's PlacementLP where `lps` are given."""
    costs = np.empty((len(free), len(spots)))
    for a, i in enumerate(free):
        flows = np.sort([flow[i, j] for j in free if j != i])
        for b, k in enumerate(spots):
            with_placed = sum(
                flow[i, j] * distance[k, p] + flow[j, i] * distance[p, k] for j, p in placed.items()
            )
            if lps is None:
                distances = np.sort([distance[k, m] for m in spots if m != k])[::-1]
                least = float(flows @ distances)
            else:
                least = lps[i].value(distance, k, placed)
            costs[a, b] = flow[i, i] * distance[k, k] + with_placed + least
    return costs


def branch_and_bound(
    flow: np.ndarray, distance: np.ndarray, floors: str = "sorted", incumbent: float = np.inf
) -> tuple[float, list[int] | None, int]:
    """The optimal cost, a permutation reaching it (facility i at location p[i]) and the number
    of nodes searched. `floors` is "sorted" or "lp" (module docstring). With a finite
    `incumbent`, the cost of a known plan, only plans cheaper than it are searched for; if none
    is, the plan returned is None."""
    n = len(flow)
    order = [int(i) for i in np.argsort(-(flow.sum(axis=0) + flow.sum(axis=1)), kind="stable")]
    best: dict = {"cost": incumbent, "plan": None}
    lps = [PlacementLP(flow, i) for i in range(n)] if floors == "lp" else None
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
        costs = placement_costs(flow, distance, placed, free, spots, lps)
        rows, cols = linear_sum_assignment(costs)
        if cost + costs[rows, cols].sum() >= best["cost"] - 1e-9:
            return
        for b in np.argsort(costs[0], kind="stable"):
            placed[free[0]] = spots[b]
            search(placed)
            del placed[free[0]]

    search({})
    plan = None if best["plan"] is None else [best["plan"][i] for i in range(n)]
    return float(best["cost"]), plan, nodes


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("files", nargs="+", type=Path, help="QAPLIB .dat or Taillard-format .txt files")
    p.add_argument("--floors", choices=("sorted", "lp"), default="sorted")
    p.add_argument(
        "--incumbent",
        type=float,
        default=np.inf,
        help="cost of a known plan: search only for cheaper ones (give the optimum + 0.5 to "
        "time the proof alone)",
    )
    args = p.parse_args(argv)
    print("| instance | n | optimum proven | nodes | seconds |\n|---|---|---|---|---|")
    for path in args.files:
        parse = parse_qaplib if detect_kind(path) == "qaplib" else parse_taillard
        data = parse(path.read_text(encoding="utf-8"), path.stem)
        start = time.perf_counter()
        cost, plan, nodes = branch_and_bound(data.flow, data.distance, args.floors, args.incumbent)
        seconds = time.perf_counter() - start
        if plan is None:
            print(
                f"| {path.stem} | {len(data.flow)} | none below {cost:,.1f} | {nodes:,} | "
                f"{seconds:.2f} |"
            )
            continue
        assert abs(qap_cost(data.flow, data.distance, plan) - cost) < 1e-6
        print(f"| {path.stem} | {len(plan)} | {cost:,.0f} | {nodes:,} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
