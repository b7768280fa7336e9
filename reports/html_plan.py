"""One plan's section of report.html: its map, its segment-by-city heat map, the city table,
the binding capacities with their shadow prices and the segments moved against the reference."""

from __future__ import annotations

from html import escape

from models.data import ScenarioData
from reports import charts, city_map
from reports.assess import Comparison, hosts_of
from reports.charts import fmt
from reports.indicators import TOL
from reports.plans import Plan, city_label, segment_label

MAIN_FLOWS = 0.85
"""Inter-city flows drawn on a map: the largest ones that together carry this share."""
MAX_FLOWS = 12


def table(
    head: list[str],
    rows: list[list[str]],
    cls: str,
    numeric: set[int] | frozenset = frozenset(),
    row_classes: list[str] | None = None,
    table_id: str | None = None,
) -> str:
    """An HTML table of cells that are already escaped HTML; columns in `numeric` right-aligned,
    `row_classes` one class per row (e.g. "today")."""
    th = "".join(f"<th>{h}</th>" for h in head)
    body = []
    for i, row in enumerate(rows):
        tds = "".join(
            f'<td class="num">{v}</td>' if j in numeric else f"<td>{v}</td>"
            for j, v in enumerate(row)
        )
        row_cls = f' class="{row_classes[i]}"' if row_classes and row_classes[i] else ""
        body.append(f"<tr{row_cls}>{tds}</tr>")
    id_attr = f' id="{table_id}"' if table_id else ""
    return (
        f'<table class="{cls}"{id_attr}><thead><tr>{th}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def city_columns(data: ScenarioData) -> dict[str, tuple[str, str]]:
    """Heat-map column headers: local name above, English name below."""
    return {c: (data.city[c].name or c, data.city[c].name_en or "") for c in data.cities}


def main_flows(
    plan: Plan,
) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], str], float]:
    """The largest inter-city flows (pairs summed over segments) carrying MAIN_FLOWS of the
    inter-city quantity, at most MAX_FLOWS; with tooltips and the share they carry."""
    f = plan.flows
    f = f[f.from_city != f.to_city] if len(f) else f
    if not len(f):
        return {}, {}, 0.0
    pairs = f.groupby(["from_city", "to_city"])["quantity"].sum().sort_values(ascending=False)
    total, kept, carried = float(pairs.sum()), {}, 0.0
    for pair, q in pairs.items():
        if len(kept) >= MAX_FLOWS or (carried >= MAIN_FLOWS * total and len(kept) >= 3):
            break
        kept[pair] = float(q)
        carried += float(q)
    unit = plan.data.instance.units.output
    tips = {}
    for a, b in kept:
        part = f[(f.from_city == a) & (f.to_city == b)].sort_values("quantity", ascending=False)
        detail = ", ".join(
            f"{segment_label(plan.data, r.segment)} {fmt(r.quantity)}{_imported(r)}"
            for r in part.head(5).itertuples()
        )
        route = f"{city_label(plan.data, a)} → {city_label(plan.data, b)}"
        tips[(a, b)] = f"{route}: {fmt(kept[(a, b)])} {unit} ({detail})"
    return kept, tips, carried / total


def _imported(flow) -> str:
    """ " (imported)" for a shipment bought outside the area, " (Q imported)" for one in part."""
    imported = getattr(flow, "imported", 0.0) or 0.0  # absent from older result files
    if imported <= 0:
        return ""
    return " (imported)" if imported >= flow.quantity - 1e-9 else f" ({fmt(imported)} imported)"


def plan_map(plan: Plan) -> str:
    """The plan's city map with a caption."""
    data, hosts = plan.data, hosts_of(plan)
    colours = charts.chain_colours(plan.data.chain_of)
    va = plan.cities.set_index("city")["value_added"]
    cities = []
    for c in data.cities:
        hosted = [s for s in data.segments if c in hosts.get(s, [])]
        city = data.city[c]
        cities.append(
            city_map.MapCity(
                id=c,
                label=city_label(plan.data, c),
                lat=city.lat,
                lon=city.lon,
                value_added=float(va.get(c, 0.0)),
                core=city.role == "core",
                segment_colours=tuple(colours[s] for s in hosted),
                tooltip=f"{city_label(plan.data, c)}: value added {fmt(float(va.get(c, 0.0)))} "
                f"{data.instance.units.money}; hosts {', '.join(hosted) or 'nothing'}",
            )
        )
    flows, tips, share = main_flows(plan)
    svg = city_map.city_map(cities, flows, key=plan.id, flow_tooltips=tips)
    chains = {data.chain_of[s]: colours[s] for s in data.segments}
    names = {ch.id: ch.name or ch.id for ch in data.instance.chains}
    legend = "".join(
        f'<span class="chip" style="border-left-color:{col}">{escape(names[ch])}</span>'
        for ch, col in chains.items()
    )
    flow_note = (
        f"Arrows: the {len(flows)} largest inter-city flows ({share:.0%} of the quantity "
        "shipped between cities), width ∝ quantity."
        if flows
        else "No inter-city flows."
        if not plan.is_today
        else "Today's flows are not known."
    )
    caption = (
        "Circle area ∝ value added (dark: core city); a square per hosted segment, coloured by "
        f"chain. {flow_note}<br>{legend}"
    )
    return f'<figure class="map">{svg}<figcaption>{caption}</figcaption></figure>'


