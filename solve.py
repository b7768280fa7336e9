"""Plan the industrial division of labour of a metropolitan area, scenario by scenario.

    python solve.py INSTANCE.json [--scenario ID ...] [--out DIR] [--time-limit S] [--gap G]
                                  [--threads N] [--quiet] [--debug] [--report] [--reference ID]
    python solve.py INSTANCE.json --sweep SWEEP.json [--scheduler ADDRESS] [--workers N] [--out DIR]

Exit codes: 0 every scenario has a solution; 2 an option is out of range or does not go with
the others; 3 the instance is invalid, the results folder cannot be written, the report's
reference has no results, or the model would not fit in memory; 4 a scenario is infeasible; 5 a
limit was reached with no solution; 1 anything unexpected; 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import signal
import sys
import traceback
from pathlib import Path

EXIT_OK, EXIT_ERROR, EXIT_INVALID, EXIT_INFEASIBLE, EXIT_NO_SOLUTION = 0, 1, 3, 4, 5
EXIT_INTERRUPTED = 130
GAP = 1e-6
"""Relative MIP gap unless --gap gives one."""


def _number(text: str, kind: type, ok, wanted: str) -> float:
    """An option's value, or argparse's message naming what is wanted."""
    try:
        value = kind(text)
    except ValueError:
        value = math.nan
    if not ok(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not {wanted}")
    return value


def seconds(text: str) -> float:
    return _number(text, float, lambda v: math.isfinite(v) and v >= 0, "a number of seconds ≥ 0")


def gap(text: str) -> float:
    return _number(text, float, lambda v: 0 <= v < 1, "a relative gap of at least 0 and below 1")


def count(text: str) -> int:
    return _number(text, int, lambda v: v >= 1, "a whole number of at least 1")


def folder(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path is no folder")
    return Path(text)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="solve.py",
        usage="%(prog)s INSTANCE.json [--scenario ID ...] [--out DIR] [--time-limit S] [--gap G]\n"
        "                [--threads N] [--quiet] [--debug] [--report [--reference ID]]\n"
        "       %(prog)s INSTANCE.json --sweep SWEEP.json [--out DIR] [--workers N | "
        "--scheduler ADDRESS]",
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("instance", type=Path, nargs="?", help="instance file (JSON, see SPEC §2)")
    p.add_argument(
        "--scenario",
        action="extend",
        nargs="+",
        metavar="ID",
        help="solve only these scenarios (--scenario a b, or --scenario a --scenario b)",
    )
    p.add_argument("--out", type=folder, help="results folder (default results/<instance stem>)")
    p.add_argument("--time-limit", type=seconds, metavar="S", help="seconds per scenario")
    p.add_argument("--gap", type=gap, metavar="G", help=f"relative MIP gap (default {GAP:g})")
    p.add_argument("--threads", type=count, metavar="N", help="solver threads")
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
    if args.instance is None and args.scenario and args.scenario[-1].endswith(".json"):
        args.instance = Path(args.scenario.pop())  # `--scenario a b INSTANCE.json`: the ids end
    if args.instance is None:
        p.error("the following arguments are required: INSTANCE.json (the instance file)")
    if args.scenario:
        args.scenario = list(dict.fromkeys(args.scenario))  # each once, in the order given
    if args.sweep is None and (args.scheduler or args.workers is not None):
        p.error("--scheduler and --workers go with --sweep")
    if args.workers is not None and args.workers < 0:
        p.error("--workers: give 0 (this process) or more worker processes")
    set_in_sweep = {
        "--scenario": args.scenario,
        "--time-limit": args.time_limit,
        "--gap": args.gap,
        "--threads": args.threads,
    }
    refused = [name for name, option in set_in_sweep.items() if option is not None]
    if args.sweep is not None and refused:
        p.error(
            f"{' and '.join(refused)} cannot go with --sweep: scenarios, time limit and gap are "
            "set in the sweep file, and each solve has one thread"
        )
    if args.sweep is not None and (args.quiet or args.report):
        p.error(
            "--quiet and --report go with scenario runs; after a sweep, python -m reports.compare "
            "OUT --instance INSTANCE adds it to the report"
        )
    if args.reference is not None and not args.report:
        p.error("--reference goes with --report")
    args.gap = GAP if args.gap is None else args.gap
    return args


class QuietWhenClosed:
    """A console stream (stdout, stderr) that falls silent when its reader goes away (`| head`,
    `2>&1 | head`) instead of raising BrokenPipeError: printing is a view, the run goes on and
    writes every result."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._silence()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._silence()

    def _silence(self) -> None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self._stream.fileno())  # what is still buffered goes nowhere
        os.close(devnull)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    console, errors = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = QuietWhenClosed(console), QuietWhenClosed(errors)
    try:
        return run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as err:  # a result or report file could not be written: disk full, permissions
        replaced = getattr(err, "replaced", [])  # report files replaced before a rename failed
        print(
            f"could not write {err.filename or 'a result file'} ({err.strerror}) — free space or "
            "give another --out; every file written before is complete "
            + (
                f"(of the report set, {', '.join(map(str, replaced))} were replaced already)"
                if replaced
                else "(a report set is replaced whole or not at all)"
            ),
            file=sys.stderr,
        )
        return EXIT_ERROR
    except ModuleNotFoundError as err:  # run before the project was installed
        package = (err.name or "?").partition(".")[0]
        print(
            f"the package {package} is missing — install the project first: "
            f"pip install -e {Path(__file__).resolve().parent}",
            file=sys.stderr,
        )
        return EXIT_ERROR
    except Exception as err:
        from solvers import SolverFailed

        if args.debug:
            traceback.print_exc()
        if isinstance(err, SolverFailed):  # its message says what to check
            print(err, file=sys.stderr)
        else:
            print(
                f"unexpected error: {type(err).__name__}: {err} (rerun with --debug)",
                file=sys.stderr,
            )
        return EXIT_ERROR
    finally:
        sys.stdout, sys.stderr = console, errors


