"""Red-flag detection: symptom patterns that need medical care, not a muscle
lookup. Pure; patterns come from ``data/red_flags.yaml``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.lookup.text import words


@dataclass(frozen=True)
class RedFlagRule:
    slug: str
    name: str
    warning: str
    urgency: str
    # Every group must match; one phrase of a group suffices. Phrases are
    # folded words joined and padded with spaces (" worst headache "), so a
    # substring test finds them on word boundaries only.
    groups: tuple[tuple[str, ...], ...]


def compile_rule(
    slug: str, name: str, warning: str, urgency: str, patterns: Iterable[Sequence[str]]
) -> RedFlagRule:
    groups = tuple(
        tuple(f" {' '.join(folded)} " for folded in (words(p) for p in group) if folded)
        for group in patterns
    )
    return RedFlagRule(slug, name, warning, urgency, groups)


def detect(question: str, rules: Iterable[RedFlagRule]) -> list[RedFlagRule]:
    tokens = words(question)
    if not tokens:
        return []
    text = f" {' '.join(tokens)} "
    return [
        rule
        for rule in rules
        if rule.groups and all(any(p in text for p in group) for group in rule.groups)
    ]
