"""The map of the HTML report as inline SVG (class `city-map`): member cities at their
coordinates, what they host, and the shipments between them. Drawn like the charts of
`reports.charts`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from reports.charts import FLOW_COLOUR, fmt, svg, text_width


@dataclass(frozen=True)
class MapCity:
    """A city on the map: where, how big, what it hosts."""

    id: str
    label: str
    lat: float | None
    lon: float | None
    value_added: float
    core: bool
    segment_colours: tuple[str, ...] = ()
    tooltip: str = ""


def project(cities: Sequence[MapCity], width: float, height: float, margin: tuple[float, float]):
    """Screen positions: equirectangular around the mean latitude (x scaled by cos φ0), fitted
    into the box with equal scale on both axes; cities without coordinates on a ring."""
    known = [c for c in cities if c.lat is not None and c.lon is not None]
    mx, my = margin
    pos: dict[str, tuple[float, float]] = {}
    if len(known) >= 2:
        k = math.cos(math.radians(sum(c.lat for c in known) / len(known)))
        xs = {c.id: c.lon * k for c in known}
        ys = {c.id: -c.lat for c in known}
        span_x = max(max(xs.values()) - min(xs.values()), 1e-6)
        span_y = max(max(ys.values()) - min(ys.values()), 1e-6)
        scale = min((width - 2 * mx) / span_x, (height - 2 * my) / span_y)
        off_x = (width - span_x * scale) / 2 - min(xs.values()) * scale
        off_y = (height - span_y * scale) / 2 - min(ys.values()) * scale
        pos = {c: (xs[c] * scale + off_x, ys[c] * scale + off_y) for c in xs}
    rest = [c for c in cities if c.id not in pos]
    radius = min(width / 2 - mx, height / 2 - my)
    for i, c in enumerate(rest):
        angle = 2 * math.pi * i / len(rest) - math.pi / 2
        pos[c.id] = (width / 2 + radius * math.cos(angle), height / 2 + radius * math.sin(angle))
    return pos


def map_width(
    cities: Sequence[MapCity], widest: float, height: float, margin: tuple[float, float]
) -> float:
    """Width that fits the cities' east-west extent at the scale their north-south extent
    sets, between 60 % of `widest` and `widest` (a tall area leaves room beside the map)."""
    known = [c for c in cities if c.lat is not None and c.lon is not None]
    if len(known) < 2:
        return widest
    k = math.cos(math.radians(sum(c.lat for c in known) / len(known)))
    span_x = (max(c.lon for c in known) - min(c.lon for c in known)) * k
    span_y = max(c.lat for c in known) - min(c.lat for c in known)
    if span_y <= 1e-6:
        return widest
    wanted = span_x * (height - 2 * margin[1]) / span_y + 2 * margin[0]
    return min(widest, max(0.6 * widest, wanted))


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """Overlap area of two boxes (x0, y0, x1, y1)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(0.0, w) * max(0.0, h)


def place_labels(
    boxes: dict[str, tuple[float, float, float]],
    sizes: dict[str, tuple[float, float]],
    bounds: tuple[float, float],
) -> dict[str, tuple[float, float, str]]:
    """Greedy label placement beside each circle (right, left, below, above, diagonals), least
    overlap with circles and placed labels first. Returns (x, y of the text top, anchor)."""
    taken = [(x - r, y - r, x + r, y + r) for x, y, r in boxes.values()]
    placed: dict[str, tuple[float, float, str]] = {}
    order = sorted(boxes, key=lambda c: -boxes[c][2])
    for c in order:
        x, y, r = boxes[c]
        w, h = sizes[c]
        candidates = [
            (x + r + 4, y - h / 2, "start"),
            (x - r - 4 - w, y - h / 2, "end"),
            (x - w / 2, y + r + 2, "middle"),
            (x - w / 2, y - r - 2 - h, "middle"),
            (x + r * 0.7 + 2, y + r * 0.7, "start"),
            (x - r * 0.7 - 2 - w, y + r * 0.7, "end"),
            (x + r * 0.7 + 2, y - r * 0.7 - h, "start"),
            (x - r * 0.7 - 2 - w, y - r * 0.7 - h, "end"),
        ]

        def cost(cand, x=x, y=y, w=w, h=h) -> float:
            box = (cand[0], cand[1], cand[0] + w, cand[1] + h)
            inside = (
                max(0, -box[0]) + max(0, box[2] - bounds[0]) + max(0, -box[1])
                + max(0, box[3] - bounds[1])
            )  # fmt: skip
            return sum(_overlap(box, t) for t in taken) + 50 * inside * h

        best = min(candidates, key=cost)
        taken.append((best[0], best[1], best[0] + w, best[1] + h))
        left = {"start": best[0], "end": best[0] + w, "middle": best[0] + w / 2}[best[2]]
        placed[c] = (left, best[1], best[2])
    return placed


