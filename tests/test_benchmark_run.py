"""benchmarks/run.py: a failed run costs its own row, not the table, the ratios or the CSV; each
run's peak memory is its own."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from benchmarks import run


def test_a_failed_plain_run_leaves_a_row_and_the_csv(tmp_path, monkeypatch, capsys):
    """nug5 solved by the tool's formulation; the plain run's child process fails."""

    def child(document_path, scenario, variant, time_limit, seed):
        if variant == "plain":
            return {"status": "error: ['MemoryError']"}
        return run.run_one(document_path, scenario, variant, time_limit, seed)

    monkeypatch.setattr(run, "in_child", child)
    out = tmp_path / "nug5.csv"
    assert run.main(["nug5", "--baseline", "--time-limit", "60", "--out", str(out)]) == 0
    rows = {r["variant"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["default"]["status"] == "optimal" and float(
        rows["default"]["objective"]
    ) == pytest.approx(50)
    assert rows["plain"]["status"] == "error: ['MemoryError']"
    assert "nug5/base: no ratio (plain error: ['MemoryError'])" in capsys.readouterr().out


def test_a_repeated_case_takes_its_row_from_a_run_that_did_not_fail():
    rows = [
        {"status": "error: ['Killed']"},
        {"status": "optimal", "objective": 50.0, "total_s": 2.0},
        {"status": "optimal", "objective": 50.0, "total_s": 4.0},
    ]
    row = run.median_row(rows)
    assert (row["status"], row["total_s"], row["runs"]) == ("optimal", 3.0, 3)


def test_peak_memory_is_the_process_own_not_its_parents():
    """A parent that held 400 MB starts a child: the child's peak is far below it (getrusage's
    ru_maxrss would report the parent's)."""
    code = (
        "import subprocess, sys; block = bytearray(400 * 2**20); del block; "
        "print(subprocess.run([sys.executable, '-c', 'from benchmarks.run import peak_mb; "
        "print(peak_mb())'], capture_output=True, text=True).stdout)"
    )
    child = float(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
    )
    assert 0 < child < 300
