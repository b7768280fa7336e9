"""Result files of SPEC §5: per scenario summary.json, assignments.csv, flows.csv, cities.csv;
across scenarios comparison.csv. Every file is written atomically; summary.json last, so a
scenario folder whose summary is present is complete."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from models.data import ScenarioData, fingerprint
from models.objective import TERMS
from models.pipeline import ScenarioRun
from reports.atomic import write_csv, write_json
from reports.results import ReportInputError, read_summary, with_weights

TABLES = ("assignments", "flows", "cities", "shadow_prices")


def summary(run: ScenarioRun) -> dict:
    """The summary.json payload of a scenario."""
    sc, res, sol = run.data.scenario, run.result, run.solution
    return {
        "scenario": sc.id,
        "name": sc.name,
        "description": sc.description,
        "instance": run.data.instance.name,
        "instance_fingerprint": fingerprint(run.data),
        "status": run.status.value,
        "objective": None if res is None else res.objective,
        "bound": None if res is None else res.bound,
        "gap": None if res is None else res.gap,
        "terms": sol.terms if sol else {k: None for k in TERMS},
        "weights": {k: run.data.weights.of(k) for k in TERMS},
        "seconds": run.seconds,
        "hosts": sol.hosts if sol else {},
        "imports": sol.imports if sol else {},
        "duplicated_segments": sol.duplicated if sol else {},
        "policies": sorted(run.data.policies),
        "diagnosis": run.diagnosis,
        "solver": {
            "name": res.solver if res else "highs",
            "version": res.version if res else None,
            "status": res.message if res else "not run: conflicts found while building",
            "time_limit": run.time_limit,
            "options": res.options if res else {},
        },
    }


def write_scenario(out: Path, run: ScenarioRun) -> Path:
    """Write one scenario's files into <out>/<scenario id>/ and return that folder.

    Tables of an earlier run that this run does not produce (an infeasible scenario has none)
    are removed, so that no stale plan sits beside a new summary, and so is the earlier plan's
    indicators.json (the report writes a new one). An earlier summary.json goes
    first and the new one is written last: a folder with a summary holds one run's files, and a
    write that fails halfway leaves the folder without one, which readers take for a scenario
    not solved.
    """
    folder = out / run.scenario
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.json").unlink(missing_ok=True)
    (folder / "indicators.json").unlink(missing_ok=True)  # the earlier plan's, from a report
    for name in TABLES:
        path = folder / f"{name}.csv"
        table = getattr(run.solution, name, None)
        if table is not None:
            write_csv(path, table)
        else:
            path.unlink(missing_ok=True)
    write_json(folder / "summary.json", summary(run))
    return folder


def comparison_row(payload: dict) -> dict:
    """A row of comparison.csv from a summary.json payload checked by `read_summary`."""
    row = {
        "scenario": payload["scenario"],
        "status": payload["status"],
        "objective": payload["objective"],
        "bound": payload["bound"],
        "gap": payload["gap"],
    }
    row.update({k: payload["terms"].get(k) for k in TERMS})
    planned = payload["objective"] is not None  # infeasible, or stopped without a plan: empty
    row["duplicated_segments"] = len(payload.get("duplicated_segments") or {}) if planned else None
    row["seconds"] = payload["seconds"]["total"]
    return row


def comparison_frame(payloads: list[dict]) -> pd.DataFrame:
    """comparison.csv's rows from summary.json payloads, with the weights of terms weighted other
    than 1; counts stay whole numbers beside the empty cells of scenarios without a plan."""
    frame = pd.DataFrame([comparison_row(payload) for payload in payloads])
    if len(frame):
        frame = with_weights(frame, payloads)
    if "duplicated_segments" in frame:
        frame["duplicated_segments"] = frame["duplicated_segments"].astype("Int64")
    return frame


def write_comparison(
    out: Path, scenario_ids: list[str], instance: Path | None = None
) -> pd.DataFrame:
    """comparison.csv over every scenario of the instance that has a readable summary in `out`.

    A damaged or incomplete summary.json (a run cut short, a hand edit) leaves its scenario out,
    with a warning on stderr naming the file and the fix (which names `instance`, the instance
    file), so that it never stops the others.
    """
    payloads = []
    for sid in scenario_ids:
        try:
            payload = read_summary(out / sid, instance)
        except ReportInputError as err:
            print(f"warning: {err} (left out of comparison.csv)", file=sys.stderr)
            continue
        if payload is not None:
            payloads.append(payload)
    frame = comparison_frame(payloads)
    write_csv(out / "comparison.csv", frame)
    return frame


def earlier_runs(
    out: Path, comparison: pd.DataFrame, solved: list[str], scenarios: dict[str, ScenarioData]
) -> str:
    """A note on the rows of comparison.csv that this run did not solve, or ''; it names those
    solved with other numbers than the instance has now."""
    earlier = [s for s in comparison.get("scenario", []) if s not in solved]
    if not earlier:
        return ""
    stale = [
        sid
        for sid in earlier
        if read_summary(out / sid).get("instance_fingerprint")
        not in (None, fingerprint(scenarios[sid]))
    ]
    note = f" (comparison.csv also lists {', '.join(earlier)} from earlier runs"
    if stale:
        note += (
            f"; {', '.join(stale)} solved with other numbers than the instance has now — rerun them"
        )
    return note + ")"
