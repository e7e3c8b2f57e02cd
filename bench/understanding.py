"""How long understanding one question takes: every question of every
evaluation set, each read once by a fresh engine (so no remembered spelling
correction helps), then again (remembered words).

    python bench/understanding.py [--repeat N]

Prints the median, 95th percentile and slowest time of ``understand()`` and
of the red-flag check, and the slowest questions.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from app.data.dataset import load_dataset  # noqa: E402
from app.lookup.engine import LookupEngine  # noqa: E402
from app.lookup.understanding import understand  # noqa: E402
from bench.eval import MUSCLE_SETS, RED_FLAGS, load_questions  # noqa: E402


def all_questions() -> list[str]:
    questions = [item["q"] for path in MUSCLE_SETS.values() for item in load_questions(path)]
    flags = yaml.safe_load(RED_FLAGS.read_text(encoding="utf-8"))
    questions += [item["q"] for part in ("emergencies", "ordinary") for item in flags[part]]
    return questions


def timings(engine: LookupEngine, questions: list[str], repeat: int) -> dict[str, list[float]]:
    """Microseconds per question: the best of ``repeat`` runs (noise only
    ever adds time)."""
    result: dict[str, list[float]] = {"understand": [], "red flags": []}
    for question in questions:
        for name, call in (
            ("understand", lambda q=question: understand(q, engine.vocabulary)),
            ("red flags", lambda q=question: engine.red_flags(q)),
        ):
            best = float("inf")
            for _ in range(repeat):
                start = time.perf_counter_ns()
                call()
                best = min(best, (time.perf_counter_ns() - start) / 1000)
            result[name].append(best)
    return result


def report(label: str, questions: list[str], micros: dict[str, list[float]]) -> None:
    for name, values in micros.items():
        ordered = sorted(values)
        p95 = ordered[int(len(ordered) * 0.95) - 1]
        print(
            f"{label:10} {name:11} median {statistics.median(values):7.1f} µs   "
            f"p95 {p95:7.1f} µs   slowest {ordered[-1]:7.1f} µs   ({len(values)} questions)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per question (best kept)")
    args = parser.parse_args()
    dataset = load_dataset()
    questions = all_questions()
    start = time.perf_counter()
    engine = LookupEngine(dataset)
    print(f"engine built in {time.perf_counter() - start:.2f} s")
    # Cold: each question's first reading, no word remembered from another.
    cold = timings(engine, questions, repeat=1)
    report("cold", questions, cold)
    warm = timings(engine, questions, repeat=args.repeat)
    report("warm", questions, warm)
    slowest = sorted(zip(cold["understand"], questions, strict=True), reverse=True)[:5]
    print("slowest (cold):")
    for micros, question in slowest:
        print(f"  {micros:7.1f} µs  {question[:90]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
