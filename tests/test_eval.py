"""The lookup's quality on the evaluation set (tests/eval_questions.yaml):
lay questions across the whole body, each with the muscles references list
first. bench/eval.py prints the same numbers with the misses."""

from __future__ import annotations

import pytest

from app.dataset import Dataset
from app.lookup.engine import LookupEngine
from bench.eval import HOLDOUT, evaluate, load_questions


@pytest.fixture(scope="module")
def metrics(dataset: Dataset):  # type: ignore[no-untyped-def]
    return evaluate(LookupEngine(dataset), load_questions())


def test_the_set_is_broad(dataset: Dataset) -> None:
    questions = load_questions()
    assert len(questions) >= 80
    for item in questions:
        assert item["expect"] and item["source"], item["q"]
        assert set(item["expect"]) <= set(dataset.muscles), item["q"]


def test_recall_at_10(metrics) -> None:  # type: ignore[no-untyped-def]
    assert metrics.recall_at_10 >= 0.95


def test_top_3_hit_rate(metrics) -> None:  # type: ignore[no-untyped-def]
    assert metrics.top3 >= 0.90


def test_held_out_set_does_not_collapse(dataset: Dataset) -> None:
    """The held-out set was never used for tuning; it guards against a ranking
    that only fits the main set. Its bar is lower: it is harder and unseen."""
    held_out = evaluate(LookupEngine(dataset), load_questions(HOLDOUT))
    assert len(held_out.outcomes) >= 50
    assert held_out.recall_at_10 >= 0.90
    assert held_out.top3 >= 0.80
