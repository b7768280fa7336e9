"""A feasible starting plan for large MIPs, from the LP relaxation.

1. Solve the LP relaxation (y_sc in [0, 1]). Its outputs x*_sc respect every capacity jointly.
2. Hosts: the cities where x*_sc > 0, after moving the small shares (below min_scale) of each
   segment to its large hosts or to one new host, within the capacities left; then single_host
   segments gathered in one city, and every linkage partner out of reach added (or the host
   that lacks it closed).
3. With the hosts of step 2 fixed, the LP of outputs, shipments and imports gives the best plan
   for them, or shows that they cannot work (then there is no start).
4. Fewer hosts (the LP spreads segments over many cities because it pays setup costs pro rata):
   a segment made in several cities moves whole to one city where that costs less, counting the
   estimated extra transport; then a host whose output the segment's other hosts can absorb is
   closed when the setup and duplication costs saved exceed the estimated extra transport.
   The LP for the new hosts is solved as in step 3, and step 4 repeats from its plan while the
   plan gets cheaper and feasible.
5. Local search (models/local_search.py): hosts opened, closed or swapped within a segment,
   ranked by the plan LP's reduced costs and each priced exactly by re-solving that LP, until no
   move pays or LOCAL_SEARCH_SHARE of the time limit has passed.

All these LPs are one HiGHS instance (`PlanLP`), each started from the last basis (the first
plan after the relaxation afresh).

HiGHS takes the plan as a MIP start, so a large instance has a plan, and a reported gap, from the
start of the search rather than whenever the search first finds one.
"""

from __future__ import annotations

import time
from typing import NamedTuple

import numpy as np
import pyomo.environ as pyo
from pyomo.common.collections import ComponentMap
from pyomo.common.errors import InfeasibleConstraintException

from models.data import TOL, ScenarioData
from models.local_search import improve
from models.policies.linkage import partners
from solvers import SolverOptions
from solvers.highs import WarmLP

MAX_ROUNDS = 5
"""Rounds of fewer hosts and re-planning (each an LP); on the generated 30-city × 100-segment
area the plan stops improving after the third (5,287 → 3,351 → 3,237 → 3,196)."""

LOCAL_SEARCH_SHARE = 0.75
"""Under a time limit, the local search stops once this share of it has passed since the start
began; the MIP search keeps the rest for its bound. On the 60-city × 300-segment area with 540 s
the search never improved the start, and its root bound rose by 1.2 % after its first two
minutes (8,641 → 8,741): three quarters gave 11,574 at a 25.3 % gap, half 11,710 at 25.4 %."""


def _room(data: ScenarioData, residual: dict, s: str, c: str, made: float = 0.0) -> float:
    """How much more of s city c can make beside the `made` it makes already: what its remaining
    capacities hold, up to U_sc and max_share's share of Q_s in all (callers move a segment's
    own output, so its total stays Q_s)."""
    room = min(data.upper[s, c], _share_cap(data, s)) - made
    for r, u in data.use_of[s].items():
        if (c, r) in residual:
            room = min(room, residual[c, r] / u)
    return max(room, 0.0)


def _share_cap(data: ScenarioData, s: str) -> float:
    """The most one city may make of s under max_share (infinite where it does not apply)."""
    limit = data.policies.get("max_share")
    if limit is None or (limit.segments is not None and s not in limit.segments):
        return float("inf")
    return limit.share * data.output[s]


def _use(data: ScenarioData, residual: dict, s: str, c: str, quantity: float) -> None:
    for r, u in data.use_of[s].items():
        if (c, r) in residual:
            residual[c, r] -= u * quantity


def _residual(data: ScenarioData, x: dict) -> dict:
    """Capacities {(c, r): K_cr} left after the outputs x."""
    residual = dict(data.capacity)
    for (s, c), q in x.items():
        _use(data, residual, s, c, q)
    return residual


def fixed_hosts(m: pyo.ConcreteModel) -> dict[tuple[str, str], int]:
    """Host decisions the model fixes (policies such as `fixed`): {(s, c): 0 or 1}."""
    return {key: round(y.value) for key, y in m.y.items() if y.fixed}


def hosts_of(data: ScenarioData, x: dict[tuple[str, str], float]) -> dict[str, set[str]]:
    return {s: {c for c in data.eligible[s] if x[s, c] > TOL} for s in data.segments}