def plan_heatmap(plan: Plan) -> str:
    """Segment × city output; colour = the city's share of the segment's output."""
    data = plan.data
    a = plan.assignments
    values = a.pivot_table(index="segment", columns="city", values="output", aggfunc="sum")
    values = values.reindex(index=list(data.segments), columns=list(data.cities)).fillna(0.0)
    row_total = values.sum(axis=1).replace(0.0, 1.0)
    intensity = values.div(row_total, axis=0)
    marked = set()
    if not plan.is_today:
        marked = {(r.segment, r.city) for r in a.itertuples() if r.existing > TOL}
    unit = data.instance.units.output
    return charts.heatmap(
        values,
        intensity,
        {s: segment_label(plan.data, s) for s in data.segments},
        city_columns(data),
        f"output by segment and city, {plan.id}",
        row_colours=charts.chain_colours(plan.data.chain_of),
        marked=marked,
        tooltip=lambda s, c, v: (
            f"{segment_label(plan.data, s)} in {city_label(plan.data, c)}: "
            f"{fmt(v)} {unit} ({v / float(values.loc[s].sum() or 1):.0%} of the segment)"
        ),
    )


def city_table(plan: Plan, payload: dict) -> str:
    """Per city: value added, VA per capita, Krugman index, change, hosted segments."""
    data, hosts = plan.data, hosts_of(plan)
    colours = charts.chain_colours(plan.data.chain_of)
    bal, spec, change = payload["balance"], payload["specialisation"], payload["change"]
    show_change = change is not None and change["reference"] != plan.id
    rows = []
    for c in data.cities:
        chips = "".join(
            f'<span class="chip" style="border-left-color:{colours[s]}">'
            f"{escape(segment_label(plan.data, s))}</span>"
            for s in data.segments
            if c in hosts.get(s, [])
        )
        delta = change["cities"][c]["value_added_change"] if show_change else None
        cls = "up" if (delta or 0) > TOL else "down" if (delta or 0) < -TOL else ""
        share = change["cities"][c]["value_added_share_change"] if show_change else None
        points = round(100 * share, 1) if share is not None else 0.0  # as shown
        share_cls = "up" if points > 0 else "down" if points < 0 else ""
        rows.append(
            [
                escape(city_label(plan.data, c)),
                fmt(bal["value_added"].get(c)),
                fmt(bal["va_per_capita"].get(c), 3),
                fmt(spec["krugman"].get(c), 2),
                f'<span class="{cls}">{"+" if cls == "up" else ""}{fmt(delta)}</span>'
                if show_change
                else "—",
                f'<span class="{share_cls}">{_points(share)}</span>' if show_change else "—",
                chips or '<span class="note">none</span>',
            ]
        )
    money = data.instance.units.money
    head = [
        "city",
        f"value added ({escape(money)})",
        f"VA per capita ({escape(payload['units']['va_per_capita'])})",
        "Krugman KSI",
        f"Δ VA vs reference ({escape(money)})",
        "Δ share of area VA (points)",
        "segments hosted",
    ]
    return table(head, rows, "city-table", numeric={1, 2, 3, 4, 5})


def _points(share: float | None) -> str:
    """A change of share in percentage points, signed: +2.1; — when undefined."""
    return "—" if share is None else f"{round(100 * share, 1) + 0.0:+.1f}"  # never -0.0


def _used(utilisation: float | None) -> str:
    """Use as a share of capacity; None is use above a capacity of 0 (an infinite share)."""
    return "over a capacity of 0" if utilisation is None else f"{utilisation:.0%}"


