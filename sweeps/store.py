"""Finished samples on disk: one small JSON file per sample, written atomically.

    <out>/sweep/base/<scenario>.json              the unperturbed scenario (the base plan)
    <out>/sweep/samples/<scenario>/<k>.json       sample k, k zero-padded to six digits

A file is complete or absent (temporary file, then rename), so an interrupted sweep resumes by
skipping every sample whose file exists and carries the sweep's fingerprint. Files of another
sweep (a changed instance, range, seed, solver option, model code or HiGHS version) are ignored
and overwritten; samples that ended in an unexpected error are retried.
"""

from __future__ import annotations

import json
from pathlib import Path

from reports.atomic import write_json

RETRIED = ("error",)
"""Statuses that a rerun computes again."""


def base_path(root: Path, scenario: str) -> Path:
    return root / "base" / f"{scenario}.json"


def sample_path(root: Path, scenario: str, k: int) -> Path:
    return root / "samples" / scenario / f"{k:06d}.json"


def path_of(root: Path, record: dict) -> Path:
    k = record["sample"]
    return (
        base_path(root, record["scenario"])
        if k is None
        else sample_path(root, record["scenario"], k)
    )


def save(root: Path, record: dict) -> None:
    """Write one record atomically."""
    write_json(path_of(root, record), record)


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _usable(record: dict | None, fingerprint: str) -> bool:
    return (
        record is not None
        and record.get("fingerprint") == fingerprint
        and record.get("status") not in RETRIED
    )


def finished_fingerprint(root: Path) -> str | None:
    """The fingerprint of the sweep whose result files are in `root` (summary.json, written
    last); None without one."""
    summary = _read(root / "summary.json")
    return summary.get("fingerprint") if isinstance(summary, dict) else None


def load_base(root: Path, scenario: str, fingerprint: str) -> dict | None:
    """The stored base solve of a scenario, if it belongs to this sweep."""
    record = _read(base_path(root, scenario))
    return record if _usable(record, fingerprint) else None


def load_samples(
    root: Path, scenario: str, fingerprint: str, samples: int
) -> tuple[dict[int, dict], int]:
    """Finished samples 0 .. samples-1 of a scenario that belong to this sweep, and the number
    of sample files ignored because they belong to another sweep."""
    folder = root / "samples" / scenario
    finished: dict[int, dict] = {}
    foreign = 0
    if not folder.is_dir():
        return finished, foreign
    for path in folder.glob("*.json"):
        if not path.stem.isdigit() or int(path.stem) >= samples:
            continue
        record = _read(path)
        if _usable(record, fingerprint):
            finished[int(path.stem)] = record
        elif record is not None and record.get("fingerprint") != fingerprint:
            foreign += 1
    return finished, foreign