def least_outputs(data: ScenarioData) -> dict[tuple[str, str], float]:
    """Output that keep_existing asks of each pair: min_share · existing_sc."""
    keep = data.policies.get("keep_existing")
    if keep is None:
        return {}
    return {
        (s, c): keep.min_share * q
        for (s, c), q in data.existing.items()
        if c in data.eligible.get(s, ())
    }


def repaired_outputs(
    data: ScenarioData, x: dict[tuple[str, str], float], fixed: dict | None = None
) -> dict | None:
    """`_repaired` segment by segment in instance order; where that finds no room, again with
    the largest min_scale first (the biggest blocks placed while cities still have room for
    them: on a generated 20 × 60 area under max_share 0.6 only that order found a start)."""
    largest_first = sorted(data.segments, key=lambda s: -data.segment[s].min_scale)
    for order in (data.segments, largest_first):
        repaired = _repaired(data, x, fixed, order)
        if repaired is not None:
            return repaired
    return None


def _repaired(
    data: ScenarioData, x: dict[tuple[str, str], float], fixed: dict | None, order
) -> dict | None:
    """Outputs {(s, c): x_sc} with every host at min_scale, from the LP outputs x* = `x`.

    x* respects every capacity jointly but may make a little of a segment in many cities, below
    min_scale. Those small shares are moved, segment by segment in `order`, to the segment's
    large hosts while they have room, else to new hosts (the cities with the most room that the
    model does not rule out: at 0 in `fixed`, the host decisions {(s, c): 0 or 1} the model
    fixes), each at least at min_scale, the large hosts giving up what that adds beyond the
    small shares. A share keep_existing asks for, or one in a city balance protects (where it
    has room), rises to min_scale instead. Room counts max_share; what an importable segment
    finds no room for is left to imports. None if the shares find no room.
    """
    x, fixed = dict(x), fixed or {}
    residual = _residual(data, x)
    least = least_outputs(data)
    listed = set(data.policies["balance"].listed(data)) if "balance" in data.policies else set()
    for s in order:
        scale = data.segment[s].min_scale
        small = [c for c in data.eligible[s] if TOL < x[s, c] < scale * (1 - 1e-6)]
        if not small:
            continue
        # where keep_existing asks for output the share stays and rises to min_scale; in a city
        # balance protects it does so where there is room (its value added stays in the city)
        raised = [
            c
            for c in small
            if least.get((s, c), 0.0) > TOL
            or (c in listed and _room(data, residual, s, c, x[s, c]) >= scale - x[s, c] - TOL)
        ]
        if any(_room(data, residual, s, c, x[s, c]) < scale - x[s, c] - TOL for c in raised):
            return None
        amount = sum(x[s, c] for c in small if c not in raised)
        for c in small:
            if c in raised:
                amount -= scale - x[s, c]
                _use(data, residual, s, c, scale - x[s, c])
                x[s, c] = scale
            else:
                _use(data, residual, s, c, -x[s, c])
                x[s, c] = 0.0
        if amount < -TOL:  # the raised shares took more than the small ones gave up:
            # the other hosts give up what they make beyond min_scale, then close, smallest first
            amount = -_give_up(data, residual, x, s, data.eligible[s], -amount, least)
            closable = [c for c in data.eligible[s] if x[s, c] > TOL and c not in raised]
            for c in sorted(closable, key=lambda c: x[s, c]):
                if amount >= -TOL:
                    break
                if least.get((s, c), 0.0) <= TOL:
                    amount += x[s, c]
                    _use(data, residual, s, c, -x[s, c])
                    x[s, c] = 0.0
            if amount < -TOL:
                return None
        amount = max(amount, 0.0)
        large = sorted(
            (c for c in data.eligible[s] if x[s, c] > TOL),
            key=lambda c: -_room(data, residual, s, c, x[s, c]),
        )
        for c in large:
            add = min(_room(data, residual, s, c, x[s, c]), amount)
            x[s, c] += add
            _use(data, residual, s, c, add)
            amount -= add
        while amount > TOL:
            spare = [c for c in data.eligible[s] if x[s, c] <= TOL and fixed.get((s, c)) != 0]
            best = max(spare, key=lambda c: _room(data, residual, s, c), default=None)
            if best is None or _room(data, residual, s, best) < scale - TOL:
                if s in data.importable:
                    break  # the rest is bought outside: the plan LP prices it
                return None
            take = min(_room(data, residual, s, best), max(amount, scale))
            excess = take - amount  # a new host runs at least at min_scale
            excess = _give_up(data, residual, x, s, large, excess, least)
            if excess > TOL and s not in data.importable:  # else it is imported the less
                return None
            x[s, best] = take
            _use(data, residual, s, best, take)
            large.append(best)
            amount = max(amount - take, 0.0)
    return x


