"""Properties of random instances.

- `instances`: small instances feasible by construction (loose capacities, full haversine
  graph); the written plan satisfies every constraint, the objective equals the sum of its terms
  recomputed from the result files (tests/checker.py), and the default formulation (with valid
  inequalities) has the optimal value of the plain one.
- `rich_instances`: small instances that exercise what the first misses — tight capacities on
  two resources, sparse, directed and 0-km routes, cities without coordinates, explicit markets,
  imports through an explicit gateway, min_scale up to the whole output (one-host segments, where
  the transport floor acts), self-inputs, outputs equal to their intermediate use, every policy.
  They may be infeasible. The plain and default models, built without the pre-solve checks, agree
  on the status and the optimum; the pipeline agrees with them and its plan passes the checker;
  and whenever the pre-solve checks (models/presolve.py) call a scenario infeasible, the plain
  model is infeasible too.

`PROPERTY_EXAMPLES` sets the examples per test (a deeper search); `PROPERTY_STATS=FILE` writes
counts of what the examples exercised (statuses, one-host segments, binding rows) to FILE;
`PROPERTY_FINDINGS=DIR` saves every instance that breaks a property as JSON in DIR.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyomo.environ as pyo
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from models.build import build
from models.constraints.floor import one_host_segments
from models.objective import TERMS
from models.pipeline import solve_scenario
from models.presolve import PRESOLVE_CHECKS, obvious_conflicts
from models.scenario import load_document
from reports.files import write_scenario
from solvers import SolverOptions, Status, solve
from tests.checker import verify

EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "40"))
"""Examples per run; CI uses the default, a deeper search sets PROPERTY_EXAMPLES."""
STATS_FILE = os.environ.get("PROPERTY_STATS")
FINDINGS = os.environ.get("PROPERTY_FINDINGS")
EXACT = SolverOptions(mip_gap=1e-9, threads=1)
"""Tiny models: solved to a 1e-9 gap, so that two optima compare at 1e-6."""
STATS: Counter = Counter()

PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


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
    # capacities and the area cap loose enough that every draw has a plan (the optimum is
    # asserted); capacities that bind are drawn by the rich instances below
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


@PROPERTY_SETTINGS
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


# --- rich instances: every feature, possibly infeasible -------------------------------------

RESOURCES = ("land", "labour")


def chance(draw, p: float) -> bool:
    """True with probability p; shrinks towards False (the feature left out)."""
    return draw(st.floats(0, 1)) > 1 - p


def amount(draw, lo: float, hi: float, digits: int = 2) -> float:
    return round(draw(st.floats(lo, hi)), digits)


def _cities(draw, ids: list[str]) -> list[dict]:
    with_coordinates = draw(st.sampled_from(["all", "some", "none"]))
    cities = []
    for c in ids:
        city = {
            "id": c,
            "role": draw(st.sampled_from(["core", "periphery"])),
            "population": amount(draw, 50, 1000),
        }
        if with_coordinates == "all" or (with_coordinates == "some" and chance(draw, 0.5)):
            city["lat"] = amount(draw, 31.0, 32.0, 3)
            city["lon"] = amount(draw, 118.0, 119.5, 3)
        cities.append(city)
    return cities


def _transport(draw, ids: list[str]) -> dict:
    """Explicit distances on some pairs (some of them 0 km), one way only when directed; pairs
    without coordinates or a listed distance have no route."""
    directed = chance(draw, 0.4)
    pairs = [(a, b) for a in ids for b in ids if a != b and (directed or a < b)]
    listed = draw(st.floats(0, 1))
    distances = []
    for a, b in pairs:
        if draw(st.floats(0, 1)) < listed:
            km = 0.0 if chance(draw, 0.15) else amount(draw, 5, 150, 1)
            distances.append({"from": a, "to": b, "km": km})
    transport = {
        "detour_factor": amount(draw, 1.0, 1.5),
        "distances": distances,
        "directed": directed,
    }
    if chance(draw, 0.5):
        transport["gateway"] = draw(st.sampled_from(ids))
    return transport


def _segment(draw, k: int, ids: list[str]) -> dict:
    seg = {
        "id": f"s{k}",
        "output": 0.0 if chance(draw, 0.1) else amount(draw, 5, 50),
        "value_added_rate": amount(draw, 0, 0.5),
        "resource_use": {r: amount(draw, 0.1, 2) for r in RESOURCES if chance(draw, 0.7)},
        "transport_cost": 0.0 if chance(draw, 0.1) else amount(draw, 0.001, 0.05, 4),
        "setup_cost": amount(draw, 0, 10),
    }
    inputs = {f"s{j}": amount(draw, 0.1, 0.8) for j in range(k) if chance(draw, 0.5)}
    if chance(draw, 0.15):
        inputs[seg["id"]] = amount(draw, 0.05, 0.3)  # a self-input
    seg["inputs"] = inputs
    if chance(draw, 0.7):
        seg["eligible_cities"] = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
    if chance(draw, 0.2):
        seg["setup_cost_by_city"] = {draw(st.sampled_from(ids)): amount(draw, 0, 10)}
    if chance(draw, 0.4):
        markets = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
        weights = [draw(st.integers(0, 3)) for _ in markets]
        if sum(weights) == 0:
            weights[0] = 1
        seg["markets"] = {c: w / sum(weights) for c, w in zip(markets, weights, strict=True)}
    if chance(draw, 0.3):
        seg["import_cost"] = amount(draw, 0.1, 3)
    if chance(draw, 0.3):
        seg["max_hosts"] = draw(st.integers(1, 2))
        seg["duplication_penalty"] = amount(draw, 0, 10)
    if chance(draw, 0.4):
        seg["existing"] = {c: amount(draw, 1, 20) for c in draw(st.sets(st.sampled_from(ids)))}
    return seg


@dataclass(frozen=True)
class Area:
    """What the draw of a policy's parameters may use: the drawn segments (with their
    eligibility, outputs, …), the city ids and each resource's need at full output."""

    segments: list[dict]
    cities: list[str]
    need: dict[str, float]

    @property
    def segment_ids(self) -> list[str]:
        return [s["id"] for s in self.segments]


