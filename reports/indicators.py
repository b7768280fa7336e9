"""Indicators that judge a plan by the division of labour it produces, not only by its cost.

Pure functions on tidy tables (the columns of SPEC §5) and plain dicts; no files, no model.
Notation of the regional-economics literature these indicators come from (the README's indicator
table), not SPEC §3's: e_ik output of segment k in city i (SPEC's x_sc), e_i = Σ_k e_ik,
E_k = Σ_i e_ik, E = Σ_ik e_ik; x_ik = e_ik / e_i the segment shares of city i and X_k = E_k / E
those of the whole area; y_i value added per capita of city i.

Shares are undefined for a city that makes none of the modelled segments; such a city is left out
of the structure indicators (similarity, Krugman, location quotients), never counted as zero.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

import pandas as pd

from models.data import AREA

TOL = 1e-9
"""Outputs, prices and shares below this are treated as zero."""
FULL = 1.0 - 1e-6
"""A capacity used to at least this share of itself is full (binding)."""


# ── structure: segment-by-city output ────────────────────────────────────────────────────────


def output_matrix(
    assignments: pd.DataFrame,
    segments: Sequence[str] | None = None,
    cities: Sequence[str] | None = None,
    value: str = "output",
) -> pd.DataFrame:
    """e_ik as a segment × city table (rows segments, columns cities, zeros where nothing is made).

    `segments` and `cities` fix the order and include rows or columns without output.
    """
    if len(assignments):
        table = assignments.pivot_table(
            index="segment", columns="city", values=value, aggfunc="sum", fill_value=0.0
        )
    else:
        table = pd.DataFrame(dtype=float)
    rows = list(segments) if segments is not None else list(table.index)
    cols = list(cities) if cities is not None else list(table.columns)
    return table.reindex(index=rows, columns=cols, fill_value=0.0).astype(float)


def producing_cities(matrix: pd.DataFrame) -> list[str]:
    """Cities with positive total output e_i > 0, in column order."""
    totals = matrix.sum(axis=0)
    return [c for c in matrix.columns if totals[c] > TOL]


def city_shares(matrix: pd.DataFrame) -> pd.DataFrame:
    """x_ik = e_ik / e_i for every producing city (columns); other cities are dropped."""
    keep = producing_cities(matrix)
    part = matrix[keep]
    return part / part.sum(axis=0)


def area_shares(matrix: pd.DataFrame) -> pd.Series:
    """X_k = E_k / E, the segment shares of the whole area (empty when nothing is made)."""
    total = float(matrix.to_numpy().sum())
    if total <= TOL:
        return pd.Series(dtype=float)
    return matrix.sum(axis=1) / total


def similarity(x_i: Sequence[float], x_j: Sequence[float]) -> float:
    """Industrial structure similarity coefficient (UNIDO) of two share vectors.

    S_ij = Σ_k x_ik x_jk / sqrt(Σ_k x_ik² · Σ_k x_jk²), the cosine of the two structures:
    1 for identical structures, 0 for cities that share no segment.
    """
    num = sum(a * b for a, b in zip(x_i, x_j, strict=True))
    den = math.sqrt(sum(a * a for a in x_i) * sum(b * b for b in x_j))
    if den <= TOL:
        raise ValueError("similarity needs two cities with positive output")
    return num / den


def similarity_matrix(matrix: pd.DataFrame) -> pd.DataFrame:
    """S_ij for every pair of producing cities: a symmetric city × city table, 1 on the diagonal."""
    shares = city_shares(matrix)
    cities = list(shares.columns)
    out = pd.DataFrame(1.0, index=cities, columns=cities)
    for a, b in combinations(cities, 2):
        out.loc[a, b] = out.loc[b, a] = similarity(shares[a].tolist(), shares[b].tolist())
    return out


def mean_similarity(matrix: pd.DataFrame) -> float | None:
    """Mean of S_ij over the unordered pairs i < j of producing cities; None with fewer than two.

    mean S = (2 / (n (n − 1))) Σ_{i<j} S_ij, n = number of cities with positive output.
    High values mean the cities build the same mix of segments (产业同构).
    """
    return mean_over_pairs(similarity_matrix(matrix))


def mean_over_pairs(pairwise: pd.DataFrame) -> float | None:
    """Mean of a symmetric city × city table over its pairs i < j; None with fewer than two."""
    pairs = list(combinations(pairwise.columns, 2))
    if not pairs:
        return None
    return sum(float(pairwise.loc[a, b]) for a, b in pairs) / len(pairs)


def krugman_indices(matrix: pd.DataFrame) -> dict[str, float]:
    """Krugman specialisation index of every producing city against the whole area.

    KSI_i = Σ_k |x_ik − X_k|, bounded by 0..2, where the area X_k includes city i itself;
    0: city i has the area's mix. A city that makes only what the rest of the area does not has
    KSI_i = 2(1 − e_i/E) < 2, so it approaches 2 only for a city small in the area (e_i/E → 0).
    """
    shares, area = city_shares(matrix), area_shares(matrix)
    return {c: float((shares[c] - area).abs().sum()) for c in shares.columns}


def krugman_pair(x_i: Sequence[float], x_j: Sequence[float]) -> float:
    """Krugman index between two cities: K_ij = Σ_k |x_ik − x_jk|, 0 (same) .. 2 (disjoint)."""
    return sum(abs(a - b) for a, b in zip(x_i, x_j, strict=True))


def location_quotients(matrix: pd.DataFrame) -> pd.DataFrame:
    """LQ_ik = (e_ik / e_i) / (E_k / E) for producing cities and segments made in the area.

    > 1: segment k is over-represented in city i compared with the area; 0: not made there.
    """
    area = area_shares(matrix)
    made = [k for k in matrix.index if area.get(k, 0.0) > TOL]
    shares = city_shares(matrix)
    return shares.loc[made].div(area[made], axis=0)


# ── balance: value added per capita across cities ───────────────────────────────────────────


def gini(values: Iterable[float]) -> float | None:
    """Gini coefficient, unweighted (every city counts once, whatever its population).

    G = Σ_i Σ_j |y_i − y_j| / (2 n² μ), 0 (all equal) .. (n − 1)/n (one city has everything);
    None when there is nothing to share (μ = 0) or no value.
    """
    y = [float(v) for v in values]
    n = len(y)
    if n == 0 or sum(y) <= TOL:
        return None
    mu = sum(y) / n
    return sum(abs(a - b) for a in y for b in y) / (2 * n * n * mu)


def theil_t(values: Iterable[float]) -> float | None:
    """Theil T index (GE(1)), unweighted: T = (1/N) Σ_i (y_i/μ) ln(y_i/μ), with 0 · ln 0 = 0.

    0 (all equal) .. ln N (one city has everything). Theil T, not Theil L (the mean log
    deviation), because a city without value added (y_i = 0) is common in a plan and Theil L is
    infinite there. None when μ = 0 or no value.
    """
    y = [float(v) for v in values]
    n = len(y)
    if n == 0 or sum(y) <= TOL:
        return None
    mu = sum(y) / n
    return sum((v / mu) * math.log(v / mu) for v in y if v > 0) / n


def hoover(value_added: Mapping[str, float], population: Mapping[str, float]) -> float | None:
    """Hoover index of value added against population: H = ½ Σ_i |VA_i/VA − P_i/P|.

    The share of the area's value added that would have to move for every city's share of it to
    equal its share of the population: 0 (proportional) .. 1 − min_i P_i/P. Over the cities with
    a population; None when they have no value added or no population.
    """
    va = {c: float(value_added.get(c, 0.0)) for c in population}
    total_va, total_pop = sum(va.values()), sum(float(p) for p in population.values())
    if total_va <= TOL or total_pop <= 0:
        return None
    return 0.5 * sum(abs(va[c] / total_va - float(p) / total_pop) for c, p in population.items())


def core_periphery_ratio(
    value_added: Mapping[str, float], population: Mapping[str, float], role: Mapping[str, str]
) -> float | None:
    """Value added per capita of the core cities over that of the periphery cities.

    ratio = (Σ_core VA_c / Σ_core pop_c) / (Σ_periphery VA_c / Σ_periphery pop_c), each group
    pooled (population-weighted); None when a group is empty or the periphery has no value added.
    """
    va = {"core": 0.0, "periphery": 0.0}
    pop = {"core": 0.0, "periphery": 0.0}
    for c, p in population.items():
        group = role.get(c, "periphery")
        va[group] += float(value_added.get(c, 0.0))
        pop[group] += float(p)
    if pop["core"] <= 0 or pop["periphery"] <= 0 or va["periphery"] <= TOL:
        return None
    return (va["core"] / pop["core"]) / (va["periphery"] / pop["periphery"])


# ── duplication ──────────────────────────────────────────────────────────────────────────────


def hosts_from_assignments(assignments: pd.DataFrame, column: str = "hosted") -> dict[str, list]:
    """Host cities per segment: the rows whose `column` is positive (`hosted` in a plan)."""
    hosts: dict[str, list[str]] = {}
    for row in assignments.itertuples(index=False):
        if getattr(row, column) > TOL:
            hosts.setdefault(row.segment, []).append(row.city)
    return hosts


def duplicated_segments(
    hosts: Mapping[str, Sequence[str]], max_hosts: Mapping[str, int | None]
) -> dict[str, dict[str, int]]:
    """Segments built in more cities than allowed: {segment: {hosts, max_hosts, extra}}.

    extra = |hosts_s| − max_hosts_s, the duplicated hosts e_s of SPEC §3; segments without a
    max_hosts are never duplicated.
    """
    out = {}
    for s, cities in hosts.items():
        limit = max_hosts.get(s)
        if limit is not None and len(cities) > limit:
            out[s] = {"hosts": len(cities), "max_hosts": limit, "extra": len(cities) - limit}
    return out


# ── resources ────────────────────────────────────────────────────────────────────────────────


USE_COLUMNS = ["city", "resource", "use", "capacity", "utilisation"]
"""Columns of a table of use against capacities (`utilisation`, `area_utilisation`)."""


def utilisation(cities: pd.DataFrame, resources: Sequence[str]) -> pd.DataFrame:
    """Use against capacity per city and resource, from the `use_<r>`/`capacity_<r>` columns.

    utilisation = use / capacity; rows only where a capacity is given (a missing one is
    unlimited). Columns: city, resource, use, capacity, utilisation.
    """
    rows = []
    for row in cities.to_dict("records"):
        for r in resources:
            cap = row.get(f"capacity_{r}")
            if cap is None or pd.isna(cap):
                continue
            rows.append(_used(row["city"], r, float(row.get(f"use_{r}") or 0.0), float(cap)))
    return pd.DataFrame(rows, columns=USE_COLUMNS)


def area_utilisation(cities: pd.DataFrame, caps: Mapping[str, float]) -> pd.DataFrame:
    """Use against an area-wide cap (area_cap) per capped resource: the cities' use summed, in
    rows of city AREA with the columns of `utilisation`."""
    rows = []
    for r, cap in caps.items():
        column = cities.get(f"use_{r}")
        use = float(column.fillna(0.0).sum()) if column is not None else 0.0
        rows.append(_used(AREA, r, use, float(cap)))
    return pd.DataFrame(rows, columns=USE_COLUMNS)


def _used(city: str, resource: str, use: float, capacity: float) -> dict:
    """A row of use against a capacity; utilisation = use / capacity (a use above a capacity of
    0 is an infinite share)."""
    share = use / capacity if capacity > 0 else (0.0 if use <= TOL else math.inf)
    return {
        "city": city,
        "resource": resource,
        "use": use,
        "capacity": capacity,
        "utilisation": share,
    }


def binding_resources(
    used: pd.DataFrame, shadow_prices: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Capacities that limit the plan, with their shadow prices when known.

    A capacity binds when its shadow price is positive (one more unit would lower the objective by
    that much, from the LP with the hosting decisions fixed) or, without prices or at a zero
    price, when it is full (utilisation ≥ 1 − 10⁻⁶). Sorted by shadow price, then utilisation.
    Columns: city, resource, use, capacity, utilisation, shadow_price (NaN when not known).
    """
    columns = ["city", "resource", "use", "capacity", "utilisation", "shadow_price"]
    table = used.copy()
    if shadow_prices is not None and len(shadow_prices):
        prices = shadow_prices[["city", "resource", "shadow_price"]]
        table = table.merge(prices, on=["city", "resource"], how="left")
    else:
        table["shadow_price"] = math.nan
    if table.empty:
        return pd.DataFrame(columns=columns)
    binds = (table["shadow_price"].fillna(0.0) > TOL) | (table["utilisation"] >= FULL)
    table = table[binds].sort_values(
        ["shadow_price", "utilisation"], ascending=False, na_position="last"
    )
    return table[columns].reset_index(drop=True)


