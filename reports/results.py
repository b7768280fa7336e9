"""Result files read back for the reports, checked: a file that is missing, damaged or incomplete
raises `ReportInputError` naming the file and the fix, never a parser error or a KeyError.
Values are checked once, here, as they are read: each table's columns and summary.json's fields
have a kind (text, a finite number, 0 or 1, …), and a value of another kind, or a key (a city, …)
listed twice, is named by row and column or by field.

The files are those of SPEC §5 (a scenario's summary.json and tables) and of a sweep; what the
reports do with them is in `reports/plans.py` and `reports/html_sweep.py`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError

from models.objective import TERMS

# Kinds of value in a CSV file: text (not empty), a finite number, a finite number or an empty
# cell, 0 or 1, a count (0, 1, 2, …), or anything (not checked). JSON files are checked by
# pydantic models (`Checked`).
TEXT, NUMBER, NUMBER_OR_EMPTY, FLAG, ANY = "text", "a number", "a number or empty", "0 or 1", "any"
COUNT = "a count"

SHOWN = 5
"""Ids (or damaged values) named at most in one message."""
T = TypeVar("T")


@dataclass(frozen=True)
class Table:
    """What the reports read of a CSV file: the columns it must have with the kind of their values
    (it may have more), the columns that identify a row (no two rows alike), and columns checked
    only when present."""

    columns: Mapping[str, str]
    key: tuple[str, ...] = ()
    optional: Mapping[str, str] = field(default_factory=dict)


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


def read_table(path: Path, columns: Iterable[str] | Table, fix: str) -> pd.DataFrame:
    """The CSV table in `path`, which must have `columns` (and may have more). With a `Table`,
    every value of its columns is checked and converted (text as read, numbers as floats, 0/1 as
    integers), and no two rows may share the key; a wrong value is named by row and column."""
    table = columns if isinstance(columns, Table) else Table(dict.fromkeys(columns, ANY))
    frame, raw = _read(path, _both_readings, fix)
    if missing := [c for c in table.columns if c not in frame.columns]:
        raise ReportInputError(f"{path}: incomplete (no column {', '.join(missing)}) — {fix}")
    kinds = {**{c: k for c, k in table.optional.items() if c in raw.columns}, **table.columns}
    problems: list[tuple[int, str]] = []
    for column, kind in kinds.items():
        if kind == ANY:
            continue
        values = []
        for row, text in enumerate(raw[column]):
            value, wrong = _cell(kind, text)
            if wrong:
                problems.append((row, f"{column} is {wrong}"))
            values.append(value)
        frame[column] = pd.Series(values, index=frame.index, dtype=_DTYPES[kind])
    lines = [f"row {i + 1}{_key_of(raw, table.key, i)}: {what}" for i, what in sorted(problems)]
    lines += _repeated_keys(raw, table.key)
    if lines:
        more = f"; and {len(lines) - SHOWN} more" if len(lines) > SHOWN else ""
        raise ReportInputError(f"{path}: damaged ({'; '.join(lines[:SHOWN])}{more}) — {fix}")
    return frame


def _both_readings(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The table as pandas reads it (columns the reports do not check keep its types), and as the
    text of every cell, exactly as written."""
    return pd.read_csv(path), pd.read_csv(path, dtype=str, keep_default_na=False)


_DTYPES = {TEXT: object, NUMBER: float, NUMBER_OR_EMPTY: float, FLAG: int, COUNT: int}


def _cell(kind: str, text: str) -> tuple[Any, str | None]:
    """The value of a cell of `kind`, and what is wrong with it (None when nothing)."""
    if kind == TEXT:
        return text, ("empty, not text" if not text else None)
    if not text.strip() and kind != FLAG:
        return math.nan, (None if kind == NUMBER_OR_EMPTY else "empty, not a number")
    try:
        number = float(text)
    except ValueError:
        number = None
    if kind == FLAG:
        return (int(number), None) if number in (0, 1) else (0, f"{text!r}, not 0 or 1")
    if kind == COUNT:
        whole = number is not None and number.is_integer() and number >= 0
        return (int(number), None) if whole else (0, f"{text!r}, not a count (0, 1, 2, …)")
    if number is None:
        return math.nan, f"{text!r}, not a number"
    return number, (None if math.isfinite(number) else f"{text!r}, not a finite number")


def _key_of(raw: pd.DataFrame, key: tuple[str, ...], row: int) -> str:
    """ ", city 'east'": what identifies a row, for a message."""
    return "".join(f", {column} {raw[column].iat[row]!r}" for column in key)


