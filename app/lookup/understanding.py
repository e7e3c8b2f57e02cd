"""Understanding a free-text pain question: which regions, conditions,
muscles, activities and sensations it names, on which side, and which places
it denies. Pure; the vocabulary is built from ``data/``.

Matching works on the question's tokens (:mod:`app.lookup.text`): the longest
known phrase wins ("between the shoulder blades" before "shoulder"), an
orientation said apart from a place narrows it ("just inside my ankle bone"
is the inner ankle, "knee back side" the back of the knee), and a place in a
denial ("not my calf", "used to hurt in my neck") is recorded as denied, not
asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.lookup.text import (
    PAIN_WORDS,
    SIDE_WORDS,
    Language,
    Token,
    denied_starts,
    tokenise,
    word_set,
    words,
)

# "the back of my thumb", "the lower corner of": words that only lead on to a
# place; skipped between an orientation and the place it narrows.
QUALIFIERS = word_set(
    "back front side top bottom base tip edge inside outside underside corner end point part "
    "area bit region just"
)
LEADS = word_set("of side part area bit edge region just")
# "my tests came back normal": after these words "back" is no place.
NOT_BACK_BEFORE = word_set(
    "came come comes coming went go goes going get gets got getting bounce bounced "
    "looking look way sent bring brought call called"
)
# Between a place and an orientation said after it ("hurts at the front").
AFTER_PLACE = word_set(
    "on at in to hurt hurts hurting ache aches aching achy pain sore mostly more very just "
    "only always"
)
# "my calf gives me heel pain", "a muscle in my hip causing ...".
CAUSING = word_set(
    "cause causes causing caused give gives giving make makes making refer refers referring "
    "send sends sending radiate radiates trigger triggers"
)
# "near the little toe": a landmark for the place named before.
NEAR = word_set("near nearby beside toward towards next close")
# How far an orientation may stand before the place it narrows.
ORIENTATION_REACH = 4


@dataclass(frozen=True)
class Term:
    """Something a phrase can mean."""

    kind: str  # "region" | "condition" | "muscle" | "activity" | "sensation"
    slug: str


@dataclass(frozen=True)
class Mention:
    term: Term
    text: str  # the words of the question that named it
    exact: bool
    start: int = 0  # token position in the question: one phrase, one place


@dataclass
class Understanding:
    regions: list[Mention] = field(default_factory=list)
    conditions: list[Mention] = field(default_factory=list)
    muscles: list[Mention] = field(default_factory=list)
    activities: list[Mention] = field(default_factory=list)
    sensations: list[Mention] = field(default_factory=list)
    denied: list[Mention] = field(default_factory=list)  # places the question rules out
    # Places named as where the pain may come from ("can my calf give me heel
    # pain?", "a muscle in my hip"): not asked, but their muscles are likelier.
    sources: list[Mention] = field(default_factory=list)
    side: str | None = None
    unknown_words: list[str] = field(default_factory=list)

    @property
    def names_anything(self) -> bool:
        return bool(self.regions or self.conditions or self.muscles or self.activities)

    def region_groups(self) -> list[tuple[str, ...]]:
        """The asked places: regions named by one phrase form one group
        ("teeth" may mean upper or lower teeth)."""
        groups: dict[int, list[str]] = {}
        for mention in self.regions:
            groups.setdefault(mention.start, []).append(mention.term.slug)
        return [tuple(group) for group in groups.values()]


Key = tuple[str, ...]


class Vocabulary:
    """Phrases (as folded word tuples) and what each one means."""

    def __init__(
        self,
        entries: Iterable[tuple[str, Term]],
        language: Language | None = None,
        parents: Mapping[str, str | None] | None = None,
        extra_words: Iterable[str] = (),
    ) -> None:
        self.language = language or Language()
        self.phrases: dict[Key, list[Term]] = {}
        for phrase, term in entries:
            key = self.language.phrase_key(phrase)
            if not key:
                continue
            bucket = self.phrases.setdefault(key, [])
            if term not in bucket:
                bucket.append(term)
        # The longest phrase starting with each word: most words start none.
        self.longest: dict[str, int] = {}
        for key in self.phrases:
            self.longest[key[0]] = max(self.longest.get(key[0], 0), len(key))
        domain = {w for key in self.phrases for w in key} | {
            w for phrase in extra_words for w in words(phrase)
        }
        self.speller = self.language.make_speller(domain)
        self._index_orientations(parents or {})

    def _index_orientations(self, parents: Mapping[str, str | None]) -> None:
        """(orientation, place words) → terms, from phrases such as "inner
        ankle", "inside of the ankle", "back of knee", "medial malleolus"."""
        orientation = self.language.orientation
        self.oriented: dict[tuple[str, Key], list[Term]] = {}
        # Regions that are one face of their parent ("outer ankle"): another
        # orientation turns them into a sibling ("inside my ankle bone").
        self.faces: set[str] = set()
        self.region_keys: dict[str, list[Key]] = {}
        for key, terms in self.phrases.items():
            for term in terms:
                if term.kind == "region":
                    self.region_keys.setdefault(term.slug, []).append(key)
            head = orientation.get(key[0])
            rest = key[1:]
            while rest and rest[0] in LEADS:
                rest = rest[1:]
            if head and rest:
                bucket = self.oriented.setdefault((head, rest), [])
                bucket += [t for t in terms if t.kind == "region" and t not in bucket]
                self.faces.update(t.slug for t in terms if t.kind == "region")
        self.parents = dict(parents)

    def is_within(self, inner: str, outer: str) -> bool:
        """Whether region ``inner`` lies inside region ``outer``."""
        parent = self.parents.get(inner)
        while parent is not None:
            if parent == outer:
                return True
            parent = self.parents.get(parent)
        return False

    def tokens(self, question: str) -> list[Token]:
        return tokenise(question, self.language, self.speller)

    def orient(self, canonical: str, mention_key: Key, terms: list[Term]) -> list[Term] | None:
        """The region an orientation makes of a named place: by the words
        said, then by any name of the place, then, for a place that is one
        face of a larger one, by the larger one's names ("front of my lower
        ribs" stays the lower ribs; "inside my ankle bone" is the inner ankle)."""
        found = self.oriented.get((canonical, mention_key))
        if found:
            return found
        for term in terms:
            parent = self.parents.get(term.slug) if term.slug in self.faces else None
            for slug in (term.slug, parent):
                for key in self.region_keys.get(slug or "", ()):
                    found = self.oriented.get((canonical, key))
                    if found:
                        return found
        return None