def _single_host(draw, area: Area):
    if chance(draw, 0.3):
        return True
    return {"segments": draw(st.lists(st.sampled_from(area.segment_ids), min_size=1, unique=True))}


def _fixed(draw, area: Area) -> dict:
    pairs = st.lists(
        st.tuples(st.sampled_from(area.segment_ids), st.sampled_from(area.cities)), max_size=2
    )
    host, forbid = draw(pairs), draw(pairs)
    return {"host": [list(p) for p in host], "forbid": [list(p) for p in forbid]}


def _keep_existing(draw, area: Area) -> dict:
    return {"min_share": amount(draw, 0, 1)}


def _area_cap(draw, area: Area) -> dict:
    r = draw(st.sampled_from(RESOURCES))
    return {r: round(area.need[r] * amount(draw, 0.6, 1.5), 2)}


def _balance(draw, area: Area) -> dict:
    if chance(draw, 0.5):
        roles = st.lists(st.sampled_from(["core", "periphery"]), min_size=1, unique=True)
        listed = {"roles": draw(roles)}
    else:
        listed = {"cities": draw(st.lists(st.sampled_from(area.cities), min_size=1, unique=True))}
    return {"min_ratio": amount(draw, 0.05, 0.8), **listed}


def _linkage(draw, area: Area) -> dict:
    pair = st.tuples(st.sampled_from(area.segment_ids), st.sampled_from(area.segment_ids)).filter(
        lambda p: p[0] != p[1] or len(area.segment_ids) == 1
    )
    return {
        "max_minutes": float(draw(st.sampled_from([0, 10, 30, 60, 150]))),
        "pairs": [list(p) for p in draw(st.lists(pair, min_size=1, max_size=2))],
    }


def _max_share(draw, area: Area) -> dict:
    params = {"share": amount(draw, 0.3, 1)}
    if chance(draw, 0.5):
        params["segments"] = draw(st.lists(st.sampled_from(area.segment_ids), unique=True))
    return params