# ── change against a reference and robustness across scenarios ──────────────────────────────


def moved_segments(
    hosts: Mapping[str, Sequence[str]], reference: Mapping[str, Sequence[str]]
) -> dict[str, dict[str, list[str]]]:
    """Segments whose host cities differ from the reference: {segment: {added, removed}}."""
    out = {}
    for s in sorted(set(hosts) | set(reference), key=_order(hosts, reference)):
        now, before = list(hosts.get(s, [])), list(reference.get(s, []))
        added = [c for c in now if c not in before]
        removed = [c for c in before if c not in now]
        if added or removed:
            out[s] = {"added": added, "removed": removed}
    return out


def city_changes(
    hosts: Mapping[str, Sequence[str]],
    reference: Mapping[str, Sequence[str]],
    value_added: Mapping[str, float],
    reference_value_added: Mapping[str, float],
    cities: Sequence[str],
) -> dict[str, dict]:
    """Per city: segments gained and lost against the reference, and the change in value added,
    in money and as a share of the area's value added (which growth of the whole area leaves
    alone, where the money change carries it: plans against today's smaller outputs).

    {city: {gained: [...], lost: [...], value_added_change: VA_c − VA_c(reference),
    value_added_share_change: VA_c / VA − VA_c(reference) / VA(reference)}} (None without
    value added on one side).
    """
    share_now, share_before = _shares(value_added, cities), _shares(reference_value_added, cities)
    out = {}
    for c in cities:
        now = [s for s, hs in hosts.items() if c in hs]
        before = [s for s, hs in reference.items() if c in hs]
        out[c] = {
            "gained": [s for s in now if s not in before],
            "lost": [s for s in before if s not in now],
            "value_added_change": float(value_added.get(c, 0.0))
            - float(reference_value_added.get(c, 0.0)),
            "value_added_share_change": (
                share_now[c] - share_before[c] if share_now and share_before else None
            ),
        }
    return out


