"""How fast a sweep runs, and whether reusing the model pays.

    python -m benchmarks.sweep_throughput [--instance instances/nanjing.json]
        [--sweep instances/nanjing_sweep.json] [--samples 20] [--workers 2] [--scenario ID]

Part 1 solves the same samples in this process by two routes, alternating which goes first:

- rebuild: the pipeline as `solve.py` runs it, twice per sample: the free MIP
  (`models.pipeline.solve_scenario`), and the kept-hosts solve with the `fixed` policy
  (`sweeps.regret.kept_by_policy`), each building, compiling and handing over its own model;
- reuse: `sweeps.regret.solve_sample`: one build and hand-over, the fixed policy applied as
  column bounds in HiGHS, then the bounds restored and the kept plan passed as a MIP start.

It reports medians per sample: drawing and validating the sample, building the model (Pyomo
build + hand-off to HiGHS), and the whole sample, and checks that both routes agree. The share of
build + hand-off in a sample bounds what updating coefficients in place across samples could save.

Part 2 runs the sweep with `--workers` local worker processes and reports samples per minute.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from models.pipeline import solve_scenario
from models.scenario import load
from sweeps.regret import kept_by_policy, solve_sample
from sweeps.run import run_sweep
from sweeps.sample import sample_data
from sweeps.spec import load_sweep, scenario_document, scenario_ids
from sweeps.worker import solver_options

ROOT = Path(__file__).resolve().parents[1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def per_sample(instance: Path, sweep_path: Path, samples: int, scenario: str | None) -> dict:
    """Part 1: rebuild against reuse on the same samples, in this process."""
    loaded = load(instance)
    sweep = load_sweep(sweep_path, loaded)
    sid = scenario or scenario_ids(sweep, loaded)[0]
    options = solver_options(sweep)
    scen = next(s for s in loaded.instance.scenario_list() if s.id == sid)
    base = solve_sample(loaded.scenarios[sid], None, options)
    document = scenario_document(loaded.instance, sid)
    keys = [f"{route}{part}" for route in ("rebuild", "reuse") for part in ("", "_model", "_cpu")]
    rows: dict[str, list[float]] = {key: [] for key in ["draw", *keys]}
    disagree = 0
    for k in range(samples):
        t0 = time.perf_counter()
        data, _ = sample_data(document, scen, sweep, k)
        rows["draw"].append(time.perf_counter() - t0)
        if data is None:
            continue
        order = ("rebuild", "reuse") if k % 2 == 0 else ("reuse", "rebuild")
        found = {}
        for route in order:
            t0, c0 = time.perf_counter(), time.process_time()
            if route == "rebuild":
                free = solve_scenario(data, options)
                kept = kept_by_policy(data, base.hosts, options)
                seconds = time.perf_counter() - t0
                model = free.seconds["build"] + kept.seconds["build"]
                found[route] = (
                    free.result.objective if free.result else None,
                    kept.result.objective if kept.result and kept.status.has_solution else None,
                )
            else:
                solved = solve_sample(data, base.hosts, options)
                seconds = time.perf_counter() - t0
                model = solved.seconds.get("build", 0.0)
                found[route] = (solved.optimum.objective, solved.kept.objective)
            rows[route].append(seconds)
            rows[f"{route}_cpu"].append(time.process_time() - c0)
            rows[f"{route}_model"].append(model)
        (a_free, a_kept), (b_free, b_kept) = found["rebuild"], found["reuse"]
        tol = 1e-6 * max(1.0, abs(a_free or 0))
        if (a_free is None) != (b_free is None) or (a_free and abs(a_free - b_free) > tol):
            disagree += 1
        if (a_kept is None) != (b_kept is None) or (a_kept and abs(a_kept - b_kept) > tol):
            disagree += 1
    return {"scenario": sid, "samples": samples, "disagreements": disagree, "rows": rows}


def throughput(instance: Path, sweep_path: Path, samples: int, workers: int) -> dict:
    """Part 2: the sweep on a local pool, from scratch, into a temporary folder."""
    document = json.loads(sweep_path.read_text(encoding="utf-8"))
    document["samples"] = samples
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sweep.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        t0 = time.perf_counter()
        code = run_sweep(instance, path, Path(tmp) / "out", workers=workers, stream=io.StringIO())
        wall = time.perf_counter() - t0
        summary = json.loads((Path(tmp) / "out" / "sweep" / "summary.json").read_text())
    scenarios = len(summary["scenarios"])
    return {
        "exit_code": code,
        "workers": workers,
        "samples": samples * scenarios,
        "solving_per_minute": summary["run"]["samples_per_minute"],
        "wall_seconds": round(wall, 2),
        "wall_per_minute": round(samples * scenarios / wall * 60, 2),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--instance", type=Path, default=ROOT / "instances" / "nanjing.json")
    p.add_argument("--sweep", type=Path, default=ROOT / "instances" / "nanjing_sweep.json")
    p.add_argument("--samples", type=int, default=20, help="samples per part (default 20)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--scenario", help="scenario of part 1 (default the sweep's first)")
    p.add_argument("--skip-pool", action="store_true", help="only part 1")
    args = p.parse_args(argv)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not args.instance.exists():
        p.error(f"{args.instance} not found")

    part1 = per_sample(args.instance, args.sweep, args.samples, args.scenario)
    r = part1["rows"]
    print(f"## {args.instance.name}, scenario {part1['scenario']}, {args.samples} samples\n")
    print("| route | median s/sample | median CPU s/sample | build + hand-off s | share |")
    print("|---|---|---|---|---|")
    for route in ("rebuild", "reuse"):
        total, model, cpu = median(r[route]), median(r[f"{route}_model"]), median(r[f"{route}_cpu"])
        print(f"| {route} | {total:.3f} | {cpu:.3f} | {model:.4f} | {model / total:.1%} |")
    print(f"\ndraw + validate + derive a sample: median {median(r['draw']):.4f} s")
    print(f"reuse / rebuild (medians): {median(r['reuse']) / median(r['rebuild']):.2f}")
    print(f"objective disagreements between routes: {part1['disagreements']}")
    cpu = median(r["reuse_cpu"])
    rate = args.workers * 60 / cpu
    print(f"{args.workers} dedicated cores at the reuse CPU median: {rate:.1f} samples/min")
    if not args.skip_pool:
        part2 = throughput(args.instance, args.sweep, args.samples, args.workers)
        print(
            f"\nlocal pool, {part2['workers']} workers, {part2['samples']} samples: "
            f"{part2['solving_per_minute']} samples/min while solving, "
            f"{part2['wall_per_minute']} samples/min including start-up "
            f"({part2['wall_seconds']} s, exit {part2['exit_code']})"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