POLICY_DRAWS = {
    "single_host": (0.25, _single_host),
    "fixed": (0.25, _fixed),
    "keep_existing": (0.15, _keep_existing),
    "area_cap": (0.2, _area_cap),
    "balance": (0.2, _balance),
    "linkage": (0.2, _linkage),
    "max_share": (0.1, _max_share),
}
"""Each policy's chance of being switched on and the draw of its parameters (every registered
policy, tests/test_policies.py)."""


def _policies(draw, segments: list[dict], ids: list[str], need: dict[str, float]) -> dict:
    area = Area(segments, ids, need)
    return {
        name: parameters(draw, area)
        for name, (p, parameters) in POLICY_DRAWS.items()
        if chance(draw, p)
    }


@st.composite
def rich_instances(draw) -> dict:
    """Small random instances (≤ 4 cities, ≤ 5 segments) with every feature of SPEC §2 and §4;
    valid, not necessarily feasible."""
    ids = [f"c{i}" for i in range(draw(st.integers(2, 4)))]
    cities = _cities(draw, ids)
    transport = _transport(draw, ids)
    segments = [_segment(draw, k, ids) for k in range(draw(st.integers(1, 5)))]
    # Output covers intermediate use: fixed from the last segment (no users) upstream; with a
    # self-input a, Q ≥ use / (1 − a). Sometimes Q is exactly its use (no final sales).
    use = {s["id"]: 0.0 for s in segments}
    for seg in reversed(segments):
        least = use[seg["id"]] / (1 - seg["inputs"].get(seg["id"], 0.0))
        if least > 0 and chance(draw, 0.25):
            seg["output"] = least
        elif least > 0:
            seg["output"] = max(seg["output"], round(least * amount(draw, 1.0, 1.5) + 0.005, 2))
        seg["min_scale"] = seg["output"] * draw(st.sampled_from([0, 0.3, 0.55, 0.8, 1.0]))
        for t, a in seg["inputs"].items():
            if t != seg["id"]:
                use[t] += a * seg["output"]
    need = {r: sum(s["output"] * s["resource_use"].get(r, 0) for s in segments) for r in RESOURCES}
    tightness = draw(st.sampled_from([0.25, 0.4, 0.6, 1.0, 1.5]))
    for c in cities:
        c["capacity"] = {
            r: round(need[r] * tightness * amount(draw, 0.6, 1.4), 2)
            for r in RESOURCES
            if chance(draw, 0.8)
        }
    doc = {
        "schema_version": 1,
        "name": "rich",
        "resources": [{"id": r} for r in RESOURCES],
        "cities": cities,
        "transport": transport,
        "chains": [{"id": "chain", "segments": segments}],
        "defaults": {
            "duplication_penalty": amount(draw, 0, 5),
            "relocation_cost": amount(draw, 0, 0.5),
        },
        "policies": _policies(draw, segments, ids, need),
    }
    if chance(draw, 0.2):
        doc["weights"] = {k: 0.0 if chance(draw, 0.3) else amount(draw, 0.1, 2) for k in TERMS}
    return doc


@dataclass
class Outcome:
    status: Status
    objective: float | None
    model: pyo.ConcreteModel


def solve_directly(data, formulation: str) -> Outcome:
    """Build and solve without the pre-solve checks; conflicts found while building (a market
    out of reach, a fixed host that is not eligible ...) make it infeasible."""
    model = build(data, formulation)
    if model.conflicts:
        return Outcome(Status.INFEASIBLE, None, model)
    result = solve(model, EXACT)
    return Outcome(result.status, result.objective, model)


@contextmanager
def finding(doc: dict, what: str):
    """Save the instance (with PROPERTY_FINDINGS set) when the block fails in any way."""
    try:
        yield
    except BaseException:
        keep_finding(doc, what)
        raise


def keep_finding(doc: dict, what: str) -> None:
    """Save an instance that breaks a property (with PROPERTY_FINDINGS set)."""
    if not FINDINGS:
        return
    folder = Path(FINDINGS)
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(doc, indent=1, ensure_ascii=False)
    digest = hashlib.sha1(text.encode()).hexdigest()[:10]
    (folder / f"{what}_{digest}.json").write_text(text, encoding="utf-8")


