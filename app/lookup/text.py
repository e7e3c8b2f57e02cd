"""Reading a free-text question: clauses, words, and which of them are denied.

Pure functions and classes over the lexicon in ``data/lexicon.yaml``; no I/O.
A question becomes a list of :class:`Token` (one matching word each, with the
clause it stands in); :class:`Language` holds what the lexicon says about
words: rewrites, orientation words, context words and how people deny things
("no pain in my knee", "bladder fine"). :mod:`app.lookup.understanding` and
:mod:`app.lookup.redflags` both read questions through it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from app.lookup.spelling import Speller


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that carry no place: dropped before matching so "my left heel" and
# "the left heel" read the same.
FILLER_WORDS = word_set(
    "a an the my your his her their our its this that these those me i i'm im "
    "is are am be been was were it"
)
# Words that describe pain or circumstances but no place: never corrected,
# never a place on their own.
PAIN_WORDS = word_set(
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

# Clause boundaries a denial never crosses ("no fever, stiff neck").
_CLAUSE_PUNCTUATION = re.compile(r"[.,;:!?()\[\]{}\n\r]+|\s[-–—]+\s")
_NON_WORD = re.compile(r"[^\w']+", re.UNICODE)


def normalise(text: str) -> str:
    """Lower-case, fold accents and width, turn anything that is not a word
    character into a space. Any Unicode input is safe."""
    if not text.isascii():
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
    """The matching form of a phrase: normalised, folded, filler dropped."""
    return [fold_word(w) for w in normalise(text).split() if w not in FILLER_WORDS]


class Token(NamedTuple):  # made for every word asked: a tuple is quicker to build
    word: str  # the matching form
    clause: int
    corrected: bool = False  # a typo fixed or a run-together word split
    # After "can't"/"unable" in its clause: a denying word here is part of
    # the complaint ("can't sit without pain").
    cancelled: bool = False


@dataclass(frozen=True)
class Negation:
    before: tuple[tuple[str, ...], ...] = ()  # "no", "used to"
    after: frozenset[str] = frozenset()  # "fine", "ok"
    bridge: frozenset[str] = frozenset()  # "pain", "in": a denial goes on past them
    clause_breaks: frozenset[str] = frozenset()  # "but"
    cancelling: frozenset[str] = frozenset()  # "can't" ... "without pain"

    @cached_property
    def denying_words(self) -> frozenset[str]:
        """Every word of a denying phrase."""
        return frozenset(w for cue in self.before for w in cue)

    @cached_property
    def before_by_first_word(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        """Denying phrases by their first word, longest first."""
        index: dict[str, list[tuple[str, ...]]] = {}
        for cue in self.before:
            index.setdefault(cue[0], []).append(cue)
        return {word: tuple(cues) for word, cues in index.items()}

    @cached_property
    def cue_words(self) -> frozenset[str]:
        """The words that can start a denial, before or after what it denies."""
        return frozenset(self.before_by_first_word) | self.after


# After "bladder" and before "fine": words that keep the two together.
_LINKING = word_set("look looked feel felt seem seemed both all still totally completely otherwise")


@dataclass
class Language:
    """What the lexicon says about words, folded to their matching form."""

    # One typed word → its words (spelling applies these); several typed
    # words → their words (applied first, longest first).
    rewrites: dict[str, tuple[str, ...]] = field(default_factory=dict)
    phrase_rewrites: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    # Orientation word → its canonical meaning ("medial" → "inner").
    orientation: dict[str, str] = field(default_factory=dict)
    context_words: frozenset[str] = frozenset()
    negation: Negation = field(default_factory=Negation)
    _phrase_keys: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    @classmethod
    def from_lexicon(
        cls,
        rewrites: Mapping[str, str],
        orientations: Mapping[str, Sequence[str]],
        context_words: Iterable[str],
        before: Iterable[str],
        after: Iterable[str],
        bridge: Iterable[str],
        clause_breaks: Iterable[str],
        cancelling: Iterable[str] = (),
    ) -> Language:
        def folded(items: Iterable[str]) -> frozenset[str]:
            return frozenset(w for item in items for w in words(item))

        typed = {
            tuple(normalise(k).split()): tuple(normalise(v).split()) for k, v in rewrites.items()
        }
        return cls(
            rewrites={k[0]: v for k, v in typed.items() if len(k) == 1},
            phrase_rewrites={k: v for k, v in typed.items() if len(k) > 1},
            orientation={
                fold_word(word): canonical
                for canonical, said in orientations.items()
                for item in [canonical, *said]
                for word in normalise(item).split()
            },
            context_words=folded(context_words),
            negation=Negation(
                before=tuple(
                    sorted(
                        {tuple(fold_word(w) for w in normalise(b).split()) for b in before} - {()},
                        key=len,
                        reverse=True,
                    )
                ),
                after=folded(after),
                bridge=folded(bridge),
                clause_breaks=folded(clause_breaks),
                cancelling=frozenset(normalise(c) for c in cancelling),
            ),
        )

    def rewrite_phrases(self, typed: list[str]) -> list[tuple[str, bool]]:
        """Typed words with multi-word rewrites applied; True marks words
        that came from a rewrite (no spelling applies to them)."""
        firsts = self._phrase_rewrite_firsts
        if not firsts.intersection(typed):
            return [(word, False) for word in typed]
        longest = max(len(k) for k in self.phrase_rewrites)
        result: list[tuple[str, bool]] = []
        i = 0
        while i < len(typed):
            lengths = range(min(longest, len(typed) - i), 1, -1) if typed[i] in firsts else ()
            for length in lengths:
                replacement = self.phrase_rewrites.get(tuple(typed[i : i + length]))
                if replacement:
                    result += [(word, True) for word in replacement]
                    i += length
                    break
            else:
                result.append((typed[i], False))
                i += 1
        return result

    @cached_property
    def _phrase_rewrite_firsts(self) -> frozenset[str]:
        return frozenset(key[0] for key in self.phrase_rewrites)

    def phrase_key(self, phrase: str) -> tuple[str, ...]:
        """A vocabulary phrase's matching form, rewritten as questions are
        (remembered: the red-flag rules repeat many phrases)."""
        key = self._phrase_keys.get(phrase)
        if key is None:
            parts = [
                part
                for word, _ in self.rewrite_phrases(normalise(phrase).split())
                for part in self.rewrites.get(word, (word,))
            ]
            key = self._phrase_keys[phrase] = tuple(
                fold_word(part) for part in parts if part not in FILLER_WORDS
            )
        return key

    def make_speller(self, domain_words: Iterable[str]) -> Speller:
        known = (
            PAIN_WORDS
            | FILLER_WORDS
            | frozenset(SIDE_WORDS)
            | self.context_words
            | frozenset(self.orientation)
            | self.negation.bridge
            | self.negation.after
            | self.negation.clause_breaks
            | frozenset(w for cue in self.negation.before for w in cue)
            | self.negation.cancelling
        )
        return Speller(domain_words, known, self.rewrites, fold_word, FILLER_WORDS)


# The work one question may cause is bounded whatever it holds (a character
# that normalisation expands eighteen-fold, a wall of invented words): words
# past the first MAX_WORDS are not read, and at most MAX_NEW_SPELLINGS words
# never seen before get a spelling correction worked out.
MAX_WORDS = 150
MAX_NEW_SPELLINGS = 12


def tokenise(question: str, language: Language, speller: Speller) -> list[Token]:
    """A question's matching words in order, each with its clause."""
    tokens: list[Token] = []
    clause = 0
    words_read = new_spellings = 0
    for part in _CLAUSE_PUNCTUATION.split(question):
        if words_read >= MAX_WORDS:
            break
        clause += 1
        cancelled = False
        typed_words = normalise(part).split()[: MAX_WORDS - words_read]
        words_read += len(typed_words)
        for typed, rewritten in language.rewrite_phrases(typed_words):
            if rewritten:
                spelled, corrected = _matching(typed)
            elif speller.remembers(typed) or new_spellings < MAX_NEW_SPELLINGS:
                new_spellings += not speller.remembers(typed)
                spelled, corrected = speller.spell(typed)
            else:
                spelled, corrected = _matching(typed)
            for word in spelled:
                if word in language.negation.cancelling:
                    cancelled = True  # "can't ... without": no denial in this clause
                if word in language.negation.clause_breaks:
                    clause += 1
                    cancelled = False
                tokens.append(Token(word, clause, corrected, cancelled))
    return tokens


