"""Read an instance file, validate it, and resolve its scenarios into `ScenarioData`.

Every problem in the file and in every scenario is collected into one `InvalidInstance` report
before any model is built.
"""

from __future__ import annotations

import copy
import json
import json.decoder
import json.scanner
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models.checks import check_ids, check_instance, policies_known
from models.data import ScenarioData, TooManyRoutes, derive
from models.paths import PathError, apply_scale, apply_set
from models.policies import POLICIES
from models.problems import InvalidInstance, Problem, from_validation_error, model_at
from models.schema import Distance, Instance, Scenario, Segment
from models.size import route_budget, routes_too_many


@dataclass(frozen=True)
class LoadedInstance:
    """A valid instance with every scenario resolved and derived."""

    path: Path | None
    instance: Instance
    scenarios: dict[str, ScenarioData]


def read_document(path: Path, kind: str = "an instance") -> dict:
    """The JSON object in a file (`kind` names it in messages); syntax errors name the line and
    column, and a key given twice in one object is an error (JSON would keep the last silently)."""

    def fail(problem: Problem) -> InvalidInstance:
        return InvalidInstance([problem], str(path))

    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark is allowed
    except FileNotFoundError:
        raise fail(Problem(str(path), "file not found", "check the path")) from None
    except IsADirectoryError:
        fix = "give the path of the JSON file itself"
        raise fail(Problem(str(path), "is a folder", fix)) from None
    except PermissionError:
        raise fail(Problem(str(path), "cannot be read", "check its permissions")) from None
    except UnicodeDecodeError as err:
        raise fail(
            Problem(str(path), f"not UTF-8 text ({err.reason})", "save the file as UTF-8")
        ) from None
    repeated: list[bool] = []
    try:
        document = json.loads(text, object_pairs_hook=lambda pairs: _object(pairs, repeated))
    except json.JSONDecodeError as err:
        raise fail(
            Problem(
                f"line {err.lineno}, column {err.colno}",
                f"JSON syntax error: {err.msg}{AT_POSITION if err.msg.endswith(' at') else ''}",
                "fix the JSON at that position (a missing comma or quote is common)",
            )
        ) from None
    except RecursionError:
        raise fail(Problem("(top level)", "nested too deeply to read", "flatten it")) from None
    if repeated:
        problems = [
            Problem(f"line {line}", f"key '{key}' given twice in the object {where}", FIX_TWICE)
            for line, key, where in _repeated_keys(text)
        ]
        raise InvalidInstance(problems, str(path))
    if not isinstance(document, dict):
        raise fail(Problem("(top level)", f"{kind} is a JSON object", "wrap it in { }"))
    problems = _unreadable_values(document)
    if problems:
        raise InvalidInstance(problems, str(path))
    return document


AT_POSITION = " this position"
"""Ends the JSON parser's "Unterminated string starting at", whose position is the location."""

MAX_DEPTH = 50
"""Nesting deeper than any instance needs (about 6 levels) is refused before it reaches code
that walks it."""


def _unreadable_values(document: dict) -> list[Problem]:
    """Text that is not Unicode (a lone surrogate such as \\ud800, which JSON can escape but no
    file can hold) and nesting beyond MAX_DEPTH, each by its place in the document."""
    problems = []
    stack: list[tuple[str, Any, int]] = [("", document, 0)]
    while stack:
        where, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            fix = "flatten it: no field of the format nests this deep"
            where = where if len(where) < 80 else where[:80] + "…"
            return [Problem(where, f"nested more than {MAX_DEPTH} levels deep", fix)]
        if isinstance(value, str) and not _encodable(value):
            problems.append(Problem(where, "not valid Unicode text", FIX_TEXT))
        if isinstance(value, dict):
            for key, item in value.items():
                if not _encodable(key):
                    problems.append(
                        Problem(where or "(top level)", "a key is not valid Unicode text", FIX_TEXT)
                    )
                stack.append((f"{where}.{key}" if where else key, item, depth + 1))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item, depth + 1) for i, item in enumerate(value))
    return problems


FIX_TEXT = "retype it, or write the character itself instead of a \\u escape"


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


