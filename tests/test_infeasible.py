"""Infeasible plans: caught before solving where the data show it, otherwise diagnosed by the
least relaxation; either way the message names the city, segment, resource or policy."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path

import pytest

from models import diagnose, presolve
from models.diagnose import _sentence, diagnosis_options, least_relaxation
from models.pipeline import solve_scenario
from models.scenario import load_document
from solvers import SolverOptions, Status
from tests.tiny import city as tiny_city
from tests.tiny import instance, segment, two_cities

ROOT = Path(__file__).resolve().parents[1]
TINY = json.loads((ROOT / "instances" / "tiny.json").read_text(encoding="utf-8"))


WEST_SHORT = (
    "let west fall short of the balance target by 0.945 亿元 of value added (or lower min_ratio)"
)
"""The least change of tiny.json with west's land at 1 ha and a balance of 0.9 for west."""


def tiny(**policies) -> dict:
    doc = copy.deepcopy(TINY)
    doc["scenarios"] = [{"id": "only", "policies": policies}]
    return doc


def seg(doc: dict, sid: str) -> dict:
    return next(s for c in doc["chains"] for s in c["segments"] if s["id"] == sid)


def city(doc: dict, cid: str) -> dict:
    return next(c for c in doc["cities"] if c["id"] == cid)


def diagnosis(doc: dict) -> str:
    run = solve_scenario(load_document(doc).scenarios["only"])
    assert run.status == Status.INFEASIBLE
    assert run.solution is None
    return "\n".join(run.diagnosis)


def test_area_short_of_a_resource():
    """parts need 6 ha (1 per unit); east offers 3 and west 2."""
    doc = tiny()
    city(doc, "east")["capacity"]["land"] = 3
    city(doc, "west")["capacity"] = {"land": 2}
    text = diagnosis(doc)
    assert "the area needs 6 ha of Industrial land" in text and "offer 5 ha" in text
    assert "segment 'parts' must make 6 but its eligible cities can hold 5 (east 3, west 2)" in text


def test_area_cap_below_need():
    """Parts (6 ha a plan) have no import cost, so the cap of 4 ha rules every plan out."""
    expected = (
        "area_cap allows 4 ha of Industrial land but the outputs that cannot be imported need "
        "6 ha (what can be imported counted as bought outside)"
    )
    assert expected in diagnosis(tiny(area_cap={"land": 4}))


def test_no_room_for_min_scale():
    doc = tiny()
    city(doc, "east")["capacity"]["land"] = 4
    city(doc, "west")["capacity"] = {"land": 4}
    seg(doc, "parts")["min_scale"] = 5
    assert "'parts' needs at least 5 (min_scale)" in diagnosis(doc)


def test_single_host_without_a_big_enough_city():
    doc = tiny(single_host={"segments": ["parts"]})
    city(doc, "east")["capacity"]["land"] = 4
    city(doc, "west")["capacity"] = {"land": 4}
    assert "single_host puts all 6 of 'parts' in one city, but the largest room is 4" in (
        diagnosis(doc)
    )


def test_linkage_out_of_reach():
    """Parts in east or west; assembly in hub or east. East–west is 100 km: 100 minutes."""
    doc = tiny(linkage={"max_minutes": 30, "pairs": [["parts", "assembly"]]})
    seg(doc, "assembly")["eligible_cities"] = ["hub"]
    assert "no eligible city of 'parts' is that close to one of 'assembly'" in diagnosis(doc)


def test_segment_without_output_needs_no_linkage_partner():
    """s0 has no output, so no host, and linkage asks nothing of it (a and b are 100 minutes
    apart, beyond the 30 allowed). s1 made in b for b: cost 0. (The pre-solve check once wanted
    a host of s0 near one of s1; found by test_properties' pre-solve property.)"""
    segments = [
        segment("s0", 0, eligible_cities=["a"]),
        segment("s1", 5, eligible_cities=["b"], markets={"b": 1}),
    ]
    doc = instance(segments=segments, **two_cities())
    doc["policies"] = {"linkage": {"max_minutes": 30, "pairs": [["s0", "s1"]]}}
    run = solve_scenario(load_document(doc).scenarios["base"])
    assert run.status == Status.OPTIMAL and run.result.objective == pytest.approx(0)
    assert run.solution.hosts == {"s0": [], "s1": ["b"]}


def test_balance_for_a_city_that_may_host_nothing():
    doc = tiny(balance={"min_ratio": 0.5, "cities": ["west"]})
    seg(doc, "parts")["eligible_cities"] = ["east"]
    assert "balance asks 'west'" in diagnosis(doc)