def _repeated_keys(raw: pd.DataFrame, key: tuple[str, ...]) -> list[str]:
    """ "city 'east' is listed in rows 2 and 4" for every key that more than one row lists."""
    if not key:
        return []
    rows: dict[tuple, list[int]] = {}
    for row, values in enumerate(raw[list(key)].itertuples(index=False, name=None)):
        rows.setdefault(values, []).append(row + 1)
    return [
        f"{_key_of(raw, key, found[0] - 1).removeprefix(', ')} is listed in rows "
        f"{', '.join(map(str, found[:-1]))} and {found[-1]}"
        for found in rows.values()
        if len(found) > 1
    ]


class Checked(BaseModel):
    """The fields of a JSON result file that a report reads, with their kinds: numbers finite,
    true and false not numbers, nothing converted. Fields not listed are allowed, unchecked."""

    model_config = ConfigDict(strict=True, allow_inf_nan=False, extra="allow")


class Seconds(Checked):
    total: float


class PlanSummary(Checked):
    """What the reports and comparison.csv read of a scenario's summary.json (SPEC §5)."""

    scenario: str
    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    terms: dict[str, float | None]
    seconds: Seconds
    hosts: dict
    # absent in results of older versions
    name: str | None = None
    description: str | None = None
    instance_fingerprint: str | None = None
    diagnosis: list[str] | None = None
    duplicated_segments: dict | None = None
    weights: dict[str, float] | None = None


KINDS = {
    "model_type": "an object",
    "dict_type": "an object",
    "list_type": "a list",
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "finite_number": "a finite number",
    "bool_type": "true or false",
    "greater_than_equal": "0 or more",
    "less_than_equal": "0 or 1",
    "too_short": "a pair [low, high]",
    "too_long": "a pair [low, high]",
}
"""What a field must be, by pydantic's error type."""


def check_json(model: type[Checked], payload: dict, path: Path, fix: str) -> None:
    """Raise ReportInputError naming, by its place in the file (`terms.transport`), every field
    of `payload` that `model` does not accept."""
    try:
        model.model_validate(payload)
    except ValidationError as err:
        wrong = [_problem(e) for e in err.errors()]
        more = f"; and {len(wrong) - SHOWN} more" if len(wrong) > SHOWN else ""
        raise ReportInputError(
            f"{path}: damaged ({'; '.join(wrong[:SHOWN])}{more}) — {fix}"
        ) from None


def _problem(error: dict) -> str:
    place = ".".join(map(str, error["loc"]))
    if error["type"] == "missing":
        return f"{place} is missing"
    kind = KINDS.get(error["type"], error["msg"].lower())
    return f"{place} is {json_value(error['input'])}, not {kind}"


def read_summary(folder: Path, instance: Path | None = None) -> dict | None:
    """The summary.json of a scenario folder, checked; None when there is none (not solved).
    `instance` is the instance file named in the fix."""
    path = folder / "summary.json"
    if not path.exists():
        return None
    fix = rerun_fix(folder, instance)
    summary = read_json(path, fix)
    check_json(PlanSummary, summary, path, fix)
    if summary["scenario"] != folder.name:
        raise ReportInputError(
            f"{path}: belongs to scenario {summary['scenario']!r}, not {folder.name!r} — {fix}"
        )
    return summary


def json_value(value: Any) -> str:
    """A JSON value as a message shows it: its JSON text, cut after 40 characters."""
    shown = json.dumps(value, ensure_ascii=False, default=str)
    return shown if len(shown) <= 40 else shown[:39] + "…"


def unknown_ids(found: Mapping[str, Iterable], known: Mapping[str, Iterable]) -> list[str]:
    """ "city 'wst', 'x'" for every kind of id (city, segment, …) found but not known; long lists
    are cut after SHOWN ids."""
    lines = []
    for kind, ids in found.items():
        if unknown := sorted(set(ids) - set(known[kind]), key=str):
            more = f" and {len(unknown) - SHOWN} more" if len(unknown) > SHOWN else ""
            lines.append(f"{kind} {', '.join(map(repr, unknown[:SHOWN]))}{more}")
    return lines


def with_weights(table: pd.DataFrame, summaries: list[dict]) -> pd.DataFrame:
    """`table` (one row per summary, with a column per objective term) with a `weight_<term>`
    column after the terms for each term that some scenario weights other than 1, so that the
    unweighted terms add up to the objective (Σ weight × term). Empty where a summary gives no
    weights (today's layout, results of older versions)."""
    given = [s.get("weights") for s in summaries]
    columns = {f"weight_{t}": [None if w is None else w.get(t, 1.0) for w in given] for t in TERMS}
    at = table.columns.get_loc(TERMS[-1]) + 1
    for name, values in columns.items():
        if any(v not in (None, 1.0) for v in values):
            table.insert(at, name, values)
            at += 1
    return table
