"""Compare the scenarios of a results folder: indicators, results.xlsx and report.html.

    python -m reports.compare RESULTS_DIR --instance INSTANCE.json [--reference ID]

Reads the files `solve.py` wrote (nothing is solved again) and the instance, then writes
`<scenario>/indicators.json` for every scenario, `today_indicators.json` for today's layout,
the indicator columns of `comparison.csv`, `robustness.csv`, `results.xlsx` and `report.html`.
When the folder holds a sweep (`sweep/summary.json`), the workbook and the page show it too.
"""

from __future__ import annotations

import argparse
import errno
import sys
from pathlib import Path

import pandas as pd

from models.problems import InvalidInstance
from models.scenario import load
from reports.assess import COMPARISON_COLUMNS, COUNT_COLUMNS, Comparison, compare_plans
from reports.atomic import changed_files, csv_text, json_text, write_files
from reports.files import comparison_frame
from reports.html import report
from reports.html_sweep import SweepResults, read_sweep
from reports.plans import TODAY, read_plans, today_plan
from reports.results import ReportInputError
from reports.workbook import workbook_bytes

EXIT_ERROR, EXIT_INVALID = 1, 3
"""Exit codes as solve.py's: 3 the input is invalid (message, no traceback), 1 anything else."""


def load_comparison(out_dir: Path, instance_path: Path, reference: str | None = None) -> Comparison:
    """Read every scenario of the instance that has a summary in `out_dir` and assess it."""
    loaded = load(instance_path)
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportInputError(
            f"{out_dir} is a file, not a results folder — give the --out folder of a solve.py run"
        )
    plans = read_plans(out_dir, loaded)
    if not plans:
        raise ReportInputError(
            f"{out_dir}: no scenario of {instance_path.name} has results here — "
            f"run python solve.py {instance_path} --out {out_dir} first"
        )
    return compare_plans(loaded.instance, today_plan(loaded), plans, reference)


def extended_comparison(out_dir: Path, comparison: Comparison) -> pd.DataFrame:
    """comparison.csv of SPEC §5 (one row per scenario) with the indicator columns added."""
    base = comparison_frame([p.summary for p in comparison.scenarios])
    extra = comparison.table.set_index("scenario")[COMPARISON_COLUMNS]
    extra = extra.drop(columns=[c for c in extra.columns if c in base.columns])
    table = base.join(extra, on="scenario")
    counts = [c for c in COUNT_COLUMNS if c in table]
    table[counts] = table[counts].astype("Int64")
    return table


def report_files(
    out_dir: Path, comparison: Comparison, sweep: SweepResults | None
) -> dict[Path, str | bytes]:
    """The content of every file the comparison writes, by path: indicators first, then
    comparison.csv, robustness.csv, results.xlsx and report.html."""
    files: dict[Path, str | bytes] = {}
    for plan in comparison.plans:
        folder = out_dir if plan.is_today else out_dir / plan.id
        name = f"{TODAY}_indicators.json" if plan.is_today else "indicators.json"
        files[folder / name] = json_text(comparison.indicators[plan.id])
    files[out_dir / "comparison.csv"] = csv_text(extended_comparison(out_dir, comparison))
    files[out_dir / "robustness.csv"] = csv_text(comparison.robustness)
    files[out_dir / "results.xlsx"] = workbook_bytes(comparison, sweep.tables if sweep else None)
    files[out_dir / "report.html"] = report(comparison, sweep)
    return files


def render(out_dir: Path, instance_path: Path, reference: str | None = None) -> list[Path]:
    """Write the comparison files from an existing results folder; return the paths written.

    `reference` is the scenario id that changes are measured against (default: today's layout).
    Everything is read, checked and rendered before the first file is written, and the files are
    replaced together: a problem leaves every earlier report file as it was (but for a rename
    failing halfway: see `write_files`). Problems with the input (a results folder from another
    instance, a damaged or missing file, a reference without a plan) raise ReportInputError; a
    file that cannot be written raises OSError, whose `replaced` lists the files already replaced.
    """
    out_dir, instance_path = Path(out_dir), Path(instance_path)
    comparison = load_comparison(out_dir, instance_path, reference)
    sweep = read_sweep(out_dir, comparison.plans[0].data, instance_path)
    files = report_files(out_dir, comparison, sweep)
    write_files(files)
    return list(files)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m reports.compare",
        description="Indicators, results.xlsx and report.html from an existing results folder.",
    )
    p.add_argument("results", type=Path, help="results folder written by solve.py")
    p.add_argument("--instance", type=Path, required=True, help="the instance file solved")
    p.add_argument(
        "--reference", metavar="ID", help=f"scenario to measure changes against (default {TODAY})"
    )
    args = p.parse_args(argv)
    try:
        paths = render(args.results, args.instance, args.reference)
    except (InvalidInstance, ReportInputError) as err:
        print(f"cannot compare: {err.report()}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as err:
        if err.errno in (errno.ENOSPC, errno.EDQUOT):  # disk full, or the quota
            fix = "free space on its disk (or in your quota)"
        elif err.errno == errno.EISDIR:
            fix = f"move the folder {err.filename} out of the way (a report file goes there)"
        else:
            fix = f"make {args.results} and its scenario folders writable"
        print(
            f"cannot compare: {err.filename} could not be written ({err.strerror}) — {fix}, or "
            f"copy the results somewhere writable and compare there; {changed_files(err)}",
            file=sys.stderr,
        )
        return EXIT_ERROR
    for path in paths[-4:]:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
