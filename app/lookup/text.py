"""Understanding a free-text pain question: which regions, conditions and side
it names. Pure functions over a vocabulary built from ``data/``; no I/O.

Matching works on normalised word sequences: the longest known phrase wins
("between the shoulder blades" before "shoulder"), plurals fold onto their
singular, and words that are not known exactly get a second chance through
rapidfuzz (optimal string alignment distance), which tolerates typos
("temlpe", "sholder blade").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that carry no place: dropped before matching so "my left heel" and
# "the left heel" read the same.
FILLER_WORDS = _word_set(
    "a an the my your his her their our its this that these those me i i'm im "
    "is are am be been was were it"
)
# Words that describe pain or circumstances but no place: kept for phrases
# ("sore throat") but never matched fuzzily on their own.
PAIN_WORDS = _word_set(
    """
    pain pains painful hurt hurts hurting ache aches aching achy sore soreness tender
    throb throbs throbbing sharp dull burning stiff stiffness cramp cramps tight
    where why what might could may coming come comes from when after before with
    and or in on at of to into down up around near going goes go feel feels feeling
    have has had get gets got very really bad worse worst lot much first thing morning
    night day days week weeks work working run running walk walking sit sitting stand
    standing chewing chew eat eating lying sleep sleeping left right both side sides
    """
)
SIDE_WORDS = {"left": "left", "right": "right", "lft": "left", "rght": "right"}
# "the back of my thumb": the qualifier and "of" only narrow the next place.
QUALIFIERS = _word_set(
    "back front side top bottom base tip edge inside outside underside corner end point part"
)
# "my tests came back normal": after these words "back" is no place.
NOT_BACK_BEFORE = _word_set(
    "came come comes coming went go goes going get gets got getting bounce bounced "
    "looking look way sent bring brought call called"
)

# Typos allowed (insertions, deletions, substitutions, swapped neighbours):
# none below five letters, where one edit turns "half" into "calf"; then one
# more edit per eight letters, three at most.
FUZZY_MIN_LENGTH = 5
FUZZY_LETTERS_PER_EDIT = 8
FUZZY_MAX_EDITS = 3
FUZZY_MAX_WORDS = 5

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


def _allowed_edits(text: str) -> int:
    if len(text) < FUZZY_MIN_LENGTH:
        return 0
    return min(FUZZY_MAX_EDITS, 1 + (len(text) - FUZZY_MIN_LENGTH) // FUZZY_LETTERS_PER_EDIT)


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
    start: int = 0  # word position in the question: one phrase, one place


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

    def region_groups(self) -> list[tuple[str, ...]]:
        """The asked places: regions named by one phrase form one group
        ("teeth" may mean upper or lower teeth)."""
        groups: dict[int, list[str]] = {}
        for mention in self.regions:
            groups.setdefault(mention.start, []).append(mention.term.slug)
        return [tuple(group) for group in groups.values()]


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
        # Correctly spelled words that typo-matching must never turn into
        # other words ("tip" is no typo of "top").
        self.known_words = frozenset(w for key in self.phrases for w in key) | (
            PAIN_WORDS | QUALIFIERS | FILLER_WORDS | frozenset(SIDE_WORDS)
        )
        # Fuzzy candidates by word count, as strings.
        self._fuzzy_choices: dict[int, dict[str, tuple[str, ...]]] = {}
        for key in self.phrases:
            text = " ".join(key)
            if len(key) <= FUZZY_MAX_WORDS and len(text) >= FUZZY_MIN_LENGTH:
                self._fuzzy_choices.setdefault(len(key), {})[text] = key

    def fuzzy(self, window: list[str]) -> tuple[str, ...] | None:
        text = " ".join(window)
        allowed = _allowed_edits(text)
        choices = self._fuzzy_choices.get(len(window))
        if not allowed or not choices:
            return None
        candidates = process.extract(
            text, choices.keys(), scorer=OSA.distance, score_cutoff=allowed, limit=5
        )
        for candidate, _, _ in candidates:
            key = choices[candidate]
            changed = [w for w, k in zip(window, key, strict=True) if w != k]
            if not any(w in self.known_words for w in changed):
                return key
        return None


def understand(question: str, vocabulary: Vocabulary) -> Understanding:
    tokens = words(question)
    result = Understanding()
    sides = {SIDE_WORDS[t] for t in tokens if t in SIDE_WORDS}
    if len(sides) == 1:
        result.side = sides.pop()
    # The side is recorded; out of the way, "back of my left shoulder" reads
    # as the known phrase "back of shoulder".
    tokens = [t for t in tokens if t not in SIDE_WORDS]

    found: list[Mention] = []
    orientations: list[tuple[str, ...]] = []
    i = 0
    while i < len(tokens):
        match = _longest_exact(tokens, i, vocabulary) or _fuzzy_at(tokens, i, vocabulary)
        if match is not None and _is_orientation(tokens, i, match):
            # "along the thumb side": which face of a place, not a place itself
            orientations.append(tuple(tokens[i : i + match[0] + 1]))
            i += match[0] + 1
            continue
        if match is not None and not _is_idiom(tokens, i, match[0]):
            length, terms, exact = match
            text = " ".join(tokens[i : i + length])
            found.extend(Mention(term, text, exact, start=i) for term in terms)
            i += length
            continue
        if tokens[i] in QUALIFIERS and i + 1 < len(tokens) and tokens[i + 1] == "of":
            i += 2  # "back of" + a place: the place follows
            continue
        if tokens[i] in QUALIFIERS and i + 1 < len(tokens) and tokens[i + 1] in QUALIFIERS:
            i += 1  # "bottom tip of": the first qualifier adds nothing
            continue
        if tokens[i] not in PAIN_WORDS:
            result.unknown_words.append(tokens[i])
        i += 1

    found = _apply_orientations(found, orientations, vocabulary)
    seen: set[Term] = set()
    lists = {"region": result.regions, "condition": result.conditions, "muscle": result.muscles}
    for mention in found:
        if mention.term not in seen:
            seen.add(mention.term)
            lists[mention.term.kind].append(mention)
    return result


def _apply_orientations(
    found: list[Mention], orientations: list[tuple[str, ...]], vocabulary: Vocabulary
) -> list[Mention]:
    """Narrow a place by an orientation said apart from it: "forearm ... thumb
    side" reads as the known phrase "thumb side of forearm"."""
    for orientation in orientations:
        narrowed: list[Mention] = []
        for mention in found:
            key = (*orientation, "of", *mention.text.split())
            terms = vocabulary.phrases.get(key) if mention.term.kind == "region" else None
            if terms:
                narrowed += [Mention(t, " ".join(key), mention.exact, mention.start) for t in terms]
            else:
                narrowed.append(mention)
        found = narrowed
    return found


