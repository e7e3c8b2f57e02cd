"""Turning the words people type into the words the vocabulary knows.

Three steps, each only for a word the vocabulary does not know already:
whole-word rewrites from the lexicon (txt-speak, abbreviations: "shldr"),
splitting run-together words into known ones ("lowback", "neckache"), and
correcting typos to the closest domain word ("sholder", "temlpe"). A word
that is real English ("half", "plumber", "heal") is never corrected into a
body part: the English word list is pyspellchecker's, which ships inside its
wheel.
"""

from __future__ import annotations

import gzip
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import resources

import orjson
from rapidfuzz import process
from rapidfuzz.distance import OSA

# Typos allowed per word length (optimal string alignment: insertions,
# deletions, substitutions, swapped neighbours). Words under four letters are
# never corrected: one edit turns "arm" into "ear".
MIN_CORRECTED_LENGTH = 4
EDITS_BY_LENGTH = ((12, 3), (7, 2), (MIN_CORRECTED_LENGTH, 1))
# Run-together words split into parts of at least this many letters.
MIN_PART_LENGTH = 3
MAX_PARTS = 3
# Corrections remembered per process, so repeated unknown words cost a
# dictionary look-up; bounded so endless new words cannot grow memory.
MEMO_LIMIT = 20_000


class EnglishWords:
    """General English words (about 160,000) and how common each is, kept
    compact: one sorted tuple and an array of counts (a set and a dict of
    them would hold some 25 MB more in every worker)."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.words = tuple(sorted(counts))
        self.counts = array("L", map(counts.__getitem__, self.words))

    def _position(self, word: str) -> int | None:
        position = bisect_left(self.words, word)
        found = position < len(self.words) and self.words[position] == word
        return position if found else None

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._position(word) is not None

    def frequency(self, word: str) -> int:
        """How common a word is in English text (0 when unknown)."""
        position = self._position(word)
        return 0 if position is None else self.counts[position]


@cache
def english_words() -> EnglishWords:
    """Loaded once per process, from pyspellchecker's list inside its wheel."""
    path = resources.files("spellchecker").joinpath("resources", "en.json.gz")
    with path.open("rb") as raw, gzip.open(raw) as unpacked:
        return EnglishWords(orjson.loads(unpacked.read()))


def word_frequency(word: str) -> int:
    return english_words().frequency(word)


def _omitted_or_swapped(typed: str, candidate: str) -> bool:
    """The typed word is the candidate with letters left out, or with
    letters in another order."""
    if sorted(typed) == sorted(candidate):
        return True
    letters = iter(candidate)
    return len(typed) < len(candidate) and all(ch in letters for ch in typed)


def allowed_edits(word: str) -> int:
    for length, edits in EDITS_BY_LENGTH:
        if len(word) >= length:
            return edits
    return 0


class Speller:
    """Maps one typed word to the words to match, memoised."""

    def __init__(
        self,
        domain_words: Iterable[str],
        known_words: Iterable[str],
        rewrites: Mapping[str, tuple[str, ...]],
        fold: Callable[[str], str],
        filler: frozenset[str] = frozenset(),
    ) -> None:
        self.domain = frozenset(domain_words)
        self.known = frozenset(known_words) | self.domain
        self.english = english_words()
        self.rewrites = dict(rewrites)
        self._fold = fold
        self._filler = filler
        # Correction targets by length, so a word is compared only with words
        # it could reach within its edit budget; the commoner word first, so
        # it wins a tie ("werk" is "work", not "weak").
        self._by_length: dict[int, list[str]] = {}
        targets = sorted(self.known, key=lambda w: (-word_frequency(w), w))
        for word in targets:
            if word.isalpha() and len(word) >= MIN_CORRECTED_LENGTH - 1:
                self._by_length.setdefault(len(word), []).append(word)
        self._memo: dict[str, tuple[tuple[str, ...], bool]] = {}

    def is_known(self, word: str) -> bool:
        return (
            word in self.known
            or word in self.english
            or self._fold(word) in self.known
            or self._fold(word) in self.english
        )

    def remembers(self, word: str) -> bool:
        return word in self._memo

    def spell(self, word: str) -> tuple[tuple[str, ...], bool]:
        """The words to match for one typed word (folded, filler left out),
        and whether it was changed by more than a rewrite (a typo or a split:
        the match is not exact)."""
        found = self._memo.get(word)
        if found is None:
            spelled, corrected = self._spell(word)
            folded = (self._fold(w) for w in spelled if w not in self._filler)
            found = tuple(w for w in folded if w not in self._filler), corrected
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            self._memo[word] = found
        return found

    def _spell(self, word: str) -> tuple[tuple[str, ...], bool]:
        if word in self.rewrites:
            return self.rewrites[word], False
        if self.is_known(word) or not word.isalpha():
            return (word,), False
        # One typo is likelier than a run-together word ("forarm" is not
        # "for arm"); beyond one edit, a split into known words comes first.
        folded = self._fold(word)
        corrected = self._correct(folded, 1)
        parts = None if corrected else self._split(word, MAX_PARTS)
        if parts:
            return parts, True
        corrected = corrected or self._correct(folded, allowed_edits(folded))
        if corrected:
            return (corrected,), True
        return (word,), False

    def _split(self, word: str, parts_left: int) -> tuple[str, ...] | None:
        """ "lowbackpain" → ("low", "back", "pain"): the first part a domain
        word, the rest domain or known words."""
        if parts_left < 2:
            return None
        for cut in range(len(word) - MIN_PART_LENGTH, MIN_PART_LENGTH - 1, -1):
            head, tail = word[:cut], word[cut:]
            if head not in self.domain:
                continue
            if tail in self.domain or tail in self.known:
                return head, tail
            rest = self._split(tail, parts_left - 1)
            if rest:
                return head, *rest
        return None

    def _correct(self, word: str, edits: int) -> str | None:
        edits = min(edits, allowed_edits(word))
        if not edits:
            return None
        choices = [
            candidate
            for length in range(len(word) - edits, len(word) + edits + 1)
            for candidate in self._by_length.get(length, ())
        ]
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=edits, limit=8)
        if not found:
            return None
        # Equally close: a word with letters left out or swapped ("ankl",
        # "wirst") before one with letters changed ("anal", "first"); then
        # the commoner word (choices come commonest first).
        best = min(
            enumerate(found),
            key=lambda item: (item[1][1], not _omitted_or_swapped(word, item[1][0]), item[0]),
        )
        return best[1][0]
