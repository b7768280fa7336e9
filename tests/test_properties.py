"""Properties of every valid instance: the written plan satisfies every constraint, the
objective equals the sum of its terms recomputed from the result files (tests/checker.py), and
the default formulation (with valid inequalities) has the optimal value of the plain one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.pipeline import solve_scenario
from models.scenario import load_document
from reports.files import write_scenario
from solvers import Status
from tests.checker import verify

EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "40"))
"""Examples per run; CI uses the default, a deeper search sets PROPERTY_EXAMPLES."""


@st.composite
def instances(draw) -> dict:
    """Small random instances, feasible by construction: every city could hold all output."""
    n_cities = draw(st.integers(2, 4))
    n_segments = draw(st.integers(1, 4))
    city_ids = [f"c{i}" for i in range(n_cities)]
    cities = []
    for i, c in enumerate(city_ids):
        cities.append(
            {
                "id": c,
                "role": "core" if i == 0 else "periphery",
                "lat": draw(st.floats(31.0, 33.0)),
                "lon": draw(st.floats(118.0, 120.0)),
                "population": draw(st.floats(50, 1000)),
            }
        )
    segments = []
    for k in range(n_segments):
        sid = f"s{k}"
        upstream = [f"s{j}" for j in range(k)]
        inputs = {t: draw(st.floats(0.1, 0.6)) for t in upstream if draw(st.booleans())}
        eligible = draw(st.lists(st.sampled_from(city_ids), min_size=1, unique=True))
        seg = {
            "id": sid,
            "output": draw(st.floats(10, 100)),
            "inputs": inputs,
            "eligible_cities": eligible,
            "value_added_rate": draw(st.floats(0, 0.5)),
            "resource_use": {"land": draw(st.floats(0.1, 2))},
            "transport_cost": draw(st.floats(0, 0.05)),
            "setup_cost": draw(st.floats(0, 20)),
            "min_scale": 0.0,
        }
        if draw(st.booleans()):
            seg["max_hosts"] = 1
            seg["duplication_penalty"] = draw(st.floats(0, 30))
        if draw(st.booleans()):
            seg["existing"] = {draw(st.sampled_from(city_ids)): draw(st.floats(1, 10))}
        if draw(st.booleans()):
            seg["import_cost"] = draw(st.floats(0.5, 3))
        segments.append(seg)
    # Output must cover intermediate use: fix outputs from the last segment (no users) upstream.
    use = [0.0] * n_segments
    for k in reversed(range(n_segments)):
        seg = segments[k]
        seg["output"] = max(seg["output"], use[k] * draw(st.floats(1.0, 1.5)))
        seg["min_scale"] = seg["output"] * draw(st.sampled_from([0, 0.1, 0.3, 0.6]))
        for t, a in seg["inputs"].items():
            use[int(t[1:])] += a * seg["output"]
    total_land = sum(s["output"] * s["resource_use"]["land"] for s in segments)
    for c in cities:
        if draw(st.booleans()):
            c["capacity"] = {"land": total_land * 1.01}
    policies = draw(
        st.sampled_from(
            [
                {},
                {"single_host": True},
                {"keep_existing": {"min_share": 0.5}},
                {"area_cap": {"land": total_land * 2}},
            ]
        )
    )
    return {
        "schema_version": 1,
        "name": "random",
        "resources": [{"id": "land"}],
        "cities": cities,
        "transport": {"detour_factor": 1.2},
        "chains": [{"id": "chain", "segments": segments}],
        "defaults": {"duplication_penalty": 5, "relocation_cost": draw(st.floats(0, 1))},
        "policies": policies,
    }


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(instances())
def test_written_plan_is_feasible_and_costed_right(doc):
    data = load_document(doc).scenarios["base"]
    run = solve_scenario(data)
    if "keep_existing" in data.policies and run.status == Status.INFEASIBLE:
        # keep_existing may ask an ineligible city to keep output: a conflict, reported as such
        assert run.diagnosis
        return
    assert run.status == Status.OPTIMAL
    plain = solve_scenario(data, formulation="plain")
    assert plain.result.objective == pytest.approx(run.result.objective, rel=1e-5, abs=1e-6)
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_scenario(Path(tmp), run)
        assert verify(data, folder) == []


def test_checker_catches_a_tampered_plan(tmp_path):
    """The checker is not vacuous: a plan with one shipment or one term changed fails it."""
    import json

    import pandas as pd

    from models.scenario import load

    data = load(Path(__file__).parents[1] / "instances" / "tiny.json").scenarios["baseline"]
    folder = write_scenario(tmp_path, solve_scenario(data))
    assert verify(data, folder) == []
    flows = pd.read_csv(folder / "flows.csv")
    flows.iloc[:-1].to_csv(folder / "flows.csv", index=False)
    assert any("ship_" in e for e in verify(data, folder))
    flows.to_csv(folder / "flows.csv", index=False)
    summary = json.loads((folder / "summary.json").read_text())
    summary["terms"]["setup"] += 1
    (folder / "summary.json").write_text(json.dumps(summary))
    assert any("term setup" in e for e in verify(data, folder))
