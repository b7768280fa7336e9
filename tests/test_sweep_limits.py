"""Sweeps whose solves stop at the time limit, and sweep results that no longer fit their inputs.

The tiny sweep (instances/tiny_sweep.json, solved by hand in its notes) is run with the free
solve of chosen samples replaced by what a time limit leaves: a plan dearer than the kept one
(status feasible), or no plan at all (status no_solution). Everything else is solved for real.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import solve
from reports.compare import main as compare_main
from reports.compare import render
from solvers import Status
from sweeps import worker
from sweeps.regret import Outcome, SampleSolve, regret
from sweeps.run import run_sweep
from tests.test_sweeps import tiny_t

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "instances" / "tiny.json"
TINY_SWEEP = ROOT / "instances" / "tiny_sweep.json"
DEARER = 5.0
"""What the free plan of a sample stopped at the limit costs above the kept plan."""


def summary_of(out: Path) -> dict:
    return json.loads((out / "sweep" / "summary.json").read_text(encoding="utf-8"))


def stopped_at_limit(monkeypatch, samples: set[int], plan: bool = True) -> None:
    """The free solve of the given samples (in solving order, 0 = first sample) stops at the time
    limit: with a plan DEARER above the kept one, or (plan False) with no plan."""
    real = worker.solve_sample
    calls = iter(range(-1, 10**6))  # the base solve comes first

    def solve_sample(data, base_hosts, options):
        solved = real(data, base_hosts, options)
        if next(calls) in samples:
            if plan:
                cost = solved.kept.objective + DEARER
                solved.optimum = Outcome(Status.FEASIBLE, cost, 0.5)
            else:
                reason = "the time limit was reached before any plan was found"
                solved = SampleSolve(Outcome(Status.NO_SOLUTION, reason=reason), kept=solved.kept)
        return solved

    monkeypatch.setattr(worker, "solve_sample", solve_sample)


# ── regret when a solve stopped at its limit ────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("free", "kept", "expected"),
    [
        # both optimal: the regret as measured, proven (it may be below zero by the gap)
        ((Status.OPTIMAL, 10.0), (Status.OPTIMAL, 12.0), (10.0, 2.0, 0.2, True)),
        ((Status.OPTIMAL, 10.0), (Status.OPTIMAL, 9.99999), (10.0, -1e-5, -1e-6, True)),
        # the free solve stopped with a dearer plan: the kept plan is the best one known
        ((Status.FEASIBLE, 20.0), (Status.OPTIMAL, 12.0), (12.0, 0.0, 0.0, False)),
        # the free solve stopped with a cheaper plan: measured from it, not proven
        ((Status.FEASIBLE, 10.0), (Status.OPTIMAL, 12.0), (10.0, 2.0, 0.2, False)),
        # the kept solve stopped: its cost may still fall
        ((Status.OPTIMAL, 10.0), (Status.FEASIBLE, 12.0), (10.0, 2.0, 0.2, False)),
        # no kept plan: no regret
        ((Status.OPTIMAL, 10.0), (Status.NO_SOLUTION, None), (10.0, None, None, True)),
    ],
)
def test_regret_is_measured_from_the_best_plan_known_and_proven_only_when_both_are_optimal(
    free, kept, expected
):
    measured = regret(Outcome(*free), Outcome(*kept))
    reference, absolute, relative, proven = expected
    assert measured.reference == reference
    assert measured.absolute == (None if absolute is None else pytest.approx(absolute, abs=1e-12))
    assert measured.relative == (None if relative is None else pytest.approx(relative, abs=1e-12))
    if absolute is not None:
        assert measured.proven is proven


def test_samples_stopped_at_the_limit_never_get_a_negative_regret_nor_count_as_optimal(
    tmp_path, monkeypatch
):
    """Samples 1 and 4 stop with a plan 5 above the kept one. On the tiny sweep the hub takes
    assembly (regret > 0) in some samples; the proven numbers are the others' hand values."""
    stopped_at_limit(monkeypatch, {1, 4})
    stream = io.StringIO()
    assert run_sweep(TINY, TINY_SWEEP, tmp_path, workers=0, stream=stream) == 0
    t = np.array([tiny_t(k) for k in range(10)])
    hand = np.maximum(0, 450 * t - 7.5)
    kept = 3 + 600 * t

    rows = pd.read_csv(tmp_path / "sweep" / "regret.csv")
    assert rows.regret_proven.tolist() == [0 if k in (1, 4) else 1 for k in range(10)]
    assert (rows.regret >= 0).all()
    stopped = rows[rows.regret_proven == 0]
    assert stopped.regret.tolist() == [0.0, 0.0]
    assert stopped.objective.tolist() == pytest.approx(kept[[1, 4]], abs=2e-6)
    samples = pd.read_csv(tmp_path / "sweep" / "samples.csv")
    assert samples.status[[1, 4]].tolist() == ["feasible", "feasible"]
    assert samples.objective[[1, 4]].tolist() == pytest.approx(kept[[1, 4]] + DEARER, abs=2e-6)

    proven = [k for k in range(10) if k not in (1, 4)]
    s = summary_of(tmp_path)["scenarios"]["baseline"]["regret"]
    assert (s["samples"], s["proven"], s["unproven"]) == (10, 8, 2)
    assert s["unproven_samples"] == [1, 4]
    assert s["base_plan_optimal"] == int((hand[proven] < 1e-9).sum())
    assert s["absolute"]["max"] == pytest.approx(hand[proven].max(), abs=2e-6)
    assert s["absolute"]["p50"] == pytest.approx(np.percentile(hand[proven], 50), abs=2e-6)
    assert "2 not proven (a solve stopped at the time limit)" in stream.getvalue()

    assert solve.main([str(TINY), "--out", str(tmp_path), "--quiet", "--report"]) == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "samples whose regret is not proven because a solve stopped" in page
    assert "2 of these plans stopped at the sweep's time limit and are not proven optimal" in page
    assert f"still optimal in {s['base_plan_optimal']} of the 8 samples with a proven" in page


