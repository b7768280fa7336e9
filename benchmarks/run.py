"""Run a named set of benchmark instances and tabulate build, hand-off and solve times, status, gap
and peak memory, side by side for the tool's formulation and, with --baseline, the plain
formulation of SPEC §3 (no valid inequalities, no MIP start, HiGHS default settings but for the
relative gap, 1e-6 as for the tool's formulation, where HiGHS's default is 1e-4).

    python -m benchmarks.run speed --baseline --repeat 3
    python -m benchmarks.run cflp
    python -m benchmarks.run ci --time-limit 60
    python -m benchmarks.run hard --variants default,default-capacity_cover

Every run is a separate process, so that peak memory is its own and runs do not share caches.
Results are printed as a table and saved as CSV in benchmarks/runs/ for later comparison.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.convert import DATA_DIR, convert_file, known_optimum
from benchmarks.generate import generate
from models.build import inequalities

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "runs"
CFLP = [
    f"cap{k}"
    for k in (
        *range(41, 45),
        51,
        *range(61, 65),
        *range(71, 75),
        *range(81, 85),
        *range(91, 95),
        *range(101, 105),
        *range(111, 115),
        *range(121, 125),
        *range(131, 135),
    )
]
QAP = [
    "nug5",
    "nug6",
    "nug7",
    "nug8",
    "tai5a",
    "tai6a",
    "tai7a",
    "tai8a",
    "tai9a",
    "esc8a",
    "esc8b",
    "esc8c",
    "esc8d",
    "esc8e",
    "esc8f",
]
SYNTHETIC = {
    **{
        f"g10x20_s{k}": dict(cities=10, chains=4, segments_per_chain=5, eligibility=1.0, seed=k)
        for k in range(1, 7)
    },
    "g10x30_e04": dict(cities=10, chains=6, segments_per_chain=5, eligibility=0.4, seed=1),
    "g30x100_e04": dict(cities=30, chains=20, segments_per_chain=5, eligibility=0.4, seed=1),
    "g60x300_e04": dict(cities=60, chains=30, segments_per_chain=10, eligibility=0.4, seed=1),
}
SETS = {
    "ci": ["cap41", "cap71", "nug5", "nug6", "nug7", "nug8"],
    "cflp": CFLP,
    "qap": QAP,
    "nanjing": ["nanjing"],
    "hard": [f"g10x20_s{k}" for k in range(1, 7)],
    "speed": ["nanjing", "g10x20_s1", "g10x20_s2", "g10x20_s3", "nug8", "tai9a"],
    "scale": ["g10x30_e04", "g30x100_e04", "g60x300_e04"],
}
COLUMNS = [
    "instance",
    "scenario",
    "variant",
    "status",
    "objective",
    "bound",
    "gap",
    "optimum",
    "model_s",
    "start_s",
    "handoff_s",
    "solve_s",
    "total_s",
    "peak_mb",
    "columns",
    "nonzeros",
]


def instance_document(name: str) -> dict:
    """The instance document of a benchmark name (shipped file, synthetic, or Nanjing)."""
    if name == "nanjing":
        return json.loads((ROOT / "instances" / "nanjing.json").read_text(encoding="utf-8"))
    if name in SYNTHETIC:
        return generate(**SYNTHETIC[name])
    for suffix in (".txt", ".dat"):
        path = DATA_DIR / f"{name}{suffix}"
        if path.exists():
            return convert_file(path)
    raise SystemExit(f"unknown benchmark instance '{name}'")


def run_one(
    document_path: Path, scenario: str, variant: str, time_limit: float | None, seed: int = 0
) -> dict:
    """Solve one scenario in this process and measure it (called in a child process)."""
    from models.pipeline import solve_scenario
    from models.scenario import load
    from solvers import SolverOptions

    data = load(document_path).scenarios[scenario]
    t0 = time.perf_counter()
    # the baseline is the plain formulation with HiGHS's own defaults (cuts at every node)
    options = SolverOptions(time_limit=time_limit, node_cuts=variant == "plain", seed=seed)
    run = solve_scenario(data, options, formulation=variant)
    total = time.perf_counter() - t0
    res = run.result
    return {
        "status": run.status.value,
        "objective": res.objective if res else None,
        "bound": res.bound if res else None,
        "gap": res.gap if res else None,
        "model_s": run.seconds_build,
        "start_s": run.seconds_start,
        "handoff_s": res.seconds_handoff if res else 0.0,
        "solve_s": res.seconds_solve if res else 0.0,
        "total_s": total,
        "peak_mb": peak_mb(),
        "columns": res.size[0] if res else None,
        "nonzeros": res.size[2] if res else None,
    }


def peak_mb() -> float:
    """This process's peak resident memory, MB: VmHWM, which starts afresh at exec (getrusage's
    ru_maxrss keeps the parent's peak across it); ru_maxrss where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_child(
    document_path: Path, scenario: str, variant: str, time_limit: float | None, seed: int
) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.run", "--one", str(document_path), scenario, variant]
    cmd += ["--seed", str(seed)]
    if time_limit is not None:
        cmd += ["--time-limit", str(time_limit)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if proc.returncode != 0:
        return {"status": f"error: {proc.stderr.strip().splitlines()[-1:]}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def median_row(rows: list[dict]) -> dict:
    """One row from repeated runs: timings and memory are medians, the rest from the first run
    that did not fail (a failed run has only its status)."""
    row = dict(next((r for r in rows if "total_s" in r), rows[0]))
    for key in ("model_s", "start_s", "handoff_s", "solve_s", "total_s", "peak_mb"):
        values = [r[key] for r in rows if isinstance(r.get(key), int | float)]
        if values:
            row[key] = statistics.median(values)
    row["runs"] = len(rows)
    return row


def machine() -> str:
    from solvers.highs import new_highs

    return (
        f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"HiGHS {new_highs().version()}, {platform.platform(terse=True)}"
    )


def fmt(value, digits: int = 2) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}" if abs(value) >= 0.01 or value == 0 else f"{value:.1e}"
    return str(value)


def table(rows: list[dict]) -> str:
    head = [
        "instance",
        "scenario",
        "variant",
        "status",
        "objective",
        "gap",
        "optimum",
        "model s",
        "hand-off s",
        "solve s",
        "total s",
        "peak MB",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        gap = r.get("gap")
        cells = [
            r["instance"],
            r["scenario"],
            r["variant"],
            r["status"],
            fmt(r.get("objective"), 3),
            "—" if gap is None else f"{100 * gap:.2f} %",
            fmt(r.get("optimum"), 3),
            fmt(r.get("model_s")),
            fmt(r.get("handoff_s")),
            fmt(r.get("solve_s")),
            fmt(r.get("total_s")),
            fmt(r.get("peak_mb"), 0),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def speedups(rows: list[dict]) -> str:
    """Ratio plain / default of total seconds, per instance and scenario."""
    by = {(r["instance"], r["scenario"], r["variant"]): r for r in rows}
    lines = []
    for (inst, sc, variant), r in by.items():
        plain = by.get((inst, sc, "plain"))
        if variant != "default" or plain is None:
            continue
        if "total_s" not in plain or "total_s" not in r:  # a run that failed: no ratio
            failed = plain if "total_s" not in plain else r
            lines.append(f"{inst}/{sc}: no ratio ({failed['variant']} {failed['status']})")
            continue
        ratio = plain["total_s"] / r["total_s"] if r["total_s"] else float("nan")
        note = "" if plain["status"] == "optimal" else f" (plain stopped: {plain['status']})"
        lines.append(
            f"{inst}/{sc}: plain {plain['total_s']:.2f} s, default {r['total_s']:.2f} s, "
            f"ratio {ratio:.1f}x{note}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    p.add_argument(
        "set", nargs="?", help=f"one of {', '.join(SETS)}, or instance names joined by ,"
    )
    p.add_argument("--baseline", action="store_true", help="also run the plain formulation")
    p.add_argument(
        "--variants",
        help="formulations to run, joined by ',' (instead of --baseline): default, plain, or "
        "default-NAME for the default without valid inequality NAME, e.g. default-capacity_cover",
    )
    p.add_argument("--time-limit", type=float, default=600.0, help="seconds per solve (600)")
    p.add_argument("--repeat", type=int, default=1, help="runs per case; timings are medians")
    p.add_argument("--seed", type=int, default=0, help="HiGHS random seed (0)")
    p.add_argument("--out", type=Path, help="CSV path (default benchmarks/runs/<set>-<time>.csv)")
    p.add_argument(
        "--one", nargs=3, metavar=("INSTANCE", "SCENARIO", "VARIANT"), help=argparse.SUPPRESS
    )
    args = p.parse_args(argv)
    if args.one:
        instance, scenario, variant = args.one
        print(json.dumps(run_one(Path(instance), scenario, variant, args.time_limit, args.seed)))
        return 0
    if not args.set:
        p.error("name a set")
    names = SETS.get(args.set) or args.set.split(",")
    variants = ["default", "plain"] if args.baseline else ["default"]
    if args.variants:
        variants = args.variants.split(",")
        for variant in variants:
            try:
                inequalities(variant)
            except ValueError as err:
                p.error(str(err))
    rows = []
    print(f"machine: {machine()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            path = Path(tmp) / f"{name}.json"
            document = instance_document(name)
            path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
            scenarios = [s["id"] for s in document.get("scenarios", [])] or ["base"]
            for scenario in scenarios:
                for variant in variants:
                    runs = [
                        in_child(path, scenario, variant, args.time_limit, args.seed)
                        for _ in range(args.repeat)
                    ]
                    row = {
                        "instance": name,
                        "scenario": scenario,
                        "variant": variant,
                        "optimum": known_optimum(name) if name not in SYNTHETIC else None,
                        **median_row(runs),
                    }
                    rows.append(row)
                    print(table([row]).splitlines()[-1], flush=True)
    out = args.out or RESULTS / f"{args.set.replace(',', '+')}-{time.strftime('%Y%m%d-%H%M%S')}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=[*COLUMNS, "runs"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    print("\n" + table(rows))
    ratios = speedups(rows)
    if ratios:
        print("\n" + ratios)
    print(f"\nsaved {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