def _is_orientation(tokens: list[str], start: int, match: tuple[int, list[Term], bool]) -> bool:
    """A body part used to say which side of another ("palm side", "thumb side")."""
    length, terms, _ = match
    after = start + length
    return (
        after < len(tokens)
        and tokens[after] == "side"
        and all(term.kind == "region" for term in terms)
    )


def _is_idiom(tokens: list[str], start: int, length: int) -> bool:
    """A single "back" that is no body part ("came back normal"), or a lone
    qualifier that only introduces the place after it ("back of my thumb",
    "the bottom tip of")."""
    if length != 1:
        return False
    word = tokens[start]
    if word == "back" and start > 0 and tokens[start - 1] in NOT_BACK_BEFORE:
        return True
    following = tokens[start + 1] if start + 1 < len(tokens) else None
    return word in QUALIFIERS and (following == "of" or following in QUALIFIERS)


def _longest_exact(
    tokens: list[str], start: int, vocabulary: Vocabulary
) -> tuple[int, list[Term], bool] | None:
    for length in range(min(vocabulary.longest, len(tokens) - start), 0, -1):
        terms = vocabulary.phrases.get(tuple(tokens[start : start + length]))
        if terms:
            return length, terms, True
    return None


def _fuzzy_at(
    tokens: list[str], start: int, vocabulary: Vocabulary
) -> tuple[int, list[Term], bool] | None:
    """A typo-tolerant match of up to five words starting at ``start``,
    longest first; windows made only of pain or side words never match."""
    for length in range(FUZZY_MAX_WORDS, 0, -1):
        window = tokens[start : start + length]
        if len(window) < length or window[0] in PAIN_WORDS or window[-1] in PAIN_WORDS:
            continue
        key = vocabulary.fuzzy(window)
        if key is not None:
            return length, vocabulary.phrases[key], False
    return None
