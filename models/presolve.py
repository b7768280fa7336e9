"""Pre-solve feasibility checks: requirements that no plan can meet, found from the data alone
and said in planner terms before any model is built.

Each check takes a scenario's data and returns sentences; any sentence makes the scenario
infeasible (not invalid): the instance is well formed, the plan asked of it is impossible.
"""

from __future__ import annotations

from collections.abc import Callable

from models.data import TOL, ScenarioData
from models.problems import num, unit_after


def made_here(data: ScenarioData, s: str) -> bool:
    """The area must make s itself: it has output and cannot be imported."""
    return s not in data.importable and data.output[s] > 0


def resource_unit(data: ScenarioData, r: str) -> str:
    """ " <unit>" of resource r, to follow a number; empty where the resource gives none."""
    return unit_after(next(x for x in data.instance.resources if x.id == r).unit)


def resource_name(data: ScenarioData, r: str) -> str:
    """The readable name of resource r, else its id."""
    res = next(x for x in data.instance.resources if x.id == r)
    return res.name or r


def area_resources(data: ScenarioData) -> list[str]:
    """The area's cities must offer the resources that the planned outputs need.

    Need_r = Σ_s u_sr Q_s over segments that cannot be imported; offer_r = Σ_c K_cr, checked only
    when every eligible host of those segments caps r (a city without a cap is unlimited).
    """
    found = []
    for r in data.resources:
        users = [s for s in data.segments if (s, r) in data.use and made_here(data, s)]
        if not users or any((c, r) not in data.capacity for s in users for c in data.eligible[s]):
            continue
        need = sum(data.use[s, r] * data.output[s] for s in users)
        hosts = {c for s in users for c in data.eligible[s]}
        offer = sum(data.capacity[c, r] for c in hosts)
        if need > offer * (1 + 1e-9) + TOL:
            unit, name = resource_unit(data, r), resource_name(data, r)
            found.append(
                f"the area needs {num(need)}{unit} of {name} for the planned outputs that cannot "
                f"be imported but the cities that may host them offer {num(offer)}{unit} — raise "
                "capacities, lower outputs or allow imports"
            )
    return found


def area_caps(data: ScenarioData) -> list[str]:
    """An area_cap policy must leave room for the outputs that cannot be imported."""
    policy = data.policies.get("area_cap")
    if policy is None:
        return []
    found = []
    for r, cap in policy.root.items():
        need = sum(
            u * data.output[s] for (s, q), u in data.use.items() if q == r and made_here(data, s)
        )
        if need > cap * (1 + 1e-9) + TOL:
            unit, name = resource_unit(data, r), resource_name(data, r)
            found.append(
                f"area_cap allows {num(cap)}{unit} of {name} but the outputs that cannot be "
                f"imported need {num(need)}{unit} (what can be imported counted as bought "
                "outside) — raise the cap, lower outputs or allow imports"
            )
    return found


def segment_room(data: ScenarioData) -> list[str]:
    """Each segment that cannot be imported fits into its eligible cities, at least at min_scale.

    With U_sc = min(Q_s, min_r K_cr / u_sr): Σ_c U_sc ≥ Q_s, and some U_sc ≥ min_scale_s. Under a
    single_host policy, one city must hold all of Q_s.
    """
    found = []
    single = data.policies.get("single_host")
    one_host = set(single.listed(data)) if single is not None else set()
    for s in data.segments:
        if not made_here(data, s):
            continue
        seg = data.segment[s]
        room = {c: data.upper[s, c] for c in data.eligible[s]}
        detail = ", ".join(f"{c} {num(u)}" for c, u in room.items())
        if sum(room.values()) < seg.output * (1 - 1e-9) - TOL:
            found.append(
                f"segment '{s}' must make {num(seg.output)} but its eligible cities can hold "
                f"{num(sum(room.values()))} ({detail}) — raise their capacities, make more cities "
                "eligible, lower the output or allow imports"
            )
        elif max(room.values()) < seg.min_scale - TOL:
            found.append(
                f"segment '{s}' needs at least {num(seg.min_scale)} (min_scale) where hosted, "
                f"but no eligible city has room for it ({detail})"
            )
        elif s in one_host and max(room.values()) < seg.output * (1 - 1e-9) - TOL:
            found.append(
                f"single_host puts all {num(seg.output)} of '{s}' in one city, but the "
                f"largest room is {num(max(room.values()))} ({detail})"
            )
    return found


def linkage_partners(data: ScenarioData) -> list[str]:
    """Under linkage, a segment that cannot be imported needs a host with a partner in reach."""
    policy = data.policies.get("linkage")
    if policy is None:
        return []
    from models.policies.linkage import partners

    found = []
    for first, second in policy.pairs:
        if not made_here(data, first):
            continue
        if not any(
            partners(data, first, c, second, policy.max_minutes) for c in data.eligible[first]
        ):
            found.append(
                f"linkage needs every host of '{first}' within {policy.max_minutes:g} minutes of "
                f"a host of '{second}', but no eligible city of '{first}' is that close to one "
                f"of '{second}' — lengthen max_minutes or widen eligibility"
            )
    return found


def balance_reach(data: ScenarioData) -> list[str]:
    """Under balance, a listed city must be able to add value: some eligible segment with VA;
    and the listed cities L together cannot need more than the area's whole value added: summed
    over L, the balance rows ask Σ_L VA_c ≥ min_ratio · (pop_L / P) · Σ VA, so
    min_ratio ≤ P / pop_L.

    Unless the area may add no value at all (Σ VA = 0 meets every balance row): when no segment
    with value added has to be made inside the area (none, or every one may be imported).
    """
    policy = data.policies.get("balance")
    if policy is None or policy.min_ratio == 0:
        return []
    adds_value = [s for s in data.segments if data.segment[s].value_added_rate > 0]
    if not any(made_here(data, s) for s in adds_value):
        return []
    found = []
    listed = policy.listed(data)
    listed_pop = sum(data.city[c].population for c in listed)
    area_pop = sum(data.city[c].population for c in data.cities)
    if policy.min_ratio * listed_pop > area_pop * (1 + 1e-9):
        found.append(
            f"balance asks {', '.join(listed)}, with {num(100 * listed_pop / area_pop)} % of the "
            f"area's population, for value added per capita of at least {policy.min_ratio:g} x "
            f"the area average: {num(100 * policy.min_ratio * listed_pop / area_pop)} % of the "
            f"area's value added, more than all of it — min_ratio can be at most "
            f"{area_pop / listed_pop:.4g} for these cities"
        )
    for c in listed:
        if not any(
            c in data.eligible[s] and data.segment[s].value_added_rate > 0 for s in data.segments
        ):
            found.append(
                f"balance asks '{c}' for value added per capita of at least "
                f"{policy.min_ratio:g} x the area average, but no segment with value added may "
                f"be hosted there — make '{c}' eligible for some segment or drop it from balance"
            )
    return found


PRESOLVE_CHECKS: list[Callable[[ScenarioData], list[str]]] = [
    area_resources,
    area_caps,
    segment_room,
    linkage_partners,
    balance_reach,
]


def obvious_conflicts(data: ScenarioData) -> list[str]:
    """Every requirement of the scenario that no plan can meet, found without solving."""
    return [sentence for check in PRESOLVE_CHECKS for sentence in check(data)]
