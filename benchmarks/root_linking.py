"""Linking rows separated at the root: does adding only the rows the LP relaxation violates pay
where adding all of them did not (benchmarks/README.md, "Measured and left out")?

    python -m benchmarks.root_linking g10x20_s1 g10x20_s2 g10x20_s3 --repeat 1

A linking row caps a shipment by what its source city makes: f_sab ≤ min(N_sb, U_sa) · y_sa,
with N_sb the most of s that city b may need (its final sales there, and what the eligible hosts
of s's users there could use at their U). It is added only where it is tighter than x_sa ≤
U_sa · y_sa, i.e. N_sb < U_sa, and not at the gateway of an importable segment, which ships
imports without hosting it. Rounds: solve the default formulation's LP relaxation, add every
violated row, repeat until none is violated (or `--rounds`); then solve the MIP with those rows,
as `solve.py` would (no cut separation at the nodes). Each instance is run with and without the
rows in turn, `--repeat` times, each run in its own process.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

import pyomo.environ as pyo

from benchmarks.run import instance_document
from models.build import build
from models.data import ScenarioData
from models.scenario import load_document
from solvers import SolverOptions, solve

VIOLATION = 1e-6


def most_needed(data: ScenarioData) -> dict[tuple[str, str], float]:
    """N_sb: the most of s that city b may need (final sales, and its users' most output)."""
    need = {}
    for s in data.segments:
        mu = data.markets.get(s, {})
        for b in data.cities:
            users = data.downstream(s).items()
            need[s, b] = (
                data.final_sales[s] * mu.get(b, 0.0)
                + sum(a * data.upper[j, b] for j, a in users if (j, b) in data.upper)
                + sum(a * mu.get(b, 0.0) * data.output[j] for j, a in users if j in data.importable)
            )
    return need


def separate(m: pyo.ConcreteModel, data: ScenarioData, options: SolverOptions, rounds: int):
    """Add the violated linking rows in rounds; the LP bound after each round and the rows."""
    need, added, bounds = most_needed(data), set(), []
    m.linking = pyo.ConstraintList()
    for var in m.y.values():
        var.domain = pyo.UnitInterval
    for _ in range(rounds):
        bounds.append(solve(m, options).objective)
        violated = [
            (s, a, b, cap)
            for (s, a, b), f in m.f.items()
            if (s, a) in m.SC
            and not (a == data.gateway and s in data.importable)  # ships imports unhosted
            and (s, a, b) not in added
            and (cap := min(need.get((s, b), float("inf")), data.upper[s, a])) < data.upper[s, a]
            and pyo.value(f) > cap * pyo.value(m.y[s, a]) + VIOLATION * max(1.0, cap)
        ]
        for s, a, b, cap in violated:
            m.linking.add(m.f[s, a, b] <= cap * m.y[s, a])
            added.add((s, a, b))
        if not violated:
            break
    for var in m.y.values():
        var.domain = pyo.Binary
    return bounds, len(added)


def run_one(name: str, linking: bool, rounds: int, time_limit: float) -> dict:
    data = next(iter(load_document(instance_document(name)).scenarios.values()))
    options = SolverOptions(time_limit=time_limit, node_cuts=False, seed=0)
    start = time.perf_counter()
    m = build(data)
    bounds, rows = separate(m, data, options, rounds) if linking else ([], 0)
    prepared = time.perf_counter()
    result = solve(m, options)
    done = time.perf_counter()
    return {
        "instance": name,
        "linking": linking,
        "rows": rows,
        "lp_bounds": [round(b, 2) for b in bounds],
        "status": result.status.value,
        "objective": result.objective,
        "separation_s": round(prepared - start, 2),
        "total_s": round(done - start, 2),
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("names", nargs="*", help="benchmark instances, e.g. g10x20_s1")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--rounds", type=int, default=6)
    p.add_argument("--time-limit", type=float, default=300.0)
    p.add_argument("--one", nargs=2, metavar=("NAME", "LINKING"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.one:
        name, linking = args.one
        print(json.dumps(run_one(name, linking == "1", args.rounds, args.time_limit)))
        return
    print("| instance | variant | rows | LP bound by round | status | objective | total s |")
    print("|---|---|---|---|---|---|---|")
    for _ in range(args.repeat):
        for name in args.names:
            for linking in (False, True):
                cmd = [sys.executable, "-m", "benchmarks.root_linking", "--one", name]
                cmd += [str(int(linking)), "--rounds", str(args.rounds)]
                cmd += ["--time-limit", str(args.time_limit)]
                r = json.loads(subprocess.run(cmd, capture_output=True, check=True).stdout)
                bounds = " → ".join(f"{b:.1f}" for b in r["lp_bounds"]) or "—"
                variant = "with root linking rows" if linking else "default"
                print(
                    f"| {name} | {variant} | {r['rows']} | {bounds} | {r['status']} | "
                    f"{r['objective']:.2f} | {r['total_s']:.1f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