def run(args: argparse.Namespace) -> int:
    """Load, check the request, solve each scenario and write its results, then the comparison
    and (with --report) the report; the exit code follows the worst scenario."""
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
    wanted = args.scenario or list(loaded.scenarios)
    out = args.out or Path("results") / args.instance.stem
    problem = request_problem(args, loaded, wanted, out)
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_INVALID

    from reports.files import earlier_runs, write_comparison
    from solvers import Status

    # rewritten after the run; until then it would list summaries this run replaces
    (out / "comparison.csv").unlink(missing_ok=True)
    statuses = []
    try:
        solve_each(args, loaded, wanted, out, statuses)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # more presses would cut the writing short
        table = write_comparison(out, list(loaded.scenarios), args.instance)
        note = earlier_runs(out, table, wanted[: len(statuses)], loaded.scenarios)
        print(
            f"interrupted: {len(statuses)} finished scenario(s) kept in {out}/; the scenario "
            f"being solved was not written{note}",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except Exception:
        with contextlib.suppress(Exception):  # the first error is the one to report
            write_comparison(out, list(loaded.scenarios), args.instance)
        raise
    table = write_comparison(out, list(loaded.scenarios), args.instance)
    print(f"results in {out}/{earlier_runs(out, table, wanted, loaded.scenarios)}")
    if not args.report and (out / "report.html").exists():
        print(
            f"note: {out}/report.html, results.xlsx and robustness.csv are from an earlier run "
            "— add --report, "
            f"or run python -m reports.compare {out} --instance {args.instance}, to update them"
        )
    if args.report and not write_report(args, out):
        return EXIT_INVALID
    if Status.INFEASIBLE in statuses:
        return EXIT_INFEASIBLE
    if Status.NO_SOLUTION in statuses:
        return EXIT_NO_SOLUTION
    return EXIT_OK


def did_you_mean(given: str, ids: list[str]) -> str:
    """ " (did you mean 'green'?)" for the id nearest to a misspelt or miscapitalised one."""
    from models.problems import nearest

    near = nearest(given, ids)
    return f" (did you mean {near!r}?)" if near else ""


def request_problem(args: argparse.Namespace, loaded, wanted: list[str], out: Path) -> str | None:
    """What makes the request impossible before anything is solved, in one message, or None:
    unknown scenarios or reference, a results folder that cannot be written, a reference without
    a plan, a model too large for memory."""
    from models.size import too_large
    from reports.out_folder import out_folder_problem
    from reports.plans import folder_has_plan, solved_status

    unknown = [s for s in wanted if s not in loaded.scenarios]
    if unknown:
        named = ", ".join(f"{s!r}{did_you_mean(s, list(loaded.scenarios))}" for s in unknown)
        return (
            f"{args.instance}: unknown scenario {named} — use one of: {', '.join(loaded.scenarios)}"
        )
    reference = args.reference
    if reference and reference not in (*loaded.scenarios, "today"):
        return (
            f"{args.instance}: unknown reference {reference!r}"
            f"{did_you_mean(reference, ['today', *loaded.scenarios])} — use today or one of: "
            f"{', '.join(loaded.scenarios)}"
        )
    problem = out_folder_problem(out)
    if problem is not None:
        return problem
    if reference not in (None, "today", *wanted) and not folder_has_plan(out / reference):
        status = solved_status(out / reference)
        if status is not None:  # solved, but without a plan
            return (
                f"--reference {reference}: its results in {out}/{reference} have no plan (status "
                f"{status}) — choose today or a scenario with a plan"
            )
        return (
            f"--reference {reference}: not solved in this run and no plan of it in {out}/ — "
            f"add --scenario {reference}, or solve it first"
        )
    return next(filter(None, (too_large(loaded.scenarios[sid]) for sid in wanted)), None)


def solve_each(args: argparse.Namespace, loaded, wanted: list[str], out: Path, statuses: list):
    """Solve the wanted scenarios in turn, writing each one's results as soon as it is solved and
    appending its status to `statuses` (which a Ctrl-C leaves holding the finished ones)."""
    from models.pipeline import solve_scenario
    from reports.console import scenario_text
    from reports.files import write_scenario
    from solvers import SolverFailed, SolverOptions

    options = SolverOptions(
        time_limit=args.time_limit, mip_gap=args.gap, threads=args.threads, verbose=args.debug
    )
    for sid in wanted:
        try:
            run_ = solve_scenario(loaded.scenarios[sid], options)
        except SolverFailed as err:
            raise SolverFailed(f"scenario {sid}: {err}") from None
        if run_.result is not None and run_.result.interrupted:
            raise KeyboardInterrupt
        write_scenario(out, run_)
        statuses.append(run_.status)
        if args.quiet:
            print(quiet_line(run_), flush=True)
        else:
            print(scenario_text(run_) + "\n", flush=True)


def quiet_line(run) -> str:
    """One line per scenario: status and objective, and for a plan stopped at a limit its gap."""
    from reports.console import gap_percent, money

    res = run.result
    shown = money(res.objective if res else None, run.data.instance.units.money)
    line = f"{run.data.scenario.id}: {run.status.value} objective {shown}"
    if run.status.value == "feasible" and res.gap is not None:
        line += f" (not proven optimal: gap {gap_percent(res.gap)})"
    return line


def write_report(args: argparse.Namespace, out: Path) -> bool:
    """Indicators, workbook and report.html over the results folder; False (with the reason on
    stderr) when the folder's results cannot make one, e.g. earlier results of another instance."""
    from reports.compare import render
    from reports.results import ReportInputError

    try:
        for path in render(out, args.instance, args.reference)[-2:]:
            print(f"wrote {path}")
    except ReportInputError as err:
        print(f"report: {err}", file=sys.stderr)
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