def test_balance_holds_when_the_area_may_add_no_value():
    """Σ VA = 0 meets every balance row (VA_c · P ≥ min_ratio · pop_c · 0), so a listed city
    that can host no value-adding segment is no conflict while the area may add no value.
    West may host nothing (parts only in east, assembly only in hub). Parts add no value.
    - Assembly adds value and cannot be imported: infeasible, found before solving.
    - Assembly may be imported at 0.5: all 12 imported into the gateway hub (6), 3 each carried
      on to east and west at 50 km x 0.01 (1.5 + 1.5); the 6 parts, no longer used in the area,
      go to the markets by population from east: 3 to hub at 50 km x 0.02 (3), 1.5 to west at
      100 km x 0.02 (3). Objective 6 + 3 + 6 = 15.
    - Nothing adds value (and no imports): assembly in hub, the plan of tiny's no_east_assembly
      scenario, 12."""
    doc = tiny(balance={"min_ratio": 0.5, "cities": ["west"]})
    seg(doc, "parts").update(eligible_cities=["east"], value_added_rate=0.0)
    seg(doc, "assembly").update(eligible_cities=["hub"], value_added_rate=0.2)
    assert "balance asks 'west'" in diagnosis(doc)

    seg(doc, "assembly")["import_cost"] = 0.5
    run = solve_scenario(load_document(doc).scenarios["only"])
    assert run.status == Status.OPTIMAL
    assert run.result.objective == pytest.approx(15.0)

    seg(doc, "assembly").update(import_cost=None, value_added_rate=0.0)
    run = solve_scenario(load_document(doc).scenarios["only"])
    assert run.status == Status.OPTIMAL
    assert run.result.objective == pytest.approx(12.0)


@pytest.mark.parametrize(("ratio", "conflict"), [(2.0, False), (2.5, True)])
def test_balance_asking_for_more_than_the_areas_value_added(ratio, conflict):
    """Summed over the listed cities, the balance rows ask Σ_L VA_c ≥ min_ratio · (pop_L / P) · Σ
    VA. East and west hold 200 of the area's 400 people, so min_ratio can be at most 2 (both
    together then make all of the value added); 2.5 would ask 125 % of it."""
    data = load_document(tiny(balance={"min_ratio": ratio, "cities": ["east", "west"]}))
    found = presolve.balance_reach(data.scenarios["only"])
    expected = (
        "balance asks east, west, with 50 % of the area's population, for value added per "
        "capita of at least 2.5 x the area average: 125 % of the area's value added, more than "
        "all of it — min_ratio can be at most 2 for these cities"
    )
    assert found == ([expected] if conflict else [])


def test_area_cap_change_names_the_resource_and_its_unit():
    data = load_document(tiny(area_cap={"land": 5})).scenarios["only"]
    assert _sentence(data, "area_cap", "land", 2.0) == (
        "raise the area cap on Industrial land by 2 ha (5 → 7)"
    )


def test_keep_existing_where_no_longer_eligible():
    doc = tiny(keep_existing={"min_share": 1})
    seg(doc, "parts")["excluded_cities"] = ["east"]
    assert "keep_existing asks 'east' to keep 6 of 'parts'" in diagnosis(doc)


def test_solver_proven_infeasibility_gets_the_least_relaxation():
    """West must reach 0.9 x the area's VA per capita but holds 1 ha, too little for parts'
    min_scale of 2, so west adds no value. Only the solver sees it. The balance row (times the
    area population P = 400) asks VA_west · 400 ≥ 0.9 · 100 · 4.2 (VA of 6 parts at 0.3 and 12
    assemblies at 0.2), VA_west ≥ 0.945: the whole target, relative size 1. Land enough for it
    (3.15 units, +2.15 ha against a capacity of 1) counts 2.15, and running 1 unit below min_scale
    (0.5) still leaves 0.645 of VA to forgo (0.68): the least change is the shortfall of 0.945."""
    doc = tiny(balance={"min_ratio": 0.9, "cities": ["west"]})
    city(doc, "west")["capacity"] = {"land": 1}
    assert diagnosis(doc) == (
        "no plan meets every requirement; the least change that would allow one:\n" + WEST_SHORT
    )