def _matching(word: str) -> tuple[tuple[str, ...], bool]:
    """A word in its matching form: folded, and nothing when it is filler."""
    folded = fold_word(word)
    return (() if word in FILLER_WORDS or folded in FILLER_WORDS else (folded,)), False


def denied_starts(
    tokens: Sequence[Token], spans: Mapping[int, int], negation: Negation
) -> set[int]:
    """The start positions of the spans (start → length) that the question
    denies: after a denying word with only bridge words or other spans
    between ("no pain in my knee or hip"), or before a word such as "fine"
    that ends its clause ("bladder and bowels fine")."""
    if negation.cue_words.isdisjoint([t.word for t in tokens]):
        return set()  # no word that denies: most questions
    denied: set[int] = set()
    covered = {i for start, length in spans.items() for i in range(start, start + length)}
    active = False
    i = 0
    while i < len(tokens):
        if i == 0 or tokens[i].clause != tokens[i - 1].clause:
            active = False
        cue = 0 if tokens[i].cancelled else _cue_at(tokens, i, negation)
        if cue:
            active = True
            i += cue
            continue
        if i in spans:
            if active:
                denied.add(i)
            i += 1
            continue
        word = tokens[i].word
        if word in negation.after and _ends_clause(tokens, i, negation):
            denied.update(_spans_before(tokens, i, spans, negation))
        elif i not in covered and word not in negation.bridge:
            active = False
        i += 1
    return denied


def _cue_at(tokens: Sequence[Token], i: int, negation: Negation) -> int:
    for cue in negation.before_by_first_word.get(tokens[i].word, ()):
        end = i + len(cue)
        if end <= len(tokens) and all(
            tokens[i + k].word == w and tokens[i + k].clause == tokens[i].clause
            for k, w in enumerate(cue)
        ):
            return len(cue)
    return 0


def _ends_clause(tokens: Sequence[Token], i: int, negation: Negation) -> bool:
    """ "bladder fine." or "bladder fine and ...", but not "knee looks fine
    but hurts" (a contrast takes the denial back)."""
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    if following is None:
        return True
    if following.clause != tokens[i].clause:
        return following.word not in negation.clause_breaks
    return following.word in ("and", "no", "not", "nor")


def _spans_before(
    tokens: Sequence[Token], i: int, spans: Mapping[int, int], negation: Negation
) -> list[int]:
    """The spans just before a word such as "fine", joined by "and"/"or"."""
    ends = {start + length: start for start, length in spans.items()}
    found: list[int] = []
    j = i
    while j > 0 and tokens[j - 1].clause == tokens[i].clause:
        if j in ends:
            found.append(ends[j])
            j = ends[j]
        elif tokens[j - 1].word in _LINKING or tokens[j - 1].word in ("and", "or"):
            j -= 1
        else:
            break
    return found
