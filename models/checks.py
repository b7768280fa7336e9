"""Semantic checks of an instance (SPEC §2), one named function per rule.

Each check takes a parsed `Instance` and returns the problems it finds; `check_instance` runs them
all so that a planner sees every problem at once. Messages name the item, the values and the fix.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from models.data import AREA, eligible_cities, uses_by_upstream
from models.problems import Problem, nearest
from models.schema import Instance

SHARE_TOL = 1e-6
RESERVED_SCENARIO_IDS = {
    "today": "the name of today's layout in the reports",
    "sweep": "the folder of robustness sweeps in the results",
}
"""Scenario ids the results folder uses for itself (reports/plans.py, sweeps/run.py)."""


def _seg_loc(chain: str, seg: str) -> str:
    return f"chains[{chain}].segments[{seg}]"


def unique_ids(inst: Instance) -> list[Problem]:
    """Ids are unique within their kind (segments across all chains)."""
    places = {  # (id, the list that holds it)
        "resources": [(r.id, "resources") for r in inst.resources],
        "cities": [(c.id, "cities") for c in inst.cities],
        "chains": [(c.id, "chains") for c in inst.chains],
        "segments": [(s.id, f"chains[{ch.id}].segments") for ch, s in inst.segments()],
        "scenarios": [(s.id, "scenarios") for s in inst.scenarios],
    }
    return [
        Problem(
            ", ".join(dict.fromkeys(where for j, where in ids if j == i)),
            f"id '{i}' appears {n} times",
            "give each item its own id",
        )
        for ids in places.values()
        for i, n in Counter(j for j, _ in ids).items()
        if n > 1
    ]


def scenario_ids_free(inst: Instance) -> list[Problem]:
    """No scenario takes a name the results folder uses for something else."""
    return [
        Problem(
            f"scenarios[{s.id}]",
            f"the id '{s.id}' is {RESERVED_SCENARIO_IDS[s.id]}",
            "give the scenario another id",
        )
        for s in inst.scenarios
        if s.id in RESERVED_SCENARIO_IDS
    ]


def area_not_a_city_id(inst: Instance) -> list[Problem]:
    """With an area_cap policy, no city is called 'area': shadow_prices.csv names the cap so."""
    uses_cap = "area_cap" in inst.policies or any("area_cap" in s.policies for s in inst.scenarios)
    return [
        Problem(
            f"cities[{c.id}]",
            f"the id '{AREA}' names the area-wide caps of area_cap in shadow_prices.csv",
            "give the city another id",
        )
        for c in inst.cities
        if uses_cap and c.id == AREA
    ]


MAX_SCENARIO_ID = 100
"""A scenario id names its results folder; file systems allow 255 bytes a name."""


def scenario_ids_fit_a_folder(inst: Instance) -> list[Problem]:
    """A scenario id is short enough to name a folder."""
    return [
        Problem(
            f"scenarios[{s.id[:20]}…]",
            f"the id has {len(s.id)} characters; it names the scenario's results folder",
            f"shorten it to at most {MAX_SCENARIO_ID}",
        )
        for s in inst.scenarios
        if len(s.id) > MAX_SCENARIO_ID
    ]


DECLARED_IN = {"resource": "resources", "city": "cities", "segment": "a chain's segments"}


def _unknown(names: Iterable[str], known: set[str], where: str, what: str) -> list[Problem]:
    """A problem for each name that is not among the known ids, suggesting the nearest."""
    problems = []
    for n in names:
        if n in known:
            continue
        near = nearest(n, sorted(known))
        if near:
            fix = f"did you mean '{near}'?"
        elif not known:
            fix = f"declare it in {DECLARED_IN.get(what, 'the instance')} first"
        else:
            listing = sorted(known)
            fix = f"use one of: {', '.join(listing[:12])}" + (" ..." if len(listing) > 12 else "")
        problems.append(Problem(where, f"unknown {what} '{n}'", fix))
    return problems


def known_references(inst: Instance) -> list[Problem]:
    """Every city, segment and resource that an item names exists."""
    cities = {c.id for c in inst.cities}
    segments = {s.id for _, s in inst.segments()}
    resources = {r.id for r in inst.resources}
    problems = []
    for c in inst.cities:
        problems += _unknown(c.capacity, resources, f"cities[{c.id}].capacity", "resource")
    for chain, seg in inst.segments():
        loc = _seg_loc(chain.id, seg.id)
        problems += _unknown(seg.inputs, segments, f"{loc}.inputs", "segment")
        problems += _unknown(seg.resource_use, resources, f"{loc}.resource_use", "resource")
        for field in ("setup_cost_by_city", "eligible_cities", "excluded_cities", "existing"):
            problems += _unknown(getattr(seg, field) or [], cities, f"{loc}.{field}", "city")
        problems += _unknown(seg.markets or {}, cities, f"{loc}.markets", "city")
    for i, d in enumerate(inst.transport.distances):
        problems += _unknown([d.from_, d.to], cities, f"transport.distances[{i}]", "city")
    if inst.transport.gateway:
        problems += _unknown([inst.transport.gateway], cities, "transport.gateway", "city")
    return problems


def distances_agree(inst: Instance) -> list[Problem]:
    """A pair of cities has one explicit distance (one per direction when `directed`)."""
    t = inst.transport
    first: dict[tuple[str, str], tuple[int, float]] = {}
    problems = []
    for i, d in enumerate(t.distances):
        pairs = [(d.from_, d.to)] if t.directed else [(d.from_, d.to), (d.to, d.from_)]
        earlier = next((first[p] for p in pairs if p in first), None)
        if earlier is not None and earlier[1] != d.km:
            j, km = earlier
            way = "" if t.directed else " (undirected: a pair applies both ways)"
            problems.append(
                Problem(
                    f"transport.distances[{i}]",
                    f"{d.from_}–{d.to} is {d.km:g} km here but {km:g} km in "
                    f"transport.distances[{j}]{way}",
                    "give the pair one distance"
                    + ("" if t.directed else ", or set transport.directed true for one-way values"),
                )
            )
        first.setdefault(pairs[0], (i, d.km))
    return problems


def coordinates_paired(inst: Instance) -> list[Problem]:
    """A city has both lat and lon or neither: half a position places it nowhere."""
    return [
        Problem(
            f"cities[{c.id}]",
            f"{'lat' if c.lat is not None else 'lon'} given without "
            f"{'lon' if c.lat is not None else 'lat'}",
            "give both, or neither (distances then come from transport.distances)",
        )
        for c in inst.cities
        if (c.lat is None) != (c.lon is None)
    ]


def no_distance_to_itself(inst: Instance) -> list[Problem]:
    """A city is 0 km from itself (SPEC §3, d_aa = 0); an entry saying otherwise is a slip."""
    return [
        Problem(
            f"transport.distances[{i}]",
            f"{d.from_} to itself is {d.km:g} km; a city is 0 km from itself",
            "remove this entry",
        )
        for i, d in enumerate(inst.transport.distances)
        if d.from_ == d.to and d.km != 0
    ]


def market_shares_sum_to_one(inst: Instance) -> list[Problem]:
    """Explicit market shares of a segment sum to 1."""
    problems = []
    for chain, seg in inst.segments():
        if seg.markets is not None and abs(sum(seg.markets.values()) - 1) > SHARE_TOL:
            total = sum(seg.markets.values())
            problems.append(
                Problem(
                    f"{_seg_loc(chain.id, seg.id)}.markets",
                    f"market shares sum to {total:.6g}, not 1",
                    "make the shares add up to 1",
                )
            )
    return problems


def min_scale_within_output(inst: Instance) -> list[Problem]:
    """min_scale ≤ planned output."""
    return [
        Problem(
            f"{_seg_loc(chain.id, seg.id)}.min_scale",
            f"min_scale {seg.min_scale:g} exceeds planned output {seg.output:g}",
            "lower min_scale or raise output",
        )
        for chain, seg in inst.segments()
        if seg.min_scale > seg.output
    ]


def final_sales_nonnegative(inst: Instance) -> list[Problem]:
    """Fin_s = Q_s − Σ_j a_sj Q_j ≥ 0: downstream segments use no more of s than is made."""
    output = {s.id: s.output for _, s in inst.segments()}
    uses = uses_by_upstream(inst)
    problems = []
    for chain, seg in inst.segments():
        used = sum(a * output[j] for j, a in uses.get(seg.id, {}).items() if j in output)
        if used > seg.output * (1 + 1e-9) + 1e-9:
            users = ", ".join(f"{j} ({a:g} x {output[j]:g})" for j, a in uses[seg.id].items())
            problems.append(
                Problem(
                    f"{_seg_loc(chain.id, seg.id)}.output",
                    f"output {seg.output:g} is below its intermediate use {used:g} by {users}",
                    "raise the output or lower the input coefficients of its users",
                )
            )
    return problems


def has_eligible_city(inst: Instance) -> list[Problem]:
    """Every segment has at least one eligible city."""
    problems = []
    for chain, seg in inst.segments():
        if not eligible_cities(seg, list(inst.cities)):
            tags = f", requires tags {seg.requires_tags}" if seg.requires_tags else ""
            problems.append(
                Problem(
                    _seg_loc(chain.id, seg.id),
                    f"no city is eligible (eligible_cities {seg.eligible_cities}, "
                    f"excluded_cities {seg.excluded_cities}{tags})",
                    "widen eligible_cities, shorten excluded_cities or tag a city",
                )
            )
    return problems


def population_for_markets(inst: Instance) -> list[Problem]:
    """Default market shares are population shares: every city then needs a population."""
    missing = [c.id for c in inst.cities if c.population is None]
    if not missing:
        return []
    users = [s.id for _, s in inst.segments() if s.markets is None]
    if not users:
        return []
    return [
        Problem(
            f"cities[{c}].population",
            f"missing, but segments {', '.join(users[:5])}{' ...' if len(users) > 5 else ''} "
            "take population shares as their markets",
            "give the population, or give those segments explicit 'markets'",
        )
        for c in missing
    ]


def policies_known(inst: Instance, policies: dict, where: str) -> list[Problem]:
    """Policy names exist, their parameters are valid and name existing items."""
    from models.policies import POLICIES
    from models.problems import from_validation_error

    known = {
        "segment": {s.id for _, s in inst.segments()},
        "city": {c.id for c in inst.cities},
        "resource": {r.id for r in inst.resources},
    }
    problems = []
    for name, value in policies.items():
        loc = f"{where}.{name}"
        if name not in POLICIES:
            problems.append(
                Problem(loc, f"unknown policy '{name}'", f"use one of: {', '.join(POLICIES)}")
            )
            continue
        if value is None or value is False:
            continue
        try:
            params = POLICIES[name].params.from_json(value)
        except ValueError as err:
            if hasattr(err, "errors"):
                problems += from_validation_error(err, value, POLICIES[name].params, loc)
            else:
                problems.append(Problem(loc, str(err), "correct the policy parameters"))
            continue
        for kind, ids in params.references().items():
            problems += _unknown(ids, known[kind], loc, kind)
        problems += [Problem(loc, message, fix) for message, fix in params.problems(inst)]
    return problems


ID_CHECKS: list[Callable[[Instance], list[Problem]]] = [
    unique_ids,
    scenario_ids_free,
    scenario_ids_fit_a_folder,
    area_not_a_city_id,
    known_references,
]
"""The checks that read ids only, not values."""

CHECKS: list[Callable[[Instance], list[Problem]]] = [
    *ID_CHECKS,
    distances_agree,
    coordinates_paired,
    no_distance_to_itself,
    market_shares_sum_to_one,
    min_scale_within_output,
    final_sales_nonnegative,
    has_eligible_city,
    population_for_markets,
]


def check_ids(inst: Instance) -> list[Problem]:
    return [p for check in ID_CHECKS for p in check(inst)]


def check_instance(inst: Instance) -> list[Problem]:
    """Run every check and return all their problems together."""
    problems = [p for check in CHECKS for p in check(inst)]
    return problems + policies_known(inst, inst.policies, "policies")
