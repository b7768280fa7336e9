"""Optional constraint families of SPEC §4, switched on by name in `policies` of an instance or
scenario.

A policy is one module with a pydantic `Params` model (what the planner writes) and one function
`add(m, data, params) -> None` whose docstring states the mathematics. Register it here with one
line; give it a test in tests/test_policies.py (a meta-test checks that every entry has one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from models.policies import (
    area_cap,
    balance,
    fixed,
    keep_existing,
    linkage,
    max_share,
    single_host,
)
from models.policies.base import PolicyHooks


@dataclass(frozen=True)
class Policy:
    params: type[PolicyHooks]
    add: Callable


POLICIES: dict[str, Policy] = {
    "balance": Policy(balance.Params, balance.add),
    "linkage": Policy(linkage.Params, linkage.add),
    "area_cap": Policy(area_cap.Params, area_cap.add),
    "keep_existing": Policy(keep_existing.Params, keep_existing.add),
    "single_host": Policy(single_host.Params, single_host.add),
    "fixed": Policy(fixed.Params, fixed.add),
    "max_share": Policy(max_share.Params, max_share.add),
}