@dataclass
class _Span:
    start: int
    length: int
    terms: list[Term]
    exact: bool
    text: str


def understand(question: str, vocabulary: Vocabulary) -> Understanding:
    return understand_tokens(vocabulary.tokens(question), vocabulary)


def understand_tokens(tokens: list[Token], vocabulary: Vocabulary) -> Understanding:
    result = Understanding()
    sides = {SIDE_WORDS[t.word] for t in tokens if t.word in SIDE_WORDS}
    if len(sides) == 1:
        result.side = sides.pop()
    # The side is recorded; out of the way, "back of my left shoulder" reads
    # as the known phrase "back of shoulder", and "both sides of my neck" as
    # "neck".
    says_both = any(t.word == "both" for t in tokens)
    tokens = [
        t
        for i, t in enumerate(tokens)
        if t.word not in SIDE_WORDS and not (says_both and _says_both_sides(tokens, i))
    ]
    spans = _match(tokens, vocabulary, result.unknown_words)
    denied = denied_starts(tokens, {s.start: s.length for s in spans}, vocabulary.language.negation)
    sources = _sources(spans, tokens, denied)
    spans = [s for s in spans if not _only_locates(s, spans, tokens, vocabulary)]

    seen: set[Term] = set()
    lists = {
        "region": result.regions,
        "condition": result.conditions,
        "muscle": result.muscles,
        "activity": result.activities,
        "sensation": result.sensations,
    }
    denied_mentions = []
    for span in spans:
        for term in span.terms:
            mention = Mention(term, span.text, span.exact, span.start)
            if span.start in denied:
                denied_mentions.append(mention)
            elif span.start in sources:
                result.sources.append(mention)
            elif term not in seen:
                seen.add(term)
                lists[term.kind].append(mention)
    # A place both denied and asked ("not my left knee, my right knee") is asked.
    result.denied = [m for m in denied_mentions if m.term not in seen]
    return result


