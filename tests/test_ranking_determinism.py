"""The ranking is the same in every process: nothing in it leans on the
order sets and dicts of strings iterate in, which changes with the hash seed
from one process (or replica) to the next."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Answers every evaluation question (and a few asked by region and condition)
# as the API does, and prints them as JSON.
ANSWER_EVERYTHING = """
import json
from app.api.services import pain_sources
from app.api.catalog import Catalog
from app.data.dataset import load_dataset
from bench.eval import MUSCLE_SETS, load_questions

catalog = Catalog(load_dataset())
questions = [item["q"] for path in MUSCLE_SETS.values() for item in load_questions(path)]
answers = [pain_sources(catalog, q, [], [], None, "spillover", 20) for q in questions]
answers += [
    pain_sources(catalog, None, [region], [], None, "spillover", 100)
    for region in ("head", "shoulder", "lower-back", "knee", "foot")
]
answers.append(pain_sources(catalog, None, ["heel"], ["tennis-elbow"], "left", "essential", 10))
print(json.dumps(answers))
"""


def test_ranking_does_not_depend_on_hash_order() -> None:
    """Sets and dicts of strings iterate in an order that changes with
    PYTHONHASHSEED, so a ranking that leans on it differs between processes
    (and replicas): two processes with different seeds must answer alike."""
    root = Path(__file__).resolve().parent.parent
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", ANSWER_EVERYTHING],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for seed in ("1", "2")
    ]
    outputs = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err.decode()
        outputs.append(json.loads(out))
    first, second = outputs
    assert len(first) > 100 and sum(bool(answer["results"]) for answer in first) > 100
    for one, other in zip(first, second, strict=True):
        assert one == other, one["query"]