def _give_up(
    data: ScenarioData, residual: dict, x: dict, s: str, cities, wanted: float, least: dict
) -> float:
    """Take up to `wanted` of s from `cities`, largest first, each keeping min_scale and what
    keep_existing asks of it; return what is still wanted (`wanted` itself when not positive)."""
    scale = data.segment[s].min_scale
    for c in sorted(cities, key=lambda c: -x[s, c]):
        give = min(max(x[s, c] - max(scale, least.get((s, c), 0.0)), 0.0), max(wanted, 0.0))
        x[s, c] -= give
        _use(data, residual, s, c, -give)
        wanted -= give
    return wanted


def _host_costs(data: ScenarioData, s: str, hosts: list[str]) -> float:
    """Weighted setup and duplication costs of s made in `hosts`."""
    weight = data.weights.of
    cost = sum(
        weight("setup") * data.setup_cost[s, c] for c in hosts if (s, c) not in data.existing
    )
    limit = data.segment[s].max_hosts
    if limit is not None and len(hosts) > limit:
        cost += weight("duplication") * data.penalty[s] * (len(hosts) - limit)
    return cost


def _saving(data: ScenarioData, x: dict, s: str, c: str, hosts: list[str]) -> float:
    """Weighted cost saved by closing host c of s made in `hosts`, less any relocation."""
    rest = [b for b in hosts if b != c]
    moved_away = min(data.existing.get((s, c), 0.0), x[s, c])
    relocation = data.weights.of("relocation") * data.relocation_cost * moved_away
    return _host_costs(data, s, hosts) - _host_costs(data, s, rest) - relocation


def _cost_in_one(
    data: ScenarioData, residual: dict, x: dict, s: str, hosts: list[str], b: str
) -> float:
    """Weighted cost of moving all of s from `hosts` to city b: setup, estimated extra
    transport, relocation of today's output elsewhere; infinite where b has no room or no
    route."""
    km = [data.km(c, b) for c in hosts]
    if None in km or _room(data, residual, s, b) < sum(x[s, c] for c in hosts) - TOL:
        return float("inf")
    moved = sum(x[s, c] * d for c, d in zip(hosts, km, strict=True))
    relocated = sum(min(data.existing.get((s, c), 0.0), x[s, c]) for c in hosts if c != b)
    weight = data.weights.of
    return (
        _host_costs(data, s, [b])
        + weight("transport") * data.segment[s].transport_cost * moved
        + weight("relocation") * data.relocation_cost * relocated
    )


def one_host(
    data: ScenarioData,
    x: dict[tuple[str, str], float],
    fixed: dict | None = None,
    must: list[str] | None = None,
) -> dict[tuple[str, str], float]:
    """Outputs with segments gathered in one city where that pays: new {(s, c): x_sc}.

    A segment made in several cities moves whole to the eligible city with room for all of it
    whose setup cost, plus the extra transport estimated as t_s · Σ_c x_sc · km(c, b), plus the
    relocation of today's output elsewhere, is lowest, if that is below the setup and
    duplication costs of its hosts. Given `must` (a single_host policy's segments), only those
    are gathered, in that order, wherever a city has room, whether it pays or not. `fixed` holds
    the host decisions {(s, c): 0 or 1} the model fixes: a segment with a host fixed at 1
    stays, and no segment moves to a city fixed at 0.
    """
    x, fixed = dict(x), fixed or {}
    residual = _residual(data, x)
    for s in data.segments if must is None else must:
        hosts = [c for c in data.eligible[s] if x[s, c] > TOL]
        if len(hosts) < 2 or any(fixed.get((s, c)) == 1 for c in hosts):
            continue
        total = sum(x[s, c] for c in hosts)
        for c in hosts:
            _use(data, residual, s, c, -x[s, c])
        cost = {
            b: _cost_in_one(data, residual, x, s, hosts, b)
            for b in data.eligible[s]
            if fixed.get((s, b)) != 0
        }
        best = min(cost, key=cost.get)
        if must is None:
            gather = cost[best] < _host_costs(data, s, hosts) - TOL
        else:
            gather = cost[best] < float("inf")
        if gather:
            for c in hosts:
                x[s, c] = 0.0
            x[s, best] = total
            hosts = [best]
        for c in hosts:
            _use(data, residual, s, c, x[s, c])
    return x