def city_map(
    cities: Sequence[MapCity],
    flows: Mapping[tuple[str, str], float],
    key: str,
    width: float = 540,
    height: float = 560,
    flow_tooltips: Mapping[tuple[str, str], str] | None = None,
) -> str:
    """Member cities at their coordinates: circle area ∝ value added, a square per hosted
    segment in its chain's colour, inter-city flows as arrows of width ∝ quantity.

    `flows` are the (from, to) pairs to draw with their quantity; `key` makes the arrow marker
    id unique in the page.
    """
    r_max, margin = 30.0, (120.0, 50.0)
    width = map_width(cities, width, height, margin)
    pos = project(cities, width, height, margin)
    va_max = max((c.value_added for c in cities), default=0.0)
    radius = {
        c.id: max(3.0, r_max * math.sqrt(c.value_added / va_max)) if va_max > 0 else 3.0
        for c in cities
    }
    body = [
        f'<defs><marker id="arrow-{key}" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" '
        f'markerHeight="7" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{FLOW_COLOUR}"/></marker></defs>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fbfbf8" rx="6"/>',
    ]
    q_max = max(flows.values(), default=0.0)
    for (a, b), q in flows.items():
        (x1, y1), (x2, y2) = pos[a], pos[b]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1.0
        cx, cy = (x1 + x2) / 2 - dy * 0.15, (y1 + y2) / 2 + dx * 0.15
        ex, ey = x2 - cx, y2 - cy
        e = math.hypot(ex, ey) or 1.0
        end = (x2 - ex / e * (radius[b] + 3), y2 - ey / e * (radius[b] + 3))
        sx, sy = x1 + (cx - x1) / length * radius[a], y1 + (cy - y1) / length * radius[a]
        stroke = 1.2 + 7.0 * q / q_max if q_max > 0 else 1.2
        tip = (flow_tooltips or {}).get((a, b), f"{a} → {b}: {fmt(q)}")
        path = f"M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {end[0]:.1f},{end[1]:.1f}"
        body.append(
            f'<path class="flow" d="{path}"'
            f' fill="none" stroke="{FLOW_COLOUR}" stroke-opacity="0.55" stroke-width="{stroke:.1f}"'
            f' marker-end="url(#arrow-{key})"><title>{escape(tip)}</title></path>'
        )
    font, sq = 12.0, 7.0
    sizes = {}
    for c in cities:
        per_row = 12
        rows = math.ceil(len(c.segment_colours) / per_row)
        w = max(text_width(c.label, font), min(len(c.segment_colours), per_row) * (sq + 1))
        sizes[c.id] = (w, font + 3 + rows * (sq + 1))
    boxes = {c.id: (*pos[c.id], radius[c.id]) for c in cities}
    labels = place_labels(boxes, sizes, (width, height))
    for c in sorted(cities, key=lambda c: -c.value_added):
        x, y = pos[c.id]
        fill = "#1f4e79" if c.core else "#5b8db8"
        body.append(
            f'<circle class="city" data-city="{escape(c.id)}" cx="{x:.1f}" cy="{y:.1f}" '
            f'r="{radius[c.id]:.1f}" fill="{fill}" fill-opacity="0.8" stroke="#fff" '
            f'stroke-width="1.5"><title>{escape(c.tooltip or c.label)}</title></circle>'
        )
    for c in cities:
        lx, ly, anchor = labels[c.id]
        w = sizes[c.id][0]
        body.append(
            f'<text x="{lx:.1f}" y="{ly + font - 1:.1f}" font-size="{font}" '
            f'text-anchor="{anchor}" class="city-label" paint-order="stroke" stroke="#fbfbf8" '
            f'stroke-width="3" stroke-linejoin="round">{escape(c.label)}</text>'
        )
        left = {"start": lx, "end": lx - w, "middle": lx - w / 2}[anchor]
        for i, colour in enumerate(c.segment_colours):
            sx = left + (i % 12) * (sq + 1)
            sy = ly + font + 3 + (i // 12) * (sq + 1)
            body.append(
                f'<rect x="{sx:.1f}" y="{sy:.1f}" width="{sq}" height="{sq}" fill="{colour}"/>'
            )
    return svg(width, height, body, "city-map", "map of the member cities")