FIX_TWICE = "keep one of the two"


def _object(pairs: list[tuple[str, Any]], repeated: list[bool]) -> dict:
    """A JSON object; an entry in `repeated` when a key is given twice (`_repeated_keys` then
    finds where)."""
    document = dict(pairs)
    if len(document) < len(pairs):
        repeated.append(True)
    return document


def _repeated_keys(text: str) -> list[tuple[int, str, str]]:
    """(line, key, where) of every key given twice in one object of `text`, `where` naming the
    object by the line it starts on and its id. A second reading, by json's pure-Python scanner,
    whose objects know their position (only run when the fast reading found repeats)."""
    found = []

    def parse_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
        text, start = s_and_end
        pairs, end = json.decoder.JSONObject(s_and_end, strict, scan_once, None, list, memo)
        document = dict(pairs)
        line = text.count("\n", 0, start) + 1
        ident = document.get("id")
        where = "that starts there" + (f" (id '{ident}')" if isinstance(ident, str) else "")
        found.extend((line, key, where) for key, n in Counter(k for k, _ in pairs).items() if n > 1)
        return document, end

    decoder = json.JSONDecoder()
    decoder.parse_object = parse_object
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    decoder.decode(text)
    return sorted(found)


def parse(document: dict, prefix: str = "") -> tuple[Instance | None, list[Problem]]:
    """Validate a document against the schema; on failure, plain-language problems, located as
    '<prefix> gives <location>' when `prefix` names the document (a scenario, a sample)."""
    try:
        return Instance.model_validate(document), []
    except ValidationError as err:
        return None, from_validation_error(err, document, Instance, prefix, joiner=" gives ")


STAND_INS = {
    (Instance, "schema_version"): 1,
    (Instance, "name"): "?",
    (Distance, "km"): 1.0,
    (Segment, "output"): 1.0,
}
"""Required values that, when rejected or missing, get a valid one so that the checks of ids can
still run (an optional value is removed instead; an id has no stand-in)."""


def without_schema_errors(document: dict) -> tuple[Instance | None, bool]:
    """The document with every key that breaks the schema removed, if that makes it valid, and
    whether a required value had to be replaced by a stand-in (STAND_INS).

    Lets the semantic checks run even when the schema fails, so that one pass reports both kinds
    of problem. A required value without a stand-in (an id) cannot be removed or made up: then
    there is nothing more to check.
    """
    pruned, stood_in = copy.deepcopy(document), False
    for _ in range(5):
        try:
            return Instance.model_validate(pruned), stood_in
        except ValidationError as err:
            for e in err.errors():
                if _stand_in(pruned, e["loc"]):
                    stood_in = True
                elif e["type"] == "missing" or not _remove(pruned, e["loc"]):
                    return None, stood_in
    return None, stood_in


def _stand_in(document: Any, loc: tuple) -> bool:
    """Give the value at `loc` (rejected or missing) its stand-in, where its field has one."""
    parent, key = _node(document, loc[:-1]), (model_at(Instance, loc), loc[-1])
    if not isinstance(parent, dict) or key not in STAND_INS:
        return False
    parent[loc[-1]] = STAND_INS[key]
    return True


def _node(document: Any, loc: tuple) -> Any:
    node = document
    for key in loc:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _inside(problem: Problem, schema_problems: list[Problem]) -> bool:
    """A rule's problem about an item whose value the schema rejected (and the check did not see):
    markets whose sum lacks a negative share, say."""
    return any(
        s.location.startswith(problem.location + ".") or s.location == problem.location
        for s in schema_problems
    )


def _remove(document: Any, loc: tuple) -> bool:
    node = _node(document, loc[:-1])
    if isinstance(node, dict) and loc[-1] in node:
        del node[loc[-1]]
        return True
    return False


