"""One test per policy of SPEC §4, on tiny instances solved by hand (a, b 100 km apart,
transport 0.01 per unit and km unless a test says otherwise)."""

from __future__ import annotations

import pytest

from models.policies import POLICIES
from solvers import Status
from tests.checker import CHECKED_POLICIES
from tests.test_properties import POLICY_DRAWS
from tests.test_validation import POLICY_VALUES
from tests.tiny import city, instance, output_of, segment, solve, two_cities

T = 0.01
pytestmark = pytest.mark.usefixtures("each_formulation")


def with_policy(doc: dict, policies: dict) -> dict:
    return {**doc, "scenarios": [{"id": "off"}, {"id": "on", "policies": policies}]}


@pytest.mark.parametrize("listed", [{"roles": ["periphery"]}, {"cities": ["b"]}])
def test_balance(listed):
    """VA rate 0.5, all sold in core a; a has 300 people, b 100 (P = 400). Off: all made in a,
    cost 0. Periphery b (listed by its role, or by name) at least 0.5 x the area VA per capita:
    400 · 0.5 x_b ≥ 0.5 · 100 · 5, x_b ≥ 1.25, shipped to a: cost 1.25."""
    seg = segment("s", 10, value_added_rate=0.5, transport_cost=T, markets={"a": 1})
    cities = two_cities()
    cities["cities"][0]["population"] = 300
    doc = with_policy(
        instance(segments=[seg], **cities),
        {"balance": {"min_ratio": 0.5, **listed}},
    )
    assert solve(doc, "off").result.objective == pytest.approx(0)
    run = solve(doc, "on")
    assert run.result.objective == pytest.approx(1.25)
    assert output_of(run, "s", "b") == pytest.approx(1.25)


def test_linkage():
    """a — b — c on a line, 60 km apart, at 120 km/h: 30 minutes. R&D only in a. Product p sold
    in c, setup 1 in c, 5 in b. Off: p in c, cost 1. Linked to R&D within 30 minutes, c (60
    minutes from a) is out: p in b, 5 + 10 units x 60 km x 0.01 = 11."""
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
            ],
            "speed_kmh": 120,
        },
    )
    doc = with_policy(doc, {"linkage": {"max_minutes": 30, "pairs": [["p", "rd"]]}})
    assert solve(doc, "off").result.objective == pytest.approx(1)
    run = solve(doc, "on")
    assert run.result.objective == pytest.approx(11)
    assert run.solution.hosts["p"] == ["b"]


def test_linkage_partner_in_the_same_city():
    """R&D may go to a (setup 1) or c (setup 5); p only in c, 120 km (60 minutes) from a. Off:
    R&D in a, cost 1. Linked within 30 minutes: R&D in c, p's own city, which is within reach
    (0 minutes): cost 5."""
    doc = instance(
        cities=[city("a", role="core"), city("c")],
        segments=[
            segment(
                "rd",
                1,
                eligible_cities=["a", "c"],
                setup_cost_by_city={"c": 5},
                setup_cost=1,
                markets={"c": 1},
            ),
            segment("p", 10, eligible_cities=["c"], markets={"c": 1}),
        ],
        transport={"distances": [{"from": "a", "to": "c", "km": 120}], "speed_kmh": 120},
    )
    doc = with_policy(doc, {"linkage": {"max_minutes": 30, "pairs": [["p", "rd"]]}})
    assert solve(doc, "off").result.objective == pytest.approx(1)
    run = solve(doc, "on")
    assert run.status == Status.OPTIMAL and run.result.objective == pytest.approx(5)
    assert run.solution.hosts["rd"] == ["c"]


