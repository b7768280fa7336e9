"""What every policy's parameters share."""

from __future__ import annotations

from typing import Any

from models.schema import Instance, Strict


class PolicyHooks:
    """The hooks every policy's parameters offer, with their defaults; `PolicyParams` for
    parameters that are an object of named fields, this alone for other shapes (`area_cap`'s
    mapping of resources to caps)."""

    @classmethod
    def from_json(cls, value: Any):
        """Parse the JSON value of the policy (an object, or `true` where the policy allows it)."""
        return cls.model_validate(value)

    def references(self) -> dict[str, list[str]]:
        """Ids by kind ('segment', 'city', 'resource') that the parameters name."""
        return {}

    def problems(self, inst: Instance) -> list[tuple[str, str]]:
        """(message, fix) for anything else the policy needs from the instance (the scenario's,
        with its `set` and `scale` applied)."""
        return []

    def counts_hosts(self, segment: str) -> bool:
        """Whether the policy's rows may count a host of `segment` that makes nothing (linkage
        counts partners), so that the written plan keeps it (`models/extract.py`)."""
        return False


class PolicyParams(PolicyHooks, Strict):
    """Parameters of a policy. `references` names the items they point at, so that a misspelled
    segment or city is reported before any model is built."""
