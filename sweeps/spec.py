"""The sweep file: which numbers of an instance are uncertain, by how much, and how many samples.

```json
{"samples": 200, "seed": 1, "scenarios": ["baseline"],
 "vary": [{"path": "chains.*.segments.*.transport_cost", "relative": [-0.2, 0.2]},
          {"path": "cities.*.capacity.land", "relative": [-0.1, 0.1], "common": true}]}
```

A sweep file is validated like an instance: unknown keys are errors, every problem is reported
together in planner terms (`models.problems`), and every `vary` path is checked against the
scenarios it applies to before any model is solved.
"""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError

from models.checks import check_instance
from models.paths import PathError, apply_scale
from models.problems import InvalidInstance, Problem, from_validation_error
from models.scenario import LoadedInstance, parse, read_document, resolve_document
from models.schema import Id, Instance, Notes, Strict

PATH_FIX = "correct the path (written as in a scenario's 'scale', e.g. cities.*.capacity.land)"
MAX_SAMPLES = 100_000
"""Most samples per scenario. A hosting share from n samples is within ±1/√n (95 %), ±0.3 % at
100,000, far finer than any siting decision needs; and at about a second per Nanjing sample the
bound is already more than a day per scenario. A larger count is a typing slip."""


class Vary(Strict):
    """One uncertain quantity: every number a path matches is multiplied by (1 + u)."""

    path: str
    """Dotted path as in a scenario's `scale`; `*` matches every item or key."""
    relative: Annotated[tuple[float, float], Field(strict=False)]
    """[low, high] of u, drawn uniformly; the factor is 1 + u (e.g. [-0.2, 0.2] is ±20 %)."""
    common: bool = False
    """True: one draw per sample for every value the path matches; false: one draw per value."""
    notes: Notes = None
    """Why the range is what it is."""


class Sweep(Strict):
    """A sampling plan over the uncertain numbers of an instance."""

    schema_version: Literal[1] = 1
    """Version of this format."""
    name: str | None = None
    """What the sweep asks."""
    description: str | None = None
    """Longer explanation."""
    samples: Annotated[int, Field(ge=1)]
    """Number of samples per scenario, numbered 0 .. samples-1."""
    seed: Annotated[int, Field(ge=0)] = 0
    """Seed of the draws: sample k depends on (seed, k) only."""
    scenarios: Annotated[list[Id], Field(min_length=1)] | None = None
    """Scenarios to sweep; null: every scenario of the instance."""
    vary: Annotated[list[Vary], Field(min_length=1)]
    """The uncertain quantities."""
    gap: Annotated[float, Field(ge=0, lt=1)] = 1e-6
    """Relative MIP gap counted as optimal, for every solve of the sweep."""
    time_limit: Annotated[float, Field(gt=0)] | None = None
    """Seconds per solve; null: none. A limit makes results depend on machine speed."""
    notes: Notes = None
    """Sources and reasoning behind the ranges."""


def parse_sweep(document: dict, source: str = "sweep") -> Sweep:
    """Validate a sweep document against the schema, with one plain problem per item."""
    try:
        return Sweep.model_validate(document)
    except ValidationError as err:
        raise InvalidInstance(from_validation_error(err, document, Sweep), source) from None


def scenario_ids(sweep: Sweep, loaded: LoadedInstance) -> list[str]:
    """The scenarios the sweep covers, in the sweep's order (default: the instance's)."""
    return list(sweep.scenarios) if sweep.scenarios is not None else list(loaded.scenarios)


def check_ranges(sweep: Sweep) -> list[Problem]:
    """Each range is [low, high] with low ≤ high and a factor 1 + low that is not negative;
    no path is listed twice."""
    problems = []
    seen: dict[str, int] = {}
    for i, item in enumerate(sweep.vary):
        where = f"vary[{i}].relative"
        low, high = item.relative
        if low > high:
            problems.append(
                Problem(where, f"low {low:g} exceeds high {high:g}", f"write [{high:g}, {low:g}]")
            )
        if low < -1:
            problems.append(
                Problem(
                    where,
                    f"low {low:g} makes the factor 1 + u negative",
                    "use a low of -1 or more (-0.2 means 20 % less)",
                )
            )
        if item.path in seen:
            problems.append(
                Problem(
                    f"vary[{i}].path",
                    f"path '{item.path}' is also vary[{seen[item.path]}]",
                    "merge the two entries into one",
                )
            )
        seen.setdefault(item.path, i)
    return problems


