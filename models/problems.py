"""Problems found in an instance, reported together in planner terms."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from models.schema import LARGEST

LARGEST_FIX = (
    "use larger units for that quantity (e.g. 亿元 rather than 元, 万人 rather than people)"
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an instance: where, what, and how to fix it."""

    location: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        return f"{text} — {self.fix}" if self.fix else text


class InvalidInstance(Exception):
    """The instance cannot be used; `problems` lists everything found."""

    def __init__(self, problems: list[Problem], source: str = "instance"):
        self.problems = problems
        self.source = source
        super().__init__(self.report())

    def report(self) -> str:
        n = len(self.problems)
        head = f"{self.source} is invalid: {n} problem{'s' if n != 1 else ''}"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


def locate(document: Any, loc: tuple) -> str:
    """Readable JSON location for a pydantic `loc`, naming list items by their id."""
    parts: list[str] = []
    node = document
    for key in loc:
        if isinstance(key, int):
            item_id = node[key].get("id") if _is_item(node, key) else None
            label = item_id if isinstance(item_id, str) and item_id else key  # an id, or its place
            parts[-1:] = [f"{parts[-1] if parts else ''}[{label}]"]
            node = node[key] if isinstance(node, list) and key < len(node) else None
        elif isinstance(node, dict) or (node is None and key != "[key]"):
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
        # else: a union member's tag or '[key]' under a value, not a place in the document
    return ".".join(parts) or "(top level)"


def _is_item(node: Any, key: int) -> bool:
    return isinstance(node, list) and key < len(node) and isinstance(node[key], dict)


def model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The pydantic model class that owns the last key of `loc` (for key suggestions)."""
    current: Any = model
    for key in loc[:-1]:
        if isinstance(key, int) or current is None:
            continue
        field = _field(current, key)
        current = _inner_model(field.annotation) if field else None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _field(model: type[BaseModel], key: Any) -> Any:
    """The field of `model` that a JSON key names (by name or alias); None if none does."""
    return model.model_fields.get(key) or next(
        (f for f in model.model_fields.values() if f.alias == key), None
    )


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def from_validation_error(
    error: ValidationError,
    document: Any,
    model: type[BaseModel],
    prefix: str = "",
    joiner: str = ".",
) -> list[Problem]:
    """Translate a pydantic error into one plain Problem per item (never a raw dump)."""
    found: dict[str, list[dict]] = {}
    for err in error.errors(include_url=False):
        where = locate(document, tuple(err["loc"]))
        if prefix:
            where = f"{prefix}{joiner}{where}" if where != "(top level)" else prefix
        found.setdefault(where, []).append(err)
    return [
        _describe(errs[0], tuple(errs[0]["loc"]), where, model)
        if len(errs) == 1
        else _describe_union(errs, where)
        for where, errs in found.items()
    ]


def _shown(value: Any) -> str:
    """A rejected value as the JSON file writes it (null, true, "5"), or the kind of a list or
    object."""
    if isinstance(value, dict | list):
        return type(value).__name__
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):  # inf or nan, or a value JSON cannot hold
        return repr(value)


def _describe_union(errors: list[dict], where: str) -> Problem:
    """A value that fits none of the types a field allows (e.g. notes: text or a list of texts)."""
    value = errors[0].get("input")
    shown = _shown(value)
    wanted = " or ".join(e["msg"].removeprefix("Input should be ") for e in errors)
    fixes = " or ".join(dict.fromkeys(TYPE_FIX.get(e["type"], "correct the value") for e in errors))
    return Problem(where, f"Input should be {wanted} (got {shown})", fixes)


TYPE_FIX = {
    "float_type": "write a number, without quotes",
    "int_type": "write a whole number, without quotes",
    "bool_type": "write true or false",
    "string_type": "write text in quotes",
    "list_type": "write a JSON list [ ... ]",
    "tuple_type": "write a JSON list [ ... ]",
    "dict_type": "write a JSON object { ... }",
    "model_type": "write a JSON object { ... }",
}
"""The fix for a value of the wrong JSON type."""


def _describe(err: dict, loc: tuple, where: str, model: type[BaseModel]) -> Problem:
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        owner = model_at(model, loc)
        valid = field_names(owner) if owner else []
        near = nearest(str(loc[-1]), valid)
        fix = f"did you mean '{near}'?" if near else "remove it"
        if valid and not near:
            fix += f" (valid keys: {', '.join(valid)})"
        return Problem(where, f"unknown key '{loc[-1]}'", fix)
    if kind == "missing":
        return Problem(where, "required value is missing", "add it")
    if kind == "string_pattern_mismatch":
        return Problem(
            where,
            f"id {value!r} is not a lowercase ASCII id",
            "use letters a-z, digits and '_', starting with a letter",
        )
    shown = _shown(value)
    if kind == "too_short" and isinstance(value, list):
        least = err.get("ctx", {}).get("min_length", 1)
        fix = f"list at least {least}"
        if _may_leave_out(model, loc):
            fix += ", or leave the key out"
        return Problem(where, f"{len(value)} item(s), at least {least} needed", fix)
    if kind in ("finite_number",):
        return Problem(where, f"value {shown} is not a finite number", "give a number")
    if kind == "less_than_equal" and err.get("ctx", {}).get("le") == LARGEST:
        return Problem(
            where, f"value {shown} is above 10^12, too large for the solver", LARGEST_FIX
        )
    if kind.startswith(("greater_than", "less_than")):
        return Problem(where, f"value {shown}: {err['msg'].lower()}", "correct the value")
    fix = TYPE_FIX.get(kind, "correct the value")
    if value is None:  # null: the planner may have meant "none" or "no limit"
        fix = fix.removesuffix(", without quotes") + " instead of null"
        if _may_leave_out(model, loc):
            fix += ", or leave the key out"
    return Problem(where, f"{err['msg']} (got {shown})", fix)


def _may_leave_out(model: type[BaseModel], loc: tuple) -> bool:
    """Whether the key at `loc` may be left out: an optional field, or an entry of an object
    keyed by ids (a capacity, a market share); not a place in a list."""
    if isinstance(loc[-1], int):
        return False
    owner = model_at(model, loc)
    if owner is None:
        return True
    field = _field(owner, loc[-1])
    return field is None or not field.is_required()


def nearest(given: str, names: Iterable[str]) -> str | None:
    """The name nearest to a misspelt or miscapitalised one (difflib's ratio at least 0.6), or
    None."""
    by_lower = {name.lower(): name for name in names}
    near = difflib.get_close_matches(given.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[near[0]] if near else None


def unit_after(unit: str | None) -> str:
    """ " <unit>" to follow a number (11,083 ha); empty where none is given."""
    return f" {unit}" if unit else ""


def num(x: float) -> str:
    """A number as a planner reads it: 11,083 · 55.47 · 0.645."""
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.4g}"