def _sources(spans: list[_Span], tokens: list[Token], denied: set[int]) -> set[int]:
    """Start positions of places named as a possible source, not as where it
    hurts: "my calf gives me", "a neck muscle causing", "a muscle in my hip
    ... cause". Only while another place stays asked."""
    places = [s for s in spans if _all_regions(s.terms) and s.start not in denied]
    found = set()
    for span in places:
        after = [t.word for t in tokens[span.start + span.length : span.start + span.length + 4]]
        before = [t.word for t in tokens[max(0, span.start - 2) : span.start]]
        muscle_named = after[:1] in (["muscle"], ["muscles"]) or (
            len(before) == 2 and before[0] in ("muscle", "muscles") and before[1] in ("in", "of")
        )
        causes_next = bool(after) and after[0] in CAUSING
        if causes_next or (muscle_named and _clause_says(CAUSING, tokens, span.start)):
            found.add(span.start)
    asked = [s for s in places if s.start not in found]
    return found if asked else set()


def _clause_says(wanted: frozenset[str], tokens: list[Token], i: int) -> bool:
    """Whether the clause of token ``i`` holds one of the ``wanted`` words."""
    clause = tokens[i].clause
    return any(t.word in wanted for t in tokens if t.clause == clause)


def _only_locates(
    span: _Span, spans: list[_Span], tokens: list[Token], vocabulary: Vocabulary
) -> bool:
    """A place that only says where another one is: a landmark after "near"
    ("outer edge of my foot, near the little toe"), or the larger place a
    named one lies in ("the small finger of my hand")."""
    if not _all_regions(span.terms):
        return False
    earlier = [s for s in spans if s.start < span.start and _all_regions(s.terms)]
    if not earlier:
        return False
    before = [t.word for t in tokens[max(0, span.start - 2) : span.start]]
    if NEAR.intersection(before):
        return True
    previous = earlier[-1]
    between = [t.word for t in tokens[previous.start + previous.length : span.start]]
    return all(w in ("of", "in", "on") for w in between) and all(
        vocabulary.is_within(inner.slug, outer.slug)
        for outer in span.terms
        for inner in previous.terms
    )


def _match(tokens: list[Token], vocabulary: Vocabulary, unknown: list[str]) -> list[_Span]:
    spans: list[_Span] = []
    words_ = [t.word for t in tokens]
    orientation = vocabulary.language.orientation
    pending: tuple[str, int] | None = None  # an orientation waiting for its place
    i = 0
    while i < len(tokens):
        if pending and (i - pending[1] > ORIENTATION_REACH or _new_clause(tokens, pending[1], i)):
            pending = None
        match = _longest_exact(words_, i, vocabulary)
        if (
            match is not None
            and any(_all_regions(span.terms) for span in spans)
            and _is_orientation_side(words_, i, match[0], match[1])
        ):
            # "forearm ... along the thumb side": which face of the place named
            # before, not a place itself ("my hip side" is the hip's side)
            _narrow_last(spans, tuple(words_[i : i + match[0] + 1]), vocabulary)
            i += match[0] + 1
            continue
        if match is not None and not _is_idiom(words_, i, match[0], orientation):
            length, terms = match
            span = _Span(
                i,
                length,
                list(terms),
                not any(t.corrected for t in tokens[i : i + length]),
                " ".join(words_[i : i + length]),
            )
            i += length
            if pending and _all_regions(span.terms):
                _apply_orientation(span, pending[0], vocabulary)
                pending = None
            elif _all_regions(span.terms):
                i = _orientation_after(span, tokens, i, vocabulary)
            spans.append(span)
            continue
        word = words_[i]
        if word in orientation:
            pending = (orientation[word], i)
        elif word not in PAIN_WORDS and word not in QUALIFIERS:
            unknown.append(word)
        i += 1
    return spans


