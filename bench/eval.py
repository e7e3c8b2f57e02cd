"""Quality of /v1/pain-sources on the evaluation set in tests/eval_questions.yaml.

For each lay question the set names the muscles that references list first
for that complaint. This prints recall@10 of those muscles, the top-3 hit rate
(at least one of them in the first three) and the mean reciprocal rank of the
first one found, plus the questions that miss.

    python bench/eval.py [--verbose]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.dataset import load_dataset  # noqa: E402
from app.lookup.engine import LookupEngine  # noqa: E402

QUESTIONS = ROOT / "tests" / "eval_questions.yaml"
# Written later by another author who never saw the ranking, and never used to
# tune it: a check that the main set's numbers are not overfitted.
HOLDOUT = ROOT / "tests" / "eval_questions_holdout.yaml"


@dataclass(frozen=True)
class Outcome:
    question: str
    expected: tuple[str, ...]
    ranking: tuple[str, ...]

    @property
    def recall_at_10(self) -> float:
        return len(set(self.expected) & set(self.ranking[:10])) / len(self.expected)

    @property
    def top3_hit(self) -> bool:
        return bool(set(self.expected) & set(self.ranking[:3]))

    @property
    def reciprocal_rank(self) -> float:
        for position, muscle in enumerate(self.ranking, start=1):
            if muscle in self.expected:
                return 1 / position
        return 0.0


@dataclass(frozen=True)
class Metrics:
    outcomes: tuple[Outcome, ...]

    @property
    def recall_at_10(self) -> float:
        return sum(o.recall_at_10 for o in self.outcomes) / len(self.outcomes)

    @property
    def top3(self) -> float:
        return sum(o.top3_hit for o in self.outcomes) / len(self.outcomes)

    @property
    def mrr(self) -> float:
        return sum(o.reciprocal_rank for o in self.outcomes) / len(self.outcomes)


def load_questions(path: Path = QUESTIONS) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def evaluate(engine: LookupEngine, questions: list[dict]) -> Metrics:
    outcomes = []
    for item in questions:
        answer = engine.answer(item["q"])
        outcomes.append(
            Outcome(item["q"], tuple(item["expect"]), tuple(r.muscle for r in answer.ranked))
        )
    return Metrics(tuple(outcomes))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="show every question")
    parser.add_argument("--holdout", action="store_true", help="show the held-out set's misses")
    args = parser.parse_args()
    engine = LookupEngine(load_dataset())
    main_set, holdout = (
        evaluate(engine, load_questions()),
        evaluate(engine, load_questions(HOLDOUT)),
    )
    shown = holdout if args.holdout else main_set
    for outcome in shown.outcomes:
        if args.verbose or outcome.recall_at_10 < 1 or not outcome.top3_hit:
            missing = [m for m in outcome.expected if m not in outcome.ranking[:10]]
            print(f"- {outcome.question!r}")
            print(f"    expected {list(outcome.expected)}; missing from top 10: {missing}")
            print(f"    top 5: {list(outcome.ranking[:5])}")
    print(f"{'':12} {'main':>8} {'held out':>9}")
    print(f"{'questions':12} {len(main_set.outcomes):8d} {len(holdout.outcomes):9d}")
    print(f"{'recall@10':12} {main_set.recall_at_10:8.3f} {holdout.recall_at_10:9.3f}")
    print(f"{'top-3 hit':12} {main_set.top3:8.3f} {holdout.top3:9.3f}")
    print(f"{'MRR':12} {main_set.mrr:8.3f} {holdout.mrr:9.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
