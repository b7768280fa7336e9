"""Valid inequalities (models/constraints/strengthen.py): each on a tiny instance where its row
is worked out by hand, and the optimal value is the same with and without them."""

from __future__ import annotations

import pyomo.environ as pyo
import pytest

from models.build import build
from models.constraints.strengthen import STRENGTHENING
from models.pipeline import solve_scenario
from models.scenario import load_document
from tests.tiny import instance, segment, two_cities

T = 0.01


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


def _linear(expr):
    from pyomo.repn import generate_standard_repn

    repn = generate_standard_repn(expr)
    return repn.linear_vars, repn.linear_coefs


def test_every_inequality_has_a_test():
    missing = [n for n in STRENGTHENING if f"test_{n}" not in globals()]
    assert not missing, f"valid inequalities without a test: {missing}"
