"""How big will a scenario's model be? Estimated from the derived data before anything is built,
so that an instance too large for the machine is refused with its numbers and how to shrink it,
instead of running out of memory."""

from __future__ import annotations

import os
from dataclasses import dataclass

from models.data import ScenarioData, TooManyRoutes, customers, suppliers

BYTES_PER_COLUMN = 1300
"""Pyomo variable, its share of expressions, and the matrix hand-off (measured: 1.15–1.2 kB)."""
BASE_BYTES = 150e6
"""Python, Pyomo and HiGHS loaded."""
SECONDS_PER_NONZERO = 25e-6
"""Model build and hand-off (measured: 17–29 µs per nonzero on a shared 2-core machine)."""


@dataclass(frozen=True)
class ModelSize:
    columns: int
    binaries: int
    rows: int
    nonzeros: int

    @property
    def memory_bytes(self) -> float:
        return BASE_BYTES + BYTES_PER_COLUMN * self.columns

    @property
    def build_seconds(self) -> float:
        return SECONDS_PER_NONZERO * self.nonzeros

    def describe(self) -> str:
        return (
            f"{self.columns:,} variables ({self.binaries:,} binary), {self.rows:,} rows, "
            f"{self.nonzeros:,} nonzeros; about {self.memory_bytes / 2**30:.1f} GiB and "
            f"{self.build_seconds:,.0f} s to build"
        )


def estimate(data: ScenarioData) -> ModelSize:
    """Count variables, rows and nonzeros of the model `build(data)` would make."""
    pairs = data.pairs
    arcs = sum(len(a) for a in data.arcs.values())
    inputs = sum(len(data.eligible[j]) for s in data.segments for j in data.downstream(s))
    ship_rows = sum(len(suppliers(data, s)) + len(customers(data, s)) for s in data.segments)
    capacity_terms = sum(
        1
        for s, c in pairs
        for r in data.resources
        if (s, r) in data.use and (c, r) in data.capacity
    )
    columns = 2 * len(pairs) + arcs + len(data.segments) + len(data.existing)
    rows = 2 * len(pairs) + ship_rows + len(data.segments) * 2 + len(data.capacity)
    nonzeros = 4 * len(pairs) + 2 * arcs + inputs + capacity_terms + len(data.existing) * 2
    return ModelSize(columns, len(pairs), rows, nonzeros)


def available_memory() -> float:
    """Bytes of memory available now (MemAvailable), or the physical memory."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024
    except OSError:
        pass
    return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))


def route_budget(share: float = 0.8) -> int:
    """Shipment routes (one variable each) that fit in `share` of the available memory."""
    return max(0, int((share * available_memory() - BASE_BYTES) / BYTES_PER_COLUMN))


SHRINK = (
    "tighten eligibility (eligible_cities, excluded_cities, requires_tags), or model fewer "
    "cities or segments"
)


def routes_too_many(scenario: str, err: TooManyRoutes) -> str:
    """A planner's message when the shipment routes alone would not fit in memory."""
    return (
        f"scenario '{scenario}' is too large for this machine: more than {err.routes:,} "
        f"shipment routes, the most that fit in the {available_memory() / 2**30:.1f} GiB "
        f"available. Shrink it: {SHRINK}; '{err.densest}' alone has "
        f"{err.densest_routes:,} shipment routes"
    )


def too_large(data: ScenarioData, share: float = 0.8) -> str | None:
    """A planner's message when the model would not fit in `share` of the available memory."""
    size = estimate(data)
    avail = available_memory()
    if size.memory_bytes <= share * avail:
        return None
    dense = max(data.segments, key=lambda s: len(data.arcs[s]))
    return (
        f"scenario '{data.scenario.id}' is too large for this machine: {size.describe()}, "
        f"but {avail / 2**30:.1f} GiB are available. Shrink it: {SHRINK}; '{dense}' alone has "
        f"{len(data.arcs[dense]):,} shipment routes"
    )
