"""Dotted paths into an instance document (SPEC §2, scenario `set` and `scale`).

A path such as `chains.nev.segments.nev_cells.max_hosts` walks objects by key and lists by item
`id`; `*` matches every item of a list or every key of an object. Under a `*`, items that lack the
rest of the path are skipped; a path that matches nothing at all is an error.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from models.problems import nearest


class PathError(ValueError):
    """A dotted path that matches nothing, or a value that cannot be applied there."""


FIXED_KEYS = {"schema_version": "the format's version", "scenarios": "the list of scenarios"}
"""Top-level keys no scenario changes (a `*` at the top level passes over them)."""


@dataclass(frozen=True)
class Match:
    """One place a path points at: `container[key]`, with a readable location."""

    container: dict | list
    key: Any
    location: str
    named: bool = True
    """The item holding it is named by its path, not picked by a `*` (`cities.a.capacity.land`,
    `chains.*.segments.parts.max_hosts`; not `cities.*.capacity.land`)."""


def _children(node: Any, part: str, location: str) -> Iterator[tuple[dict | list, Any, str]]:
    if isinstance(node, list):
        for i, item in enumerate(node):
            item_id = item.get("id") if isinstance(item, dict) else None
            if part == "*" or item_id == part:
                yield node, i, f"{location}[{item_id if item_id is not None else i}]"
    elif isinstance(node, dict):
        keys = [part] if part in node else []
        if part == "*":
            keys = [k for k in node if location or k not in FIXED_KEYS]
        for key in keys:
            yield node, key, f"{location}.{key}" if location else key


def find(document: dict, path: str, create: bool = False) -> list[Match]:
    """Every place `path` matches in `document`.

    With `create`, a missing last key of an object is matched too (so `set` may give an optional
    field that the item leaves out), unless a `*` picked the item: under a `*`, items that lack
    the rest of the path are skipped.
    """
    parts = path.split(".")
    if not path or any(not p for p in parts):
        raise PathError(f"path '{path}' is malformed — write parts separated by single dots")
    if parts[0] in FIXED_KEYS:
        raise PathError(
            f"path '{path}' would change {FIXED_KEYS[parts[0]]}, "
            "which is the same in every scenario"
        )
    frontier: list[tuple[Any, str, bool]] = [(document, "", True)]
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        matches: list[Match] = []
        for node, location, named in frontier:
            found = list(_children(node, part, location))
            if not found and last and create and isinstance(node, dict) and named:
                found = [(node, part, f"{location}.{part}" if location else part)]
            # a `*` picks items and keys; an id names an item; a key keeps what its object was
            picked = named if part != "*" and isinstance(node, dict) else part != "*"
            matches.extend(Match(c, k, loc, picked) for c, k, loc in found)
        if not matches:
            raise PathError(_no_match_message(parts, depth, _names(frontier)))
        if last:
            return matches
        frontier = [(m.container[m.key], m.location, m.named) for m in matches]
        frontier = [f for f in frontier if isinstance(f[0], dict | list)]
        if not frontier:
            raise PathError(_no_match_message(parts, depth + 1, []))
    raise AssertionError("unreachable")


def _names(frontier: list[tuple[Any, str, bool]]) -> list[str]:
    """The keys and item ids a path part could have named in the nodes reached so far."""
    names: dict[str, None] = {}
    for node, _, _ in frontier:
        if isinstance(node, dict):
            names |= dict.fromkeys(map(str, node))
        elif isinstance(node, list):
            ids = (item.get("id") for item in node if isinstance(item, dict))
            names |= dict.fromkeys(str(i) for i in ids if i is not None)
    return list(names)


def _no_match_message(parts: list[str], depth: int, names: list[str]) -> str:
    path = ".".join(parts)
    prefix = ".".join(parts[:depth]) or "(top level)"
    part = parts[min(depth, len(parts) - 1)]
    near = nearest(part, names)
    hint = f" (did you mean '{near}'?)" if near else ""
    return f"path '{path}' matches nothing: no '{part}' under {prefix}{hint}"


def apply_set(document: dict, path: str, value: Any) -> list[str]:
    """Set every match of `path` to `value`; return the locations changed. An item or object is
    replaced only by another of its kind (a path that stops short of a field is an error).

    Where a `*` picked the item, matches that hold no value (an absent optional field) are
    skipped, as in `apply_scale`: only a path that names its item gives it a field it leaves out.
    """
    matches = find(document, path, create=True)
    if not all(m.named for m in matches):
        matches = [m for m in matches if m.named or _value(m) is not None]
        if not matches:
            raise PathError(
                f"path '{path}' matches no value to set: under a '*', items that leave the "
                "field out are skipped — name the item instead of the '*' to give it the field"
            )
    for m in matches:
        if m.key == "id":
            raise PathError(
                f"path '{path}' would change the id {m.location}: an id names the same city, "
                "segment or chain in every scenario"
            )
        current = _value(m)
        if isinstance(current, dict | list) and not isinstance(value, type(current)):
            kind = "an item" if isinstance(current, dict) else "a list"
            raise PathError(f"path '{path}' points at {kind} ({m.location}), not at a field of it")
        if sorted(_ids(current)) != sorted(_ids(value)):
            raise PathError(
                f"path '{path}' would change the ids under {m.location} "
                f"({', '.join(sorted(_ids(current))) or 'none'} → "
                f"{', '.join(sorted(_ids(value))) or 'none'}): ids name the same cities, "
                "segments and chains in every scenario; set their fields instead"
            )
    for m in matches:
        m.container[m.key] = copy.deepcopy(value)
    return [m.location for m in matches]


def _value(m: Match) -> Any:
    """What a match holds now; None where it names a field its object leaves out."""
    return m.container.get(m.key) if isinstance(m.container, dict) else m.container[m.key]


def _ids(node: Any) -> list[str]:
    """The ids of the items in `node`, at any depth."""
    if isinstance(node, list):
        return [i for item in node for i in _ids(item)]
    if isinstance(node, dict):
        own = [str(node["id"])] if "id" in node else []
        return own + [i for key, child in node.items() if key != "id" for i in _ids(child)]
    return []


def apply_scale(document: dict, path: str, factor: float) -> list[str]:
    """Multiply every numeric match of `path` by `factor`; return the locations changed.

    Where a `*` picked the item, matches that hold no number (an absent optional value) are
    skipped.
    """
    matches = find(document, path)
    changed = []
    for m in matches:
        current = m.container[m.key]
        if isinstance(current, bool) or not isinstance(current, int | float):
            if not m.named:
                continue
            raise PathError(f"path '{path}' points at {m.location}, which holds no number to scale")
        scaled = current * factor
        # a whole number stays whole (max_hosts × 2 is still a count)
        m.container[m.key] = (
            int(scaled) if isinstance(current, int) and float(scaled).is_integer() else scaled
        )
        changed.append(m.location)
    if not changed:
        raise PathError(f"path '{path}' matches no number to scale")
    return changed
