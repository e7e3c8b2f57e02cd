"""The lookup engine: a dataset's vocabulary, ranking index and red-flag
rules, built once per dataset version. Pure Python; no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from rapidfuzz import fuzz, process

from app.domain import Dataset
from app.lookup.rank import LookupIndex, Ranked, Referral
from app.lookup.redflags import Finding, RedFlagMatcher, compile_rule, with_facts
from app.lookup.text import Language, Token, words
from app.lookup.understanding import Term, Understanding, Vocabulary, understand_tokens

T = TypeVar("T")


@dataclass(frozen=True)
class Answer:
    understanding: Understanding
    areas: tuple[str, ...]  # region slugs, asked explicitly or understood
    conditions: tuple[str, ...]
    side: str | None
    ranked: tuple[Ranked, ...]
    red_flags: tuple[Finding, ...]


def language_of(dataset: Dataset) -> Language:
    lexicon = dataset.lexicon
    if lexicon is None:
        return Language()
    negation = lexicon.negation
    return Language.from_lexicon(
        rewrites=lexicon.rewrites,
        orientations=lexicon.orientations,
        context_words=lexicon.context_words,
        before=negation.before,
        after=negation.after,
        bridge=negation.bridge,
        clause_breaks=negation.clause_breaks,
        cancelling=negation.cancelling,
    )


class LookupEngine:
    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        lexicon = dataset.lexicon
        self.activities = {a.slug: a for a in lexicon.activities} if lexicon else {}
        sensations = {s.slug: s for s in lexicon.sensations} if lexicon else {}
        self._term_names = {
            **{("activity", slug): a.name for slug, a in self.activities.items()},
            **{("sensation", slug): s.name for slug, s in sensations.items()},
        }
        entries = _vocabulary_entries(dataset, self.activities, sensations)
        language = language_of(dataset)
        self.red_flag_matcher = RedFlagMatcher(
            compile_rule(f.slug, f.name, f.warning, f.urgency, f.patterns, language.phrase_key)
            for f in dataset.red_flags.values()
        )
        self.vocabulary = Vocabulary(
            entries,
            language,
            parents={slug: r.parent for slug, r in dataset.regions.items()},
            extra_words=self.red_flag_matcher.phrase_words(),
        )
        # Muscles by the regions their trigger points lie in.
        self.sited_muscles: dict[str, set[str]] = {}
        for muscle, point in dataset.trigger_points():
            self.sited_muscles.setdefault(point.site, set()).add(muscle.slug)
        said = [
            (muscle.slug, _padded(words(symptom)))
            for muscle, point in dataset.trigger_points()
            for symptom in point.symptoms
        ]
        self.sensed_muscles = {
            slug: _muscles_with_symptom(said, sensation.symptom_words)
            for slug, sensation in sensations.items()
        }
        self.index = _lookup_index(dataset)
        self._suggestion_choices = {key: " ".join(key) for key in self.vocabulary.phrases}

    def answer(
        self,
        question: str,
        regions: Sequence[str] = (),
        conditions: Sequence[str] = (),
        side: str | None = None,
        include_spillover: bool = True,
        limit: int | None = None,
    ) -> Answer:
        """What a question asks and the muscles that answer it, best first
        (the first ``limit`` of them; all when None)."""
        tokens = self.vocabulary.tokens(question) if question else []
        understanding = understand_tokens(tokens, self.vocabulary)
        asked_conditions = _unique([*conditions, *(m.term.slug for m in understanding.conditions)])
        activities = [self.activities[m.term.slug] for m in understanding.activities]
        areas = self._areas(regions, asked_conditions, understanding, activities)
        sensed = frozenset(
            muscle for m in understanding.sensations for muscle in self.sensed_muscles[m.term.slug]
        )
        sited = frozenset(
            muscle
            for m in understanding.sources
            for region in self.dataset.descendants(m.term.slug)
            for muscle in self.sited_muscles.get(region, ())
        )
        ranked = self.index.rank(
            tuple(areas),
            tuple(asked_conditions),
            include_spillover,
            tuple(_unique(m.term.slug for m in understanding.muscles)),
            tuple(tuple(a.muscles) for a in activities),
            sensed,
            sited,
            limit,
        )
        return Answer(
            understanding=understanding,
            areas=tuple(_unique(slug for area in areas for slug in area)),
            conditions=tuple(asked_conditions),
            side=side or understanding.side,
            ranked=ranked,
            red_flags=tuple(self._red_flags(question, tokens)),
        )

    def _areas(
        self,
        regions: Sequence[str],
        conditions: Sequence[str],
        understanding: Understanding,
        activities: Sequence[_Activity],
    ) -> list[tuple[str, ...]]:
        """The asked areas: each named place is one; each condition one more,
        standing for its regions, any of which may hold the pain."""
        areas: list[tuple[str, ...]] = _unique(
            [
                *((slug,) for slug in regions),
                *understanding.region_groups(),
                *(self._condition_area(c, understanding) for c in conditions),
            ]
        )
        # A muscle named outright ("my trapezius") is asked about through its zones.
        if not areas and understanding.muscles:
            areas = [
                tuple(
                    _unique(
                        r
                        for p in self.dataset.muscles[m.term.slug].trigger_points
                        for r in p.essential
                    )
                )
                for m in understanding.muscles
            ]
        # An activity said without a place stands for the places it hurts.
        if not areas and activities:
            areas = [tuple(_unique(r for a in activities for r in a.regions))]
        return areas

    def _condition_area(self, condition: str, understanding: Understanding) -> tuple[str, ...]:
        """A condition's regions, less those the question rules out."""
        denied = {m.term.slug for m in understanding.denied}
        regions = self.dataset.conditions[condition].regions
        return tuple(r for r in regions if r not in denied) or tuple(regions)

    def red_flags(self, question: str) -> list[Finding]:
        """The red-flag patterns a question describes, with what recognised them."""
        return self._red_flags(question, self.vocabulary.tokens(question))

    def _red_flags(self, question: str, tokens: list[Token]) -> list[Finding]:
        if not tokens:
            return []
        return self.red_flag_matcher.detect(
            with_facts(question, tokens, self.vocabulary.tokens),
            self.vocabulary.language.negation,
        )

    def term_name(self, term: Term) -> str:
        """The display name of an activity or sensation."""
        return self._term_names[(term.kind, term.slug)]

    def suggest(self, question: str, limit: int = 5) -> list[Term]:
        """Known phrases close to a question that named nothing known."""
        text = " ".join(t.word for t in self.vocabulary.tokens(question))
        if not text:
            return []
        matches = process.extract(
            text,
            self._suggestion_choices,
            scorer=fuzz.partial_ratio,
            limit=limit * 4,
            score_cutoff=70,
        )
        terms: list[Term] = []
        for _, _, key in matches:
            for term in self.vocabulary.phrases[key]:
                if term not in terms and term.kind in SUGGESTED_KINDS:
                    terms.append(term)
        return terms[:limit]


