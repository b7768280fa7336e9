"""Bad input: every rule of the instance format answered with a message that names the item,
the value and the fix — all problems of a file in one report, exit code 3, never a traceback."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.problems import InvalidInstance
from models.scenario import load, load_document

ROOT = Path(__file__).resolve().parents[1]
TINY = json.loads((ROOT / "instances" / "tiny.json").read_text(encoding="utf-8"))


def seg(doc: dict, sid: str) -> dict:
    return next(s for c in doc["chains"] for s in c["segments"] if s["id"] == sid)


def city(doc: dict, cid: str) -> dict:
    return next(c for c in doc["cities"] if c["id"] == cid)


def scenario(doc: dict, **fields) -> None:
    doc["scenarios"].append({"id": "extra", **fields})


# (rule, change to tiny.json, fragments the report must contain)
CASES: list[tuple[str, Callable[[dict], object], list[str]]] = [
    (
        "unknown top-level key",
        lambda d: d.update(scenarioz=[]),
        ["scenarioz", "did you mean 'scenarios'"],
    ),
    (
        "misspelled city key",
        lambda d: city(d, "east").update(populaton=5),
        ["cities[east].populaton", "'population'"],
    ),
    (
        "misspelled segment key",
        lambda d: seg(d, "parts").update(max_host=2),
        ["segments[parts].max_host", "'max_hosts'"],
    ),
    (
        "wrong type",
        lambda d: seg(d, "parts").update(output="six"),
        ["segments[parts].output", '"six"'],
    ),
    (
        "a chain without segments",
        lambda d: d["chains"][0].update(segments=[]),
        ["chains[kit].segments: 0 item(s), at least 1 needed — list at least 1"],
    ),
    (
        "negative capacity",
        lambda d: city(d, "east")["capacity"].update(land=-8),
        ["cities[east].capacity.land", "-8"],
    ),
    (
        "share above 1",
        lambda d: seg(d, "assembly").update(markets={"hub": 1.5}),
        ["segments[assembly].markets.hub", "1.5"],
    ),
    (
        "NaN",
        lambda d: seg(d, "parts").update(setup_cost=float("nan")),
        ["segments[parts].setup_cost", "finite"],
    ),
    (
        "infinity",
        lambda d: city(d, "hub").update(population=float("inf")),
        ["cities[hub].population", "finite"],
    ),
    (
        "duplicate city id",
        lambda d: d["cities"].append(copy.deepcopy(city(d, "west"))),
        ["cities: id 'west' appears 2 times — give each item its own id"],
    ),
    (
        "duplicate segment id",
        lambda d: d["chains"].append({"id": "kit2", "segments": [copy.deepcopy(seg(d, "parts"))]}),
        ["chains[kit].segments, chains[kit2].segments: id 'parts' appears 2 times"],
    ),
    (
        "duplicate scenario id",
        lambda d: d["scenarios"].append({"id": "baseline"}),
        ["scenarios", "'baseline' appears 2 times"],
    ),
    (
        "unknown city in eligible_cities",
        lambda d: seg(d, "parts")["eligible_cities"].append("north"),
        ["segments[parts].eligible_cities", "unknown city 'north'", "use one of: east, hub, west"],
    ),
    (
        "unknown city in markets",
        lambda d: seg(d, "assembly").update(markets={"hub": 0.5, "eastt": 0.5}),
        ["segments[assembly].markets", "unknown city 'eastt'", "did you mean 'east'"],
    ),
    (
        "unknown city in existing",
        lambda d: seg(d, "parts")["existing"].update(eastt=1),
        ["segments[parts].existing", "unknown city 'eastt'"],
    ),
    (
        "unknown segment in inputs",
        lambda d: seg(d, "assembly")["inputs"].update(partz=0.1),
        ["segments[assembly].inputs", "unknown segment 'partz'"],
    ),
    (
        "unknown resource in capacity",
        lambda d: city(d, "east")["capacity"].update(water=3),
        ["cities[east].capacity", "unknown resource 'water'"],
    ),
    (
        "a resource used where none is declared",
        lambda d: (
            d.update(resources=[]),
            [c.pop("capacity", None) for c in d["cities"]],
            seg(d, "parts").update(resource_use={"land": 1}),
        ),
        ["segments[parts].resource_use: unknown resource 'land' — declare it in resources first"],
    ),
    (
        "unknown resource in resource_use",
        lambda d: seg(d, "parts")["resource_use"].update(energy=1),
        ["segments[parts].resource_use", "unknown resource 'energy'"],
    ),
    (
        "number written as text",
        lambda d: seg(d, "parts").update(output="6"),
        ["segments[parts].output", 'got "6"', "write a number, without quotes"],
    ),
    (
        "true for a number",
        lambda d: seg(d, "parts").update(max_hosts=True),
        ["segments[parts].max_hosts", "write a whole number"],
    ),
    (
        "number beyond the solver's range",
        lambda d: city(d, "east")["capacity"].update(land=1e13),
        ["cities[east].capacity.land", "above 10^12", "use larger units"],
    ),
    (
        "notes neither text nor a list",
        lambda d: d.update(notes=5),
        ["notes: Input should be a valid string or a valid list (got 5)"],
    ),
    (
        "scenario id used by the results folder",
        lambda d: d["scenarios"][0].update(id="today"),
        [
            "scenarios[today]",
            "the name of today's layout in the reports — give the scenario another id",
        ],
    ),
    (
        "scenario value of the wrong type",
        lambda d: scenario(d, set={"chains.kit.segments.parts.output": "x"}),
        ["scenarios[extra] gives chains[kit].segments[parts].output", 'got "x"'],
    ),
    (
        "two distances for one undirected pair",
        lambda d: d["transport"]["distances"].append({"from": "east", "to": "hub", "km": 70}),
        [
            "transport.distances[3]",
            "east–hub is 70 km here but 50 km in transport.distances[0]",
            "give the pair one distance, or set transport.directed true for one-way values",
        ],
    ),
    (
        "a distance from a city to itself",
        lambda d: d["transport"]["distances"].append({"from": "hub", "to": "hub", "km": 5}),
        ["transport.distances[3]", "hub to itself is 5 km", "remove this entry"],
    ),
    (
        "latitude without longitude",
        lambda d: d["cities"][0].update(lat=32.0),
        ["cities[hub]", "lat given without lon", "give both, or neither"],
    ),
    (
        "schema_version written as true",
        lambda d: d.update(schema_version=True),
        ["schema_version", "Input should be 1 (got true)"],
    ),
    (
        "unknown city in distances",
        lambda d: d["transport"]["distances"].append({"from": "hub", "to": "south", "km": 3}),
        ["transport.distances[3]", "unknown city 'south'"],
    ),
    (
        "unknown gateway",
        lambda d: d["transport"].update(gateway="port"),
        ["transport.gateway", "unknown city 'port'"],
    ),
    (
        "tag nobody carries",
        lambda d: seg(d, "parts").update(requires_tags=["harbour"]),
        ["segments[parts]", "no city is eligible", "harbour"],
    ),
    (
        "market shares not summing to 1",
        lambda d: seg(d, "assembly").update(markets={"hub": 0.5, "east": 0.3}),
        ["segments[assembly].markets", "sum to 0.8, not 1 — make the shares add up to 1"],
    ),
    (
        "min_scale above output",
        lambda d: seg(d, "parts").update(min_scale=9),
        [
            "segments[parts].min_scale",
            "min_scale 9 exceeds planned output 6 — lower min_scale or raise output",
        ],
    ),
    (
        "output below intermediate use",
        lambda d: seg(d, "parts").update(output=5),
        [
            "segments[parts].output",
            "below its intermediate use 6",
            "raise the output or lower the input coefficients of its users",
        ],
    ),
    (
        "no eligible city",
        lambda d: seg(d, "parts").update(excluded_cities=["east", "west"]),
        [
            "segments[parts]",
            "no city is eligible",
            "widen eligible_cities, shorten excluded_cities or tag a city",
        ],
    ),
    (
        "missing population for default markets",
        lambda d: city(d, "west").pop("population"),
        [
            "cities[west].population",
            "population shares",
            "give the population, or give those segments explicit 'markets'",
        ],
    ),
    ("schema version", lambda d: d.update(schema_version=2), ["schema_version", "2"]),
    ("missing name", lambda d: d.pop("name"), ["name", "missing"]),
    (
        "id not lowercase",
        lambda d: city(d, "hub").update(id="Hub"),
        ["cities[Hub].id", "lowercase"],
    ),
    (
        "invalid role",
        lambda d: city(d, "hub").update(role="centre"),
        ["cities[hub].role", '"centre"'],
    ),
    (
        "latitude out of range",
        lambda d: city(d, "hub").update(lat=132.0),
        ["cities[hub].lat", "132"],
    ),
    (
        "scenario path matching nothing",
        lambda d: scenario(d, set={"chains.kit.segments.bolts.output": 3}),
        ["scenarios[extra].set", "bolts"],
    ),
    (
        "scenario scale on a non-number",
        lambda d: scenario(d, scale={"cities.hub.name": 2}),
        ["scenarios[extra].scale", "no number"],
    ),
    (
        "scenario value breaking a rule",
        lambda d: scenario(d, set={"chains.kit.segments.parts.min_scale": 7}),
        [
            "scenarios[extra] gives chains[kit].segments[parts].min_scale",
            "min_scale 7 exceeds planned output 6",
        ],
    ),
    (
        "negative scale factor",
        lambda d: scenario(d, scale={"cities.*.capacity.land": -1}),
        ["scenarios[extra].scale", "-1"],
    ),
    (
        "unknown policy",
        lambda d: scenario(d, policies={"balanse": {"min_ratio": 1}}),
        ["scenarios[extra].policies.balanse", "unknown policy", "balance"],
    ),
    (
        "policy naming an unknown segment",
        lambda d: scenario(d, policies={"single_host": {"segments": ["bolts"]}}),
        ["policies.single_host", "unknown segment 'bolts'"],
    ),
    (
        "policy naming an unknown city",
        lambda d: d.update(policies={"balance": {"min_ratio": 0.5, "cities": ["north"]}}),
        ["policies.balance", "unknown city 'north'"],
    ),
    (
        "policy naming an unknown resource",
        lambda d: scenario(d, policies={"area_cap": {"water": 5}}),
        ["policies.area_cap", "unknown resource 'water'"],
    ),
    (
        "area cap written as text",
        lambda d: scenario(d, policies={"area_cap": {"land": "140"}}),
        ["policies.area_cap.land", "valid number"],
    ),
    (
        "balance target beyond the solver's range",
        lambda d: d.update(policies={"balance": {"min_ratio": 1e15, "roles": ["periphery"]}}),
        ["policies.balance.min_ratio", "above 10^12", "use larger units"],
    ),
    (
        "linkage time beyond the solver's range",
        lambda d: scenario(
            d, policies={"linkage": {"max_minutes": 1e13, "pairs": [["parts", "assembly"]]}}
        ),
        ["policies.linkage.max_minutes", "above 10^12"],
    ),
    (
        "area cap written as true",
        lambda d: scenario(d, policies={"area_cap": {"land": True}}),
        ["policies.area_cap.land", "valid number"],
    ),
    (
        "linkage naming an unknown segment",
        lambda d: scenario(
            d, policies={"linkage": {"max_minutes": 60, "pairs": [["parts", "rd"]]}}
        ),
        ["policies.linkage", "unknown segment 'rd'"],
    ),
    (
        "fixed naming an unknown city",
        lambda d: scenario(d, policies={"fixed": {"host": [["parts", "north"]]}}),
        ["policies.fixed", "unknown city 'north'"],
    ),
    (
        "balance without populations",
        lambda d: (
            [c.pop("population") for c in d["cities"]]
            and [s.update(markets={"hub": 1}) for ch in d["chains"] for s in ch["segments"]]
            and d.update(policies={"balance": {"min_ratio": 0.5, "roles": ["periphery"]}})
        ),
        ["policies.balance", "hub, east, west have no population — give every city its population"],
    ),
    (
        "balance naming no cities",
        lambda d: d.update(policies={"balance": {"min_ratio": 0.5}}),
        ["policies.balance", "needs 'roles' or 'cities'"],
    ),
    (
        "policy parameter out of range",
        lambda d: scenario(d, policies={"keep_existing": {"min_share": 1.5}}),
        ["policies.keep_existing.min_share", "1.5"],
    ),
    (
        "policy parameter misspelled",
        lambda d: scenario(d, policies={"keep_existing": {"min_shar": 0.5}}),
        ["policies.keep_existing.min_shar", "'min_share'"],
    ),
    (
        "scenario renaming an id",
        lambda d: scenario(d, set={"cities.west.id": "north"}),
        ["scenarios[extra].set", "would change the id cities[west].id"],
    ),
    (
        "scenario changing the scenarios",
        lambda d: scenario(d, set={"scenarios": []}),
        ["scenarios[extra].set", "would change the list of scenarios"],
    ),
    (
        "scenario changing the format's version",
        lambda d: scenario(d, scale={"schema_version": 2}),
        ["scenarios[extra].scale", "would change the format's version"],
    ),
    (
        "scenario scaling a count to a fraction",
        lambda d: (
            seg(d, "assembly").update(max_hosts=1),
            scenario(d, scale={"chains.kit.segments.assembly.max_hosts": 1.5}),
        ),
        [
            "scenarios[extra] gives chains[kit].segments[assembly].max_hosts",
            "write a whole number, without quotes (the value comes from "
            "scenarios[extra].scale 'chains.kit.segments.assembly.max_hosts' (× 1.5))",
        ],
    ),
    (
        "scenario setting a value that breaks a rule",
        lambda d: scenario(d, set={"chains.kit.segments.parts.min_scale": 50}),
        [
            "scenarios[extra] gives chains[kit].segments[parts].min_scale: min_scale 50 exceeds",
            "lower min_scale or raise output (the value comes from scenarios[extra].set "
            "'chains.kit.segments.parts.min_scale')",
        ],
    ),
    (
        "scenario replacing an item with other ids",
        lambda d: scenario(d, set={"chains.kit": {**d["chains"][0], "id": "kit2"}}),
        ["scenarios[extra].set", "would change the ids under chains[kit] (assembly, kit, parts → "],
    ),
    (
        "misspelled key set by a scenario",
        lambda d: scenario(d, set={"chains.kit.segments.parts.max_host": 2}),
        [
            "did you mean 'max_hosts'? (the value comes from scenarios[extra].set "
            "'chains.kit.segments.parts.max_host')"
        ],
    ),
    (
        "the innermost change of a scenario named",
        lambda d: scenario(
            d,
            set={
                "chains.kit.segments.assembly.markets": {"hub": 0.5, "east": 0.5},
                "chains.kit.segments.assembly.markets.hub": -0.5,
            },
        ),
        ["(the value comes from scenarios[extra].set 'chains.kit.segments.assembly.markets.hub')"],
    ),
    (
        "a list item made by a scenario",
        lambda d: scenario(d, set={"transport.distances": [{"from": "hub", "to": "hub", "km": 5}]}),
        ["remove this entry (the value comes from scenarios[extra].set 'transport.distances')"],
    ),
    (
        "id that is not text",
        lambda d: city(d, "west").update(id=5),
        ["cities[2].id", "got 5"],
    ),
]


@pytest.mark.parametrize(("rule", "change", "fragments"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_names_the_item_and_the_fix(rule, change, fragments):
    doc = copy.deepcopy(TINY)
    change(doc)
    with pytest.raises(InvalidInstance) as err:
        load_document(doc)
    report = err.value.report()
    for fragment in fragments:
        assert fragment in report, f"{rule}: {fragment!r} missing from\n{report}"
    assert "pydantic" not in report and "errors.pydantic.dev" not in report
    assert " — " in report, f"{rule}: no fix offered\n{report}"


@pytest.mark.parametrize(
    ("change", "ending"),
    [
        (
            lambda d: city(d, "east")["capacity"].update(land=None),
            "(got null) — write a number instead of null, or leave the key out",
        ),
        (
            lambda d: seg(d, "parts").update(output=None),
            "(got null) — write a number instead of null",
        ),
        (
            lambda d: d.update(policies={"fixed": {"host": [["parts", None]]}}),
            "(got null) — write text in quotes instead of null",
        ),
    ],
)
def test_null_may_be_left_out_only_where_a_key_may_be(change, ending):
    """A capacity may be left out (no cap); a required output and a place in a list may not."""
    doc = copy.deepcopy(TINY)
    change(doc)
    with pytest.raises(InvalidInstance) as err:
        load_document(doc)
    assert err.value.report().endswith(ending)


def test_a_rejected_output_does_not_hide_unknown_ids():
    """A required value the schema rejects (an output) gets a stand-in, so that the check of ids
    still runs; the checks that read values do not (min_scale 2 would exceed a stand-in output of
    1: no such problem is reported)."""
    doc = copy.deepcopy(TINY)
    seg(doc, "parts")["output"] = -1
    doc["transport"]["gateway"] = "north"
    seg(doc, "assembly")["eligible_cities"] = ["hub", "nowhere"]
    with pytest.raises(InvalidInstance) as err:
        load_document(doc)
    found = [(p.location, p.message) for p in err.value.problems]
    assert len(found) == 3, found
    assert found[0][0] == "chains[kit].segments[parts].output"
    assert ("transport.gateway", "unknown city 'north'") in found
    assert ("chains[kit].segments[assembly].eligible_cities", "unknown city 'nowhere'") in found


def test_a_missing_output_does_not_hide_unknown_ids():
    doc = copy.deepcopy(TINY)
    del seg(doc, "parts")["output"]
    doc["transport"]["gateway"] = "north"
    with pytest.raises(InvalidInstance) as err:
        load_document(doc)
    assert [(p.location, p.message) for p in err.value.problems] == [
        ("chains[kit].segments[parts].output", "required value is missing"),
        ("transport.gateway", "unknown city 'north'"),
    ]


def test_a_rejected_optional_value_leaves_every_rule_running():
    """An optional value (a city's name, a unit) is left out rather than stood in for: the rules
    that read values still run and find the market shares summing to 0.8."""
    doc = copy.deepcopy(TINY)
    city(doc, "east")["name"] = 5
    doc["units"] = {"output": 5}
    seg(doc, "assembly").update(markets={"hub": 0.5, "east": 0.3})
    with pytest.raises(InvalidInstance) as err:
        load_document(doc)
    locations = sorted(p.location for p in err.value.problems)
    assert locations == [
        "chains[kit].segments[assembly].markets",
        "cities[east].name",
        "units.output",
    ]


def test_a_scale_at_the_top_level_passes_over_the_version():
    doc = copy.deepcopy(TINY)
    scenario(doc, scale={"*": 2})
    with pytest.raises(InvalidInstance) as err:
        load_document(doc)
    assert "path '*' matches no number to scale" in err.value.report()
    assert "schema_version" not in err.value.report()


def test_all_problems_reported_together():
    """A schema error, an unknown reference and two broken rules: one report with all four."""
    doc = copy.deepcopy(TINY)
    seg(doc, "parts").update(min_scale=9, max_host=2)
    city(doc, "east")["capacity"].update(water=3)
    seg(doc, "assembly").update(markets={"hub": 0.5, "east": 0.3})
    with pytest.raises(InvalidInstance) as err:
        load_document(doc)
    report = err.value.report()
    assert len(err.value.problems) == 4
    for fragment in ("max_host", "unknown resource 'water'", "min_scale 9", "sum to 0.8"):
        assert fragment in report


def test_json_syntax_error_names_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text(
        '{\n  "schema_version": 1,\n  "name": "x"\n  "cities": []\n}\n', encoding="utf-8"
    )
    with pytest.raises(InvalidInstance) as err:
        load(path)
    assert "line 4, column 3" in err.value.report()


def test_json_cut_short_names_where_the_string_starts(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('{\n  "schema_version": 1,\n  "name": "x', encoding="utf-8")
    with pytest.raises(InvalidInstance) as err:
        load(path)
    assert (
        "line 3, column 11: JSON syntax error: Unterminated string starting at this position"
        in (err.value.report())
    )


def test_markets_with_a_rejected_share_are_not_also_said_to_miss_their_sum():
    doc = copy.deepcopy(TINY)
    seg(doc, "assembly").update(markets={"hub": 1.5, "east": -0.5})
    with pytest.raises(InvalidInstance) as err:
        load_document(doc)
    assert len(err.value.problems) == 2 and "sum to" not in err.value.report()


def test_key_given_twice_byte_order_mark_and_folder(tmp_path):
    text = (ROOT / "instances" / "tiny.json").read_text(encoding="utf-8")
    twice = tmp_path / "twice.json"
    text_twice = text.replace('"output": 12,', '"output": 12, "output": 120,')
    text_twice = text_twice.replace(
        '"schema_version": 1,', '"schema_version": 1, "schema_version": 1,'
    )
    twice.write_text(text_twice, "utf-8")
    with pytest.raises(InvalidInstance) as err:
        load(twice)
    assert err.value.report().splitlines()[1:] == [
        "  - line 1: key 'schema_version' given twice in the object that starts there — keep one "
        "of the two",
        "  - line 31: key 'output' given twice in the object that starts there (id 'assembly') — "
        "keep one of the two",
    ]
    bom = tmp_path / "bom.json"
    bom.write_text("\ufeff" + text, encoding="utf-8")
    assert set(load(bom).scenarios) == {"baseline", "no_east_assembly", "import_parts"}
    with pytest.raises(InvalidInstance, match="is a folder — give the path of the JSON file"):
        load(tmp_path)


def test_text_no_file_can_hold_and_absurd_nesting_are_named(tmp_path):
    """A lone surrogate escape reached the writing of summary.json (UnicodeEncodeError, the
    folder half written); a list nested 950 deep passed the reading and overflowed the stack
    when the scenario was resolved."""
    doc = copy.deepcopy(TINY)
    doc["scenarios"][0]["name"] = "\ud800"
    path = tmp_path / "surrogate.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # ASCII: the escape survives
    with pytest.raises(InvalidInstance) as err:
        load(path)
    assert "scenarios[0].name: not valid Unicode text" in err.value.report()

    deep: list = []
    innermost = deep
    for _ in range(950):
        innermost.append([])
        innermost = innermost[0]
    doc = copy.deepcopy(TINY)
    doc["scenarios"][0]["set"] = {"cities.hub.notes": deep}
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InvalidInstance, match="nested more than 50 levels deep"):
        load(path)


def test_a_scenario_id_too_long_for_a_folder_is_refused():
    doc = copy.deepcopy(TINY)
    doc["scenarios"].append({"id": "a" * 300})
    with pytest.raises(InvalidInstance, match=r"the id has 300 characters.*at most 100"):
        load_document(doc)


def test_notes_on_units_and_distances_are_allowed():
    doc = copy.deepcopy(TINY)
    doc["units"] = {"money": "亿元", "notes": "as in the statistical yearbooks"}
    doc["transport"]["distances"][0]["notes"] = "expressway G42"
    assert set(load_document(doc).scenarios) == {"baseline", "no_east_assembly", "import_parts"}


def test_missing_file_and_non_utf8(tmp_path):
    with pytest.raises(InvalidInstance, match="file not found"):
        load(tmp_path / "nope.json")
    path = tmp_path / "gbk.json"
    path.write_bytes('{"name": "南京"}'.encode("gbk"))
    with pytest.raises(InvalidInstance, match="UTF-8"):
        load(path)


@pytest.mark.parametrize("rule", [c[0] for c in CASES[:6]])
def test_cli_exit_3_without_traceback(rule, tmp_path):
    change = next(c[1] for c in CASES if c[0] == rule)
    doc = copy.deepcopy(TINY)
    change(doc)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "solve.py"), str(path), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr and "is invalid" in proc.stderr
    assert not (tmp_path / "out").exists()


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


PATHS = [p for p in _paths(TINY) if p]
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=True)
    | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(
    max_examples=int(os.environ.get("MALFORMED_EXAMPLES", "150")), derandomize=True, deadline=None
)
@given(st.lists(st.tuples(st.sampled_from(PATHS), st.none() | JSON_VALUES), min_size=1, max_size=3))
def test_malformed_input_never_raises_anything_else(changes):
    """Any value anywhere, or a key removed: the answer is a valid instance or a report."""
    doc = copy.deepcopy(TINY)
    for path, value in changes:
        node = doc
        try:
            for key in path[:-1]:
                node = node[key]
            if value is None and isinstance(node, dict):
                node.pop(path[-1], None)
            else:
                node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    try:
        load_document(doc)
    except InvalidInstance as err:
        assert err.problems and all(p.message for p in err.problems)


POLICY_VALUES = {
    "balance": st.fixed_dictionaries(
        {"min_ratio": st.floats(0, 2)},
        optional={
            "roles": st.lists(st.sampled_from(["core", "periphery"])),
            "cities": st.lists(st.sampled_from(["hub", "east", "west"])),
        },
    ),
    "linkage": st.fixed_dictionaries(
        {
            "max_minutes": st.floats(0, 200),
            "pairs": st.lists(st.tuples(*[st.sampled_from(["parts", "assembly"])] * 2), max_size=2),
        }
    ),
    "area_cap": st.dictionaries(st.just("land"), st.floats(0, 20)),
    "keep_existing": st.fixed_dictionaries({"min_share": st.floats(0, 1)}),
    "single_host": st.booleans()
    | st.fixed_dictionaries({"segments": st.lists(st.sampled_from(["parts", "assembly"]))}),
    "fixed": st.fixed_dictionaries(
        {},
        optional={
            k: st.lists(
                st.tuples(
                    st.sampled_from(["parts", "assembly"]), st.sampled_from(["hub", "east", "west"])
                ),
                max_size=2,
            )
            for k in ("host", "forbid")
        },
    ),
    "max_share": st.fixed_dictionaries({"share": st.floats(0.01, 1)}),
}


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    st.dictionaries(st.sampled_from(sorted(POLICY_VALUES)), st.none(), max_size=4).flatmap(
        lambda keys: st.fixed_dictionaries({k: POLICY_VALUES[k] | JSON_VALUES for k in keys})
    )
)
def test_any_policy_combination_is_solved_or_explained(policies):
    """Valid or odd policy values: the answer is a plan, an infeasibility with a diagnosis, or a
    report — never a crash."""
    from models.pipeline import solve_scenario
    from solvers import Status

    doc = copy.deepcopy(TINY)
    doc["scenarios"] = [{"id": "p", "policies": policies}]
    try:
        data = load_document(doc).scenarios["p"]
    except InvalidInstance as err:
        assert err.problems
        return
    run = solve_scenario(data)
    assert run.status in (Status.OPTIMAL, Status.INFEASIBLE)
    assert run.status == Status.OPTIMAL or run.diagnosis
