"""Indicators of the division of labour, against values worked out by hand on tiny structures."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

import solve
from reports import indicators as ind
from reports.compare import render

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "example.json"


def matrix(**cities: dict[str, float]) -> pd.DataFrame:
    """e_ik as a segment × city table from {city: {segment: output}}."""
    return pd.DataFrame(cities).fillna(0.0).astype(float)


# ── specialisation ──────────────────────────────────────────────────────────────────────────


def test_identical_structures_have_similarity_one():
    """Shares (0.75, 0.25) in both cities, whatever their size: S = 1."""
    m = matrix(a={"p": 3, "q": 1}, b={"p": 300, "q": 100})
    assert ind.similarity([0.75, 0.25], [0.75, 0.25]) == pytest.approx(1.0)
    assert ind.mean_similarity(m) == pytest.approx(1.0)


def test_disjoint_structures_have_similarity_zero():
    m = matrix(a={"p": 5}, b={"q": 2}, c={"r": 1})
    assert ind.similarity([1, 0], [0, 1]) == 0.0
    assert ind.mean_similarity(m) == 0.0
    assert ind.similarity_matrix(m).loc["a", "b"] == 0.0


def test_similarity_worked_example():
    """x_a = (0.75, 0.25), x_b = (0.25, 0.75):
    S = (0.75·0.25 + 0.25·0.75) / (0.75² + 0.25²) = 0.375 / 0.625 = 0.6."""
    m = matrix(a={"p": 3, "q": 1}, b={"p": 1, "q": 3})
    assert ind.similarity_matrix(m).loc["a", "b"] == pytest.approx(0.6)
    assert ind.mean_similarity(m) == pytest.approx(0.6)


def test_city_without_output_is_left_out_of_the_structure_indicators():
    """A city that makes nothing has no shares: two identical producers give S = 1, not 2/3."""
    m = matrix(a={"p": 1, "q": 1}, b={"p": 2, "q": 2}, idle={"p": 0.0})
    assert ind.producing_cities(m) == ["a", "b"]
    assert ind.mean_similarity(m) == pytest.approx(1.0)
    assert set(ind.krugman_indices(m)) == {"a", "b"}
    assert ind.mean_similarity(matrix(a={"p": 1}, idle={"p": 0.0})) is None


def test_krugman_and_location_quotients_two_cities():
    """City A makes p 6, q 2 (e_A = 8: x_A = 0.75, 0.25); city B p 1, q 1 (x_B = 0.5, 0.5).
    Area: E_p = 7, E_q = 3, E = 10, so X = (0.7, 0.3).

    KSI_A = |0.75 − 0.7| + |0.25 − 0.3| = 0.1;  KSI_B = |0.5 − 0.7| + |0.5 − 0.3| = 0.4;
    K_AB = |0.75 − 0.5| + |0.25 − 0.5| = 0.5.
    LQ_Ap = 0.75/0.7 = 15/14, LQ_Aq = 0.25/0.3 = 5/6, LQ_Bp = 0.5/0.7 = 5/7, LQ_Bq = 0.5/0.3 = 5/3.
    """
    m = matrix(A={"p": 6, "q": 2}, B={"p": 1, "q": 1})
    assert ind.krugman_indices(m) == pytest.approx({"A": 0.1, "B": 0.4})
    assert ind.krugman_pair([0.75, 0.25], [0.5, 0.5]) == pytest.approx(0.5)
    lq = ind.location_quotients(m)
    assert lq.loc["p", "A"] == pytest.approx(15 / 14)
    assert lq.loc["q", "A"] == pytest.approx(5 / 6)
    assert lq.loc["p", "B"] == pytest.approx(5 / 7)
    assert lq.loc["q", "B"] == pytest.approx(5 / 3)


def test_krugman_bounds():
    """Same mix as the area: 0; two disjoint cities of equal size: |1 − 0.5| + |0 − 0.5| = 1."""
    assert ind.krugman_indices(matrix(a={"p": 1, "q": 1}, b={"p": 3, "q": 3})) == pytest.approx(
        {"a": 0.0, "b": 0.0}
    )
    assert ind.krugman_indices(matrix(a={"p": 1}, b={"q": 1})) == pytest.approx(
        {"a": 1.0, "b": 1.0}
    )


def test_output_matrix_keeps_the_given_order_and_empty_rows():
    a = pd.DataFrame(
        {"segment": ["q", "p"], "city": ["b", "a"], "output": [2.0, 1.0], "hosted": [1, 1]}
    )
    m = ind.output_matrix(a, segments=["p", "q", "r"], cities=["a", "b", "c"])
    assert m.index.tolist() == ["p", "q", "r"] and m.columns.tolist() == ["a", "b", "c"]
    assert m.loc["q", "b"] == 2.0 and m.loc["r"].sum() == 0.0


# ── balance ─────────────────────────────────────────────────────────────────────────────────


def test_gini():
    """Equal values: 0. (0, 0, 0, 1): μ = 1/4, Σ_i Σ_j |y_i − y_j| = 6, G = 6 / (2·16·1/4) = 3/4.
    (1, 3): μ = 2, ΣΣ = 4, G = 4 / (2·4·2) = 1/4."""
    assert ind.gini([5, 5, 5]) == 0.0
    assert ind.gini([0, 0, 0, 1]) == pytest.approx(0.75)
    assert ind.gini([1, 3]) == pytest.approx(0.25)
    assert ind.gini([0, 0]) is None and ind.gini([]) is None


def test_theil_t():
    """Equal values: 0. (1, 3): μ = 2, T = ½ (½ ln ½ + 1.5 ln 1.5) = 0.130812.
    One city of n = 4 has everything: T = ln 4 (its maximum)."""
    assert ind.theil_t([2, 2, 2]) == pytest.approx(0.0)
    assert ind.theil_t([1, 3]) == pytest.approx(0.5 * (0.5 * math.log(0.5) + 1.5 * math.log(1.5)))
    assert ind.theil_t([1, 3]) == pytest.approx(0.130812, abs=1e-6)
    assert ind.theil_t([0, 0, 0, 7]) == pytest.approx(math.log(4))


def test_core_periphery_ratio_pools_each_group():
    """Core: VA 100 over 50 万人 = 2. Periphery: (30 + 10) over (20 + 20) = 1. Ratio 2."""
    va = {"core": 100, "p1": 30, "p2": 10}
    pop = {"core": 50, "p1": 20, "p2": 20}
    role = {"core": "core", "p1": "periphery", "p2": "periphery"}
    assert ind.core_periphery_ratio(va, pop, role) == pytest.approx(2.0)
    assert ind.core_periphery_ratio({"core": 1}, pop, role) is None  # periphery has nothing


def test_hoover():
    """VA 30 / 10 against population 1 / 1: shares 0.75 / 0.25 against 0.5 / 0.5, H = ½ (0.25 +
    0.25) = 0.25. Proportional: 0. All value in a city of a quarter of the people: ½ (0.75 +
    0.75) = 0.75. A city without population is left out."""
    assert ind.hoover({"a": 30, "b": 10}, {"a": 1, "b": 1}) == pytest.approx(0.25)
    assert ind.hoover({"a": 20, "b": 60}, {"a": 10, "b": 30}) == pytest.approx(0.0)
    assert ind.hoover({"a": 5, "x": 99}, {"a": 1, "b": 3}) == pytest.approx(0.75)
    assert ind.hoover({"a": 0}, {"a": 1, "b": 1}) is None


# ── duplication, resources, change, robustness ──────────────────────────────────────────────


def test_duplicated_segments():
    hosts = {"cells": ["a", "b", "c"], "packs": ["a", "b"], "rd": ["a", "b", "c"]}
    limits = {"cells": 2, "packs": 2, "rd": None}
    assert ind.duplicated_segments(hosts, limits) == {
        "cells": {"hosts": 3, "max_hosts": 2, "extra": 1}
    }


def test_hosts_from_assignments():
    a = pd.DataFrame(
        {"segment": ["s", "s", "t"], "city": ["a", "b", "a"], "hosted": [1, 0, 1], "output": 1.0}
    )
    assert ind.hosts_from_assignments(a) == {"s": ["a"], "t": ["a"]}


def test_utilisation_and_binding_resources_with_shadow_prices():
    """a: land 80 of 100 (0.8), water 50 of 50 (full); b: land 40 of 40 (full), no water cap.
    Prices: a/water 0 (full, degenerate), b/land 0.35. Binding: b/land first (price), then
    a/water (full)."""
    cities = pd.DataFrame(
        {
            "city": ["a", "b"],
            "use_land": [80.0, 40.0],
            "capacity_land": [100.0, 40.0],
            "use_water": [50.0, 3.0],
            "capacity_water": [50.0, None],
        }
    )
    used = ind.utilisation(cities, ["land", "water"])
    assert used[["city", "resource"]].values.tolist() == [
        ["a", "land"],
        ["a", "water"],
        ["b", "land"],
    ]
    assert used.utilisation.tolist() == pytest.approx([0.8, 1.0, 1.0])
    prices = pd.DataFrame(
        {
            "city": ["a", "a", "b"],
            "resource": ["land", "water", "land"],
            "use": [80.0, 50.0, 40.0],
            "capacity": [100.0, 50.0, 40.0],
            "utilisation": [0.8, 1.0, 1.0],
            "shadow_price": [0.0, 0.0, 0.35],
        }
    )
    binding = ind.binding_resources(used, prices)
    assert binding[["city", "resource"]].values.tolist() == [["b", "land"], ["a", "water"]]
    assert binding.shadow_price.tolist() == pytest.approx([0.35, 0.0])
    without = ind.binding_resources(used)
    assert len(without) == 2 and without.shadow_price.isna().all()


def test_change_against_reference():
    ref = {"cells": ["a"], "packs": ["a", "b"]}
    now = {"cells": ["a", "c"], "packs": ["a", "b"], "rd": ["b"]}
    assert ind.moved_segments(now, ref) == {
        "cells": {"added": ["c"], "removed": []},
        "rd": {"added": ["b"], "removed": []},
    }
    changes = ind.city_changes(now, ref, {"a": 5, "c": 2}, {"a": 7}, ["a", "b", "c"])
    # shares of the area's 7: a 5/7 and c 2/7, against a 7/7 before
    assert changes["c"] == {
        "gained": ["cells"],
        "lost": [],
        "value_added_change": 2.0,
        "value_added_share_change": pytest.approx(2 / 7),
    }
    assert changes["a"]["value_added_change"] == -2.0 and changes["b"]["gained"] == ["rd"]
    assert changes["a"]["value_added_share_change"] == pytest.approx(-2 / 7)
    assert changes["b"]["value_added_share_change"] == 0


def test_a_share_change_leaves_out_growth_of_the_whole_area():
    """Every city doubles: value added changes, shares do not; against an area that added
    nothing, a share change is not defined."""
    changes = ind.city_changes({}, {}, {"a": 6, "b": 2}, {"a": 3, "b": 1}, ["a", "b"])
    assert [changes[c]["value_added_change"] for c in "ab"] == [3.0, 1.0]
    assert [changes[c]["value_added_share_change"] for c in "ab"] == [0.0, 0.0]
    changes = ind.city_changes({}, {}, {"a": 6, "b": 2}, {}, ["a", "b"])
    assert changes["a"]["value_added_share_change"] is None


def test_robustness_counts_scenarios_and_finds_safe_moves():
    plans = {
        "one": {"cells": ["a"], "packs": ["b"]},
        "two": {"cells": ["a", "c"], "packs": ["a"]},
    }
    rob = ind.robustness(plans, today={"cells": ["a"]})
    counts = {(r.segment, r.city): r.scenarios for r in rob.itertuples()}
    assert counts == {("cells", "a"): 2, ("cells", "c"): 1, ("packs", "b"): 1, ("packs", "a"): 1}
    safe = rob[rob.in_all]
    assert safe[["segment", "city"]].values.tolist() == [["cells", "a"]]
    assert bool(safe.today.iloc[0]) and rob.share.max() == 1.0


# ── indicators.json and comparison.csv from a solved example ───────────────────────────────


def test_render_writes_indicators_and_extends_comparison(tmp_path):
    """The shared example: the green plan hosts materials and cells in both periphery cities
    where max_hosts is 1, so 2 duplicated segments, as summary.json says."""
    assert solve.main([str(EXAMPLE), "--out", str(tmp_path), "--quiet"]) == 0
    render(tmp_path, EXAMPLE, reference="baseline")
    green = json.loads((tmp_path / "green" / "indicators.json").read_text(encoding="utf-8"))
    assert set(green) >= {"duplication", "specialisation", "balance", "resources", "change"}
    assert set(green["duplication"]["duplicated_segments"]) == {"materials", "cells"}
    assert green["change"]["reference"] == "baseline"
    assert 0 <= green["specialisation"]["mean_similarity"] <= 1
    comparison = pd.read_csv(tmp_path / "comparison.csv")
    assert {"duplicated_segments", "mean_similarity", "gini_va_per_capita"} <= set(comparison)
    assert comparison.scenario.tolist() == ["baseline", "green", "balanced", "core_packs"]
    assert comparison.set_index("scenario").at["green", "duplicated_segments"] == 2
    assert (tmp_path / "today_indicators.json").exists()
    render(tmp_path, EXAMPLE)  # again, default reference: same columns, no duplicates
    again = pd.read_csv(tmp_path / "comparison.csv")
    assert again.columns.tolist() == comparison.columns.tolist()
    assert again.reference.unique().tolist() == ["today"]