@pytest.mark.parametrize(
    ("cap", "change"),
    [
        (3.0, "let east keep 3 亿元 gross output less of 'parts' than keep_existing asks"),
        (5.5, "+0.5 ha of Industrial land in east (capacity 5.5 → 6)"),
    ],
)
def test_relaxation_amount_is_the_shortfall(cap, change):
    """keep_existing asks east to keep all 6 of parts (1 ha each) while east holds `cap` ha.
    Each change counts relative to its requirement. With cap 3: keeping 3 less counts 3/6 = 0.5,
    3 more ha 3/3 = 1: keep less. With cap 5.5: 0.5 more ha counts 0.5/5.5 = 0.09; keeping 0.5
    less counts 0.08, plus importing the 0.5 that west cannot make (its min_scale of 2 would make
    7.5 in all), another 0.08: raise the land."""
    doc = tiny(keep_existing={"min_share": 1})
    city(doc, "east")["capacity"]["land"] = cap
    assert diagnosis(doc).splitlines()[1:] == [change]


def test_raising_a_capacity_is_offered_where_derived_rows_would_hide_it():
    """keep_existing asks a to keep its 3 of s and 3 of t (1 ha a unit, min_scale 3 each), and a
    holds 5 ha. One more ha counts 1/5 = 0.2. Keeping less of s (or t) makes some of it
    elsewhere, where min_scale asks 3: all 3 elsewhere, counting 3/3 = 1, or the rest imported
    (at least 2/3). So: +1 ha. The diagnosis relaxes capacity rows, so neither the hosts'
    output bounds U = min(Q, K/u) nor the min_scale knapsack (3 y_s + 3 y_t ≤ 5), both derived
    from the capacity, may stay in its model."""
    cities = two_cities()
    for c in cities["cities"]:
        c["capacity"] = {"land": 5}
    segments = [
        segment(s, 3, min_scale=3, markets={"a": 1}, resource_use={"land": 1}, existing={"a": 3})
        for s in ("s", "t")
    ]
    doc = instance(segments=segments, policies={"keep_existing": {"min_share": 1}}, **cities)
    run = solve_scenario(load_document(doc).scenarios["base"])
    assert run.status == Status.INFEASIBLE
    assert run.diagnosis[1:] == ["+1 of land in a (capacity 5 → 6)"]


def test_fixed_host_without_a_linkage_partner():
    """Fixing y can leave a row with no variables (y_parts,west = 1 ≤ nothing in reach: assembly
    may go to hub or east, 50 and 100 km from west, beyond 30 minutes): the scenario is
    infeasible and diagnosed, never a crash. The one change is the linkage of west's parts, a
    host the planner fixed, and the sentence says so."""
    doc = tiny(
        fixed={"host": [["parts", "west"]]},
        linkage={"max_minutes": 30, "pairs": [["parts", "assembly"]]},
    )
    assert diagnosis(doc).splitlines()[1:] == [
        "let 'parts' in west go without a host of 'assembly' within reach; "
        "or revisit fixed, which has west host 'parts'"
    ]


def test_a_change_at_a_fixed_host_names_the_fixed_decision():
    """Parts (min_scale 2, 1 ha a unit) is fixed in west, which holds 1 ha. Running 1 below
    min_scale counts 1/2, one more ha 1/1: the first, and since the diagnosis keeps `fixed` as
    given, it names the decision behind it. A capacity change names the city's fixed hosts; a
    min_scale change only the segment's own."""
    doc = tiny(fixed={"host": [["parts", "west"]]})
    city(doc, "west")["capacity"] = {"land": 1}
    assert diagnosis(doc).splitlines()[1:] == [
        "let 'parts' run 1 亿元 gross output below its min_scale in west; "
        "or revisit fixed, which has west host 'parts'"
    ]
    data = load_document(doc).scenarios["only"]
    assert _sentence(data, "capacity", ("west", "land"), 1.0) == (
        "+1 ha of Industrial land in west (capacity 1 → 2); "
        "or revisit fixed, which has west host 'parts'"
    )
    assert _sentence(data, "capacity", ("east", "land"), 1.0) == (
        "+1 ha of Industrial land in east (capacity 8 → 9)"
    )
    # a resource parts does not use: its fixed host is not named
    doc["resources"].append({"id": "water", "unit": "t"})
    city(doc, "west")["capacity"]["water"] = 10
    seg(doc, "assembly")["resource_use"] = {"water": 1}
    data = load_document(doc).scenarios["only"]
    assert _sentence(data, "capacity", ("west", "water"), 2.0) == (
        "+2 t of water in west (capacity 10 → 12)"
    )
    assert _sentence(data, "host_lower", ("assembly", "west"), 1.0) == (
        "let 'assembly' run 1 亿元 gross output below its min_scale in west"
    )


