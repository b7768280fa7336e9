"""What every policy's parameters share."""

from __future__ import annotations

from typing import Any

from models.schema import Instance, Strict


class PolicyParams(Strict):
    """Parameters of a policy. `references` names the items they point at, so that a misspelled
    segment or city is reported before any model is built."""

    @classmethod
    def from_json(cls, value: Any) -> PolicyParams:
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
