"""Quality of the lookup on every evaluation set in tests/.

Muscle sets (eval_questions, eval_questions_holdout, eval_styles): each lay
question names the muscles that references list first for that complaint.
Printed per set, and per style where a set marks styles: recall@10 of those
muscles, the top-3 hit rate (at least one of them in the first three) and the
mean reciprocal rank of the first one found.

Red-flag set (eval_red_flags): sensitivity (emergency descriptions that get a
warning), specificity (ordinary complaints that get none), and how often the
warning's urgency is at least the one the set asks for.

    python bench/eval.py [--set NAME] [--misses]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.data.dataset import load_dataset  # noqa: E402
from app.lookup.engine import LookupEngine  # noqa: E402

TESTS = ROOT / "tests"
QUESTIONS = TESTS / "eval_questions.yaml"
# Written later by another author who never saw the ranking, and never used to
# tune it: a check that the main set's numbers are not overfitted.
HOLDOUT = TESTS / "eval_questions_holdout.yaml"
# Written blind, one style of writing per question (narrative, terse, ...).
STYLES = TESTS / "eval_styles.yaml"
MUSCLE_SETS = {"main": QUESTIONS, "held out": HOLDOUT, "styles": STYLES}
RED_FLAGS = TESTS / "eval_red_flags.yaml"
URGENCY_ORDER = {"soon": 0, "urgent": 1, "emergency": 2}


@dataclass(frozen=True)
class Outcome:
    question: str
    expected: tuple[str, ...]
    ranking: tuple[str, ...]
    style: str | None = None

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

    def by_style(self) -> dict[str, Metrics]:
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for outcome in self.outcomes:
            if outcome.style:
                groups[outcome.style].append(outcome)
        return {style: Metrics(tuple(group)) for style, group in sorted(groups.items())}


def load_questions(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def evaluate(engine: LookupEngine, questions: list[dict[str, Any]]) -> Metrics:
    outcomes = []
    for item in questions:
        answer = engine.answer(item["q"])
        ranking = tuple(r.muscle for r in answer.ranked)
        outcomes.append(Outcome(item["q"], tuple(item["expect"]), ranking, item.get("style")))
    return Metrics(tuple(outcomes))


@dataclass(frozen=True)
class RedFlagOutcome:
    question: str
    pattern: str | None  # None for an ordinary complaint
    wanted_urgency: str | None
    warned: tuple[tuple[str, str], ...]  # (slug, urgency) of each warning given

    @property
    def urgency_met(self) -> bool:
        if self.wanted_urgency is None:
            return True
        wanted = URGENCY_ORDER[self.wanted_urgency]
        return any(URGENCY_ORDER[urgency] >= wanted for _, urgency in self.warned)


@dataclass(frozen=True)
class RedFlagMetrics:
    emergencies: tuple[RedFlagOutcome, ...]
    ordinary: tuple[RedFlagOutcome, ...]

    @property
    def sensitivity(self) -> float:
        return sum(bool(o.warned) for o in self.emergencies) / len(self.emergencies)

    @property
    def specificity(self) -> float:
        return sum(not o.warned for o in self.ordinary) / len(self.ordinary)

    @property
    def urgency_agreement(self) -> float:
        """Share of emergency descriptions warned at least as urgently as asked."""
        return sum(o.urgency_met for o in self.emergencies) / len(self.emergencies)

    def misses(self) -> list[RedFlagOutcome]:
        return [o for o in self.emergencies if not o.warned] + [
            o for o in self.ordinary if o.warned
        ]


def evaluate_red_flags(engine: LookupEngine, path: Path = RED_FLAGS) -> RedFlagMetrics:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    def outcome(item: dict[str, Any], pattern: str | None) -> RedFlagOutcome:
        flags = engine.red_flags(item["q"])
        warned = tuple((f.rule.slug, f.rule.urgency) for f in flags)
        return RedFlagOutcome(item["q"], pattern, item.get("urgency"), warned)

    return RedFlagMetrics(
        tuple(outcome(item, item["pattern"]) for item in data["emergencies"]),
        tuple(outcome(item, None) for item in data["ordinary"]),
    )


def _print_misses(metrics: Metrics) -> None:
    for outcome in metrics.outcomes:
        if outcome.recall_at_10 < 1 or not outcome.top3_hit:
            missing = [m for m in outcome.expected if m not in outcome.ranking[:10]]
            style = f" [{outcome.style}]" if outcome.style else ""
            print(f"- {outcome.question!r}{style}")
            print(f"    expected {list(outcome.expected)}; missing from top 10: {missing}")
            print(f"    top 5: {list(outcome.ranking[:5])}")


def _row(name: str, metrics: Metrics) -> str:
    return (
        f"{name:22} {len(metrics.outcomes):5d} {metrics.recall_at_10:9.3f} "
        f"{metrics.top3:7.3f} {metrics.mrr:7.3f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=[*MUSCLE_SETS, "red flags"], help="show this set's misses")
    parser.add_argument("--misses", action="store_true", help="list the misses of --set")
    args = parser.parse_args()
    engine = LookupEngine(load_dataset())

    print(f"{'set':22} {'n':>5} {'recall@10':>9} {'top-3':>7} {'MRR':>7}")
    for name, path in MUSCLE_SETS.items():
        if not path.exists():
            continue
        metrics = evaluate(engine, load_questions(path))
        print(_row(name, metrics))
        for style, part in metrics.by_style().items():
            print(_row(f"  {style}", part))
        if args.misses and args.set == name:
            _print_misses(metrics)

    if RED_FLAGS.exists():
        flags = evaluate_red_flags(engine)
        print(
            f"\nred flags: sensitivity {flags.sensitivity:.3f} "
            f"({len(flags.emergencies)} emergencies), specificity {flags.specificity:.3f} "
            f"({len(flags.ordinary)} ordinary), urgency at least as asked "
            f"{flags.urgency_agreement:.3f}"
        )
        if args.misses and args.set == "red flags":
            for miss in flags.misses():
                label = miss.pattern or "ordinary"
                print(f"- [{label}] {miss.question!r} -> {[slug for slug, _ in miss.warned]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