def test_a_linkage_partner_that_makes_nothing_stays_a_host():
    """p only in b, 60 minutes from a; R&D (sold in a, no setup cost, no min_scale) must have a
    host within 30 minutes of p's. All of R&D is made in a (shipping it from b would cost
    1 x 120 km x T), so its host in b makes nothing at no cost (objective 0); the written plan
    still lists that host, which the linkage row counts."""
    doc = instance(
        cities=[city("a", role="core"), city("b")],
        segments=[
            segment("rd", 1, eligible_cities=["a", "b"], transport_cost=T, markets={"a": 1}),
            segment("p", 10, eligible_cities=["b"], markets={"b": 1}),
        ],
        transport={"distances": [{"from": "a", "to": "b", "km": 120}], "speed_kmh": 120},
    )
    doc = with_policy(doc, {"linkage": {"max_minutes": 30, "pairs": [["p", "rd"]]}})
    run = solve(doc, "on")
    assert run.status == Status.OPTIMAL and run.result.objective == pytest.approx(0)
    assert run.solution.hosts == {"rd": ["a", "b"], "p": ["b"]}
    assert solve(doc, "off").solution.hosts == {"rd": ["a"], "p": ["b"]}


def test_linkage_times_run_from_the_first_segments_host():
    """Directed distances: b to a 60 km (30 minutes at 120 km/h), a to b 120 km (60 minutes).
    p only in b, R&D only in a, each sold where made: linked within 30 minutes from p's host to
    R&D's, the plan stands (cost 0); timed the other way it would be infeasible."""
    doc = instance(
        cities=[city("a", role="core"), city("b")],
        segments=[
            segment("rd", 1, eligible_cities=["a"], markets={"a": 1}),
            segment("p", 10, eligible_cities=["b"], transport_cost=T, markets={"b": 1}),
        ],
        transport={
            "distances": [
                {"from": "b", "to": "a", "km": 60},
                {"from": "a", "to": "b", "km": 120},
            ],
            "directed": True,
            "speed_kmh": 120,
        },
    )
    doc = with_policy(doc, {"linkage": {"max_minutes": 30, "pairs": [["p", "rd"]]}})
    run = solve(doc, "on")
    assert run.status == Status.OPTIMAL and run.result.objective == pytest.approx(0)
    doc["scenarios"][1]["policies"]["linkage"]["pairs"] = [["rd", "p"]]
    assert solve(doc, "on").status == Status.INFEASIBLE


def test_area_cap():
    """s emits 2 a unit; the area may emit 6 of the 20 it would: 3 units made, 7 imported at 2 a
    unit: cost 14."""
    seg = segment("s", 10, markets={"a": 1}, resource_use={"emissions": 2}, import_cost=2)
    doc = with_policy(instance(segments=[seg], **two_cities()), {"area_cap": {"emissions": 6}})
    assert solve(doc, "off").result.objective == pytest.approx(0)
    run = solve(doc, "on")
    assert run.result.objective == pytest.approx(14)
    assert run.solution.imports == {"s": pytest.approx(7)}
    # one more unit under the cap replaces half an imported unit: saves 1
    prices = run.solution.shadow_prices.set_index(["city", "resource"])
    assert prices.loc[("area", "emissions"), "shadow_price"] == pytest.approx(1)


def test_area_cap_on_two_resources():
    """s emits 2 and takes 1 ha a unit; the area may emit 6 and use 2 ha: land binds, 2 units
    made, 8 imported at 2: cost 16 (the emissions cap alone would allow 3: 14). One more ha
    replaces an imported unit: land's price 2, emissions' 0."""
    seg = segment(
        "s", 10, markets={"a": 1}, resource_use={"emissions": 2, "land": 1}, import_cost=2
    )
    doc = with_policy(
        instance(segments=[seg], **two_cities()), {"area_cap": {"emissions": 6, "land": 2}}
    )
    run = solve(doc, "on")
    assert run.result.objective == pytest.approx(16)
    assert run.solution.imports == {"s": pytest.approx(8)}
    prices = run.solution.shadow_prices.set_index(["city", "resource"]).shadow_price
    assert prices[("area", "land")] == pytest.approx(2)
    assert prices[("area", "emissions")] == pytest.approx(0)


