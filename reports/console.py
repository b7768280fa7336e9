"""A short, readable console summary per scenario."""

from __future__ import annotations

import unicodedata

from models.objective import TERMS
from models.pipeline import ScenarioRun

MAX_HOSTS_COLUMNS = 40
"""The hosts column is as wide as its longest list up to this; longer lists push their row's
segment name to the right."""


def columns(text: str) -> int:
    """Terminal columns `text` takes (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """Left-align `text` in `width` terminal columns."""
    return text + " " * max(0, width - columns(text))


def money(value: float | None, unit: str) -> str:
    """An amount of money as the console shows it: 1,716.6475 亿元, or — without one."""
    return "—" if value is None else f"{value:,.4f} {unit}"


def gap_percent(gap: float) -> str:
    """A relative gap in per cent, to three significant digits: 14 %, 0.0123 %, < 0.001 %, 0 %."""
    if 0 < gap < 1e-5:
        return "< 0.001 %"
    return f"{100 * gap:.3g} %"


def scenario_text(run: ScenarioRun) -> str:
    """Status, objective and its terms, hosts per segment, duplicated segments."""
    data, res, sol = run.data, run.result, run.solution
    unit = data.instance.units.money
    title = data.scenario.id + (f" · {data.scenario.name}" if data.scenario.name else "")
    lines = [f"── {title} " + "─" * max(3, 72 - len(title))]
    status = run.status.value
    if res is not None and res.gap is not None and run.status.has_solution:
        status += f" (gap {gap_percent(res.gap)})"
    if run.status.value == "feasible":
        status += "  ⚠ limit reached: not proven optimal"
    secs = run.seconds
    start = f"starting plan {secs['start']:.2f} s, " if secs.get("start") else ""
    lines.append(
        f"status     {status}   objective {money(res.objective if res else None, unit)}"
        f"   build {secs['build']:.2f} s, {start}solve {secs['solve']:.2f} s"
    )
    if sol is None:
        lines += [f"why        {reason}" for reason in run.diagnosis]
        return "\n".join(lines)
    lines.append(
        f"terms      ({unit}, unweighted) " + " · ".join(f"{k} {sol.terms[k]:,.2f}" for k in TERMS)
    )
    weights = {k: data.weights.of(k) for k in TERMS if data.weights.of(k) != 1}
    if weights:
        lines.append(
            "weights    "
            + " · ".join(f"{k} ×{w:g}" for k, w in weights.items())
            + " (the objective is Σ weight × term)"
        )
    lines.append("hosts")
    hosts = {s: ", ".join(data.city[c].name or c for c in sol.hosts[s]) for s in data.segments}
    for s, cities in hosts.items():
        if not cities:
            hosts[s] = "(imported)" if s in sol.imports else "(none: no output)"
    width = max(len(s) for s in data.segments)
    city_width = min(max(columns(cities) for cities in hosts.values()), MAX_HOSTS_COLUMNS)
    for s, cities in hosts.items():
        lines.append(f"  {s:<{width}}  {pad(cities, city_width)}  {data.segment[s].name or ''}")
    if sol.imports:
        output = data.instance.units.output
        lines.append(
            f"imports    ({output}) " + ", ".join(f"{s} {q:,.2f}" for s, q in sol.imports.items())
        )
    dup = ", ".join(
        f"{s} ({d['hosts']} hosts, max {d['max_hosts']})" for s, d in sol.duplicated.items()
    )
    lines.append(f"duplicated {dup or 'none'}")
    return "\n".join(lines)
