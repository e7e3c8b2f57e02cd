"""Understanding a free-text pain question: which regions, conditions and side
it names. Pure functions over a vocabulary built from ``data/``; no I/O.

Matching works on normalised word sequences: the longest known phrase wins
("between the shoulder blades" before "shoulder"), plurals fold onto their
singular, and words that are not known exactly get a second chance through
rapidfuzz (optimal string alignment distance), which tolerates typos
("temlpe", "shouder").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

# Words that carry no place: dropped before matching so "my left heel" and
# "the left heel" read the same, and never offered to the fuzzy matcher.
FILLER_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "my",
        "your",
        "his",
        "her",
        "their",
        "our",
        "its",
        "this",
        "that",
        "these",
        "those",
        "me",
        "i",
        "i'm",
        "im",
        "is",
        "are",
        "am",
        "be",
        "been",
        "was",
        "were",
        "it",
        "its",
    ]
)
# Words that describe pain but no place; kept for phrases ("sore throat") but
# never matched fuzzily on their own.
PAIN_WORDS = frozenset(
    [
        "pain",
        "pains",
        "painful",
        "hurt",
        "hurts",
        "hurting",
        "ache",
        "aches",
        "aching",
        "achy",
        "sore",
        "soreness",
        "tender",
        "throb",
        "throbs",
        "throbbing",
        "sharp",
        "dull",
        "burning",
        "stiff",
        "stiffness",
        "cramp",
        "cramps",
        "tight",
        "where",
        "why",
        "what",
        "might",
        "could",
        "may",
        "be",
        "coming",
        "come",
        "comes",
        "from",
        "when",
        "after",
        "before",
        "with",
        "and",
        "or",
        "in",
        "on",
        "at",
        "of",
        "to",
        "into",
        "down",
        "up",
        "around",
        "near",
        "going",
        "goes",
        "go",
        "feel",
        "feels",
        "feeling",
        "have",
        "has",
        "had",
        "get",
        "gets",
        "got",
        "very",
        "really",
        "bad",
        "worse",
        "worst",
        "lot",
        "much",
        "first",
        "thing",
        "morning",
        "night",
        "day",
        "days",
        "week",
        "weeks",
        "work",
        "working",
        "run",
        "running",
        "walk",
        "walking",
        "sit",
        "sitting",
        "stand",
        "standing",
        "chewing",
        "chew",
        "eat",
        "eating",
        "lying",
        "sleep",
        "sleeping",
        "left",
        "right",
        "both",
        "side",
        "sides",
    ]
)
SIDE_WORDS = {"left": "left", "right": "right", "lft": "left", "rght": "right"}

# Typos allowed (insertions, deletions, substitutions, swapped neighbours):
# none below five letters, where one edit turns "half" into "calf", one up to
# seven letters, two from eight.
FUZZY_MIN_LENGTH = 5
FUZZY_LONG_WORD = 8

_NON_WORD = re.compile(r"[^\w']+", re.UNICODE)


def normalise(text: str) -> str:
    """Lower-case, fold accents and width, turn anything that is not a word
    character into a space. Any Unicode input is safe."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("’", "'").replace("_", " ")
    return " ".join(_NON_WORD.sub(" ", text).split())


def fold_word(word: str) -> str:
    """Fold a plural onto its singular the same way for queries and vocabulary
    ("shoulders" → "shoulder", "calves" → "calve" on both sides)."""
    word = word.strip("'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """The matching form of a text: normalised, folded, filler dropped."""
    return [fold_word(w) for w in normalise(text).split() if w not in FILLER_WORDS]


@dataclass(frozen=True)
class Term:
    """Something a phrase can mean."""

    kind: str  # "region" | "condition" | "muscle"
    slug: str


@dataclass(frozen=True)
class Mention:
    term: Term
    text: str  # the words of the question that named it
    exact: bool


@dataclass
class Understanding:
    regions: list[Mention] = field(default_factory=list)
    conditions: list[Mention] = field(default_factory=list)
    muscles: list[Mention] = field(default_factory=list)
    side: str | None = None
    unknown_words: list[str] = field(default_factory=list)

    @property
    def names_anything(self) -> bool:
        return bool(self.regions or self.conditions or self.muscles)


class Vocabulary:
    """Phrases (as folded word tuples) and what each one means."""

    def __init__(self, entries: Iterable[tuple[str, Term]]) -> None:
        self.phrases: dict[tuple[str, ...], list[Term]] = {}
        for phrase, term in entries:
            key = tuple(words(phrase))
            if not key:
                continue
            bucket = self.phrases.setdefault(key, [])
            if term not in bucket:
                bucket.append(term)
        self.longest = max((len(k) for k in self.phrases), default=1)
        # Fuzzy candidates: one- and two-word phrases, as strings.
        self._fuzzy_choices = {
            " ".join(key): key
            for key in self.phrases
            if len(key) <= 2 and len(" ".join(key)) >= FUZZY_MIN_LENGTH
        }

    def fuzzy(self, text: str) -> tuple[str, ...] | None:
        if len(text) < FUZZY_MIN_LENGTH:
            return None
        allowed = 1 if len(text) < FUZZY_LONG_WORD else 2
        best = process.extractOne(
            text, self._fuzzy_choices.keys(), scorer=OSA.distance, score_cutoff=allowed
        )
        return self._fuzzy_choices[best[0]] if best else None


def understand(question: str, vocabulary: Vocabulary) -> Understanding:
    tokens = words(question)
    result = Understanding()
    sides = {SIDE_WORDS[t] for t in tokens if t in SIDE_WORDS}
    if len(sides) == 1:
        result.side = sides.pop()

    found: list[tuple[int, Mention]] = []
    i = 0
    while i < len(tokens):
        match = _longest_exact(tokens, i, vocabulary)
        if match is not None:
            length, terms = match
            text = " ".join(tokens[i : i + length])
            found.extend((i, Mention(term, text, exact=True)) for term in terms)
            i += length
            continue
        fuzzy = _fuzzy_at(tokens, i, vocabulary)
        if fuzzy is not None:
            length, terms = fuzzy
            text = " ".join(tokens[i : i + length])
            found.extend((i, Mention(term, text, exact=False)) for term in terms)
            i += length
            continue
        if tokens[i] not in PAIN_WORDS and tokens[i] not in SIDE_WORDS:
            result.unknown_words.append(tokens[i])
        i += 1

    seen: set[Term] = set()
    for _, mention in sorted(found, key=lambda item: item[0]):
        if mention.term in seen:
            continue
        seen.add(mention.term)
        {"region": result.regions, "condition": result.conditions, "muscle": result.muscles}[
            mention.term.kind
        ].append(mention)
    return result


def _longest_exact(
    tokens: list[str], start: int, vocabulary: Vocabulary
) -> tuple[int, list[Term]] | None:
    for length in range(min(vocabulary.longest, len(tokens) - start), 0, -1):
        terms = vocabulary.phrases.get(tuple(tokens[start : start + length]))
        if terms:
            return length, terms
    return None


def _fuzzy_at(
    tokens: list[str], start: int, vocabulary: Vocabulary
) -> tuple[int, list[Term]] | None:
    """A typo-tolerant match of two words, then one, starting at ``start``."""
    for length in (2, 1):
        window = tokens[start : start + length]
        if len(window) < length or any(w in PAIN_WORDS or w in SIDE_WORDS for w in window):
            continue
        key = vocabulary.fuzzy(" ".join(window))
        if key is not None:
            return length, vocabulary.phrases[key]
    return None
