"""Result files read back for the reports, checked: a file that is missing, damaged or incomplete
raises `ReportInputError` naming the file and the fix, never a parser error or a KeyError.

The files are those of SPEC §5 (a scenario's summary.json and tables) and of a sweep; what the
reports do with them is in `reports/plans.py` and `reports/html_sweep.py`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

import pandas as pd

SUMMARY_KEYS = {
    "scenario": str,
    "status": str,
    "terms": dict,
    "seconds": dict,
    "hosts": dict,
    "objective": (int, float, type(None)),
    "bound": (int, float, type(None)),
    "gap": (int, float, type(None)),
}
"""Keys of summary.json that the reports and comparison.csv read, with their JSON types."""

SHOWN = 5
"""Ids named at most in one message."""
T = TypeVar("T")


class ReportInputError(ValueError):
    """The reports cannot use what they were given: a results folder or one of its files, the
    instance, or the reference. `problems` holds one line per problem, each naming the file or
    item and the fix. A ValueError, so that callers catching ValueError keep working."""

    def __init__(self, problems: str | list[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        if len(self.problems) == 1:
            return self.problems[0]
        return "\n".join([f"{len(self.problems)} problems:", *(f"  - {p}" for p in self.problems)])


def rerun_fix(folder: Path, instance: Path | None = None) -> str:
    """The fix for a scenario folder whose files cannot be used."""
    return (
        f"rerun that scenario (python solve.py {instance or 'INSTANCE.json'} --scenario "
        f"{folder.name} --out {folder.parent}) or delete {folder}"
    )


def what_is_wrong(err: Exception) -> str:
    """Why a file could not be read, in a few words."""
    if isinstance(err, FileNotFoundError):
        return "missing"
    if isinstance(err, OSError):
        return f"cannot be read ({err.strerror})"
    if isinstance(err, json.JSONDecodeError):
        message = err.msg.removesuffix(" at")  # some of json's messages end in "at"
        return f"damaged ({message} at line {err.lineno}, column {err.colno})"
    return f"damaged ({str(err).splitlines()[0] if str(err) else type(err).__name__})"


def _read(path: Path, parse: Callable[[Path], T], fix: str) -> T:
    try:
        return parse(path)
    except (OSError, ValueError) as err:  # ValueError: JSON, UTF-8 and CSV parser errors
        raise ReportInputError(f"{path}: {what_is_wrong(err)} — {fix}") from None


def read_json(path: Path, fix: str) -> dict:
    """The JSON object in `path`."""
    payload = _read(path, lambda p: json.loads(p.read_text(encoding="utf-8")), fix)
    if not isinstance(payload, dict):
        raise ReportInputError(f"{path}: damaged (not a JSON object) — {fix}")
    return payload


def read_table(path: Path, columns: Iterable[str], fix: str) -> pd.DataFrame:
    """The CSV table in `path`, which must have `columns` (and may have more)."""
    frame = _read(path, pd.read_csv, fix)
    if missing := [c for c in columns if c not in frame.columns]:
        raise ReportInputError(f"{path}: incomplete (no column {', '.join(missing)}) — {fix}")
    return frame


def read_summary(folder: Path, instance: Path | None = None) -> dict | None:
    """The summary.json of a scenario folder, checked; None when there is none (not solved).
    `instance` is the instance file named in the fix."""
    path = folder / "summary.json"
    if not path.exists():
        return None
    fix = rerun_fix(folder, instance)
    summary = read_json(path, fix)
    wrong = [k for k, kind in SUMMARY_KEYS.items() if not isinstance(summary.get(k, ...), kind)]
    if "seconds" not in wrong and "total" not in summary["seconds"]:
        wrong.append("seconds.total")
    if wrong:
        raise ReportInputError(f"{path}: incomplete (no valid {', '.join(wrong)}) — {fix}")
    if summary["scenario"] != folder.name:
        raise ReportInputError(
            f"{path}: belongs to scenario {summary['scenario']!r}, not {folder.name!r} — {fix}"
        )
    return summary


def unknown_ids(found: Mapping[str, Iterable], known: Mapping[str, Iterable]) -> list[str]:
    """ "city 'wst', 'x'" for every kind of id (city, segment, …) found but not known; long lists
    are cut after SHOWN ids."""
    lines = []
    for kind, ids in found.items():
        if unknown := sorted(set(ids) - set(known[kind]), key=str):
            more = f" and {len(unknown) - SHOWN} more" if len(unknown) > SHOWN else ""
            lines.append(f"{kind} {', '.join(map(repr, unknown[:SHOWN]))}{more}")
    return lines