def check_samples(sweep: Sweep) -> list[Problem]:
    """The sample count is one a planner can use (MAX_SAMPLES)."""
    if sweep.samples <= MAX_SAMPLES:
        return []
    return [
        Problem(
            "samples",
            f"{sweep.samples:,} samples per scenario exceeds the {MAX_SAMPLES:,} a sweep allows",
            f"use at most {MAX_SAMPLES:,} (10,000 already gives every hosting share within ±1 %)",
        )
    ]


def check_scenarios(sweep: Sweep, loaded: LoadedInstance) -> list[Problem]:
    """Every scenario the sweep names exists in the instance and is named once."""
    known, listed = list(loaded.scenarios), sweep.scenarios or []
    return [
        Problem("scenarios", f"unknown scenario '{sid}'", f"use one of: {', '.join(known)}")
        for sid in listed
        if sid not in loaded.scenarios
    ] + [
        Problem("scenarios", f"scenario '{sid}' is listed {n} times", "list it once")
        for sid, n in Counter(listed).items()
        if n > 1
    ]


def scenario_document(instance: Instance, scenario_id: str) -> dict:
    """The instance document of one scenario (its `set` and `scale` applied), as sampled."""
    scenario = next(s for s in instance.scenario_list() if s.id == scenario_id)
    base = instance.model_dump(by_alias=True, exclude={"scenarios"})
    document, problems = resolve_document(base, scenario)
    if problems:  # the instance was validated with its scenarios, so this is a programming error
        raise InvalidInstance(problems, f"scenario '{scenario_id}'")
    return document


def check_paths(sweep: Sweep, loaded: LoadedInstance) -> list[Problem]:
    """Every path matches at least one number in every scenario the sweep covers."""
    problems = []
    for i, item in enumerate(sweep.vary):
        for sid in scenario_ids(sweep, loaded):
            document = scenario_document(loaded.instance, sid)
            try:
                apply_scale(document, item.path, 1.0)
            except PathError as err:
                where = f"vary[{i}].path" + (
                    f" in scenario '{sid}'" if len(loaded.scenarios) > 1 else ""
                )
                problems.append(Problem(where, str(err), PATH_FIX))
                break
    return problems


def check_extremes(sweep: Sweep, loaded: LoadedInstance) -> list[Problem]:
    """With every factor at its low end, and again at its high end, each scenario is still a
    valid instance: this catches a path into an integer field (max_hosts) or a range that breaks
    a rule outright, before any solve. Individual samples are validated again when drawn."""
    problems = []
    for end, label in ((0, "low"), (1, "high")):
        for sid in scenario_ids(sweep, loaded):
            document = copy.deepcopy(scenario_document(loaded.instance, sid))
            for item in sweep.vary:
                apply_scale(document, item.path, 1.0 + item.relative[end])
            instance, found = parse(document, prefix=f"scenario '{sid}'")
            if instance is not None:
                found = check_instance(instance)
            for p in found:
                problems.append(
                    Problem(
                        f"vary at the {label} end of every range ({p.location})",
                        p.message,
                        "narrow the range, or leave this quantity out of the sweep",
                    )
                )
            if found:
                return problems
    return problems


def load_sweep(path: str | Path, loaded: LoadedInstance) -> Sweep:
    """Read and validate a sweep file against a loaded instance; every problem is reported at
    once, before any model is built or solved."""
    path = Path(path)
    sweep = parse_sweep(read_document(path, "a sweep file"), str(path))
    problems = check_samples(sweep) + check_ranges(sweep) + check_scenarios(sweep, loaded)
    if not problems:
        problems = check_paths(sweep, loaded)
    if not problems:
        problems = check_extremes(sweep, loaded)
    if problems:
        raise InvalidInstance(problems, str(path))
    return sweep
