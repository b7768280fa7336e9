"""Instances too large for the machine are refused with their numbers and how to shrink them,
before the memory fills: the shipment routes are counted while they are made."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import models.scenario
import models.size
import solve
from models.problems import InvalidInstance
from models.scenario import load_document

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "instances" / "tiny.json"


def test_routes_past_the_budget_stop_the_load(monkeypatch):
    """tiny.json's baseline has 4 + 6 routes (parts: east, west to the assembly hosts hub, east;
    assembly: hub, east to the three markets); a budget of 5 is passed at 'assembly'."""
    monkeypatch.setattr(models.scenario, "route_budget", lambda: 5)
    with pytest.raises(InvalidInstance) as err:
        load_document(json.loads(TINY.read_text(encoding="utf-8")))
    report = err.value.report()
    assert "scenario 'baseline' is too large for this machine: more than 5 shipment" in report
    assert "'assembly' alone has 6 shipment routes" in report
    assert "tighten eligibility" in report


def test_model_past_the_memory_is_refused_before_solving(monkeypatch, tmp_path, capsys):
    """Routes fit, but the whole model (150 MB of base alone) does not fit in 100 MB."""
    monkeypatch.setattr(models.size, "available_memory", lambda: 100e6)
    monkeypatch.setattr(models.scenario, "route_budget", lambda: 10**6)
    assert solve.main([str(TINY), "--out", str(tmp_path / "out")]) == solve.EXIT_INVALID
    assert "is too large for this machine" in capsys.readouterr().err
    assert not (tmp_path / "out" / "baseline").exists()
