"""Sweeps: draws, validation, regret and robustness by hand, resume, local pool against Dask.

The hand-solved sweep is instances/tiny_sweep.json on instances/tiny.json (its notes): with t the
assembly transport cost, the optimum is min(3 + 600 t, 10.5 + 150 t), keeping the base plan
(assembly only in east) costs 3 + 600 t, and the hub hosts assembly exactly when t > 1/60.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import solve
from models.pipeline import solve_scenario
from models.problems import InvalidInstance
from models.scenario import load
from solvers import Status
from sweeps import executors, worker
from sweeps.progress import Progress
from sweeps.regret import kept_by_policy, solve_sample
from sweeps.run import run_sweep
from sweeps.sample import apply_sample, sample_data
from sweeps.spec import load_sweep, parse_sweep, scenario_document
from sweeps.worker import solver_options

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "instances" / "tiny.json"
TINY_SWEEP = ROOT / "instances" / "tiny_sweep.json"
EXAMPLE = ROOT / "docs" / "examples" / "example.json"
ASSEMBLY_T = "chains[kit].segments[assembly].transport_cost"
TIMINGS = ["seconds"]


def u_by_hand(seed: int, k: int, i: int, low: float, high: float, location: str | None) -> float:
    """The draw of SPEC'd sweeps: numpy default_rng seeded with [seed, k, i] (common) or
    [seed, k, i, first 8 bytes of BLAKE2b(location), little-endian] (per value)."""
    entropy = [seed, k, i]
    if location is not None:
        digest = hashlib.blake2b(location.encode(), digest_size=8).digest()
        entropy.append(int.from_bytes(digest, "little"))
    return float(np.random.default_rng(entropy).uniform(low, high))


def tiny_t(k: int) -> float:
    """The assembly transport cost of sample k of the tiny sweep."""
    return 0.01 * (1 + u_by_hand(1, k, 0, 0.0, 1.5, ASSEMBLY_T))


def write_sweep(tmp_path: Path, **fields) -> Path:
    path = tmp_path / "sweep.json"
    path.write_text(json.dumps({"samples": 4, "seed": 3, **fields}), encoding="utf-8")
    return path


def read(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / "sweep" / name, keep_default_na=False)


# ── draws ──────────────────────────────────────────────────────────────────────────────────


def test_a_sample_draw_recomputed_by_hand_from_seed_and_sample():
    loaded = load(TINY)
    sweep = load_sweep(TINY_SWEEP, loaded)
    base = scenario_document(loaded.instance, "baseline")
    late, early = copy.deepcopy(base), copy.deepcopy(base)
    apply_sample(copy.deepcopy(base), sweep, 7)  # order of computation must not matter
    draws = apply_sample(late, sweep, 3)
    apply_sample(early, sweep, 3)
    assert late == early
    factor = 1 + u_by_hand(1, 3, 0, 0.0, 1.5, ASSEMBLY_T)
    land = 1 + u_by_hand(1, 3, 1, -0.1, 0.1, None)
    assert [(d.location, d.vary) for d in draws] == [
        (ASSEMBLY_T, 0),
        ("cities[east].capacity.land", 1),
    ]
    assert draws[0].factor == pytest.approx(factor, rel=1e-15)
    assert draws[1].factor == pytest.approx(land, rel=1e-15)
    assembly = late["chains"][0]["segments"][1]
    assert assembly["transport_cost"] == pytest.approx(0.01 * factor, rel=1e-15)
    assert late["cities"][1]["capacity"]["land"] == pytest.approx(8 * land, rel=1e-15)
    assert 0.01 < assembly["transport_cost"] < 0.025
    other = copy.deepcopy(base)
    apply_sample(other, sweep, 4)
    assert other["chains"][0]["segments"][1]["transport_cost"] != assembly["transport_cost"]


@pytest.mark.parametrize("common", [False, True])
def test_common_draws_once_per_path_independent_draws_once_per_value(common):
    loaded = load(TINY)
    vary = [{"path": "chains.*.segments.*.setup_cost", "relative": [-0.5, 0.5], "common": common}]
    sweep = parse_sweep({"samples": 2, "seed": 9, "vary": vary})
    doc = scenario_document(loaded.instance, "baseline")
    draws = apply_sample(doc, sweep, 1)
    parts, assembly = (
        "chains[kit].segments[parts].setup_cost",
        "chains[kit].segments[assembly].setup_cost",
    )
    if common:
        u = u_by_hand(9, 1, 0, -0.5, 0.5, None)
        expected = {parts: 1 + u, assembly: 1 + u}
    else:
        expected = {loc: 1 + u_by_hand(9, 1, 0, -0.5, 0.5, loc) for loc in (parts, assembly)}
        assert expected[parts] != expected[assembly]
    assert {d.location: d.factor for d in draws} == pytest.approx(expected, rel=1e-15)
    assert doc["chains"][0]["segments"][0]["setup_cost"] == pytest.approx(4 * expected[parts])


# ── validation before any solve ────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"vary": [{"path": "cities.*.capacity.water", "relative": [-0.1, 0.1]}]},
            ["vary[0].path", "matches nothing", "correct the path"],
        ),
        (
            {"vary": [{"path": "chains.kit.segments.parts.name", "relative": [0, 0.1]}]},
            ["vary[0].path", "holds no number"],
        ),
        (
            {"sample": 3, "vary": [{"path": "cities.*.capacity.land", "relative": [0, 0.1]}]},
            ["unknown key 'sample'", "did you mean 'samples'?"],
        ),
        (
            {"vary": [{"path": "cities.*.capacity.land", "relative": [0.2, -0.2]}]},
            ["vary[0].relative", "low 0.2 exceeds high -0.2", "write [-0.2, 0.2]"],
        ),
        (
            {
                "scenarios": ["baseline", "drought"],
                "vary": [{"path": "cities.*.capacity.land", "relative": [0, 0.1]}],
            },
            ["unknown scenario 'drought'", "use one of: baseline"],
        ),
        (
            {"scenarios": [], "vary": [{"path": "cities.*.capacity.land", "relative": [0, 0.1]}]},
            ["scenarios: 0 item(s), at least 1 needed — list at least 1, or leave the key out"],
        ),
        (
            {"vary": [{"path": "chains.kit.segments.parts.min_scale", "relative": [2, 3]}]},
            ["high end", "min_scale", "exceeds planned output", "narrow the range"],
        ),
    ],
)
def test_an_invalid_sweep_fails_before_any_solve(tmp_path, monkeypatch, fields, expected):
    def no_solve(*args, **kwargs):
        raise AssertionError("a model was solved")

    monkeypatch.setattr(worker, "solve_sample", no_solve)
    path = tmp_path / "sweep.json"
    path.write_text(json.dumps({"samples": 4, **fields}), encoding="utf-8")
    stream = io.StringIO()
    out = tmp_path / "out"
    assert run_sweep(TINY, path, out, workers=0, stream=stream) == 3
    text = stream.getvalue()
    assert "is invalid" in text
    for part in expected:
        assert part in text
    assert not out.exists()


def test_invalid_sweep_on_the_command_line_exits_3_without_traceback(tmp_path):
    path = write_sweep(tmp_path, vary=[{"path": "cities.*.capacity.water", "relative": [0, 1]}])
    proc = subprocess.run(
        [sys.executable, "-m", "sweeps", str(TINY), "--sweep", str(path), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 3
    assert "matches nothing" in proc.stderr and "Traceback" not in proc.stderr


# ── regret and robustness, by hand ─────────────────────────────────────────────────────────


def test_regret_robustness_and_summary_equal_the_hand_solution(tmp_path):
    stream = io.StringIO()
    assert run_sweep(TINY, TINY_SWEEP, tmp_path, workers=0, stream=stream) == 0
    t = np.array([tiny_t(k) for k in range(10)])
    optimum = np.minimum(3 + 600 * t, 10.5 + 150 * t)
    kept = 3 + 600 * t
    hub_hosts = t > 1 / 60
    assert 0 < hub_hosts.sum() < 10  # the sweep crosses the switch point

    samples = read(tmp_path, "samples.csv")
    assert samples.columns.tolist() == [
        "sample",
        "scenario",
        "status",
        "objective",
        "gap",
        "seconds",
        "reason",
        "hosts_parts",
        "hosts_assembly",
    ]
    assert samples["sample"].tolist() == list(range(10))
    assert set(samples.status) == {"optimal"}
    assert samples.objective.tolist() == pytest.approx(optimum, abs=2e-6)
    assert samples.hosts_parts.tolist() == ["east"] * 10
    assert samples.hosts_assembly.tolist() == ["hub;east" if h else "east" for h in hub_hosts]

    regret = read(tmp_path, "regret.csv")
    assert regret.kept_status.tolist() == ["optimal"] * 10
    assert regret.kept_objective.tolist() == pytest.approx(kept, abs=2e-6)
    assert regret.regret.tolist() == pytest.approx(np.maximum(0, 450 * t - 7.5), abs=2e-6)
    assert (regret.regret >= 0).all()
    assert regret.regret_relative.tolist() == pytest.approx(
        np.maximum(0, 450 * t - 7.5) / optimum, abs=2e-6
    )

    robust = read(tmp_path, "robustness.csv").set_index(["segment", "city"])
    assert robust.loc[("assembly", "hub"), "share"] == pytest.approx(hub_hosts.sum() / 10)
    assert robust.loc[("assembly", "hub"), "hosted"] == hub_hosts.sum()
    assert (robust.share == robust.hosted / robust.solved).all()
    assert robust.loc[("assembly", "east"), "share"] == 1.0
    assert robust.loc[("parts", "west"), "share"] == 0.0
    assert robust.base_host.to_dict() == {
        ("parts", "east"): 1,
        ("parts", "west"): 0,
        ("assembly", "hub"): 0,
        ("assembly", "east"): 1,
    }

    summary = json.loads((tmp_path / "sweep" / "summary.json").read_text(encoding="utf-8"))
    s = summary["scenarios"]["baseline"]
    assert s["base"]["objective"] == pytest.approx(9.0)
    assert s["solved"] == 10 and s["failed"]["count"] == 0
    assert s["objective"]["p50"] == pytest.approx(np.percentile(optimum, 50), abs=2e-6)
    assert s["objective"]["p95"] == pytest.approx(np.percentile(optimum, 95), abs=2e-6)
    hand_regret = np.maximum(0, 450 * t - 7.5)
    assert s["regret"]["absolute"]["p95"] == pytest.approx(np.percentile(hand_regret, 95), abs=2e-6)
    assert s["regret"]["absolute"]["max"] == pytest.approx(hand_regret.max(), abs=2e-6)
    assert s["regret"]["base_plan_optimal"] == 10 - hub_hosts.sum()
    assert s["regret"]["unit"] == "亿元"
    assert summary["solver"]["threads"] == 1 and summary["run"]["samples_solved"] == 10
    assert "10/10" in stream.getvalue() and "samples/min" in stream.getvalue()
    assert not list(tmp_path.rglob("*.tmp"))


def test_keeping_hosts_by_bounds_equals_the_fixed_policy_and_free_optimum_equals_pipeline():
    """On the shared example's 'green' scenario, a sample solved with the base plan's hosts kept
    (column bounds on one model) costs what the pipeline gives with the fixed policy."""
    loaded = load(EXAMPLE)
    vary = [
        {"path": "chains.*.segments.*.transport_cost", "relative": [-0.3, 0.3]},
        {"path": "cities.*.capacity.*", "relative": [-0.2, 0.2]},
    ]
    sweep = parse_sweep({"samples": 3, "seed": 5, "vary": vary})
    options = solver_options(sweep)
    scenario = loaded.instance.scenario_list()[1]
    base = solve_sample(loaded.scenarios[scenario.id], None, options)
    document = scenario_document(loaded.instance, scenario.id)
    for k in range(3):
        data, problems = sample_data(document, scenario, sweep, k)
        assert not problems
        solved = solve_sample(data, base.hosts, options)
        pipeline = solve_scenario(data, options)
        by_policy = kept_by_policy(data, base.hosts, options)
        assert solved.optimum.objective == pytest.approx(pipeline.result.objective, rel=1e-6)
        if by_policy.status == Status.INFEASIBLE:
            assert solved.kept.status == Status.INFEASIBLE
        else:
            assert solved.kept.objective == pytest.approx(by_policy.result.objective, rel=1e-6)
            assert solved.kept.objective >= solved.optimum.objective - 1e-6


def test_base_plan_that_cannot_be_kept_is_reported(tmp_path):
    """Land halved in east (4 ha for 6 units of parts): the base plan (parts only in east) is
    infeasible, and the least change that would save it is to buy the missing 2 units of parts
    outside, which names the base plan's hosts as what keeps parts out of west (not a `fixed`
    policy of the instance); the optimum makes parts in west (setup 4)."""
    vary = [{"path": "cities.east.capacity.land", "relative": [-0.5, -0.5]}]
    path = write_sweep(tmp_path, scenarios=["baseline"], vary=vary)
    assert run_sweep(TINY, path, tmp_path, workers=0, stream=io.StringIO()) == 0
    regret = read(tmp_path, "regret.csv")
    assert regret.kept_status.tolist() == ["infeasible"] * 4
    assert regret.regret.tolist() == [""] * 4
    assert set(regret.kept_reason) == {
        "the base plan's hosts cannot serve this sample; it would need: allow import of 2 亿元 "
        "gross output of 'parts' (or make room for it in the area, or revisit the policies that "
        "keep it out: fixed (the base plan's hosts) forbids it in west)"
    }
    samples = read(tmp_path, "samples.csv")
    # two optimal plans cost 16: parts in east (4) and west (2), or all 6 in west; both to hub
    assert set(samples.hosts_parts) <= {"east;west", "west"}
    assert samples.objective.tolist() == pytest.approx([16.0] * 4)
    summary = json.loads((tmp_path / "sweep" / "summary.json").read_text(encoding="utf-8"))
    assert summary["scenarios"]["baseline"]["regret"]["base_plan_infeasible"] == 4
    assert summary["scenarios"]["baseline"]["regret"]["base_plan_infeasible_reasons"] == [
        {"reason": regret.kept_reason[0], "count": 4}  # all four alike: the sentence itself
    ]
    assert summary["scenarios"]["baseline"]["regret"]["base_plan_infeasible_samples"] == [
        0,
        1,
        2,
        3,
    ]


def test_reasons_that_differ_only_in_their_numbers_are_counted_together(tmp_path):
    """East's land cut by 30-60 %: parts lack 1.2-3.6 units there, a different amount in each
    sample, and summary.json counts the four reasons as one, each amount shown as '…'."""
    vary = [{"path": "cities.east.capacity.land", "relative": [-0.6, -0.3]}]
    path = write_sweep(tmp_path, scenarios=["baseline"], vary=vary)
    assert run_sweep(TINY, path, tmp_path, workers=0, stream=io.StringIO()) == 0
    assert read(tmp_path, "regret.csv").kept_reason.nunique() == 4
    summary = json.loads((tmp_path / "sweep" / "summary.json").read_text(encoding="utf-8"))
    assert summary["scenarios"]["baseline"]["regret"]["base_plan_infeasible_reasons"] == [
        {
            "reason": "the base plan's hosts cannot serve this sample; it would need: allow "
            "import of … 亿元 gross output of 'parts' (or make room for it in the area, or "
            "revisit the policies that keep it out: fixed (the base plan's hosts) forbids it in "
            "west)",
            "count": 4,
        }
    ]


def test_a_decision_every_sample_reverses_is_listed_as_overturned(tmp_path):
    """Assembly's transport cost at 1.7-2.5 times its base (t from 0.017 to 0.025): the optimum is
    min(3 + 600 t, 10.5 + 150 t) (tiny_sweep.json's notes), which hosts assembly in hub as well as
    east beyond t = 1/60, i.e. in every sample. The deterministic plan leaves hub out: a decision
    every sample reverses (share 1, not hosted), though no pair is contested; the report shows
    it."""
    vary = [{"path": "chains.kit.segments.assembly.transport_cost", "relative": [0.7, 1.5]}]
    path = write_sweep(tmp_path, scenarios=["baseline"], vary=vary)
    assert run_sweep(TINY, path, tmp_path, workers=0, stream=io.StringIO()) == 0
    summary = json.loads((tmp_path / "sweep" / "summary.json").read_text(encoding="utf-8"))
    baseline = summary["scenarios"]["baseline"]
    assert baseline["contested"] == []
    assert baseline["overturned"] == [
        {"segment": "assembly", "city": "hub", "share": 1.0, "base_host": 0}
    ]
    assert solve.main([str(TINY), "--out", str(tmp_path), "--quiet", "--report"]) == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    table = page[page.index('class="overturned-table"') :]
    assert "<td>does not host</td><td>added in 100%</td>" in table[: table.index("</table>")]


def test_samples_whose_numbers_break_a_rule_are_reported_not_solved(tmp_path):
    """Parts output and assembly output drawn independently in ±40 %: final sales of parts,
    6 (1 + u_p) − 0.5 · 12 (1 + u_a), are negative exactly when u_p < u_a."""
    vary = [
        {"path": "chains.kit.segments.parts.output", "relative": [-0.4, 0.4]},
        {"path": "chains.kit.segments.assembly.output", "relative": [-0.4, 0.4]},
    ]
    path = write_sweep(tmp_path, samples=8, scenarios=["baseline"], vary=vary)
    assert run_sweep(TINY, path, tmp_path, workers=0, stream=io.StringIO()) == 0
    u_p = [u_by_hand(3, k, 0, -0.4, 0.4, "chains[kit].segments[parts].output") for k in range(8)]
    u_a = [u_by_hand(3, k, 1, -0.4, 0.4, "chains[kit].segments[assembly].output") for k in range(8)]
    invalid = [p < a for p, a in zip(u_p, u_a, strict=True)]
    assert 0 < sum(invalid) < 8
    samples = read(tmp_path, "samples.csv")
    assert (samples.status == "invalid").tolist() == invalid
    assert all("below its intermediate use" in r for r in samples.reason[invalid])
    failed = json.loads((tmp_path / "sweep" / "summary.json").read_text())["scenarios"]["baseline"]
    assert failed["failed"]["by_status"] == {"invalid": sum(invalid)}
    robust = read(tmp_path, "robustness.csv")
    assert set(robust.solved) == {8 - sum(invalid)}


# ── resume ─────────────────────────────────────────────────────────────────────────────────


def test_resume_after_an_interruption_solves_only_the_missing_samples(tmp_path, monkeypatch):
    calls: list[bool] = []
    interrupt_at = [6]  # the base solve, then samples 0-3, then Ctrl-C during sample 4
    real = worker.solve_sample

    def counting(data, base_hosts, options):
        calls.append(base_hosts is not None)
        if len(calls) == interrupt_at[0]:
            raise KeyboardInterrupt
        return real(data, base_hosts, options)

    monkeypatch.setattr(worker, "solve_sample", counting)
    out = tmp_path / "out"
    stream = io.StringIO()
    assert run_sweep(TINY, TINY_SWEEP, out, workers=0, stream=stream) == 130
    assert "rerun the same command to resume" in stream.getvalue()
    files = sorted((out / "sweep" / "samples" / "baseline").glob("*.json"))
    assert [f.stem for f in files] == ["000000", "000001", "000002", "000003"]
    assert not (out / "sweep" / "samples.csv").exists()
    kept = {f.name: f.stat().st_mtime_ns for f in files}

    calls.clear()
    interrupt_at[0] = 0
    assert run_sweep(TINY, TINY_SWEEP, out, workers=0, stream=io.StringIO()) == 0
    assert calls == [True] * 6  # base plan read from disk, samples 4-9 solved
    assert {f.name: f.stat().st_mtime_ns for f in files} == kept

    fresh = tmp_path / "fresh"
    monkeypatch.setattr(worker, "solve_sample", real)
    assert run_sweep(TINY, TINY_SWEEP, fresh, workers=0, stream=io.StringIO()) == 0
    pd.testing.assert_frame_equal(
        read(out, "samples.csv").drop(columns=TIMINGS),
        read(fresh, "samples.csv").drop(columns=TIMINGS),
    )

    # a sample file of another sweep (here: a changed fingerprint) is recomputed, nothing else
    record = json.loads(files[2].read_text())
    files[2].write_text(json.dumps({**record, "fingerprint": "other"}))
    monkeypatch.setattr(worker, "solve_sample", counting)
    calls.clear()
    stream = io.StringIO()
    assert run_sweep(TINY, TINY_SWEEP, out, workers=0, stream=stream) == 0
    assert calls == [True]
    assert "ignoring 1 sample files of another sweep" in stream.getvalue()


# ── executors ──────────────────────────────────────────────────────────────────────────────


def test_local_pool_and_dask_cluster_give_identical_results(tmp_path):
    distributed = pytest.importorskip("distributed")
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert run_sweep(TINY, TINY_SWEEP, local, workers=2, stream=io.StringIO()) == 0
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        stream = io.StringIO()
        code = run_sweep(TINY, TINY_SWEEP, dask, scheduler=cluster.scheduler_address, stream=stream)
        assert code == 0, stream.getvalue()
        assert "Dask cluster at tcp://127.0.0.1" in stream.getvalue()
    pd.testing.assert_frame_equal(
        read(local, "samples.csv").drop(columns=TIMINGS),
        read(dask, "samples.csv").drop(columns=TIMINGS),
    )
    for name in ("regret.csv", "robustness.csv"):
        assert (local / "sweep" / name).read_bytes() == (dask / "sweep" / name).read_bytes()
    assert len(read(local, "samples.csv")) == 10


def test_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", "1s")
    stream = io.StringIO()
    code = run_sweep(TINY, TINY_SWEEP, tmp_path, scheduler="tcp://127.0.0.1:1", stream=stream)
    assert code == 1
    assert "cannot reach a Dask scheduler at tcp://127.0.0.1:1" in stream.getvalue()


def test_a_service_that_is_not_a_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    """Something answers at the address (here a web server's reply), but not Dask's protocol:
    it once ended in "unexpected error: MemoryError" from a length read out of the reply."""
    pytest.importorskip("distributed")
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def answer():
        server.settimeout(10)
        try:
            while True:
                conn, _ = server.accept()
                with conn:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" * 50)
        except OSError:
            return

    threading.Thread(target=answer, daemon=True).start()
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", "2s")
    stream = io.StringIO()
    try:
        code = run_sweep(
            TINY, TINY_SWEEP, tmp_path, scheduler=f"tcp://127.0.0.1:{port}", stream=stream
        )
    finally:
        server.close()
    assert code == 1
    text = stream.getvalue()
    assert f"tcp://127.0.0.1:{port}" in text and "Traceback" not in text
    assert "does not answer as a Dask scheduler" in text and "default port 8786" in text


def test_a_scheduler_address_without_a_port_is_named_with_the_form_wanted(tmp_path):
    pytest.importorskip("distributed")
    stream = io.StringIO()
    code = run_sweep(TINY, TINY_SWEEP, tmp_path, scheduler="notanaddress", stream=stream)
    assert code == 1
    assert "--scheduler notanaddress: missing port number" in stream.getvalue()
    assert "tcp://HOST:PORT" in stream.getvalue() and "unexpected" not in stream.getvalue()


# ── progress ───────────────────────────────────────────────────────────────────────────────


def test_progress_line_counts_rate_and_time_left():
    now = [100.0]
    stream = io.StringIO()
    progress = Progress(total=200, done=120, stream=stream, clock=lambda: now[0])
    assert progress.line().endswith("120/200 (120 kept) · rate — · time left —")
    now[0] += 60.0
    for _ in range(10):
        progress.advance()
    assert progress.rate == pytest.approx(10.0)
    bar = "█" * 15 + "·" * 9  # 24 x 130 / 200 = 15.6 cells filled
    assert progress.line() == f"samples [{bar}] 130/200 (120 kept) · 10.0/min · 7m00s left"
    assert stream.getvalue().splitlines()[-1].startswith("samples [")


@pytest.mark.parametrize("tty", [False, True])
def test_the_last_progress_line_counts_every_finished_sample(tty):
    """Lines are drawn at most every so often; closing (at the end or on Ctrl-C) draws the count
    reached, so the last line never lags the samples saved."""
    now = [0.0]
    stream = io.StringIO()
    stream.isatty = lambda: tty
    progress = Progress(total=200, stream=stream, clock=lambda: now[0])
    progress.show(force=True)
    for _ in range(7):  # within 0.2 s and within the first tenth: not drawn
        now[0] += 0.01
        progress.advance()
    assert "7/200" not in stream.getvalue()
    progress.close()
    assert "7/200" in stream.getvalue().replace("\r", "\n").strip().splitlines()[-1]


def test_invalid_instance_is_reported_like_solve_py(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "name": "x"', encoding="utf-8")
    stream = io.StringIO()
    assert run_sweep(bad, TINY_SWEEP, tmp_path, workers=0, stream=stream) == 3
    assert "JSON syntax error" in stream.getvalue()
    with pytest.raises(InvalidInstance):
        load_sweep(tmp_path / "missing.json", load(TINY))
