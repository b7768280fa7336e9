"""Sweeps: input that would exhaust memory or the file system is refused with a message that names
the item and the fix, before any sample is solved; nothing written earlier is lost."""

from __future__ import annotations

import io
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sweeps import executors, worker
from sweeps.run import run_sweep
from sweeps.spec import MAX_SAMPLES
from sweeps.worker import Task

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "instances" / "tiny.json"
TINY_SWEEP = ROOT / "instances" / "tiny_sweep.json"


@pytest.fixture
def no_solve(monkeypatch):
    def solve(*args, **kwargs):
        raise AssertionError("a model was solved")

    monkeypatch.setattr(worker, "solve_sample", solve)


def tiny_sweep(tmp_path: Path, **fields) -> Path:
    path = tmp_path / "sweep.json"
    document = json.loads(TINY_SWEEP.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**document, **fields}), encoding="utf-8")
    return path


# ── memory ─────────────────────────────────────────────────────────────────────────────────


def test_a_sample_count_beyond_the_bound_is_refused_before_anything_runs(tmp_path, no_solve):
    stream = io.StringIO()
    out = tmp_path / "out"
    sweep = tiny_sweep(tmp_path, samples=10**12)
    assert run_sweep(TINY, sweep, out, workers=0, stream=stream) == 3
    text = stream.getvalue()
    assert "samples: 1,000,000,000,000 samples per scenario exceeds the 100,000" in text
    assert f"use at most {MAX_SAMPLES:,}" in text
    assert not out.exists()


def test_a_scenario_listed_twice_is_named_not_swept_twice(tmp_path, no_solve):
    stream = io.StringIO()
    sweep = tiny_sweep(tmp_path, scenarios=["baseline", "baseline"])
    assert run_sweep(TINY, sweep, tmp_path / "out", workers=0, stream=stream) == 3
    assert "scenarios: scenario 'baseline' is listed 2 times — list it once" in stream.getvalue()


@pytest.mark.parametrize("gap", [1, 5])
def test_a_gap_of_1_or_more_is_refused(tmp_path, no_solve, gap):
    """A gap of 1 would count every plan optimal (and every sample's regret as proven)."""
    stream = io.StringIO()
    sweep = tiny_sweep(tmp_path, gap=gap)
    assert run_sweep(TINY, sweep, tmp_path / "out", workers=0, stream=stream) == 3
    assert "gap" in stream.getvalue() and "less than 1" in stream.getvalue()


def test_tasks_are_submitted_as_workers_free_up_not_all_at_once():
    submitted: list[Task] = []

    class Done:
        def cancel(self) -> bool:
            return False

    def submit(task: Task) -> Done:
        submitted.append(task)
        return Done()

    endless = (Task("baseline", k) for k in itertools.count())
    finished = executors.windowed(endless, submit, lambda running: list(running)[:1], lambda: 4)
    assert [task.sample for task, _ in itertools.islice(finished, 10)] == list(range(10))
    assert len(submitted) <= 10 + 4


# ── files and folders ──────────────────────────────────────────────────────────────────────


def test_a_folder_given_as_instance_or_sweep_file_is_named_with_the_fix(tmp_path, no_solve):
    for instance, sweep in [(tmp_path, TINY_SWEEP), (TINY, tmp_path)]:
        stream = io.StringIO()
        assert run_sweep(instance, sweep, tmp_path / "out", workers=0, stream=stream) == 3
        assert f"{tmp_path}: is a folder — give the path of" in stream.getvalue()
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("below", ["", "results"])
def test_out_on_or_under_a_file_is_refused_and_the_file_kept(tmp_path, no_solve, below):
    blocking = tmp_path / "notes.txt"
    blocking.write_text("my notes", encoding="utf-8")
    out = blocking / below if below else blocking
    stream = io.StringIO()
    assert run_sweep(TINY, TINY_SWEEP, out, workers=0, stream=stream) == 3
    assert stream.getvalue() == (
        f"--out {out}: {blocking} is a file, not a folder — give a folder for the results "
        "(created if missing), or move the file\n"
    )
    assert blocking.read_text(encoding="utf-8") == "my notes"


def test_out_in_a_read_only_folder_is_refused_before_any_solve(tmp_path, no_solve, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    real_access = os.access

    def access(path, mode):  # root may write anywhere: report the folder as a user sees it
        return False if Path(path) == locked and mode & os.W_OK else real_access(path, mode)

    monkeypatch.setattr(os, "access", access)
    stream = io.StringIO()
    try:
        code = run_sweep(TINY, TINY_SWEEP, locked / "results", workers=0, stream=stream)
    finally:
        locked.chmod(0o755)
    assert code == 3
    assert stream.getvalue() == (
        f"--out {locked / 'results'}: folder {locked} is not writable — give a folder you can "
        "write to, or make this one writable\n"
    )


def test_file_system_problems_on_the_command_line_exit_3_without_traceback(tmp_path):
    blocking = tmp_path / "tiny.json"
    blocking.write_bytes(TINY.read_bytes())
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sweeps",
            str(TINY),
            "--sweep",
            str(tmp_path),
            "--out",
            str(blocking),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 3
    assert "unexpected error" not in proc.stderr and "Traceback" not in proc.stderr
    assert f"--out {blocking}: {blocking} is a file, not a folder" in proc.stderr
    assert blocking.read_bytes() == TINY.read_bytes()


# ── workers ────────────────────────────────────────────────────────────────────────────────


def test_more_workers_than_cores_are_capped_with_a_one_line_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(executors, "cores", lambda: 1)
    stream = io.StringIO()
    assert run_sweep(TINY, TINY_SWEEP, tmp_path, workers=500, stream=stream) == 0
    lines = stream.getvalue().splitlines()
    assert lines[0] == "sweep: 10 samples x 1 scenario(s) on local pool of 1 worker"
    assert lines[1] == (
        "warning: --workers 500: this machine has 1 core; running 1 worker (more would slow "
        "each solve and use memory without finishing sooner) — give --workers 1 or fewer"
    )
    summary = json.loads((tmp_path / "sweep" / "summary.json").read_text(encoding="utf-8"))
    assert summary["executor"]["workers"] == 1
