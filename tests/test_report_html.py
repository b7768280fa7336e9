"""report.html: every plan and every chart present, nothing fetched from the network, and the
page renders in a real headless browser (skipped when no Chromium is installed)."""

from __future__ import annotations

import json
import re
import struct
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import solve
from reports import charts, city_map
from reports.compare import main as compare_main
from reports.compare import render
from reports.html_plan import _points
from reports.screenshot import find_browser, screenshot
from tests.tiny import instance, segment, two_cities

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "example.json"
SCENARIOS = ["baseline", "green", "balanced", "core_packs"]


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.stack: list[str] = []
        self.inside: list[tuple[str, dict[str, str], tuple[str, ...]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        self.inside.append((tag, attributes, tuple(self.stack)))
        self.stack.append(attributes.get("id", ""))

    def handle_startendtag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        self.inside.append((tag, attributes, tuple(self.stack)))

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()


def charts_in(page: Elements, section: str) -> set[str]:
    """Chart classes of the <svg> elements inside the element with id `section`."""
    found = set()
    for tag, attrs, ancestors in page.inside:
        if tag == "svg" and section in ancestors:
            found.update(attrs.get("class", "").split())
    return found


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    """The shared example solved, with a hand-written shadow_prices.csv for `baseline` and
    `balanced` turned into an infeasible scenario (no tables), then rendered."""
    out = tmp_path_factory.mktemp("example")
    assert solve.main([str(EXAMPLE), "--out", str(out), "--quiet"]) == 0
    pd.DataFrame(
        {
            "city": ["east", "core"],
            "resource": ["land", "land"],
            "use": [398.018868, 3.0],
            "capacity": [400.0, 150.0],
            "utilisation": [0.995047, 0.02],
            "shadow_price": [0.25, 0.0],
        }
    ).to_csv(out / "baseline" / "shadow_prices.csv", index=False)
    summary = json.loads((out / "balanced" / "summary.json").read_text(encoding="utf-8"))
    summary |= {"status": "infeasible", "diagnosis": ["balance cannot hold (test)"]}
    (out / "balanced" / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    for table in ("assignments", "flows", "cities"):
        (out / "balanced" / f"{table}.csv").unlink()
    render(out, EXAMPLE, reference="baseline")
    return out


@pytest.fixture(scope="module")
def page(results) -> tuple[str, Elements]:
    text = (results / "report.html").read_text(encoding="utf-8")
    parser = Elements()
    parser.feed(text)
    return text, parser


def test_every_plan_has_a_section_today_first(page):
    _, parsed = page
    sections = [
        a["id"] for tag, a in parsed.tags if tag == "section" and "scenario" in a.get("class", "")
    ]
    assert sections == ["plan-today", *[f"plan-{s}" for s in SCENARIOS]]


def test_each_plan_has_its_map_and_heat_map(page):
    text, parsed = page
    for sid in ["today", "baseline", "green", "core_packs"]:
        assert {"city-map", "heatmap"} <= charts_in(parsed, f"plan-{sid}"), sid
    assert charts_in(parsed, "plan-balanced") == set()
    assert "No plan for this scenario" in text and "balance cannot hold (test)" in text


def test_overview_has_the_stacked_bars_indicator_charts_and_table(page):
    text, parsed = page
    assert "objective-bars" in charts_in(parsed, "objective-terms")
    assert "indicator-bars" in charts_in(parsed, "indicator-bars")
    assert "heatmap" in charts_in(parsed, "robustness")
    table = re.search(r'<table class="indicator-table" id="indicator-table">.*?</table>', text)
    assert table and all(f"#plan-{s}" in table.group(0) for s in ["today", *SCENARIOS])


def test_city_table_shows_each_citys_change_of_share_against_the_reference(results, page):
    """The reference is `baseline`: green's change of each city's share of the area's value
    added, in points, worked out here from the two plans' cities.csv."""
    text, _ = page
    section = text[text.index('id="plan-green"') :]
    table = section[section.index('class="city-table"') : section.index("</table>")]
    shares = {}
    for sid in ("baseline", "green"):
        va = pd.read_csv(results / sid / "cities.csv").set_index("city").value_added
        shares[sid] = va / va.sum()
    cells = re.findall(r'<td[^>]*><span class="(up|down|)">([^<]*)</span></td>', table)
    points = [value for _, value in cells][1::2]  # after each city's change in money
    expected = [
        f"{100 * (shares['green'][c] - shares['baseline'][c]):+.1f}" for c in shares["green"].index
    ]
    assert points == expected and any(p != "+0.0" for p in points)
    changes = cells[0::2]  # each city's change of value added: a gain is signed like the points
    assert all(text.startswith("+") == (cls == "up") for cls, text in changes)
    assert any(cls == "up" for cls, _ in changes) and any(cls == "down" for cls, _ in changes)


def test_without_a_sweep_there_is_no_sweep_section(page):
    text, parsed = page
    assert "sweep" not in [a.get("id") for _, a in parsed.tags]
    assert "#sweep" not in text and "Robustness under uncertainty" not in text


def test_names_are_bilingual_and_shadow_prices_are_read(page):
    text, _ = page
    assert "核心市 Core" in text and "东市 East" in text
    assert "one more ha of Industrial land in East saves 0.25 亿元" in text


def test_nothing_is_fetched_from_the_network(page):
    text, parsed = page
    for tag, attrs in parsed.tags:
        assert tag not in ("script", "link", "iframe", "img"), tag
        for name in ("src", "href", "xlink:href"):
            value = attrs.get(name, "")
            assert not value or value.startswith("#"), (tag, name, value)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)
    assert "@import" not in text


def test_map_puts_north_up_and_east_right():
    cities = [
        city_map.MapCity("n", "N", lat=33.0, lon=118.5, value_added=1.0, core=False),
        city_map.MapCity("s", "S", lat=31.0, lon=118.5, value_added=1.0, core=False),
        city_map.MapCity("e", "E", lat=32.0, lon=119.5, value_added=1.0, core=True),
        city_map.MapCity("x", "no coordinates", lat=None, lon=None, value_added=0.0, core=False),
    ]
    pos = city_map.project(cities, 500, 500, (50, 50))
    assert pos["n"][1] < pos["s"][1] and pos["e"][0] > pos["n"][0]
    assert set(pos) == {"n", "s", "e", "x"}


def test_compare_command_rerenders_without_solving(results, capsys):
    (results / "report.html").unlink()
    assert compare_main([str(results), "--instance", str(EXAMPLE)]) == 0
    assert (results / "report.html").exists()
    assert f"wrote {results / 'report.html'}" in capsys.readouterr().out.splitlines()
    assert compare_main([str(results), "--instance", str(EXAMPLE), "--reference", "nope"]) == 3
    assert "nope" in capsys.readouterr().err


def test_compare_command_without_results(tmp_path, capsys):
    assert compare_main([str(tmp_path), "--instance", str(EXAMPLE)]) == 3
    assert "solve.py" in capsys.readouterr().err


@pytest.mark.skipif(find_browser() is None, reason="no Chromium installed")
def test_renders_in_headless_chromium(results, tmp_path):
    png = screenshot(results / "report.html", tmp_path / "report.png", width=1280, height=1600)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 1600)
    assert len(data) > 30_000  # a blank page is a few kB


def test_a_share_change_reads_in_points_never_minus_zero():
    assert [_points(x) for x in (0.0123, -0.0456, -0.0004, 0.0, None)] == [
        "+1.2",
        "-4.6",
        "+0.0",
        "+0.0",
        "—",
    ]


def test_imports_are_listed_and_marked_on_the_map(tmp_path):
    """s (10, sold in b) is made only in the gateway a, which has land for 4; 6 are imported and
    arrive at a, which ships all 10 to b: the plan lists the import and the arrow's tooltip
    says how much of the shipment was imported (flows.csv's `imported`)."""
    cities = two_cities()
    cities["cities"][0]["capacity"] = {"land": 4}
    seg = segment(
        "s", 10, eligible_cities=["a"], resource_use={"land": 1}, import_cost=1, markets={"b": 1}
    )
    path = tmp_path / "imports.json"
    path.write_text(json.dumps(instance(segments=[seg], **cities)), encoding="utf-8")
    assert solve.main([str(path), "--out", str(tmp_path / "out"), "--quiet", "--report"]) == 0
    text = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "imports (亿元 gross output, via A): s 6" in text
    assert "A → B: 10 亿元 gross output (s 10 (6 imported))" in text


def test_bar_tooltips_show_counts_whole():
    bars = charts.small_bars("duplicated hosts", [("today", 4.0), ("green", 0.1234)], "today")
    assert "<title>today: 4</title>" in bars and "<title>green: 0.123</title>" in bars
