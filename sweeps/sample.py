"""Draw the factors of one sample and apply them to a scenario document.

Sample k of a sweep depends on (seed, k) only, so any sample can be recomputed alone, on any
machine, in any order. Each draw has its own numpy generator, seeded with

- `[seed, k, i, value_key(location)]` for a value at `location` matched by `vary[i]`, or
- `[seed, k, i]` for the single draw of a `common` entry,

and u = `default_rng(entropy).uniform(low, high)`; the value is multiplied by 1 + u. Keying a
value by its location (e.g. `cities[nanjing].capacity.land`) rather than by its position makes a
value's draw the same in every scenario of the sweep (scenarios are compared on the same draws),
and independent of how many other values a path matches.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass

import numpy as np

from models.checks import check_instance, policies_known
from models.data import ScenarioData, derive
from models.paths import find
from models.policies import POLICIES
from models.problems import Problem
from models.scenario import merged_policies, parse
from models.schema import Scenario
from sweeps.spec import Sweep


@dataclass(frozen=True)
class Draw:
    """One multiplied value of a sample."""

    location: str
    """Where the value sits, e.g. chains[nev].segments[nev_cells].transport_cost."""
    vary: int
    """Index of the `vary` entry that matched it."""
    factor: float
    """1 + u."""


def value_key(location: str) -> int:
    """A stable 64-bit integer naming a location (the first 8 bytes of its BLAKE2b hash)."""
    return int.from_bytes(hashlib.blake2b(location.encode(), digest_size=8).digest(), "little")


def draw_u(seed: int, k: int, i: int, low: float, high: float, location: str | None) -> float:
    """u for `vary[i]` in sample k: per value (`location` given) or common (`location` None)."""
    entropy = [seed, k, i] if location is None else [seed, k, i, value_key(location)]
    return float(np.random.default_rng(entropy).uniform(low, high))


def apply_sample(document: dict, sweep: Sweep, k: int) -> list[Draw]:
    """Multiply every value the sweep varies in `document` (changed in place) by its factor for
    sample k; return the draws in `vary` order, then document order.

    Under a `*`, items that hold no number (an absent optional value) are skipped, as in a
    scenario's `scale`; the paths were checked to match something when the sweep was loaded.
    """
    draws: list[Draw] = []
    for i, item in enumerate(sweep.vary):
        low, high = item.relative
        common = draw_u(sweep.seed, k, i, low, high, None) if item.common else None
        for m in find(document, item.path):
            current = m.container[m.key]
            if isinstance(current, bool) or not isinstance(current, int | float):
                continue
            u = common if common is not None else draw_u(sweep.seed, k, i, low, high, m.location)
            m.container[m.key] = current * (1.0 + u)
            draws.append(Draw(m.location, i, 1.0 + u))
    return draws


def sample_data(
    scenario_document: dict, scenario: Scenario, sweep: Sweep, k: int | None
) -> tuple[ScenarioData | None, list[Problem]]:
    """The derived data of sample k of a scenario (k None: the unperturbed scenario).

    `scenario_document` is the instance with the scenario's `set` and `scale` applied
    (`sweeps.spec.scenario_document`); it is not changed. The drawn document is validated and
    checked like an instance, so that a sample whose numbers break a rule (min_scale above
    output, say) is reported with the rule's own message instead of being solved.
    """
    document = copy.deepcopy(scenario_document)
    if k is not None:
        apply_sample(document, sweep, k)
    where = f"sample {k}" if k is not None else f"scenario '{scenario.id}'"
    instance, problems = parse(document, prefix=where)
    if instance is None:
        return None, problems
    problems = [
        Problem(f"{where}: {p.location}", p.message, p.fix) for p in check_instance(instance)
    ]
    problems += policies_known(instance, scenario.policies, f"{where}: policies")
    if problems:
        return None, problems
    policies = merged_policies(instance.policies, scenario)
    params = {name: POLICIES[name].params.from_json(value) for name, value in policies.items()}
    return derive(instance, scenario, params), []