def test_an_import_forced_by_the_planners_own_policies_names_them():
    """The diagnosis keeps `fixed` and `max_share` as given, so what they keep out of the area
    can only be imported; the sentence names them rather than sending the planner after room.
    Parts (6) forbidden in both eligible cities: import 6. Parts limited to 40 % a city in its two
    eligible cities (east, west): 80 % at most, import 1.2."""
    text = diagnosis(tiny(fixed={"forbid": [["parts", "east"], ["parts", "west"]]}))
    assert text.splitlines()[1] == (
        "allow import of 6 亿元 gross output of 'parts' (or make room for it in the area, or "
        "revisit the policies that keep it out: fixed forbids it in east, west)"
    )
    text = diagnosis(tiny(max_share={"share": 0.4, "segments": ["parts"]}))
    assert text.splitlines()[1] == (
        "allow import of 1.2 亿元 gross output of 'parts' (or make room for it in the area, or "
        "revisit the policies that keep it out: max_share lets a city make at most 40 % of it)"
    )


def test_a_market_with_no_route_names_the_fixes():
    """b has no coordinates and no listed distance: its half of s's market cannot be reached."""
    doc = instance(
        cities=[tiny_city("a", role="core"), tiny_city("b")],
        segments=[segment("s", 10, eligible_cities=["a"], markets={"a": 0.5, "b": 0.5})],
    )
    run = solve_scenario(load_document(doc).scenarios["base"])
    assert run.status == Status.INFEASIBLE
    assert run.diagnosis == [
        "city 'b' needs 5 of segment 's' for its final market, but no city that may supply 's' "
        "has a route to 'b' — give 'b' coordinates (lat, lon) or a distance in "
        "transport.distances, or make a city with a route to it eligible for 's'"
    ]


def test_a_relaxable_family_without_its_own_sentence_is_still_named():
    """A family added to RELAXABLE before its sentence in _sentence is reported plainly, not as
    a crash of the diagnosis."""
    data = load_document(TINY).scenarios["baseline"]
    assert _sentence(data, "min_hosts", ("parts", "east"), 2.0) == (
        "relax min_hosts at parts, east by 2"
    )


def test_a_segment_without_output_does_not_stop_the_diagnosis():
    """As test_solver_proven_infeasibility_gets_the_least_relaxation, with a segment of output 0
    added (no import allowed): its import term has no size to count against and is left out
    (it divided by 0)."""
    doc = tiny(balance={"min_ratio": 0.9, "cities": ["west"]})
    city(doc, "west")["capacity"] = {"land": 1}
    doc["chains"][0]["segments"].append({"id": "z", "output": 0, "eligible_cities": ["hub"]})
    assert diagnosis(doc).endswith(WEST_SHORT)


def test_a_diagnosis_cut_short_by_its_time_limit_says_so():
    """With no time at all the search for the least change finds none: that is a limit, not a
    proof that no change helps."""
    doc = tiny(balance={"min_ratio": 0.9, "cities": ["west"]})
    city(doc, "west")["capacity"] = {"land": 1}
    data = load_document(doc).scenarios["only"]
    assert least_relaxation(data, SolverOptions(time_limit=0)) == [
        "the search for the least change stopped at its time limit (0 s) before it found one; "
        "it gets the scenario's --time-limit, at most 60 s"
    ]


def _stopped_diagnosis(monkeypatch, **changes) -> list[str]:
    """least_relaxation on the balance case above, its solve's result changed as given (the
    solver's plan kept): how a search stopped by its limit or by Ctrl-C is reported."""
    real = diagnose.solve
    monkeypatch.setattr(diagnose, "solve", lambda m, o: replace(real(m, o), **changes))
    doc = tiny(balance={"min_ratio": 0.9, "cities": ["west"]})
    city(doc, "west")["capacity"] = {"land": 1}
    return least_relaxation(load_document(doc).scenarios["only"], SolverOptions(time_limit=7))


def test_a_diagnosis_stopped_with_a_change_found_does_not_call_it_the_least(monkeypatch):
    found = _stopped_diagnosis(monkeypatch, status=Status.FEASIBLE)
    assert found[-2] == WEST_SHORT
    assert found[-1].startswith("(the search stopped at its time limit of 7 s: these changes ")


def test_ctrl_c_during_the_diagnosis_stops_the_run(monkeypatch):
    with pytest.raises(KeyboardInterrupt):
        _stopped_diagnosis(monkeypatch, interrupted=True)


def test_the_diagnosis_keeps_to_the_scenario_time_limit_up_to_60_s():
    limits = [None, 0.0, 5.0, 600.0]
    got = [diagnosis_options(SolverOptions(time_limit=t)).time_limit for t in limits]
    assert got == [60.0, 0.0, 5.0, 60.0]
