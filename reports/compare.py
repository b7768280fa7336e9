"""Compare the scenarios of a results folder: indicators, results.xlsx and report.html.

    python -m reports.compare RESULTS_DIR --instance INSTANCE.json [--reference ID]

Reads the files `solve.py` wrote (nothing is solved again) and the instance, then writes
`<scenario>/indicators.json` for every scenario, `today_indicators.json` for today's layout,
the indicator columns of `comparison.csv`, `robustness.csv`, `results.xlsx` and `report.html`.
When the folder holds a sweep (`sweep/summary.json`), the workbook and the page show it too.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from models.problems import InvalidInstance
from models.scenario import load
from reports.assess import COMPARISON_COLUMNS, Comparison, compare_plans
from reports.atomic import write_csv, write_json
from reports.files import comparison_row
from reports.html import write_report
from reports.html_sweep import read_sweep
from reports.plans import TODAY, read_plan, today_plan
from reports.workbook import write_workbook


def load_comparison(out_dir: Path, instance_path: Path, reference: str | None = None) -> Comparison:
    """Read every scenario of the instance that has a summary in `out_dir` and assess it."""
    loaded = load(instance_path)
    plans = [p for data in loaded.scenarios.values() if (p := read_plan(out_dir, data))]
    if not plans:
        raise FileNotFoundError(
            f"{out_dir}: no scenario of {instance_path.name} has results here — "
            f"run python solve.py {instance_path} --out {out_dir} first"
        )
    return compare_plans(loaded.instance, today_plan(loaded), plans, reference)


def extended_comparison(out_dir: Path, comparison: Comparison) -> pd.DataFrame:
    """comparison.csv of SPEC §5 (one row per scenario) with the indicator columns added."""
    base = pd.DataFrame([comparison_row(p.summary) for p in comparison.scenarios])
    extra = comparison.table.set_index("scenario")[COMPARISON_COLUMNS]
    extra = extra.drop(columns=[c for c in extra.columns if c in base.columns])
    return base.join(extra, on="scenario")


def render(out_dir: Path, instance_path: Path, reference: str | None = None) -> list[Path]:
    """Write the comparison files from an existing results folder; return the paths written.

    `reference` is the scenario id that changes are measured against (default: today's layout).
    """
    out_dir, instance_path = Path(out_dir), Path(instance_path)
    comparison = load_comparison(out_dir, instance_path, reference)
    sweep = read_sweep(out_dir, comparison.plans[0].data)
    written = []
    for plan in comparison.plans:
        path = (
            out_dir / f"{TODAY}_indicators.json"
            if plan.is_today
            else out_dir / plan.id / "indicators.json"
        )
        write_json(path, comparison.indicators[plan.id])
        written.append(path)
    paths = {
        "comparison": out_dir / "comparison.csv",
        "robustness": out_dir / "robustness.csv",
        "workbook": out_dir / "results.xlsx",
        "report": out_dir / "report.html",
    }
    write_csv(paths["comparison"], extended_comparison(out_dir, comparison))
    write_csv(paths["robustness"], comparison.robustness)
    write_workbook(paths["workbook"], comparison, sweep.tables if sweep else None)
    write_report(paths["report"], comparison, sweep)
    return [*written, *paths.values()]


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
    except InvalidInstance as err:
        print(err.report(), file=sys.stderr)
        return 3
    except (FileNotFoundError, ValueError, json.JSONDecodeError) as err:
        print(f"cannot compare: {err}", file=sys.stderr)
        return 1
    for path in paths[-4:]:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