def test_keep_existing():
    """8 of the 10 made in b today, sold in a, no relocation cost. Off: all moved to a, cost 0.
    Keeping 60 % of b's existing output: 4.8 stay in b and are shipped: cost 4.8 (60 % of the
    planned output, 6, would be the wrong reading)."""
    seg = segment("s", 10, transport_cost=T, markets={"a": 1}, existing={"b": 8})
    doc = with_policy(
        instance(segments=[seg], **two_cities()), {"keep_existing": {"min_share": 0.6}}
    )
    assert solve(doc, "off").result.objective == pytest.approx(0)
    run = solve(doc, "on")
    assert run.result.objective == pytest.approx(4.8)
    assert output_of(run, "s", "b") == pytest.approx(4.8)


def single_or_fixed(policies: dict, segments: tuple[str, ...] = ("s",)) -> dict:
    """Markets half in a, half in b; setup 1 in each. Two hosts: 2; one host: 1 + 5 = 6 (for
    each of `segments`, all alike)."""
    segs = [
        segment(sid, 10, transport_cost=T, markets={"a": 0.5, "b": 0.5}, setup_cost=1)
        for sid in segments
    ]
    return with_policy(instance(segments=segs, **two_cities()), policies)


@pytest.mark.parametrize("value", [True, {"segments": ["s"]}])
def test_single_host(value):
    doc = single_or_fixed({"single_host": value})
    assert solve(doc, "off").result.objective == pytest.approx(2)
    run = solve(doc, "on")
    assert run.result.objective == pytest.approx(6)
    assert len(run.solution.hosts["s"]) == 1


def test_single_host_limits_only_the_listed_segments():
    """s and t alike; only s listed: s one host (6), t two (2): 8, against 12 for both."""
    doc = single_or_fixed({"single_host": {"segments": ["s"]}}, segments=("s", "t"))
    run = solve(doc, "on")
    assert run.result.objective == pytest.approx(8)
    assert len(run.solution.hosts["s"]) == 1 and len(run.solution.hosts["t"]) == 2


def test_fixed():
    """Forbidding a leaves b alone: 6.

    Hosting in a city the optimum avoids: s (10, sold in a, setup 1, min_scale 4) is made in a
    alone at cost 1. Hosted in b as well, b makes at least 4, shipped to a: 2 + 4 = 6 (all 10 in
    b would cost 11)."""
    run = solve(single_or_fixed({"fixed": {"forbid": [["s", "a"]]}}), "on")
    assert run.result.objective == pytest.approx(6)
    assert run.solution.hosts["s"] == ["b"]

    seg = segment("s", 10, transport_cost=T, markets={"a": 1}, setup_cost=1, min_scale=4)
    doc = with_policy(instance(segments=[seg], **two_cities()), {"fixed": {"host": [["s", "b"]]}})
    assert solve(doc, "off").result.objective == pytest.approx(1)
    run = solve(doc, "on")
    assert run.result.objective == pytest.approx(6)
    assert run.solution.hosts["s"] == ["a", "b"] and output_of(run, "s", "b") == pytest.approx(4)