def linked_hosts(
    data: ScenarioData,
    x: dict[tuple[str, str], float],
    hosts: dict[str, set[str]],
    fixed: dict | None = None,
) -> dict[str, set[str]]:
    """The hosts with every linkage pair (first, second) kept: a host of `first` without a host
    of `second` in reach gets one, in the city in reach with the most room for second's
    min_scale, or, where none has room and `first` has other hosts, is closed. Pairs are gone
    through until nothing changes (a new host of `second` may itself be the first of a pair);
    what cannot be mended is left for the plan LP to reject. Host decisions in `fixed`
    {(s, c): 0 or 1} are kept."""
    link, fixed = data.policies.get("linkage"), fixed or {}
    if link is None:
        return hosts
    hosts = {s: set(cities) for s, cities in hosts.items()}
    residual = _residual(data, x)
    changed = True
    for _ in range(len(link.pairs) + 1):
        if not changed:
            break
        changed = False
        for first, second in link.pairs:
            scale = data.segment[second].min_scale
            for c in sorted(hosts[first]):
                near = partners(data, first, c, second, link.max_minutes)
                if hosts[second] & set(near):
                    continue
                room = {
                    b: _room(data, residual, second, b) for b in near if fixed.get((second, b)) != 0
                }
                best = max(room, key=room.get, default=None)
                if best is not None and room[best] >= scale - TOL:
                    hosts[second].add(best)
                    _use(data, residual, second, best, scale)
                    changed = True
                elif len(hosts[first]) > 1 and fixed.get((first, c)) != 1:
                    hosts[first].discard(c)
                    changed = True
    return hosts


def fewer_hosts(
    data: ScenarioData, x: dict[tuple[str, str], float], fixed: dict | None = None
) -> dict[tuple[str, str], float]:
    """Outputs with hosts closed where that pays, within the capacities: new {(s, c): x_sc}.

    Host c of s, smallest output first, is closed when its other hosts have room for its output
    (filled nearest first) and the cost saved (setup, duplication, less any relocation) exceeds
    the extra transport estimated as t_s · Σ moved · km. Hosts in `fixed` {(s, c): 0 or 1} at 1
    stay open.
    """
    x, fixed = dict(x), fixed or {}
    residual = _residual(data, x)
    for s in data.segments:
        per_unit_km = data.weights.of("transport") * data.segment[s].transport_cost
        hosts = sorted((c for c in data.eligible[s] if x[s, c] > TOL), key=lambda c: x[s, c])
        for c in hosts:
            open_hosts = [b for b in hosts if x[s, b] > TOL]
            others = [b for b in open_hosts if b != c and data.km(c, b) is not None]
            if fixed.get((s, c)) == 1 or not others:
                continue
            amount, moves = x[s, c], []
            for b in sorted(others, key=lambda b: data.km(c, b)):
                add = min(_room(data, residual, s, b, x[s, b]), amount)
                if add > TOL:
                    moves.append((b, add))
                    amount -= add
            extra = sum(per_unit_km * q * data.km(c, b) for b, q in moves)
            if amount > TOL or extra >= _saving(data, x, s, c, open_hosts):
                continue
            _use(data, residual, s, c, -x[s, c])
            x[s, c] = 0.0
            for b, add in moves:
                x[s, b] += add
                _use(data, residual, s, b, add)
    return x


