"""The ratchet: no score on the five gold articles may fall below its recorded floor."""
from __future__ import annotations

import json

import pytest

from depeche.evaluate import evaluate, flat_scores

from .conftest import REPO

FLOORS = json.loads((REPO / "tests" / "score_floors.json").read_text())


@pytest.fixture(scope="module")
def scores(built):
    return flat_scores(evaluate(REPO / "tests" / "gold", built))


@pytest.mark.parametrize("key", sorted(FLOORS))
def test_score_at_or_above_its_floor(scores, key):
    assert scores[key] >= FLOORS[key], f"{key} fell to {scores[key]:.4f} (floor {FLOORS[key]:.4f})"


def test_every_score_has_a_floor(scores):
    assert set(scores) == set(FLOORS)