def binding(row, tol: float = 1e-6) -> bool:
    """The row holds with equality at the loaded solution (within tol relative); False where a
    variable of the row has no value (HiGHS never saw it: its coefficients were all 0)."""
    body = pyo.value(row.body, exception=False)
    bound = pyo.value(row.upper if row.has_ub() else row.lower)
    return body is not None and abs(body - bound) <= tol * max(1.0, abs(bound))


def positive(expr) -> bool:
    value = pyo.value(expr, exception=False)
    return value is not None and value > 1e-6


def record(data, doc: dict, plain: Outcome, default: Outcome, conflicts: list[str]) -> None:
    """Count what the example exercised, for PROPERTY_STATS."""
    STATS["examples"] += 1
    STATS[f"status_{plain.status.value}"] += 1
    STATS["presolve_conflict"] += bool(conflicts)
    for check in PRESOLVE_CHECKS:
        STATS[f"presolve_{check.__name__}"] += bool(check(data))
    STATS["model_conflict"] += bool(default.model.conflicts)
    STATS["directed"] += doc["transport"]["directed"]
    STATS["no_route_pair"] += len(data.distance) < len(data.cities) * (len(data.cities) - 1)
    STATS["zero_km"] += any(km == 0 for km in data.distance.values())
    STATS["imports"] += bool(data.importable)
    STATS["imports_at_given_gateway"] += bool(data.importable) and "gateway" in doc["transport"]
    STATS["explicit_markets"] += any(data.segment[s].markets for s in data.segments)
    fin = data.final_sales
    STATS["no_final_sales"] += any(abs(fin[s]) < 1e-9 < data.output[s] for s in data.segments)
    STATS["no_output"] += any(q == 0 for q in data.output.values())
    STATS["self_input"] += any(s in data.downstream(s) for s in data.segments)
    for name in data.policies:
        STATS[f"policy_{name}"] += 1
    STATS["one_host_segments"] += bool(one_host_segments(data))
    m = default.model
    floors = list(m.transport_floor.values())
    STATS["floor_rows"] += bool(floors)
    STATS["knapsack_rows"] += bool(len(m.min_scale_knapsack))
    if plain.status != Status.OPTIMAL:
        return
    STATS["optimal_with_one_host"] += bool(one_host_segments(data))
    # a floor row is `Σ_c L_sc y_sc <= transport of s`: active where it binds at a positive floor
    STATS["floor_binding"] += any(binding(r) and positive(r.expr.args[0]) for r in floors)
    STATS["capacity_binding"] += any(binding(r) for r in m.capacity.values())
    STATS["optimal_knapsack_rows"] += bool(len(m.min_scale_knapsack))
    STATS["knapsack_binding"] += any(binding(r) for r in m.min_scale_knapsack.values())
    STATS["cover_binding"] += any(binding(r) for r in m.capacity_cover.values())


@pytest.fixture(scope="module", autouse=True)
def _write_stats():
    yield
    if STATS_FILE and STATS:
        Path(STATS_FILE).write_text(json.dumps(dict(sorted(STATS.items())), indent=1))


@PROPERTY_SETTINGS
@given(rich_instances())
def test_formulations_agree_and_the_plan_checks(doc):
    """Plain and default agree on the status and the optimum; the pipeline (with its pre-solve
    checks) agrees with them, and its written plan passes the checker."""
    with finding(doc, "error"):
        check_formulations(doc)


