"""Sweeps: input that would exhaust memory or the file system is refused with a message that names
the item and the fix, before any sample is solved; nothing written earlier is lost."""

from __future__ import annotations

import io
import itertools
import json
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
