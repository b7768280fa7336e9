"""Plan the industrial division of labour of a metropolitan area, scenario by scenario.

    python solve.py INSTANCE.json [--scenario ID ...] [--out DIR] [--time-limit S] [--gap G]
                                  [--threads N] [--quiet] [--debug] [--report] [--reference ID]
    python solve.py INSTANCE.json --sweep SWEEP.json [--scheduler ADDRESS] [--workers N] [--out DIR]

Exit codes: 0 every scenario has a solution; 3 the instance is invalid; 4 a scenario is
infeasible; 5 a limit was reached with no solution; 1 anything unexpected; 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

EXIT_OK, EXIT_ERROR, EXIT_INVALID, EXIT_INFEASIBLE, EXIT_NO_SOLUTION = 0, 1, 3, 4, 5
EXIT_INTERRUPTED = 130


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="solve.py",
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("instance", type=Path, help="instance file (JSON, see SPEC §2)")
    p.add_argument(
        "--scenario", action="append", metavar="ID", help="solve only this scenario (repeatable)"
    )
    p.add_argument("--out", type=Path, help="results folder (default results/<instance stem>)")
    p.add_argument("--time-limit", type=float, metavar="S", help="seconds per scenario")
    p.add_argument(
        "--gap", type=float, default=1e-6, metavar="G", help="relative MIP gap (default 1e-6)"
    )
    p.add_argument("--threads", type=int, metavar="N", help="solver threads")
    p.add_argument("--quiet", action="store_true", help="print only one line per scenario")
    p.add_argument("--debug", action="store_true", help="show tracebacks and the solver log")
    p.add_argument(
        "--report",
        action="store_true",
        help="after solving, write indicators, results.xlsx and report.html",
    )
    p.add_argument(
        "--reference",
        metavar="ID",
        help="scenario the report measures changes against (default: today)",
    )
    p.add_argument(
        "--sweep",
        type=Path,
        metavar="SWEEP.json",
        help="robustness sweep: solve samples of the uncertain numbers (README, Sweeps)",
    )
    p.add_argument(
        "--scheduler", metavar="ADDRESS", help="with --sweep: run on the Dask cluster at ADDRESS"
    )
    p.add_argument("--workers", type=int, metavar="N", help="with --sweep: local worker processes")
    args = p.parse_args(argv)
    if args.sweep is None and (args.scheduler or args.workers is not None):
        p.error("--scheduler and --workers go with --sweep")
    if args.sweep is not None and (args.scenario or args.time_limit or args.threads):
        p.error("with --sweep, scenarios and time limit are set in the sweep file; threads are 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    try:
        return run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as err:
        if args.debug:
            traceback.print_exc()
        print(
            f"unexpected error: {type(err).__name__}: {err} (rerun with --debug)", file=sys.stderr
        )
        return EXIT_ERROR


def run(args: argparse.Namespace) -> int:
    if args.sweep is not None:
        from sweeps.run import run_sweep

        return run_sweep(
            args.instance, args.sweep, args.out, scheduler=args.scheduler, workers=args.workers
        )
    from models.problems import InvalidInstance
    from models.scenario import load

    try:
        loaded = load(args.instance)
    except InvalidInstance as err:
        if args.debug:
            traceback.print_exc()
        print(err.report(), file=sys.stderr)
        return EXIT_INVALID

    from models.pipeline import solve_scenario
    from models.size import too_large
    from reports.console import scenario_text
    from reports.files import write_comparison, write_scenario
    from solvers import SolverOptions, Status

    wanted = args.scenario or list(loaded.scenarios)
    unknown = [s for s in wanted if s not in loaded.scenarios]
    if unknown:
        print(
            f"{args.instance}: unknown scenario {', '.join(map(repr, unknown))} — "
            f"use one of: {', '.join(loaded.scenarios)}",
            file=sys.stderr,
        )
        return EXIT_INVALID
    if args.reference and args.reference not in (*loaded.scenarios, "today"):
        print(
            f"{args.instance}: unknown reference {args.reference!r} — use today or one of: "
            f"{', '.join(loaded.scenarios)}",
            file=sys.stderr,
        )
        return EXIT_INVALID
    out = args.out or Path("results") / args.instance.stem
    options = SolverOptions(
        time_limit=args.time_limit, mip_gap=args.gap, threads=args.threads, verbose=args.debug
    )
    for sid in wanted:
        message = too_large(loaded.scenarios[sid])
        if message:
            print(message, file=sys.stderr)
            return EXIT_INVALID
    statuses = []
    try:
        for sid in wanted:
            run_ = solve_scenario(loaded.scenarios[sid], options)
            if run_.result is not None and run_.result.interrupted:
                raise KeyboardInterrupt
            write_scenario(out, run_)
            statuses.append(run_.status)
            if args.quiet:
                objective = run_.result.objective if run_.result else None
                print(f"{sid}: {run_.status.value} objective {objective}", flush=True)
            else:
                print(scenario_text(run_) + "\n", flush=True)
    except KeyboardInterrupt:
        write_comparison(out, list(loaded.scenarios))
        print(
            f"interrupted: {len(statuses)} finished scenario(s) kept in {out}/; the scenario "
            "being solved was not written",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    write_comparison(out, list(loaded.scenarios))
    print(f"results in {out}/")
    if args.report:
        from reports.compare import render

        try:
            for path in render(out, args.instance, args.reference)[-2:]:
                print(f"wrote {path}")
        except ValueError as err:  # e.g. the reference scenario has no plan
            print(f"report: {err}", file=sys.stderr)
            return EXIT_ERROR
    if Status.INFEASIBLE in statuses:
        return EXIT_INFEASIBLE
    if Status.NO_SOLUTION in statuses:
        return EXIT_NO_SOLUTION
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
