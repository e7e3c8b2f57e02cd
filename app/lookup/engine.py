"""The lookup engine: a dataset's vocabulary, ranking index and red-flag
rules, built once per dataset version. Pure Python; no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from rapidfuzz import fuzz, process

from app.dataset import Dataset
from app.lookup.rank import LookupIndex, Ranked, Referral
from app.lookup.redflags import RedFlagRule, compile_rule, detect
from app.lookup.text import Term, Understanding, Vocabulary, normalise, understand

T = TypeVar("T")


@dataclass(frozen=True)
class Answer:
    understanding: Understanding
    areas: tuple[str, ...]  # region slugs, asked explicitly or understood
    conditions: tuple[str, ...]
    side: str | None
    ranked: tuple[Ranked, ...]
    red_flags: tuple[RedFlagRule, ...]


class LookupEngine:
    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
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
        self.vocabulary = Vocabulary(entries)
        self.index = LookupIndex(
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
        self.red_flag_rules = [
            compile_rule(f.slug, f.name, f.warning, f.urgency, f.patterns)
            for f in dataset.red_flags.values()
        ]
        self._suggestion_choices = {" ".join(key): key for key in self.vocabulary.phrases}

    def answer(
        self,
        question: str,
        regions: Sequence[str] = (),
        conditions: Sequence[str] = (),
        side: str | None = None,
        include_spillover: bool = True,
    ) -> Answer:
        understanding = understand(question, self.vocabulary) if question else Understanding()
        asked_conditions = _unique([*conditions, *(m.term.slug for m in understanding.conditions)])
        # Each named place is one area; each condition one more, standing for
        # its regions, any of which may hold the pain.
        areas: list[tuple[str, ...]] = _unique(
            [
                *((slug,) for slug in regions),
                *understanding.region_groups(),
                *(tuple(self.dataset.conditions[c].regions) for c in asked_conditions),
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
        named = tuple(_unique(m.term.slug for m in understanding.muscles))
        ranked = self.index.rank(tuple(areas), tuple(asked_conditions), include_spillover, named)
        return Answer(
            understanding=understanding,
            areas=tuple(_unique(slug for area in areas for slug in area)),
            conditions=tuple(asked_conditions),
            side=side or understanding.side,
            ranked=ranked,
            red_flags=tuple(self.red_flags(question)),
        )

    def red_flags(self, question: str) -> list[RedFlagRule]:
        """The red-flag patterns a question describes."""
        return detect(question, self.red_flag_rules) if question else []

    def suggest(self, question: str, limit: int = 5) -> list[Term]:
        """Known phrases close to a question that named nothing known."""
        text = normalise(question)
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
                if term not in terms:
                    terms.append(term)
        return terms[:limit]


def _unique(items: Iterable[T]) -> list[T]:
    """Items in first-seen order, each once."""
    return list(dict.fromkeys(items))
