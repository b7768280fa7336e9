"""A histogram as inline SVG (class `histogram`), drawn like the charts of `reports.charts`:
round bin edges, the count above each bar, a `<title>` on every bar, no script.

Counts that have no place on the value axis (e.g. samples in which a value does not exist) can
stand beside the bins as extra bars on the same count scale, so the reader sees every sample.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from reports.charts import fmt, svg, text_width

BAR_COLOUR = "#4e79a7"


@dataclass(frozen=True)
class Extra:
    """A count drawn beside the bins: what it counts, its colour and its tooltip."""

    label: str
    count: int
    colour: str
    tooltip: str


def nice_step(span: float, bins: int) -> float:
    """The round bin width (1, 2, 2.5 or 5 × 10^k) nearest to `span` / `bins`, by ratio."""
    raw = span / max(1, bins)
    if not raw > 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    return min((m * power for m in (1, 2, 2.5, 5, 10)), key=lambda w: abs(math.log(w / raw)))


def bin_counts(
    values: Sequence[float], bins: int, origin: float | None = None
) -> tuple[list[float], list[int]]:
    """Edges on round numbers, from the one at or below the minimum (and `origin`, if given),
    and the count of each bin [edge_k, edge_k+1); the last bin also holds its upper edge. When
    every value is the same the axis still spans `bins` bins. Needs at least one value."""
    lo, hi = min(values), max(values)
    lo = lo if origin is None else min(lo, origin)
    step = nice_step(hi - lo, bins) if hi > lo else nice_step(abs(hi) or 1.0, bins)
    start = math.floor(lo / step + 1e-9) * step
    n = max(1, math.ceil((hi - start) / step - 1e-9)) if hi > lo else bins
    counts = [0] * n
    for v in values:
        counts[min(n - 1, max(0, int((v - start) / step + 1e-9)))] += 1
    return [round(start + k * step, 12) for k in range(n + 1)], counts


def default_bins(n: int) -> int:
    """About 2 n^(1/3) bins (Rice's rule), between 6 and 20."""
    return min(20, max(6, round(2 * n ** (1 / 3))))


def decimals(step: float) -> int:
    """Decimals that print every multiple of `step` exactly (0.25 → 2, 0.5 → 1, 20 → 0)."""
    return next((d for d in range(7) if abs(step * 10**d - round(step * 10**d)) < 1e-6), 6)


def _two_lines(text: str) -> list[str]:
    words = text.split()
    half = (len(words) + 1) // 2
    return [line for line in (" ".join(words[:half]), " ".join(words[half:])) if line]


def histogram(
    values: Sequence[float],
    axis: str,
    label: str,
    extras: Sequence[Extra] = (),
    markers: Sequence[tuple[str, float]] = (),
    noun: str = "samples",
    bins: int | None = None,
    origin: float | None = None,
    width: float = 580,
    height: float = 240,
) -> str:
    """Counts of `values` in round bins (about `bins`, default `default_bins`; the axis starts
    at or below `origin` if given), `extras` as bars on the same count scale to the right,
    `markers` as labelled dashed lines at given values (e.g. percentiles). `axis` names the
    value axis with its unit; `noun` what is counted."""
    font, top, bottom, extra_w = 11.0, 40.0, 40.0, 86.0
    x0, x1, y1 = 36.0, width - 10 - extra_w * len(extras), height - bottom
    bins = bins or default_bins(len(values))
    edges, counts = bin_counts(values, bins, origin) if values else ([], [])
    peak = max([*counts, *(e.count for e in extras), 1])
    y_step = max(1, math.ceil(nice_step(peak, 4)))
    y_top = math.ceil(peak / y_step) * y_step

    def y(count: float) -> float:
        return y1 - (y1 - top) * count / y_top

    body = [
        f'<line x1="{x0:.1f}" x2="{width - 10:.1f}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
        f'stroke="#e6e6e6"/><text x="{x0 - 5:.1f}" y="{y(t) + 4:.1f}" font-size="{font - 1}" '
        f'text-anchor="end" fill="#555">{t}</text>'
        for t in range(0, y_top + 1, y_step)
    ]
    if edges:
        body += _bins(edges, counts, (x0, x1), y, y1, axis, noun, font)
        body += _markers(markers, edges, (x0, x1), top, y1, font)
    else:
        body.append(
            f'<text x="{(x0 + x1) / 2:.1f}" y="{(top + y1) / 2:.1f}" font-size="{font}" '
            f'text-anchor="middle" fill="#777">no {escape(noun)} with a value</text>'
        )
    body.append(
        f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{y1:.1f}" y2="{y1:.1f}" stroke="#888"/>'
        f'<text x="{(x0 + x1) / 2:.1f}" y="{height - 6:.1f}" font-size="{font}" '
        f'text-anchor="middle">{escape(axis)}</text>'
    )
    if extras:
        body.append(
            f'<line x1="{x1 + 8:.1f}" x2="{x1 + 8:.1f}" y1="{top:.1f}" y2="{y1:.1f}" '
            'stroke="#bbb" stroke-dasharray="2 3"/>'
        )
    for i, e in enumerate(extras):
        cx = x1 + extra_w * i + 50
        body.append(
            f'<rect class="bar extra" x="{cx - 15:.1f}" y="{y(e.count):.1f}" width="30" '
            f'height="{y1 - y(e.count):.1f}" fill="{e.colour}"><title>{escape(e.tooltip)}</title>'
            f'</rect><text x="{cx:.1f}" y="{y(e.count) - 3:.1f}" font-size="{font - 1}" '
            f'text-anchor="middle" font-weight="600">{e.count}</text>'
        )
        body += [
            f'<text x="{cx:.1f}" y="{y1 + 14 + 12 * j:.1f}" font-size="{font - 1}" '
            f'text-anchor="middle" fill="{e.colour}">{escape(line)}</text>'
            for j, line in enumerate(_two_lines(e.label))
        ]
    return svg(width, height, body, "histogram", label)


def _bins(edges, counts, xs, y, y1, axis, noun, font) -> list[str]:
    """The bars with their counts, and tick labels on the edges at least 44 px apart."""
    (x0, x1), step = xs, edges[1] - edges[0]
    digits, bin_w = decimals(step), (x1 - x0) / len(counts)
    body = []
    for k, count in enumerate(counts):
        x = x0 + k * bin_w
        span = f"{edges[k]:,.{digits}f} – {edges[k + 1]:,.{digits}f}"
        body.append(
            f'<rect class="bar" x="{x + 0.5:.1f}" y="{y(count):.1f}" '
            f'width="{max(1.0, bin_w - 1):.1f}" height="{y1 - y(count):.1f}" fill="{BAR_COLOUR}">'
            f"<title>{escape(f'{axis} {span} — {noun}: {count}')}</title></rect>"
        )
        if count and bin_w >= 14:
            body.append(
                f'<text x="{x + bin_w / 2:.1f}" y="{y(count) - 3:.1f}" font-size="{font - 1}" '
                f'text-anchor="middle">{count}</text>'
            )
    for k in range(0, len(edges), max(1, math.ceil(44 / bin_w))):
        x = x0 + k * bin_w
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y1:.1f}" y2="{y1 + 4:.1f}" stroke="#888"/>'
            f'<text x="{x:.1f}" y="{y1 + 15:.1f}" font-size="{font - 1}" text-anchor="middle" '
            f'fill="#555">{edges[k]:,.{digits}f}</text>'
        )
    return body


def _markers(markers, edges, xs, top, y1, font) -> list[str]:
    """Dashed lines at the marker values, labels on two rows when they would collide."""
    (x0, x1), body, last, row = xs, [], -1e9, 1
    span = edges[-1] - edges[0]
    for name, value in sorted(markers, key=lambda m: m[1]):
        x = min(x1, max(x0, x0 + (value - edges[0]) / span * (x1 - x0)))
        row = 1 - row if x - last < 70 else 0
        last = x
        text = f"{name} {fmt(value)}"
        right = x + 3 + text_width(text, font - 1) > x1 + 8  # would run past the plot: flip
        body.append(
            f'<line class="marker" x1="{x:.1f}" x2="{x:.1f}" y1="{top - 24 + 13 * row:.1f}" '
            f'y2="{y1:.1f}" stroke="#333" stroke-dasharray="4 3"/>'
            f'<text x="{x - 3 if right else x + 3:.1f}" y="{top - 28 + 13 * row:.1f}" '
            f'font-size="{font - 1}" text-anchor="{"end" if right else "start"}">'
            f"{escape(text)}</text>"
        )
    return body
