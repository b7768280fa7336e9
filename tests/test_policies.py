"""One test per policy of SPEC §4, on tiny instances solved by hand (a, b 100 km apart,
transport 0.01 per unit and km unless a test says otherwise)."""

from __future__ import annotations

import pytest

from models.constraints import CONSTRAINTS
from models.policies import POLICIES
from solvers import Status
from tests import test_families
from tests.tiny import city, instance, output_of, segment, solve, two_cities

T = 0.01


def with_policy(doc: dict, policies: dict) -> dict:
    return {**doc, "scenarios": [{"id": "off"}, {"id": "on", "policies": policies}]}


def test_balance():
    """VA rate 0.5, all sold in core a. Off: all made in a, cost 0. Periphery b at least 0.5 x
    the area VA per capita (equal populations): 200 · 0.5 x_b ≥ 0.5 · 100 · 5, x_b ≥ 2.5, shipped
    to a: cost 2.5."""
    seg = segment("s", 10, value_added_rate=0.5, transport_cost=T, markets={"a": 1})
    doc = with_policy(
        instance(segments=[seg], **two_cities()),
        {"balance": {"min_ratio": 0.5, "roles": ["periphery"]}},
    )
    assert solve(doc, "off").result.objective == pytest.approx(0)
    run = solve(doc, "on")
    assert run.result.objective == pytest.approx(2.5)
    assert output_of(run, "s", "b") == pytest.approx(2.5)


def test_linkage():
    """a — b — c on a line, 60 km apart (speed 60: minutes = km). R&D only in a. Product p sold in
    c, setup 1 in c, 5 in b. Off: p in c, cost 1. Linked to R&D within 60 minutes, c (120 from a)
    is out: p in b, 5 + 10 units x 60 km x 0.01 = 11."""
    doc = instance(
        cities=[city("a", role="core"), city("b"), city("c")],
        segments=[
            segment("rd", 1, eligible_cities=["a"], markets={"a": 1}),
            segment(
                "p",
                10,
                eligible_cities=["b", "c"],
                setup_cost=5,
                setup_cost_by_city={"c": 1},
                transport_cost=T,
                markets={"c": 1},
            ),
        ],
        transport={
            "distances": [
                {"from": "a", "to": "b", "km": 60},
                {"from": "b", "to": "c", "km": 60},
                {"from": "a", "to": "c", "km": 120},
            ]
        },
    )
    doc = with_policy(doc, {"linkage": {"max_minutes": 60, "pairs": [["p", "rd"]]}})
    assert solve(doc, "off").result.objective == pytest.approx(1)
    run = solve(doc, "on")
    assert run.result.objective == pytest.approx(11)
    assert run.solution.hosts["p"] == ["b"]


def test_area_cap():
    """s emits 1 a unit; the area may emit 6 of the 10 it would; the rest is imported at 2 a
    unit: cost 8."""
    seg = segment("s", 10, markets={"a": 1}, resource_use={"emissions": 1}, import_cost=2)
    doc = with_policy(instance(segments=[seg], **two_cities()), {"area_cap": {"emissions": 6}})
    assert solve(doc, "off").result.objective == pytest.approx(0)
    run = solve(doc, "on")
    assert run.result.objective == pytest.approx(8)
    assert run.solution.imports == {"s": pytest.approx(4)}
    # one more unit under the cap replaces one imported unit: saves 2
    prices = run.solution.shadow_prices.set_index(["city", "resource"])
    assert prices.loc[("area", "emissions"), "shadow_price"] == pytest.approx(2)


def test_keep_existing():
    """All 10 made in b today, sold in a, no relocation cost. Off: all moved to a, cost 0. Keeping
    60 %: 6 stay in b and are shipped: cost 6."""
    seg = segment("s", 10, transport_cost=T, markets={"a": 1}, existing={"b": 10})
    doc = with_policy(
        instance(segments=[seg], **two_cities()), {"keep_existing": {"min_share": 0.6}}
    )
    assert solve(doc, "off").result.objective == pytest.approx(0)
    run = solve(doc, "on")
    assert run.result.objective == pytest.approx(6)
    assert output_of(run, "s", "b") == pytest.approx(6)


def test_keep_existing_in_excluded_city_is_a_conflict():
    seg = segment("s", 10, markets={"a": 1}, existing={"b": 10}, excluded_cities=["b"])
    doc = with_policy(
        instance(segments=[seg], **two_cities()), {"keep_existing": {"min_share": 0.5}}
    )
    run = solve(doc, "on")
    assert run.status == Status.INFEASIBLE
    assert "'b'" in run.diagnosis[0] and "keep_existing" in run.diagnosis[0]


def single_or_fixed(policies: dict) -> dict:
    """Markets half in a, half in b; setup 1 in each. Two hosts: 2; one host: 1 + 5 = 6."""
    seg = segment("s", 10, transport_cost=T, markets={"a": 0.5, "b": 0.5}, setup_cost=1)
    return with_policy(instance(segments=[seg], **two_cities()), policies)


@pytest.mark.parametrize("value", [True, {"segments": ["s"]}])
def test_single_host(value):
    doc = single_or_fixed({"single_host": value})
    assert solve(doc, "off").result.objective == pytest.approx(2)
    run = solve(doc, "on")
    assert run.result.objective == pytest.approx(6)
    assert len(run.solution.hosts["s"]) == 1


def test_fixed():
    """Forbidding a leaves b alone: 6. Hosting in b is already optimal: 2."""
    run = solve(single_or_fixed({"fixed": {"forbid": [["s", "a"]]}}), "on")
    assert run.result.objective == pytest.approx(6)
    assert run.solution.hosts["s"] == ["b"]
    assert solve(single_or_fixed({"fixed": {"host": [["s", "b"]]}}), "on").result.objective == (
        pytest.approx(2)
    )


def test_fixed_host_in_ineligible_city_is_a_conflict():
    doc = single_or_fixed({"fixed": {"host": [["s", "b"]]}})
    doc["chains"][0]["segments"][0]["excluded_cities"] = ["b"]
    run = solve(doc, "on")
    assert run.status == Status.INFEASIBLE
    assert "not eligible" in run.diagnosis[0]


def test_max_share():
    """All sold in a, no setup cost: off, all 10 made in a (cost 0). No city above 70 %: 3 made in
    b and shipped to a, cost 3."""
    seg = segment("s", 10, transport_cost=T, markets={"a": 1})
    doc = with_policy(instance(segments=[seg], **two_cities()), {"max_share": {"share": 0.7}})
    assert solve(doc, "off").result.objective == pytest.approx(0)
    run = solve(doc, "on")
    assert run.result.objective == pytest.approx(3)
    assert output_of(run, "s", "b") == pytest.approx(3)


def test_scenario_switches_a_base_policy_off():
    doc = single_or_fixed({"single_host": None})
    doc["policies"] = {"single_host": True}
    assert solve(doc, "off").result.objective == pytest.approx(6)
    assert solve(doc, "on").result.objective == pytest.approx(2)


def test_every_family_and_policy_has_a_test():
    """A registered constraint family or policy without its own test fails here."""
    missing = [n for n in CONSTRAINTS if not hasattr(test_families, f"test_{n}")]
    missing += [n for n in POLICIES if f"test_{n}" not in globals()]
    assert not missing, f"registered without a test: {missing}"
