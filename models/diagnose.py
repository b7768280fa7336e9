"""Why is a scenario infeasible? The least relaxation that makes it feasible, in planner terms.

The scenario's model is rebuilt with every segment importable and an elastic slack on each
relaxable requirement (city capacities, area caps, min_scale, balance, keep_existing, linkage,
single_host). Minimising the slacks, each relative to the size of its requirement, yields the
smallest set of changes that would let a plan exist, e.g. "+320 ha of land in Wuhu" or "allow
import of 120 of nev_cells". The planner's own decisions (`fixed`, `max_share`) are kept as
given; a change they may stem from names them.
"""

from __future__ import annotations

from dataclasses import replace

import pyomo.environ as pyo

from models.build import build
from models.data import ScenarioData, derive
from models.presolve import resource_name, resource_unit
from models.problems import num, unit_after
from models.schema import Instance
from solvers import SolverOptions, Status, solve

ZERO = 1e-6


def _rhs(data: ScenarioData, con, key) -> float:
    """The size of a row's requirement: its constant side (at least 1)."""
    return max(abs(pyo.value(con.upper if con.has_ub() else con.lower)), 1.0)


def _min_scale(data: ScenarioData, con, key: tuple[str, str]) -> float:
    return max(data.segment[key[0]].min_scale, 1.0)


def _balance_size(data: ScenarioData, con, c: str) -> float:
    """The balance row's requirement with every segment made in the area: min_ratio · pop_c ·
    Σ_s VA_s Q_s (the row is scaled by the area population)."""
    ratio = data.policies["balance"].min_ratio
    full = sum(seg.value_added_rate * seg.output for seg in data.segment.values())
    return max(ratio * data.city[c].population * full, 1.0)


def _one(data: ScenarioData, con, key) -> float:
    return 1.0


RELAXABLE = {
    # family: size of one of its requirements, against which its slack is counted
    "capacity": _rhs,
    "area_cap": _rhs,
    "host_lower": _min_scale,
    "balance": _balance_size,
    "keep_existing": _rhs,
    "linkage": _one,
    "single_host": _one,
}
"""Requirements the diagnosis may relax; each slack counts relative to its requirement's size."""


def with_imports(data: ScenarioData) -> ScenarioData:
    """The same scenario with every segment importable (imports priced at 0: only their
    quantity counts in the diagnosis), and each host's output bounded by the segment's output
    alone: capacities then act only through the capacity rows, which the diagnosis relaxes."""
    doc = data.instance.model_dump(by_alias=True)
    for chain in doc["chains"]:
        for seg in chain["segments"]:
            if seg["import_cost"] is None:
                seg["import_cost"] = 0.0
    relaxed = derive(Instance.model_validate(doc), data.scenario, data.policies)
    return replace(relaxed, upper={(s, c): relaxed.output[s] for s, c in relaxed.upper})


def _relax(m: pyo.ConcreteModel, data: ScenarioData, family: str) -> dict:
    size_of = RELAXABLE[family]
    component = getattr(m, family, None)
    if component is None:
        return {}
    slacks = {}
    for key, con in component.items():
        s = pyo.Var(within=pyo.NonNegativeReals)
        m.add_component(f"slack_{family}_{len(slacks)}_{id(con)}", s)
        # the slack loosens the row in the direction of its bound (equalities are not relaxed)
        if con.has_ub() and not con.has_lb():
            con.set_value(con.body - s <= con.upper)
        elif con.has_lb() and not con.has_ub():
            con.set_value(con.body + s >= con.lower)
        else:
            continue
        slacks[family, key] = (s, size_of(data, con, key))
    return slacks


def diagnosis_options(options: SolverOptions | None) -> SolverOptions:
    """The scenario's options for the search of the least relaxation: its time limit, at most
    60 s, its seed and threads, and a 1e-4 gap."""
    options = options or SolverOptions()
    limit = 60.0 if options.time_limit is None else min(options.time_limit, 60.0)
    return SolverOptions(time_limit=limit, mip_gap=1e-4, threads=options.threads, seed=options.seed)


