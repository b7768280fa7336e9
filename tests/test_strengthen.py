"""Valid inequalities (models/constraints/strengthen.py): each on a tiny instance where its row
is worked out by hand, and the optimal value is the same with and without them."""

from __future__ import annotations

import json
from pathlib import Path

import pyomo.environ as pyo
import pytest

from models.build import build, inequalities
from models.constraints.strengthen import STRENGTHENING
from models.pipeline import solve_scenario
from models.scenario import load_document
from solvers import Status, solve
from tests.tiny import city, instance, segment, two_cities

T = 0.01
EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "example.json"


def capped(land_a: float, land_b: float, **fields) -> dict:
    cities = two_cities()
    cities["cities"][0]["capacity"] = {"land": land_a}
    cities["cities"][1]["capacity"] = {"land": land_b}
    return instance(
        segments=[
            segment("s", 10, resource_use={"land": 1}, transport_cost=T, markets={"a": 1}, **fields)
        ],
        **cities,
    )


def both(doc: dict) -> tuple[float, float]:
    data = load_document(doc).scenarios["base"]
    default = solve_scenario(data).result.objective
    plain = solve_scenario(data, formulation="plain").result.objective
    return default, plain


def test_capacity_cover():
    """U_a = 6, U_b = 7: the row 6 y_a + 7 y_b ≥ 10 says both must host. Optimum: 6 in a, 4 in
    b shipped to a: 4, with or without the row."""
    doc = capped(6, 7)
    m = build(load_document(doc).scenarios["base"])
    row = m.capacity_cover["s"]
    assert pyo.value(row.lower) == 10
    assert {v.name: c for v, c in zip(*_linear(row.body), strict=True)} == {
        "y[s,a]": 6,
        "y[s,b]": 7,
    }
    assert both(doc) == (pytest.approx(4), pytest.approx(4))


def test_min_scale_knapsack():
    """Two segments of min_scale 4 and 5 using 1 ha a unit; city a has 8 ha: 4 y_s + 5 y_t ≤ 8,
    so a cannot host both. t sold in a, s in b: t in a (5 ≥ 5), s in b: cost 0."""
    doc = capped(8, 100)
    doc["chains"][0]["segments"] = [
        segment("s", 10, min_scale=4, resource_use={"land": 1}, transport_cost=T, markets={"b": 1}),
        segment("t", 5, min_scale=5, resource_use={"land": 1}, transport_cost=T, markets={"a": 1}),
    ]
    m = build(load_document(doc).scenarios["base"])
    row = m.min_scale_knapsack["a", "land"]
    assert pyo.value(row.upper) == 8
    assert sorted(c for c in _linear(row.body)[1]) == [4, 5]
    assert both(doc) == (pytest.approx(0), pytest.approx(0))


def on_a_line(land: float) -> dict:
    """Cities a - b - c, 100 km apart, `land` ha each. s (10, one host) feeds j one for one; j
    (10, one host) sells in a. Both use 1 ha a unit."""
    return instance(
        cities=[
            city("a", role="core", capacity={"land": land}),
            city("b", capacity={"land": land}),
            city("c", capacity={"land": land}),
        ],
        transport={
            "distances": [
                {"from": "a", "to": "b", "km": 100},
                {"from": "b", "to": "c", "km": 100},
                {"from": "a", "to": "c", "km": 200},
            ]
        },
        segments=[
            segment("s", 10, min_scale=10, resource_use={"land": 1}, transport_cost=T),
            segment(
                "j",
                10,
                min_scale=10,
                resource_use={"land": 1},
                transport_cost=T,
                inputs={"s": 1},
                markets={"a": 1},
            ),
        ],
    )


def test_transport_floor():
    """With 10 ha a city, s and j cannot share one. s made in any city ships its 10 to j at
    least 100 km away: floor 10 · 100 · 0.01 = 10 for every host. j sells in a: floor 0, 10, 20
    for a, b, c. Optimum: j in a, s in b, transport 10 — which the LP relaxation already
    reaches with the floor (without it, s and j split half-half over a and b: 5)."""
    doc = on_a_line(10)
    data = load_document(doc).scenarios["base"]
    m = build(data)
    assert _y_coefficients(m.transport_floor["s"]) == pytest.approx({"a": 10, "b": 10, "c": 10})
    assert _y_coefficients(m.transport_floor["j"]) == pytest.approx({"b": 10, "c": 20})
    assert both(doc) == (pytest.approx(10), pytest.approx(10))
    assert _lp_bound(build(data)) == pytest.approx(10)
    assert _lp_bound(build(data, "plain")) < 10 - 1e-6


