"""The population every test module of this folder reads: 2,000 subjects, generated once per module."""

from __future__ import annotations

import pytest

from creditbridge.population import Population, generate_population
from tests.unit.population.population_for_tests import make_config


@pytest.fixture(scope="module")
def population() -> Population:
    """2,000 subjects over a bank and two lenders, as of 2025-06-30."""
    return generate_population(make_config())