SUGGESTED_KINDS = ("region", "condition", "muscle")


class _Phrased(Protocol):
    """An activity or a sensation: known by its phrases."""

    @property
    def phrases(self) -> Sequence[str]: ...


class _Activity(_Phrased, Protocol):
    """An activity ("when I chew"): the places it hurts and the muscles it strains."""

    @property
    def regions(self) -> Sequence[str]: ...

    @property
    def muscles(self) -> Sequence[str]: ...


def _vocabulary_entries(
    dataset: Dataset, activities: Mapping[str, _Phrased], sensations: Mapping[str, _Phrased]
) -> list[tuple[str, Term]]:
    """Every phrase the understanding knows, with what it names: region,
    condition and muscle names and synonyms, activity and sensation phrases."""
    entries: list[tuple[str, Term]] = []
    for region in dataset.regions.values():
        term = Term("region", region.slug)
        entries += [(region.name, term), (region.slug.replace("-", " "), term)]
        entries += [(s, term) for s in region.synonyms]
    for condition in dataset.conditions.values():
        term = Term("condition", condition.slug)
        entries += [(condition.name, term), *((s, term) for s in condition.synonyms)]
    for muscle in dataset.muscles.values():
        term = Term("muscle", muscle.slug)
        entries += [(muscle.name, term), *((a, term) for a in muscle.aliases)]
    for kind, items in (("activity", activities), ("sensation", sensations)):
        for slug, item in items.items():
            entries += [(phrase, Term(kind, slug)) for phrase in item.phrases]
    return entries


def _lookup_index(dataset: Dataset) -> LookupIndex:
    """The ranking's view of a dataset: every referral zone and the region tree."""
    return LookupIndex(
        referrals=(
            Referral(muscle.slug, point.slug, region, kind)
            for muscle, point in dataset.trigger_points()
            for kind, regions in (
                ("essential", point.essential),
                ("spillover", point.spillover),
            )
            for region in regions
        ),
        # Tree order, so ties between equally good zones break the same way
        # in every process.
        descendants={
            slug: sorted(dataset.descendants(slug), key=lambda r: dataset.regions[r].position)
            for slug in dataset.regions
        },
        ancestors={slug: dataset.ancestors(slug) for slug in dataset.regions},
        condition_muscles={slug: c.muscles for slug, c in dataset.conditions.items()},
        muscle_names={slug: m.name for slug, m in dataset.muscles.items()},
        neighbours=dataset.neighbours,
    )


def _padded(words_: Iterable[str]) -> str:
    """Words joined and padded with spaces, so that a substring test of two
    padded texts finds whole words only."""
    return f" {' '.join(words_)} "


def _muscles_with_symptom(
    said: Iterable[tuple[str, str]], symptom_words: Iterable[str]
) -> frozenset[str]:
    """Muscles with a trigger point whose recorded symptoms (``said``: muscle
    and one symptom's padded words) use one of the words."""
    wanted = [_padded(words(w)) for w in symptom_words if words(w)]
    return frozenset(muscle for muscle, symptom in said if any(p in symptom for p in wanted))


def _unique(items: Iterable[T]) -> list[T]:
    """Items in first-seen order, each once."""
    return list(dict.fromkeys(items))