def resources_and_changes(plan: Plan, payload: dict, comparison: Comparison) -> str:
    """Binding capacities with their shadow prices, and the segments moved."""
    res = payload["resources"]
    if res["binding"]:
        rows = [
            [
                escape(city_label(plan.data, b["city"])),
                escape(b["resource"]),
                _used(b["utilisation"]),
                f"{b['shadow_price']:,.4g}" if b["shadow_price"] is not None else "—",
                escape(b["reading"]),
            ]
            for b in res["binding"]
        ]
        binding = table(
            ["city", "resource", "used", "shadow price", "reading"],
            rows,
            "binding-table",
            numeric={2, 3},
        )
    else:
        binding = '<p class="note">No capacity is full.</p>'
    if not res["shadow_prices_known"] and not plan.is_today:
        binding += '<p class="note">shadow_prices.csv not found: full capacities only.</p>'
    change = payload["change"]
    if plan.id == comparison.reference:
        moved = '<p class="note">This is the reference.</p>'
    elif change and change["moved_segments"]:
        rows = [
            [
                escape(segment_label(plan.data, s)),
                escape(", ".join(city_label(plan.data, c) for c in d["added"])) or "—",
                escape(", ".join(city_label(plan.data, c) for c in d["removed"])) or "—",
            ]
            for s, d in change["moved_segments"].items()
        ]
        moved = table(["segment", "new hosts", "hosts dropped"], rows, "moved-table")
    else:
        moved = '<p class="note">Same hosts as the reference.</p>'
    ref = next(p.name for p in comparison.plans if p.id == comparison.reference)
    return (
        f'<div class="row"><div><h3>Binding capacities</h3>{binding}</div>'
        f"<div><h3>Hosts changed against {escape(ref)}</h3>{moved}</div></div>"
    )


def _imports(plan: Plan) -> str:
    """The segments bought outside the area, with their quantities; empty without imports."""
    imports = plan.summary.get("imports") or {}
    if not imports:
        return ""
    unit = plan.data.instance.units.output
    listed = ", ".join(f"{segment_label(plan.data, s)} {fmt(q)}" for s, q in imports.items())
    return escape(f"imports ({unit}, via {city_label(plan.data, plan.data.gateway)}): {listed}")


def _status_class(plan: Plan) -> str:
    """Grey for today's layout, red without a plan, amber for a plan stopped at a limit."""
    if plan.is_today:
        return "today"
    if not plan.has_plan:
        return "bad"
    return "limit" if plan.status == "feasible" else ""


def plan_section(plan: Plan, comparison: Comparison) -> str:
    """One plan: headline numbers, map and city table, heat map, capacities and changes."""
    payload = comparison.indicators[plan.id]
    head = (
        f'<section class="scenario" id="plan-{escape(plan.id)}" data-scenario="{escape(plan.id)}">'
        f'<h2>{escape(plan.name)} <span class="status {_status_class(plan)}">'
        f"{escape(plan.status_text)}</span></h2>"
    )
    description = plan.summary.get("description") or plan.data.scenario.description
    if description:
        head += f'<p class="lead">{escape(description)}</p>'
    if not plan.has_plan:
        why = "".join(f"<li>{escape(d)}</li>" for d in plan.summary.get("diagnosis") or [])
        return head + f"<p>No plan for this scenario.</p><ul>{why}</ul></section>"
    row = comparison.table.set_index("scenario").loc[plan.id]
    money = plan.data.instance.units.money
    facts = [
        f"objective {fmt(row['objective'])} {escape(money)}" if not plan.is_today else "",
        f"value added {fmt(row['value_added'])} {escape(money)}",
        f"duplicated segments {fmt(row['duplicated_segments'], 0)}",
        _imports(plan),
        f"mean similarity {fmt(row['mean_similarity'], 3)}",
        f"Gini of VA per capita {fmt(row['gini_va_per_capita'], 3)}",
    ]
    head += f'<p class="key">{" · ".join(f for f in facts if f)}</p>'
    return (
        head
        + f'<div class="row">{plan_map(plan)}<div>{city_table(plan, payload)}</div>'
        + "</div><h3>Output by segment and city</h3>"
        + "<p class=\"note\">Cell: output; colour: the city's share of the segment's output"
        + ("; red corner: the city has output today." if not plan.is_today else ".")
        + f"</p>{plan_heatmap(plan)}"
        + resources_and_changes(plan, payload, comparison)
        + "</section>"
    )