def _shares(value_added: Mapping[str, float], cities: Sequence[str]) -> dict[str, float]:
    """Each city's share of the area's value added; empty when the area adds none."""
    total = sum(float(value_added.get(c, 0.0)) for c in cities)
    return {c: float(value_added.get(c, 0.0)) / total for c in cities} if total > TOL else {}


def robustness(
    hosts_by_scenario: Mapping[str, Mapping[str, Sequence[str]]],
    today: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """For every (segment, city) hosted in some scenario: in how many scenarios it is hosted.

    Columns: segment, city, scenarios (count), share (count / number of scenarios), in_all
    (hosted in every scenario: a safe first move), today (hosted today, when `today` is given).
    Rows in segment order of first appearance, most robust first within a segment.
    """
    n = len(hosts_by_scenario)
    counts: dict[tuple[str, str], int] = {}
    for hosts in hosts_by_scenario.values():
        for s, cities in hosts.items():
            for c in cities:
                counts[(s, c)] = counts.get((s, c), 0) + 1
    order = {s: i for i, s in enumerate(dict.fromkeys(s for s, _ in counts))}
    rows = [
        {
            "segment": s,
            "city": c,
            "scenarios": k,
            "share": k / n,
            "in_all": k == n,
            "today": bool(today is not None and c in today.get(s, [])),
        }
        for (s, c), k in sorted(counts.items(), key=lambda item: (order[item[0][0]], -item[1]))
    ]
    return pd.DataFrame(rows, columns=["segment", "city", "scenarios", "share", "in_all", "today"])


def _order(*dicts: Mapping[str, object]):
    """Sort key that keeps the order in which keys first appear across the given dicts."""
    rank = {k: i for i, k in enumerate(dict.fromkeys(k for d in dicts for k in d))}
    return rank.__getitem__