def check_formulations(doc: dict) -> None:
    data = load_document(doc).scenarios["base"]
    plain = solve_directly(data, "plain")
    default = solve_directly(data, "default")
    conflicts = obvious_conflicts(data)
    record(data, doc, plain, default, conflicts)
    assert plain.status in (Status.OPTIMAL, Status.INFEASIBLE)
    if default.status != plain.status or (
        plain.status == Status.OPTIMAL
        and default.objective != pytest.approx(plain.objective, rel=1e-6, abs=1e-6)
    ):
        keep_finding(doc, "formulations")
    assert default.status == plain.status, (plain.objective, default.objective)
    if plain.status == Status.OPTIMAL:
        assert default.objective == pytest.approx(plain.objective, rel=1e-6, abs=1e-6)
    if conflicts and plain.status != Status.INFEASIBLE:
        keep_finding(doc, "presolve")
    assert not conflicts or plain.status == Status.INFEASIBLE, conflicts

    run = solve_scenario(data, EXACT, diagnose=False)
    assert run.status == plain.status
    if run.status == Status.INFEASIBLE:
        return
    assert run.result.objective == pytest.approx(plain.objective, rel=1e-6, abs=1e-6)
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_scenario(Path(tmp), run)
        errors = verify(data, folder)
        if errors:
            keep_finding(doc, "checker")
        assert errors == []


@PROPERTY_SETTINGS
@given(rich_instances())
def test_presolve_conflicts_are_infeasible(doc):
    """Whatever the pre-solve checks call impossible, the plain model built without them cannot
    meet either (the checks may miss conflicts; they must not invent one)."""
    data = load_document(doc).scenarios["base"]
    conflicts = obvious_conflicts(data)
    assume(conflicts)
    plain = solve_directly(data, "plain")
    if plain.status != Status.INFEASIBLE:
        keep_finding(doc, "presolve")
    assert plain.status == Status.INFEASIBLE, (conflicts, plain.objective)


def _two_cities(segments: list[dict], **fields) -> dict:
    return {
        "schema_version": 1,
        "name": "finding",
        "resources": [],
        "cities": [
            {"id": "c0", "population": 100, "lat": 31.0, "lon": 118.0},
            {"id": "c1", "population": 100, "lat": 31.5, "lon": 118.5},
        ],
        "chains": [{"id": "chain", "segments": segments}],
        **fields,
    }


def test_setup_weight_zero(tmp_path):
    """c0 has no land, so U = 0 there and y[s0, c0] enters no row; with the setup weight 0 it
    has no cost either, so HiGHS never sees it (reading the plan used to fail: "No value for
    uninitialized VarData object y[s0,c0]"). The plan: s0 in c1, setup 2 reported unweighted,
    objective 0 (no transport cost)."""
    doc = _two_cities(
        [{"id": "s0", "output": 5, "resource_use": {"land": 1}, "setup_cost": 2}],
        weights={"setup": 0},
    )
    doc["resources"] = [{"id": "land"}]
    doc["cities"][0]["capacity"] = {"land": 0}
    data = load_document(doc).scenarios["base"]
    run = solve_scenario(data, EXACT)
    assert run.status == Status.OPTIMAL and run.result.objective == pytest.approx(0)
    assert run.solution.hosts == {"s0": ["c1"]} and run.solution.terms["setup"] == pytest.approx(2)
    assert verify(data, write_scenario(tmp_path, run)) == []


def test_checker_reads_the_policies(tmp_path):
    """A plan made without policies fails the checker under fixed, max_share and linkage rules
    that it breaks (the checker reads those policies, it does not skip them)."""
    segments = [
        {"id": "s0", "output": 5, "eligible_cities": ["c1"]},
        {"id": "s1", "output": 5, "eligible_cities": ["c0"]},
    ]
    data = load_document(_two_cities(segments)).scenarios["base"]
    folder = write_scenario(tmp_path, solve_scenario(data, EXACT))
    assert verify(data, folder) == []
    policies = {
        "fixed": {"host": [["s1", "c0"]], "forbid": [["s0", "c1"]]},
        "max_share": {"share": 0.5, "segments": ["s0"]},
        "linkage": {"max_minutes": 10, "pairs": [["s0", "s1"]]},
    }
    ruled = load_document(_two_cities(segments, policies=policies)).scenarios["base"]
    assert sorted(verify(ruled, folder)) == [
        "fixed forbid s0 in c1",
        "linkage s0 in c1: no s1 within 10 min",
        "max_share s0 in c1",
    ]


def test_checker_catches_a_tampered_plan(tmp_path):
    """The checker is not vacuous: a plan with one shipment or one term changed fails it."""
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