def _says_both_sides(tokens: list[Token], i: int) -> bool:
    """ "both sides (of)": laterality, no place."""
    word = tokens[i].word
    before = tokens[i - 1].word if i > 0 else None
    after = tokens[i + 1].word if i + 1 < len(tokens) else None
    return (
        (word == "both" and after == "side")
        or (word == "side" and before == "both")
        or (word == "of" and before == "side" and i > 1 and tokens[i - 2].word == "both")
    )


def _new_clause(tokens: list[Token], start: int, i: int) -> bool:
    return i < len(tokens) and tokens[i].clause != tokens[start].clause


def _all_regions(terms: Iterable[Term]) -> bool:
    return all(t.kind == "region" for t in terms)


def _apply_orientation(span: _Span, canonical: str, vocabulary: Vocabulary) -> None:
    narrowed = vocabulary.orient(canonical, tuple(span.text.split()), span.terms)
    if narrowed:
        span.terms = list(narrowed)


def _orientation_after(span: _Span, tokens: list[Token], i: int, vocabulary: Vocabulary) -> int:
    """ "shoulder hurts at the front", "knee back side", "elbow on the
    outside": an orientation after the place, not leading on to another place."""
    j = i
    while j < len(tokens) and tokens[j].word in AFTER_PLACE:
        j += 1
    if j >= len(tokens) or tokens[j].clause != tokens[i - 1].clause:
        return i
    canonical = vocabulary.language.orientation.get(tokens[j].word)
    if canonical is None:
        return i
    after = j + 1
    if after < len(tokens) and tokens[after].word in ("side", "part", "area", "bit", "edge"):
        after += 1
    words_ = [t.word for t in tokens]
    if after < len(tokens) and (
        words_[after] == "of" or _longest_exact(words_, after, vocabulary) is not None
    ):
        return i  # "inside of my arm", "back shoulder": it leads on to a place
    narrowed = vocabulary.orient(canonical, tuple(span.text.split()), span.terms)
    if not narrowed:
        return i
    span.terms = list(narrowed)
    return after


def _narrow_last(spans: list[_Span], orientation: Key, vocabulary: Vocabulary) -> None:
    """Narrow the places named so far by an orientation said apart from them:
    "forearm ... thumb side" reads as the known phrase "thumb side of forearm"."""
    for span in spans:
        key = (*orientation, "of", *span.text.split())
        terms = vocabulary.phrases.get(key) if _all_regions(span.terms) else None
        if terms:
            span.terms, span.text = list(terms), " ".join(key)


def _is_orientation_side(words_: list[str], start: int, length: int, terms: list[Term]) -> bool:
    """A body part used to say which side of another ("palm side", "thumb side")."""
    after = start + length
    return after < len(words_) and words_[after] == "side" and _all_regions(terms)


def _is_idiom(words_: list[str], start: int, length: int, orientation: Mapping[str, str]) -> bool:
    """A single "back" that is no body part ("came back normal"), or a lone
    qualifier that only introduces the place after it ("back of my thumb",
    "the bottom tip of")."""
    if length != 1:
        return False
    word = words_[start]
    if word == "back" and start > 0 and words_[start - 1] in NOT_BACK_BEFORE:
        return True
    following = words_[start + 1] if start + 1 < len(words_) else None
    leads_on = following == "of" or following in QUALIFIERS
    return (word in QUALIFIERS or word in orientation) and leads_on


def _longest_exact(
    words_: list[str], start: int, vocabulary: Vocabulary
) -> tuple[int, list[Term]] | None:
    for length in range(min(vocabulary.longest.get(words_[start], 0), len(words_) - start), 0, -1):
        terms = vocabulary.phrases.get(tuple(words_[start : start + length]))
        if terms:
            return length, terms
    return None