def test_fixed_host_and_forbid_of_one_pair_is_a_conflict():
    doc = single_or_fixed({"fixed": {"host": [["s", "a"]], "forbid": [["s", "a"]]}})
    run = solve(doc, "on")
    assert run.status == Status.INFEASIBLE
    assert "fixed both hosts and forbids 's' in 'a'" in run.diagnosis[0]


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ({"excluded_cities": ["b"]}, "'b' is in the excluded_cities of 's'; remove it there"),
        ({"eligible_cities": ["a"]}, "'b' is not in the eligible_cities of 's'; add it there"),
        (
            {"requires_tags": ["port", "rail"]},
            "'b' lacks the tags that 's' requires (port, rail); add them to its tags",
        ),
        (
            {"excluded_cities": ["b"], "requires_tags": ["port", "rail"]},
            "'b' is in the excluded_cities of 's'; remove it there; and 'b' lacks the tags that "
            "'s' requires (port, rail); add them to its tags",
        ),
    ],
)
def test_fixed_host_in_ineligible_city_is_a_conflict(rule, reason):
    """The conflict names the rule that keeps b out and the two ways to resolve it."""
    doc = single_or_fixed({"fixed": {"host": [["s", "b"]]}})
    doc["chains"][0]["segments"][0].update(rule)
    if "requires_tags" in rule:
        doc["cities"][0]["tags"] = ["port", "rail"]
    run = solve(doc, "on")
    assert run.status == Status.INFEASIBLE
    assert run.diagnosis[0] == (
        f"fixed asks 'b' to host 's', but 'b' is not eligible for 's' (eligible: a): {reason}, "
        "or drop ['s', 'b'] from fixed.host"
    )


def test_max_share():
    """All sold in a, no setup cost: off, all 10 made in a (cost 0). No city above 70 %: 3 made in
    b and shipped to a, cost 3."""
    seg = segment("s", 10, transport_cost=T, markets={"a": 1})
    doc = with_policy(instance(segments=[seg], **two_cities()), {"max_share": {"share": 0.7}})
    assert solve(doc, "off").result.objective == pytest.approx(0)
    run = solve(doc, "on")
    assert run.result.objective == pytest.approx(3)
    assert output_of(run, "s", "b") == pytest.approx(3)


def test_max_share_limits_only_the_listed_segments():
    """s and t alike (as in test_max_share); only s listed: 3, against 6 for both."""
    segs = [segment(sid, 10, transport_cost=T, markets={"a": 1}) for sid in ("s", "t")]
    policy = {"max_share": {"share": 0.7, "segments": ["s"]}}
    run = solve(with_policy(instance(segments=segs, **two_cities()), policy), "on")
    assert run.result.objective == pytest.approx(3)
    assert output_of(run, "s", "b") == pytest.approx(3) and output_of(run, "t", "b") == 0


def test_scenario_switches_a_base_policy_off():
    doc = single_or_fixed({"single_host": None})
    doc["policies"] = {"single_host": True}
    assert solve(doc, "off").result.objective == pytest.approx(6)
    assert solve(doc, "on").result.objective == pytest.approx(2)


def test_a_scenario_policy_replaces_the_base_one_whole():
    """Base: s forbidden in a (b alone: 6). A scenario giving `fixed` its own host list replaces
    the base's forbid list rather than adding to it: two hosts, 2."""
    doc = single_or_fixed({"fixed": {"host": [["s", "b"]]}})
    doc["policies"] = {"fixed": {"forbid": [["s", "a"]]}}
    assert solve(doc, "off").result.objective == pytest.approx(6)
    run = solve(doc, "on")
    assert run.result.objective == pytest.approx(2)
    assert sorted(run.solution.hosts["s"]) == ["a", "b"]


def test_every_policy_has_a_test():
    """A registered policy without its own test fails here (families: tests/test_families.py)."""
    missing = [n for n in POLICIES if f"test_{n}" not in globals()]
    assert not missing, f"registered without a test: {missing}"


def test_every_policy_is_drawn_checked_and_fuzzed():
    """A policy must also be drawn by the property tests' generator, read by their checker and
    varied by the malformed-input test; nothing else would notice that it is not."""
    assert set(POLICIES) <= set(POLICY_DRAWS), "add it to POLICY_DRAWS in tests/test_properties.py"
    assert set(POLICIES) <= set(CHECKED_POLICIES), "check its rows in tests/checker.py"
    assert set(POLICIES) <= set(POLICY_VALUES), (
        "add it to POLICY_VALUES in tests/test_validation.py"
    )