def test_a_sweep_whose_solves_stop_without_a_plan_exits_5_naming_the_fix(tmp_path, monkeypatch):
    limited = tmp_path / "limited.json"
    document = json.loads(TINY_SWEEP.read_text(encoding="utf-8"))
    limited.write_text(json.dumps({**document, "time_limit": 30}), encoding="utf-8")
    stopped_at_limit(monkeypatch, {0, 2, 3}, plan=False)
    stream = io.StringIO()
    assert run_sweep(TINY, limited, tmp_path, workers=0, stream=stream) == 5
    text = stream.getvalue()
    fix = (
        f"3 solves reached the time limit of 30.0 s without a plan — raise time_limit in {limited}"
    )
    assert fix in text
    assert "7/10 samples solved (without a plan: 3 stopped at the time limit)" in text
    assert "None" not in text and "{" not in text
    failed = summary_of(tmp_path)["scenarios"]["baseline"]["failed"]
    assert failed["by_status"] == {"no_solution": 3}


def test_a_base_plan_stopped_at_the_limit_is_named_in_the_console_and_the_report(
    tmp_path, monkeypatch
):
    real = worker.solve_sample

    def base_stopped(data, base_hosts, options):
        solved = real(data, base_hosts, options)
        if base_hosts is None:
            solved.optimum = Outcome(Status.FEASIBLE, solved.optimum.objective, 0.25)
        return solved

    monkeypatch.setattr(worker, "solve_sample", base_stopped)
    stream = io.StringIO()
    assert run_sweep(TINY, TINY_SWEEP, tmp_path, workers=0, stream=stream) == 0
    assert "base plan stopped at the time limit, 9 (gap 25.00%)" in stream.getvalue()
    assert "10/10 samples solved; objective p5 " in stream.getvalue()
    assert stream.getvalue().split("objective p5 ")[1].splitlines()[0].endswith(" 亿元")
    assert solve.main([str(TINY), "--out", str(tmp_path), "--quiet", "--report"]) == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "The deterministic plan stopped at the sweep's time limit (gap 25 %)" in page


# ── results that no longer fit their inputs ─────────────────────────────────────────────────


