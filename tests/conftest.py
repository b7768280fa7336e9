"""Shared fixtures."""

from __future__ import annotations

import shutil
import tempfile

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from tests import tiny

_hypothesis_home = tempfile.mkdtemp(prefix="hypothesis-")


def pytest_configure(config):
    """Hypothesis keeps its example database and caches in a temporary folder, not in the
    repository (set before any test module is collected)."""
    set_hypothesis_home_dir(_hypothesis_home)


def pytest_unconfigure(config):
    shutil.rmtree(_hypothesis_home, ignore_errors=True)


@pytest.fixture(params=tiny.FORMULATIONS)
def each_formulation(request, monkeypatch):
    """Run the test once per formulation: SPEC §3 alone, and with the valid inequalities."""
    monkeypatch.setattr(tiny, "formulation", request.param)
    return request.param