def least_relaxation(
    data: ScenarioData, options: SolverOptions | None = None, fixed_name: str = "fixed"
) -> list[str]:
    """Sentences naming the smallest changes that make the scenario feasible; `fixed_name` is how
    they name the `fixed` policy (a sweep fixes the base plan's hosts through it)."""
    relaxed = with_imports(data)
    # plain: the valid inequalities are derived from capacities and min_scale, which are relaxed
    m = build(relaxed, "plain")
    if m.conflicts:
        return list(m.conflicts)
    m.cost.deactivate()
    slacks: dict = {}
    for family in RELAXABLE:
        slacks.update(_relax(m, data, family))
    imports = [s for s in relaxed.importable if s not in data.importable]
    m.relaxation = pyo.Objective(
        expr=sum(var / size for var, size in slacks.values())
        + sum(m.g[s] / data.output[s] for s in imports if data.output[s] > 0)
    )
    options = options or SolverOptions(time_limit=60)
    result = solve(m, options)
    if result.interrupted:
        raise KeyboardInterrupt
    if result.status == Status.NO_SOLUTION:
        return [
            f"the search for the least change stopped at its time limit ({options.time_limit:g} s) "
            "before it found one; it gets the scenario's --time-limit, at most 60 s"
        ]
    if not result.status.has_solution:
        return ["no relaxation of capacities, caps or policies was found to make it feasible"]
    found = [
        _sentence(data, fam, key, pyo.value(var), fixed_name)
        for (fam, key), (var, _) in slacks.items()
        if pyo.value(var) > ZERO
    ]
    found += [
        _import(data, s, pyo.value(m.g[s]), fixed_name) for s in imports if pyo.value(m.g[s]) > ZERO
    ]
    if not found:
        return ["the solver found no relaxation needed: rerun with a tighter --gap"]
    if result.status == Status.FEASIBLE:
        found.append(
            f"(the search stopped at its time limit of {options.time_limit:g} s: these changes "
            "allow a plan, but a smaller change may exist; it gets the scenario's --time-limit, "
            "at most 60 s)"
        )
    return found


def _import(data: ScenarioData, s: str, amount: float, fixed_name: str = "fixed") -> str:
    """Importing part of a segment, with the planner's own decisions that keep it out of the area
    (the diagnosis keeps `fixed` and `max_share` as given)."""
    kept_out = []
    if fixed := data.policies.get("fixed"):
        forbidden = [c for seg, c in fixed.forbid if seg == s and c in data.eligible[s]]
        if forbidden:
            kept_out.append(f"{fixed_name} forbids it in {', '.join(dict.fromkeys(forbidden))}")
    share = data.policies.get("max_share")
    if share and (share.segments is None or s in share.segments):
        kept_out.append(f"max_share lets a city make at most {num(100 * share.share)} % of it")
    room = "or make room for it in the area"
    if kept_out:
        room += f", or revisit the policies that keep it out: {'; '.join(kept_out)}"
    output = unit_after(data.instance.units.output)
    return f"allow import of {num(amount)}{output} of '{s}' ({room})"


def _fixed_hosts(data: ScenarioData, c: str, concerned, fixed_name: str) -> str:
    """The planner's own `fixed` hosts in city c of the segments `concerned(s)` picks, as a
    closing clause: the diagnosis keeps them as given, so a change it asks for may stem from
    them."""
    fixed = data.policies.get("fixed")
    hosted = [s for s, city in fixed.host if city == c and concerned(s)] if fixed else []
    if not hosted:
        return ""
    names = ", ".join(f"'{s}'" for s in dict.fromkeys(hosted))
    return f"; or revisit {fixed_name}, which has {c} host {names}"


def _sentence(
    data: ScenarioData, family: str, key, amount: float, fixed_name: str = "fixed"
) -> str:
    return _change(data, family, key, amount) + _cause(data, family, key, fixed_name)


def _cause(data: ScenarioData, family: str, key, fixed_name: str) -> str:
    if family == "capacity":  # the fixed hosts that use the resource
        c, r = key
        return _fixed_hosts(
            data, c, lambda s: data.segment[s].resource_use.get(r, 0) > 0, fixed_name
        )
    if family in ("host_lower", "linkage"):  # keys (segment, city) and (segment, city, partner)
        return _fixed_hosts(data, key[1], lambda s: s == key[0], fixed_name)
    return ""


def _change(data: ScenarioData, family: str, key, amount: float) -> str:
    output = unit_after(data.instance.units.output)
    if family == "capacity":
        c, r = key
        cap = data.capacity[c, r]
        return (
            f"+{num(amount)}{resource_unit(data, r)} of {resource_name(data, r)} in {c} "
            f"(capacity {num(cap)} → {num(cap + amount)})"
        )
    if family == "area_cap":
        cap = data.policies["area_cap"].root[key]
        return (
            f"raise the area cap on {resource_name(data, key)} by "
            f"{num(amount)}{resource_unit(data, key)} ({num(cap)} → {num(cap + amount)})"
        )
    if family == "host_lower":
        s, c = key
        return f"let '{s}' run {num(amount)}{output} below its min_scale in {c}"
    if family == "balance":
        total_pop = sum(data.city[c].population for c in data.cities)
        return (
            f"let {key} fall short of the balance target by {num(amount / total_pop)}"
            f"{unit_after(data.instance.units.money)} of value added (or lower min_ratio)"
        )
    if family == "keep_existing":
        s, c = key
        return f"let {c} keep {num(amount)}{output} less of '{s}' than keep_existing asks"
    if family == "linkage":
        first, c, second = key
        return f"let '{first}' in {c} go without a host of '{second}' within reach"
    if family == "single_host":
        return f"allow {num(amount)} more host(s) of '{key}' than single_host permits"
    where = ", ".join(map(str, key)) if isinstance(key, tuple) else key
    return f"relax {family} at {where} by {num(amount)}"  # a family without its own sentence