@pytest.fixture(scope="module")
def swept(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("swept")
    assert solve.main([str(TINY), "--out", str(out), "--quiet"]) == 0
    assert run_sweep(TINY, TINY_SWEEP, out, workers=0, stream=io.StringIO()) == 0
    return out


def edited_tiny(tmp_path: Path, edit) -> Path:
    document = json.loads(TINY.read_text(encoding="utf-8"))
    edit(document)
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_sweep_of_numbers_since_edited_is_refused_by_the_report(swept, tmp_path, capsys):
    out = tmp_path / "copy"
    shutil.copytree(swept, out)
    notes_only = edited_tiny(tmp_path, lambda d: d.update(description="edited words only"))
    render(out, notes_only)  # words do not change a plan: the sweep still fits

    def more_land(document):
        document["cities"][1]["capacity"]["land"] = 9

    edited = edited_tiny(tmp_path, more_land)
    assert solve.main([str(edited), "--out", str(out), "--quiet"]) == 0  # plans of the edit
    assert compare_main([str(out), "--instance", str(edited)]) == 3
    err = capsys.readouterr().err
    assert f"was swept from {TINY} with other numbers or policies than {edited} holds" in err
    assert f"(python solve.py {edited} --sweep {TINY_SWEEP} --out {out})" in err


def test_a_new_sweep_interrupted_over_a_finished_one_says_whose_results_remain(
    swept, tmp_path, monkeypatch
):
    out = tmp_path / "copy"
    shutil.copytree(swept, out)
    before = (out / "sweep" / "summary.json").read_bytes()
    other = tmp_path / "other_seed.json"
    other.write_text(
        json.dumps({**json.loads(TINY_SWEEP.read_text(encoding="utf-8")), "seed": 2}),
        encoding="utf-8",
    )

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(worker, "solve_sample", interrupted)
    stream = io.StringIO()
    assert run_sweep(TINY, other, out, workers=0, stream=stream) == 130
    text = stream.getvalue()
    assert "its result files are of an earlier sweep with other inputs" in text
    assert f"until it finishes, {out / 'sweep'} holds the earlier sweep's results" in text
    assert (out / "sweep" / "summary.json").read_bytes() == before


def _drop(*keys):
    def edit(summary):
        node = summary
        for key in keys[:-1]:
            node = node[key]
        del node[keys[-1]]

    return edit


def _set(value, *keys):
    def edit(summary):
        node = summary
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value

    return edit


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (_drop("scenarios", "baseline", "regret"), "scenarios.baseline.regret is missing"),
        (
            _set("x", "scenarios", "baseline", "base"),
            'scenarios.baseline.base is "x", not an object',
        ),
        (_set("3", "scenarios", "baseline", "solved"), 'solved is "3", not a whole number'),
        (_set(-1, "scenarios", "baseline", "solved"), "solved is -1, not 0 or more"),
        (_set(True, "scenarios", "baseline", "regret", "proven"), "proven is true, not a whole"),
        (_set([{"path": 1}], "vary"), "vary.0.path is 1, not text; vary.0.relative is missing"),
        (
            _set({"p5": "a"}, "scenarios", "baseline", "objective"),
            'objective.p5 is "a", not a number',
        ),
        (_set([{"segment": "parts"}], "scenarios", "baseline", "contested"), "contested.0.city is"),
        (_set(5, "run"), "run is 5, not an object"),
        (_set([], "scenarios"), "scenarios is [], not an object"),
    ],
)
def test_a_damaged_sweep_summary_is_named_by_field_and_nothing_is_written(
    swept, tmp_path, capsys, edit, named
):
    out = Path(shutil.copytree(swept, tmp_path / "copy"))
    path = out / "sweep" / "summary.json"
    summary = json.loads(path.read_text(encoding="utf-8"))
    edit(summary)
    path.write_text(json.dumps(summary), encoding="utf-8")
    assert compare_main([str(out), "--instance", str(TINY)]) == 3
    err = capsys.readouterr().err
    assert f"{path}: damaged (" in err and named in err and "Traceback" not in err
    assert "rerun the sweep with this instance or remove" in err
    assert not (out / "report.html").exists()


@pytest.mark.parametrize(
    ("name", "column", "value", "named"),
    [
        ("regret.csv", "regret", "abc", "row 2, scenario 'baseline', sample '1': regret is 'abc'"),
        ("regret.csv", "regret_proven", "2", "regret_proven is '2', not 0 or 1"),
        ("robustness.csv", "hosted", "1.5", "hosted is '1.5', not a count"),
        ("robustness.csv", "share", "inf", "share is 'inf', not a finite number"),
    ],
)
def test_a_damaged_sweep_table_is_named_by_row_and_column(
    swept, tmp_path, capsys, name, column, value, named
):
    out = Path(shutil.copytree(swept, tmp_path / "copy"))
    path = out / "sweep" / name
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[1, column] = value
    table.to_csv(path, index=False)
    assert compare_main([str(out), "--instance", str(TINY)]) == 3
    err = capsys.readouterr().err
    assert f"{path}: damaged (" in err and named in err and "Traceback" not in err