class PlanLP:
    """The LP of model m's plans over its free host decisions, kept warm in one HiGHS instance:
    with them relaxed to [0, 1] it is the LP relaxation, with them fixed the best plan for those
    hosts. Solutions stay in HiGHS: `outputs` reads a solution's x_sc from its column values,
    and only `load` sets the model's variables (0.8–0.9 s on the 60-city × 300-segment area)."""

    def __init__(self, m: pyo.ConcreteModel, options: SolverOptions):
        self.m = m
        free = {id(y): key for key, y in m.y.items() if not y.fixed}
        self.lp = WarmLP(m, [y for y in m.y.values() if id(y) in free], options)
        self.keys: list[tuple[str, str]] = [free[id(y)] for y in self.lp.variables]
        self._x_keys = list(m.x.keys())
        self._x_columns = self.lp.columns_of([m.x[key] for key in self._x_keys])

    def relaxation(self, time_limit: float | None) -> float | None:
        self.lp.release()
        return self.lp.solve(time_limit)

    def plan(
        self, hosts: dict[str, set[str]], time_limit: float | None, warm: bool = True
    ) -> float | None:
        """The best plan for `hosts`; `warm` False after the relaxation, whose basis is far from
        any plan's (on the 60-city × 300-segment area 61 s from it against 1.8 s afresh)."""
        self.lp.fix(list(range(len(self.keys))), list(self.open_(hosts)))
        return self.lp.solve(time_limit, warm)

    def open_(self, hosts: dict[str, set[str]]) -> np.ndarray:
        """1.0 where the free host decision's city hosts its segment, else 0.0."""
        return np.array([1.0 if c in hosts[s] else 0.0 for s, c in self.keys])

    def outputs(self, values: np.ndarray) -> dict[tuple[str, str], float]:
        """The outputs x_sc of a solution from `lp.values()` (a fixed x_sc at its value)."""
        return {
            key: max(values[p] if p >= 0 else self.m.x[key].value or 0.0, 0.0)
            for key, p in zip(self._x_keys, self._x_columns.tolist(), strict=True)
        }

    def load(self, values: np.ndarray) -> ComponentMap:
        solution = self.lp.solution(values)
        for v, value in solution.items():
            v.set_value(value, skip_validation=True)
        return solution


class Start(NamedTuple):
    plan: ComponentMap | None
    """A complete feasible solution {variable: value}, or None."""
    bound: float | None
    """The LP relaxation's value, a lower bound on every plan's cost (None if not solved)."""


def start_for(
    m: pyo.ConcreteModel, data: ScenarioData, options: SolverOptions | None = None
) -> Start:
    """A starting plan of model `m`, whose values are loaded into the model's variables, and
    the bound of the LP relaxation it starts from.

    Every LP gets what is left of the options' time limit; rounds of fewer hosts stop when it is
    spent, the local search when LOCAL_SEARCH_SHARE of it is (the plan found so far is
    returned).
    """
    started = time.perf_counter()
    options = options or SolverOptions()

    def left() -> float | None:
        return options.after(time.perf_counter() - started).time_limit

    try:
        lp = PlanLP(m, options)
    except InfeasibleConstraintException:  # fixed host decisions leave a row that cannot hold
        return Start(None, None)  # the search reports the scenario infeasible
    bound = lp.relaxation(left())
    if bound is None:
        return Start(None, None)
    fixed = fixed_hosts(m)
    x = repaired_outputs(data, lp.outputs(lp.lp.values()), fixed)
    if x is None:
        return Start(None, bound)
    single = data.policies.get("single_host")
    if single is not None:  # its segments gathered, the largest first while cities have room
        x = one_host(data, x, fixed, sorted(single.listed(data), key=lambda s: -data.output[s]))
    hosts = linked_hosts(data, x, hosts_of(data, x), fixed)
    cost = lp.plan(hosts, left(), warm=False)
    if cost is None:
        return Start(None, bound)
    best = lp.lp.values()
    for _ in range(MAX_ROUNDS):
        if left() == 0:
            break
        fewer = hosts_of(data, fewer_hosts(data, one_host(data, lp.outputs(best), fixed), fixed))
        value = None if fewer == hosts else lp.plan(fewer, left())
        if value is None or value >= cost - TOL:
            break
        hosts, cost, best = fewer, value, lp.lp.values()
    if lp.plan(hosts, left()) is not None:  # the LP back at the kept hosts, for reduced costs
        deadline = None
        if options.time_limit is not None:
            deadline = started + LOCAL_SEARCH_SHARE * options.time_limit
        segment_of = [s for s, _ in lp.keys]
        _, _, best = improve(lp.lp, segment_of, lp.open_(hosts), cost, deadline)
    return Start(lp.load(best), bound)