def test_transport_floor_leaves_room_for_users():
    """With 20 ha a city, j may sit next to s: the floor of s is 0 and its row is left out."""
    m = build(load_document(on_a_line(20)).scenarios["base"])
    assert "s" not in m.transport_floor
    assert _y_coefficients(m.transport_floor["j"]) == pytest.approx({"b": 10, "c": 20})


def test_transport_floor_is_zero_where_the_segment_cannot_be_made():
    """City c has 5 ha: s (10) cannot be made there, so y[s,c] = 0 in every plan and its floor is
    left at 0; a and b keep 10 (j at the nearest free city, b or a)."""
    doc = on_a_line(10)
    doc["cities"][2]["capacity"]["land"] = 5
    m = build(load_document(doc).scenarios["base"])
    assert _y_coefficients(m.transport_floor["s"]) == pytest.approx({"a": 10, "b": 10})


def _y_coefficients(row) -> dict:
    """The floors L_sc of a row Σ_c (L_sc / t_s) y_sc - Σ d f_s ≤ 0, by city, in money (t_s = T
    here)."""
    assert row.lower is None and pyo.value(row.upper) == 0
    return {
        v.index()[1]: c * T
        for v, c in zip(*_linear(row.body), strict=True)
        if v.parent_component().local_name == "y" and abs(c) > 1e-12
    }


def _lp_bound(m) -> float:
    for y in m.y.values():
        y.domain = pyo.UnitInterval
    return solve(m).objective


def _linear(expr):
    from pyomo.repn import generate_standard_repn

    repn = generate_standard_repn(expr)
    return repn.linear_vars, repn.linear_coefs


def test_default_without_some_inequalities():
    """Formulation "default-NAME" leaves out the named inequalities (benchmarks.run --variants)."""
    data = load_document(on_a_line(10)).scenarios["base"]
    m = build(data, "default-transport_floor-capacity_cover")
    assert not hasattr(m, "transport_floor") and not hasattr(m, "capacity_cover")
    assert hasattr(m, "min_scale_knapsack")
    assert inequalities("default") == list(STRENGTHENING)
    assert inequalities("plain") == []


@pytest.mark.parametrize("formulation", ["strong", "default-cover", "plain-capacity_cover"])
def test_unknown_formulation_names_the_choices(formulation):
    with pytest.raises(ValueError, match=r"use 'default', 'plain', or 'default-'.*capacity_cover"):
        inequalities(formulation)


def test_every_inequality_has_a_test_and_a_name_that_can_be_left_out():
    """`default-NAME` leaves NAME out, so a name must not contain '-'."""
    missing = [n for n in STRENGTHENING if f"test_{n}" not in globals()]
    assert not missing, f"valid inequalities without a test: {missing}"
    assert not [n for n in STRENGTHENING if "-" in n], "use '_' in the names of inequalities"


@pytest.mark.parametrize("cost", [1e6, 1e11])
def test_transport_floor_keeps_every_plan_under_large_costs(cost):
    """The shared example's core_packs with packs shipped at `cost` a unit-km: with the floor
    row written in money (coefficients of 1e10 and more), the default formulation was reported
    infeasible (1e6) and HiGHS refused the model (1e11). Both formulations must find the same
    optimum."""
    doc = json.loads(EXAMPLE.read_text())
    for chain in doc["chains"]:
        for seg in chain["segments"]:
            if seg["id"] == "packs":
                seg["transport_cost"] = cost
    data = load_document(doc).scenarios["core_packs"]
    default = solve_scenario(data, formulation="default", diagnose=False)
    plain = solve_scenario(data, formulation="plain", diagnose=False)
    assert default.status == plain.status == Status.OPTIMAL
    assert default.result.objective == pytest.approx(plain.result.objective, rel=1e-6)
