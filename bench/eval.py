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
    args = parser.parse_args()
    metrics = evaluate(LookupEngine(load_dataset()), load_questions())
    for outcome in metrics.outcomes:
        if args.verbose or outcome.recall_at_10 < 1 or not outcome.top3_hit:
            missing = [m for m in outcome.expected if m not in outcome.ranking[:10]]
            print(f"- {outcome.question!r}")
            print(f"    expected {list(outcome.expected)}; missing from top 10: {missing}")
            print(f"    top 5: {list(outcome.ranking[:5])}")
    print(f"questions   {len(metrics.outcomes)}")
    print(f"recall@10   {metrics.recall_at_10:.3f}")
    print(f"top-3 hit   {metrics.top3:.3f}")
    print(f"MRR         {metrics.mrr:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
