"""Instance file format (SPEC §2) as strict, frozen pydantic models.

This stage only describes what a planner may write. It knows nothing of scenarios' effects,
derived quantities or optimisation; semantic rules (references between items, shares summing to
one, ...) live in `models/checks.py`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
"""Lowercase ASCII identifier, unique within its kind."""

LARGEST = 1e12
"""Largest number an instance may hold: HiGHS counts coefficients from 10^15 as infinite, and
products of two data (output x use, cost x distance) must stay below that."""
NonNegative = Annotated[float, Field(ge=0, le=LARGEST)]
Positive = Annotated[float, Field(gt=0, le=LARGEST)]
Share = Annotated[float, Field(ge=0, le=1)]
Notes = str | list[str] | None
Pair = Annotated[tuple[Id, Id], Field(strict=False)]
"""Two ids, written as a JSON list of two."""


class Strict(BaseModel):
    """Base of every instance item: unknown keys, NaN and infinity are errors, and so is a value of
    another JSON type (a number written as a string, true for 1); items are frozen."""

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        populate_by_name=True,
        use_attribute_docstrings=True,
    )


class Units(Strict):
    money: str = "亿元"
    """Unit of every cost term (default 亿元 = 10^8 CNY)."""
    output: str = "亿元 gross output"
    """Unit of segment output and shipments."""
    distance: str = "km"
    """Unit of distances."""
    notes: Notes = None
    """Sources and reasoning behind the numbers."""


class Resource(Strict):
    id: Id
    """Resource id, referenced by city capacities and segment resource use."""
    name: str | None = None
    """Readable name, e.g. 'Industrial land'."""
    unit: str | None = None
    """Unit of capacities of this resource, e.g. 'ha'."""
    notes: Notes = None
    """Sources and reasoning behind the numbers."""


class City(Strict):
    id: Id
    """City id."""
    name: str | None = None
    """Local name (may be Chinese); defaults to the id."""
    name_en: str | None = None
    """English name."""
    role: Literal["core", "periphery"] = "periphery"
    """Core city or periphery member."""
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    """Latitude in degrees."""
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None
    """Longitude in degrees."""
    population: Positive | None = None
    """Resident population, 万人 (10^4 people)."""
    gdp: NonNegative | None = None
    """Gross domestic product, money units per year."""
    capacity: dict[Id, NonNegative] = {}
    """Resource available to the modelled chains by resource id; a missing one is unlimited."""
    tags: list[Id] = []
    """Attributes that segments may require, e.g. 'university', 'port'."""
    notes: Notes = None
    """Sources and reasoning behind the numbers."""


class Distance(Strict):
    from_: Id = Field(alias="from")
    """Origin city id."""
    to: Id
    """Destination city id."""
    km: NonNegative
    """Road distance (or any per-unit cost measure) in distance units."""
    notes: Notes = None
    """Sources and reasoning behind the numbers."""


class Transport(Strict):
    detour_factor: Positive = 1.0
    """Road km = great-circle km x detour_factor."""
    speed_kmh: Positive = 60.0
    """Travel speed for travel-time policies, km/h."""
    distances: list[Distance] = []
    """Explicit distances overriding coordinates."""
    directed: bool = False
    """True: a listed pair applies in its own direction only."""
    gateway: Id | None = None
    """City where imports enter; default the first core city, else the first city."""
    notes: Notes = None
    """Sources and reasoning behind the numbers."""


class Segment(Strict):
    id: Id
    """Segment id, unique across all chains."""
    name: str | None = None
    """Readable name (may be Chinese)."""
    stage: str | None = None
    """Stage in the chain: rd, materials, components, assembly, services ..."""
    output: NonNegative
    """Planned total output of the area, Q_s (output units per year)."""
    inputs: dict[Id, NonNegative] = {}
    """Units of each upstream segment per unit of this one, a_ts."""
    value_added_rate: Share = 0.0
    """Value added per unit of output."""
    resource_use: dict[Id, NonNegative] = {}
    """Resource use per unit of output, u_sr."""
    transport_cost: NonNegative = 0.0
    """Money per unit shipped per distance unit, t_s."""
    setup_cost: NonNegative = 0.0
    """Money to establish the segment in a city where it does not exist today, F_sc."""
    setup_cost_by_city: dict[Id, NonNegative] = {}
    """City-specific setup costs overriding setup_cost."""
    min_scale: NonNegative = 0.0
    """Least output where the segment is hosted."""
    max_hosts: Annotated[int, Field(ge=1)] | None = None
    """Hosts beyond this number are duplicated construction; null: no limit."""
    duplication_penalty: NonNegative | None = None
    """Money per host beyond max_hosts; null: the instance default."""
    eligible_cities: list[Id] | None = None
    """Only these cities may host the segment; null: every city."""
    excluded_cities: list[Id] = []
    """Cities that may not host the segment."""
    requires_tags: list[Id] = []
    """A host city must carry every one of these tags."""
    markets: dict[Id, Share] | None = None
    """Share of final sales by city; null: population shares."""
    existing: dict[Id, NonNegative] = {}
    """Output today by city (status quo)."""
    import_cost: NonNegative | None = None
    """Money per unit bought outside the area (arrives at the gateway); null: not allowed."""
    notes: Notes = None
    """Sources and reasoning behind the numbers."""


class Chain(Strict):
    id: Id
    """Chain id."""
    name: str | None = None
    """Readable name (may be Chinese)."""
    segments: Annotated[list[Segment], Field(min_length=1)]
    """Segments of the chain."""
    notes: Notes = None
    """Sources and reasoning behind the numbers."""


class Defaults(Strict):
    duplication_penalty: NonNegative = 0.0
    """Money per host beyond max_hosts, where a segment gives none."""
    relocation_cost: NonNegative = 0.0
    """Money per unit of existing output not kept."""
    notes: Notes = None
    """Sources and reasoning behind the numbers."""


class Weights(Strict):
    transport: NonNegative = 1.0
    setup: NonNegative = 1.0
    duplication: NonNegative = 1.0
    relocation: NonNegative = 1.0
    import_: NonNegative = Field(1.0, alias="import")
    notes: Notes = None
    """Why the terms are weighted this way."""

    def of(self, term: str) -> float:
        """Weight of an objective term by its name in SPEC §3."""
        return self.import_ if term == "import" else getattr(self, term)


class Scenario(Strict):
    id: Id
    """Scenario id; results go to <out>/<id>/."""
    name: str | None = None
    """Readable name."""
    description: str | None = None
    """What the scenario asks."""
    set: dict[str, Any] = {}
    """Dotted path -> new value."""
    scale: dict[str, Annotated[float, Field(ge=0)]] = {}
    """Dotted path -> factor."""
    policies: dict[str, Any] = {}
    """Policies merged over the base policies; null switches a base policy off."""
    notes: Notes = None
    """Sources and reasoning behind the scenario."""


class Instance(Strict):
    schema_version: Literal[1]
    """Version of this format."""

    @field_validator("schema_version", mode="before")
    @classmethod
    def _the_number_1(cls, value):
        if type(value) is not int:  # Literal[1] alone takes true and 1.0
            raise PydanticCustomError("literal_error", "Input should be 1")
        return value

    name: str
    """Name of the metropolitan area or test case."""
    name_local: str | None = None
    """Local name (may be Chinese)."""
    description: str | None = None
    """What the instance describes."""
    sources: list[str] = []
    """Where the data come from."""
    notes: Notes = None
    """Reasoning behind estimates that concern the whole instance."""
    units: Units = Units()
    """Units of money, output and distance."""
    resources: list[Resource] = []
    """Resources that capacities and uses name."""
    cities: Annotated[list[City], Field(min_length=1)]
    """Member cities."""
    transport: Transport = Transport()
    """Distances and travel."""
    chains: Annotated[list[Chain], Field(min_length=1)]
    """Industry chains with their segments."""
    defaults: Defaults = Defaults()
    """Defaults for per-segment values."""
    weights: Weights = Weights()
    """Weights of the objective terms."""
    policies: dict[str, Any] = {}
    """Base policies (SPEC §4), on in every scenario unless a scenario switches them off."""
    scenarios: list[Scenario] = []
    """Scenarios; none means one implicit scenario 'base'."""

    def segments(self) -> list[tuple[Chain, Segment]]:
        """Every segment with its chain, in file order."""
        return [(chain, seg) for chain in self.chains for seg in chain.segments]

    def scenario_list(self) -> list[Scenario]:
        """The scenarios, or the implicit scenario 'base' when none is given."""
        return list(self.scenarios) or [Scenario(id="base", name="Base")]