def merged_policies(base: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    """Scenario policies merged over the base policies; a null or false value switches one off."""
    merged = {**base, **scenario.policies}
    return {
        name: value for name, value in merged.items() if value is not None and value is not False
    }


def resolve_document(document: dict, scenario: Scenario) -> tuple[dict, list[Problem]]:
    """The base document with the scenario's `set` and `scale` applied."""
    resolved, problems, _ = _changed(document, scenario)
    return resolved, problems


def _changed(document: dict, scenario: Scenario) -> tuple[dict, list[Problem], dict[str, str]]:
    """The base document with the scenario's `set` and `scale` applied, the problems of their
    paths, and which change gave each value ({location: "scenarios[x].scale 'path' (× 0.5)"})."""
    resolved = copy.deepcopy(document)
    resolved.pop("scenarios", None)
    problems, made = [], {}
    where = f"scenarios[{scenario.id}]"
    changes = [
        *(("set", path, value, apply_set, "") for path, value in scenario.set.items()),
        *(("scale", path, f, apply_scale, f" (× {f:g})") for path, f in scenario.scale.items()),
    ]
    for kind, path, value, apply, note in changes:
        try:
            for location in apply(resolved, path, value):
                made[location] = f"{where}.{kind} '{path}'{note}"
        except PathError as err:
            problems.append(Problem(f"{where}.{kind}", str(err), "correct the path"))
    return resolved, problems, made


def _made_by(problem: Problem, where: str, made: dict[str, str]) -> Problem:
    """A problem of the resolved scenario, located in it ('<where> gives <location>'); where a
    change of the scenario gave the value, the fix names that change."""
    at = problem.location
    inside = [m for m in made if at == m or at.startswith((m + ".", m + "["))]
    source = made[max(inside, key=len)] if inside else None  # the innermost change
    fix = f"{problem.fix} (the value comes from {source})" if source else problem.fix
    located = where if at == "(top level)" else f"{where} gives {at}"
    return Problem(located, problem.message, fix)


def resolve(instance: Instance, scenario: Scenario) -> tuple[ScenarioData | None, list[Problem]]:
    """Resolve one scenario: apply its changes, re-validate, check, merge policies, derive."""
    where = f"scenarios[{scenario.id}]"
    base_doc = instance.model_dump(by_alias=True, exclude={"scenarios"})
    document, problems, made = _changed(base_doc, scenario)
    if problems:
        return None, problems
    resolved, problems = parse(document)
    if resolved is None:
        return None, [_made_by(p, where, made) for p in problems]
    # base policies the scenario replaces or switches off are checked as the scenario gives them
    kept = {k: v for k, v in resolved.policies.items() if k not in scenario.policies}
    problems = [
        _made_by(p, where, made)
        for p in check_instance(resolved.model_copy(update={"policies": kept}))
    ]
    policies = merged_policies(resolved.policies, scenario)
    problems += policies_known(resolved, scenario.policies, f"{where}.policies")
    if problems:
        return None, problems
    params = {name: POLICIES[name].params.from_json(value) for name, value in policies.items()}
    try:
        return derive(resolved, scenario, params, max_routes=route_budget()), []
    except TooManyRoutes as err:
        return None, [Problem(where, routes_too_many(scenario.id, err))]


def load_document(document: dict, path: Path | None = None) -> LoadedInstance:
    """Validate a document and resolve all its scenarios, reporting every problem together."""
    source = str(path) if path else "instance"
    instance, problems = parse(document)
    if instance is None:
        pruned, stood_in = without_schema_errors(document)
        if pruned is not None:
            # with a stand-in value, only what does not depend on values: the ids
            found = check_ids(pruned) if stood_in else check_instance(pruned)
            problems += [p for p in found if not _inside(p, problems)]
        raise InvalidInstance(problems, source)
    problems = check_instance(instance)
    if problems:
        raise InvalidInstance(problems, source)
    scenarios: dict[str, ScenarioData] = {}
    for scenario in instance.scenario_list():
        data, found = resolve(instance, scenario)
        problems += found
        if data is not None:
            scenarios[scenario.id] = data
    if problems:
        raise InvalidInstance(problems, source)
    return LoadedInstance(path, instance, scenarios)


def load(path: str | Path) -> LoadedInstance:
    """Read, validate and resolve an instance file."""
    path = Path(path)
    return load_document(read_document(path), path)
