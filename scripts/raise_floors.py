"""Raise tests/score_floors.json to the scores of the packaged tables; a floor never goes down."""
import json
import math
from pathlib import Path

from depeche.evaluate import evaluate, flat_scores

REPO = Path(__file__).resolve().parent.parent
path = REPO / "tests" / "score_floors.json"
floors = json.loads(path.read_text()) if path.exists() else {}
scores = flat_scores(evaluate(REPO / "tests" / "gold", REPO / "dataset" / "tables"))
raised = {key: max(floors.get(key, 0.0), math.floor(value * 10_000) / 10_000) for key, value in scores.items()}
path.write_text(json.dumps(raised, indent=2, sort_keys=True) + "\n")
for key in sorted(raised):
    if raised[key] != floors.get(key):
        print(f"{key}: {floors.get(key)} -> {raised[key]}")
