"""Interrupted runs lose nothing already written; the same run twice gives the same files."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import solve
from benchmarks.generate import generate
from models.objective import TERMS
from reports import atomic

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "instances" / "tiny.json"


def test_interrupted_write_leaves_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "summary.json"
    atomic.write_json(path, {"status": "optimal", "objective": 9})

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_json(path, {"status": "feasible", "objective": 10})
    assert json.loads(path.read_text()) == {"status": "optimal", "objective": 9}
    assert [p.name for p in tmp_path.iterdir()] == ["summary.json"]


def test_json_files_hold_no_infinity_or_nan(tmp_path):
    """JSON has neither: a bound HiGHS did not reach (-inf) is written as null, as strict
    readers need."""
    path = tmp_path / "summary.json"
    atomic.write_json(path, {"bound": -math.inf, "gap": math.inf, "terms": [math.nan, 1.5]})

    def refuse(name):
        raise ValueError(name)

    assert json.loads(path.read_text(), parse_constant=refuse) == {
        "bound": None,
        "gap": None,
        "terms": [None, 1.5],
    }


@pytest.mark.parametrize("presses", [1, 3])
def test_ctrl_c_keeps_finished_scenarios(tmp_path, presses):
    """A trivial scenario first (no costs, no min_scale), then a hard one that Ctrl-C stops —
    pressed once, or three times in quick succession while HiGHS is stopping."""
    doc = generate(cities=10, chains=4, segments_per_chain=5, eligibility=1.0, seed=2)
    doc["scenarios"] = [
        {
            "id": "free",
            "scale": {"chains.*.segments.*.min_scale": 0, **{f"weights.{k}": 0 for k in TERMS}},
        },
        {"id": "hard"},
    ]
    path = tmp_path / "area.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "solve.py"), str(path), "--out", str(out), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a runner started in the background passes SIGINT on as ignored; a terminal does not
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.time() + 120
    free = out / "free" / "summary.json"
    while not free.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.1)
    time.sleep(1.5)
    if proc.poll() is not None or not free.exists():
        proc.kill()
        stdout, stderr = proc.communicate()
        pytest.fail(
            f"no chance to interrupt: free written {free.exists()}, exit "
            f"{proc.returncode}\n{stdout}\n{stderr}"
        )
    for _ in range(presses):
        proc.send_signal(signal.SIGINT)
        time.sleep(0.05)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stdout + stderr
    assert "1 finished scenario(s) kept" in stderr and "Traceback" not in stderr
    assert json.loads((out / "free" / "summary.json").read_text())["status"] == "optimal"
    assert not (out / "hard").exists()
    assert (out / "comparison.csv").read_text().splitlines()[1].startswith("free,optimal")
    assert not list(out.rglob("*.tmp"))


def test_same_run_same_files(tmp_path):
    """Byte for byte, except the timings in summary.json and comparison.csv."""
    runs = []
    for k in range(2):
        out = tmp_path / f"run{k}"
        assert solve.main([str(TINY), "--out", str(out), "--quiet"]) == 0
        files = {}
        for p in sorted(out.rglob("*")):
            if p.suffix == ".json":
                payload = json.loads(p.read_text())
                payload.pop("seconds")
                files[p.relative_to(out)] = payload
            elif p.name == "comparison.csv":
                files[p.relative_to(out)] = [
                    line.rsplit(",", 1)[0] for line in p.read_text().splitlines()
                ]
            elif p.is_file():
                files[p.relative_to(out)] = p.read_bytes()
        runs.append(files)
    assert runs[0] == runs[1]
    assert len(runs[0]) == 16
