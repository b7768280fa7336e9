"""How should a Pyomo model reach HiGHS? Side-by-side timing of the routes, in one run.

Each route solves the LP relaxation of the same built model (binaries relaxed, so that HiGHS's
own work is small and equal across routes) and the time from a built Pyomo model to values
loaded back into it is measured; `highs` is HiGHS's own run time, the rest is the route's cost.

    python -m benchmarks.handoff                    # synthetic 30 cities x 100 segments
    python -m benchmarks.handoff --cities 60 --chains 30 --segments-per-chain 10 --repeat 3

Routes: `matrix` (this project: Pyomo's linear standard-form compiler, arrays to
highspy.passModel), `contrib` (pyomo.contrib.solver `highs`, the SolverFactory default),
`appsi` (`appsi_highs`), `lpfile` (Pyomo writes an LP file, highspy reads it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

import pyomo.environ as pyo

from benchmarks.generate import generate
from models.build import build
from models.scenario import load_document
from solvers.highs import new_highs, solve

ROUTES = ("matrix", "contrib", "appsi", "lpfile")


def relaxed_model(args: argparse.Namespace) -> pyo.ConcreteModel:
    doc = generate(
        cities=args.cities,
        chains=args.chains,
        segments_per_chain=args.segments_per_chain,
        eligibility=args.eligibility,
        seed=args.seed,
    )
    m = build(load_document(doc).scenarios["base"])
    for y in m.y.values():
        y.domain = pyo.UnitInterval
    return m


def run_route(route: str, m: pyo.ConcreteModel) -> tuple[float, float, float]:
    """(total seconds, HiGHS run seconds, objective) for one route."""
    t0 = time.perf_counter()
    if route == "matrix":
        result = solve(m)
        return time.perf_counter() - t0, result.seconds_solve, result.objective
    if route in ("contrib", "appsi"):
        solver = pyo.SolverFactory("highs" if route == "contrib" else "appsi_highs")
        solver.solve(m)
        total = time.perf_counter() - t0
        return total, _highs_seconds(solver), pyo.value(m.cost)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.lp")
        _, symbol_id = m.write(path, io_options={"symbolic_solver_labels": False})
        symbols = m.solutions.symbol_map[symbol_id]
        h = new_highs()
        h.silent(True)
        h.readModel(path)
        t1 = time.perf_counter()
        h.run()
        run = time.perf_counter() - t1
        values = h.getSolution().col_value
        names = [h.getColName(i)[1] for i in range(h.getNumCol())]
        by_symbol = symbols.bySymbol
        for name, value in zip(names, values, strict=True):
            var = by_symbol.get(name)
            if var is not None:
                var.set_value(value, skip_validation=True)
        return time.perf_counter() - t0, run, h.getInfo().objective_function_value


def _highs_seconds(solver) -> float:
    highs = getattr(solver, "_solver_model", None) or getattr(solver, "_solver", None)
    try:
        return float(highs.getRunTime())
    except AttributeError:
        return float("nan")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.handoff", description=__doc__.split("\n")[0]
    )
    p.add_argument("--cities", type=int, default=30)
    p.add_argument("--chains", type=int, default=20)
    p.add_argument("--segments-per-chain", type=int, default=5)
    p.add_argument("--eligibility", type=float, default=0.4)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--routes", default=",".join(ROUTES))
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    m = relaxed_model(args)
    print(
        f"model built in {time.perf_counter() - t0:.2f} s: "
        f"{m.nvariables():,} variables, {m.nconstraints():,} constraints",
        flush=True,
    )
    rows = {}
    for route in args.routes.split(","):
        runs = [run_route(route, m) for _ in range(args.repeat)]
        total = statistics.median(r[0] for r in runs)
        highs = statistics.median(r[1] for r in runs)
        rows[route] = total
        print(
            f"{route:8s} total {total:7.2f} s   HiGHS {highs:6.2f} s   route {total - highs:7.2f} s"
            f"   objective {runs[0][2]:.6f}",
            flush=True,
        )
    base = rows.get("matrix")
    if base:
        print("ratios to matrix: " + ", ".join(f"{r} {t / base:.2f}x" for r, t in rows.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
