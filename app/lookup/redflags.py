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
    # Every group must match; one phrase (a word tuple) of a group suffices.
    groups: tuple[tuple[tuple[str, ...], ...], ...]


def compile_rule(
    slug: str, name: str, warning: str, urgency: str, patterns: Iterable[Sequence[str]]
) -> RedFlagRule:
    groups = tuple(
        tuple(phrase for phrase in (tuple(words(p)) for p in group) if phrase) for group in patterns
    )
    return RedFlagRule(slug, name, warning, urgency, groups)


def _contains(tokens: Sequence[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(tokens[i : i + n]) == phrase for i in range(len(tokens) - n + 1))


def detect(question: str, rules: Iterable[RedFlagRule]) -> list[RedFlagRule]:
    tokens = words(question)
    if not tokens:
        return []
    return [
        rule
        for rule in rules
        if rule.groups and all(any(_contains(tokens, p) for p in group) for group in rule.groups)
    ]
