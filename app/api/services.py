"""Service functions behind the lookup routes: validate what the pure core
cannot, call it, and shape its answer into response models."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus
from weakref import WeakKeyDictionary

from rapidfuzz import fuzz, process, utils

from app.api.catalog import Catalog, body_map_url, self_care_url
from app.api.errors import ProblemException
from app.api.messages import DISCLAIMER
from app.api.schemas import (
    SearchHit,
    SearchResults,
)
from app.data.files import ChoirFile
from app.domain import Side
from app.lookup.engine import Answer
from app.lookup.rank import Ranked
from app.lookup.understanding import Mention
from app.web.bodymap import Highlight, Marker

MAX_QUESTION_LENGTH = 500
# What a question that names nothing known is offered when nothing is close.
FALLBACK_SUGGESTIONS = ("head", "neck", "shoulder", "lower-back", "knee")


def _lower_first(name: str) -> str:
    # "Temple" → "temple", but keep acronyms such as "TMJ".
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]


_NO_ARTICLE = ("behind ", "between ", "around ", "above ", "below ", "inside ", "outside ")


def _place(name: str) -> str:
    """A region name as it reads after "refer pain to": "the temple",
    "the area behind the ear"."""
    lowered = _lower_first(name)
    return f"the area {lowered}" if lowered.startswith(_NO_ARTICLE) else f"the {lowered}"


def _point_name(catalog: Catalog, muscle: str, slug: str) -> str:
    """A trigger point's short name: "TrP1" for "Temporalis TrP1 (anterior)"."""
    label = catalog.trigger_points[slug].label.split(" (")[0].strip()
    muscle_name = catalog.muscle_refs[muscle].name
    if label.casefold().startswith(muscle_name.casefold()):
        label = label[len(muscle_name) :].strip()
    return label or slug


@dataclass(frozen=True)
class _AnswerParts:
    """What every answer about a dataset reuses, worked out once per catalog."""

    point_names: dict[tuple[str, str], str]
    places: dict[str, str]
    # "Trigger points in infraspinatus refer pain to ": each muscle's sentence start.
    openings: dict[str, str]
    self_care_urls: dict[str, str]
    body_map_urls: dict[str, str]
    # References as JSON-ready data.
    muscles: dict[str, dict[str, Any]]
    regions: dict[str, dict[str, Any]]
    conditions: dict[str, dict[str, Any]]

    @classmethod
    def of(cls, catalog: Catalog) -> _AnswerParts:
        return cls(
            point_names={
                (m.slug, p.slug): _point_name(catalog, m.slug, p.slug)
                for m, p in catalog.dataset.trigger_points()
            },
            places={slug: _place(r.name) for slug, r in catalog.dataset.regions.items()},
            openings={
                slug: f"Trigger points in {_lower_first(ref.name)} refer pain to "
                for slug, ref in catalog.muscle_refs.items()
            },
            self_care_urls={slug: self_care_url(slug) for slug in catalog.dataset.muscles},
            body_map_urls={slug: body_map_url(muscle=slug) for slug in catalog.dataset.muscles},
            muscles={s: ref.model_dump(mode="json") for s, ref in catalog.muscle_refs.items()},
            regions={s: ref.model_dump(mode="json") for s, ref in catalog.region_refs.items()},
            conditions={
                s: ref.model_dump(mode="json") for s, ref in catalog.condition_refs.items()
            },
        )


_PARTS: WeakKeyDictionary[Catalog, _AnswerParts] = WeakKeyDictionary()


def _parts(catalog: Catalog) -> _AnswerParts:
    parts = _PARTS.get(catalog)
    if parts is None:
        parts = _PARTS[catalog] = _AnswerParts.of(catalog)
    return parts


def _explain(catalog: Catalog, parts: _AnswerParts, ranked: Ranked) -> str:
    """One sentence naming the trigger points and zones behind a result."""
    condition = catalog.dataset.conditions[ranked.condition] if ranked.condition else None
    if not ranked.matches:
        muscle = catalog.muscle_refs[ranked.muscle].name
        if condition is None:  # named in the question, refers to none of the asked areas
            return f"{muscle} is named in the question."
        return (
            f"{muscle} is one of the muscles most associated with {_lower_first(condition.name)}."
        )
    # One zone can explain two asked areas (a neighbour of both): named once.
    zones = list(
        dict.fromkeys(
            f"{parts.places[m.region]} ({m.kind} zone, "
            f"{parts.point_names[(ranked.muscle, m.trigger_point)]})"
            for m in ranked.matches
        )
    )
    listed = zones[0] if len(zones) == 1 else ", ".join(zones[:-1]) + " and " + zones[-1]
    sentence = parts.openings[ranked.muscle] + listed
    if condition is not None:
        sentence += f", a muscle often involved in {_lower_first(condition.name)}"
    return sentence + "."


def pain_sources(
    catalog: Catalog,
    q: str | None,
    regions: Sequence[str],
    conditions: Sequence[str],
    side: str | None,
    include: str,
    limit: int,
) -> dict[str, Any]:
    """The answer to a lookup as JSON-ready data in the shape of
    :class:`PainSources` (built from parts prepared once per dataset, not
    validated again; a test holds it to the model)."""
    question = _question(q)
    if not question and not regions and not conditions:
        raise ProblemException(422, "Ask something: give q, region or condition.")
    catalog.require("region", regions)
    catalog.require("condition", conditions)

    answer = catalog.engine.answer(
        question, regions, conditions, side, include_spillover=include == "spillover", limit=limit
    )
    parts = _parts(catalog)
    suggestions: list[dict[str, str]] = []
    if not answer.areas and not answer.conditions:
        terms = catalog.engine.suggest(question)
        suggestions = [_suggestion(catalog, t.kind, t.slug) for t in terms] or [
            _suggestion(catalog, "region", slug) for slug in FALLBACK_SUGGESTIONS
        ]
    return {
        "query": _understood_query(catalog, parts, answer, q, include),
        "results": [
            _result(catalog, parts, ranked, position)
            for position, ranked in enumerate(answer.ranked[:limit], start=1)
        ],
        "warnings": [
            {
                "slug": f.rule.slug,
                "name": f.rule.name,
                "urgency": f.rule.urgency,
                "message": f.rule.warning,
                "recognised": list(f.recognised),
            }
            for f in answer.red_flags
        ],
        "suggestions": suggestions,
        "body_map_url": _question_map_url(answer.areas, answer.side, q, regions, conditions),
        "disclaimer": DISCLAIMER,
    }


def _understood_query(
    catalog: Catalog, parts: _AnswerParts, answer: Answer, q: str | None, include: str
) -> dict[str, Any]:
    """What the lookup understood the question as (``PainSources.query``)."""
    understood = answer.understanding
    matched_text = {m.term.slug: m.text for m in understood.regions}
    condition_text = {m.term.slug: m.text for m in understood.conditions}
    return {
        "q": q,
        "regions": [
            {**parts.regions[s], "matched_text": matched_text.get(s)} for s in answer.areas
        ],
        "conditions": [
            {**parts.conditions[s], "matched_text": condition_text.get(s)}
            for s in answer.conditions
        ],
        "activities": [_term(catalog, m) for m in understood.activities],
        "sensations": [_term(catalog, m) for m in understood.sensations],
        "denied": [
            {**parts.regions[m.term.slug], "matched_text": m.text}
            for m in understood.denied
            if m.term.kind == "region"
        ],
        "side": answer.side,
        "include": include,
    }


def _result(catalog: Catalog, parts: _AnswerParts, ranked: Ranked, position: int) -> dict[str, Any]:
    """One ranked muscle (``PainSources.results``)."""
    return {
        "muscle": parts.muscles[ranked.muscle],
        "score": ranked.score,
        "rank": position,
        "matched": [
            {"region": m.area, "zone": m.region, "kind": m.kind, "trigger_point": m.trigger_point}
            for m in ranked.matches
        ],
        "condition": parts.conditions[ranked.condition] if ranked.condition else None,
        "why": _explain(catalog, parts, ranked),
        "self_care_url": parts.self_care_urls[ranked.muscle],
        "body_map_url": parts.body_map_urls[ranked.muscle],
    }


def choir_regions(choir: ChoirFile, codes: Sequence[int]) -> tuple[list[str], Side | None]:
    """CHOIR body-map segments as the regions they cover, and their side when
    they all lie on one."""
    segments = {s.code: s for s in choir.segments}
    if unknown := [code for code in codes if code not in segments]:
        raise ProblemException(422, f"No CHOIR body-map segment {unknown} is mapped.")
    chosen = [segments[code] for code in dict.fromkeys(codes)]
    sides = {s.side for s in chosen}
    regions = list(dict.fromkeys(slug for s in chosen for slug in s.regions))
    return regions, sides.pop() if len(sides) == 1 else None


def _term(catalog: Catalog, mention: Mention) -> dict[str, str]:
    return {
        "slug": mention.term.slug,
        "name": catalog.engine.term_name(mention.term),
        "matched_text": mention.text,
    }


def _question_map_url(
    areas: Sequence[str],
    side: str | None,
    q: str | None,
    regions: Sequence[str],
    conditions: Sequence[str],
) -> str | None:
    """The picture of what the question was understood as, on its side."""
    if not areas:
        return None
    # Slugs and sides need no quoting; the question does (as urlencode would).
    if q and not regions and not conditions:
        query = f"q={quote_plus(q)}"
    else:
        query = "&".join(f"region={a}" for a in areas)
    if side:
        query += f"&side={side}"
    return f"{body_map_url()}{query}"


def _question(q: str | None) -> str:
    question = (q or "").strip()
    if len(question) > MAX_QUESTION_LENGTH:
        raise ProblemException(422, f"q is longer than {MAX_QUESTION_LENGTH} characters.")
    return question


def _suggestion(catalog: Catalog, kind: str, slug: str) -> dict[str, str]:
    ref = catalog.refs(kind)[slug]
    return {"kind": kind, "slug": slug, "name": ref.name, "url": ref.url}


def search(catalog: Catalog, q: str, limit: int) -> SearchResults:
    """Autocomplete across muscles, regions and conditions by name, synonym
    and alias: prefix matches first, then typo-tolerant ones."""
    query = utils.default_process(q)
    if not query:
        raise ProblemException(422, "q must contain letters or digits.")
    choices = catalog.search_choices
    scored = process.extract(
        query, choices, scorer=fuzz.WRatio, processor=None, limit=limit * 4, score_cutoff=60
    )
    best: dict[tuple[str, str], SearchHit] = {}
    for text, score, key in scored:
        kind, slug, _ = key
        if text.startswith(query):
            score = 100 + score / 100  # prefix matches outrank fuzzy ones
        ref = catalog.refs(kind)[slug]
        hit = SearchHit(
            kind=kind,
            slug=slug,
            name=ref.name,
            url=ref.url,
            matched=catalog.search_labels[key],
            score=round(min(score, 100) / 100, 3),
        )
        current = best.get((kind, slug))
        if current is None or score / 100 > current.score:
            best[(kind, slug)] = hit
    ordered = sorted(best.values(), key=lambda h: (-h.score, h.kind, h.name))
    return SearchResults(q=q, results=ordered[:limit])


def body_map(
    catalog: Catalog,
    muscles: Sequence[str],
    regions: Sequence[str],
    q: str | None,
    side: Side | None,
) -> Highlight:
    """What a body-map request asks to draw, validated against the data."""
    catalog.require("muscle", muscles)
    catalog.require("region", regions)
    q = _question(q)

    essential: set[str] = set()
    spillover: set[str] = set()
    markers: list[Marker] = []
    for slug in muscles:
        muscle = catalog.dataset.muscles[slug]
        for point in catalog.dataset.points_of(muscle):
            essential.update(point.essential)
            spillover.update(point.spillover)
            markers.append(
                Marker(
                    point.label, point.map_point.view.value, point.map_point.x, point.map_point.y
                )
            )
    selected = set(regions)
    if q:
        selected.update(catalog.engine.answer(q).areas)

    names = catalog.dataset.regions
    described = [
        ("Essential zones", essential),
        ("Spillover zones", spillover - essential),
        ("Asked areas", selected),
    ]
    description = " ".join(
        f"{label}: {', '.join(sorted(_lower_first(names[s].name) for s in slugs))}."
        for label, slugs in described
        if slugs
    )
    muscle_names = [catalog.muscle_refs[s].name for s in muscles]
    if muscle_names:
        title = f"Referral pattern of {' and '.join(muscle_names)}"
    elif selected:
        title = "Body map of " + ", ".join(_lower_first(names[s].name) for s in sorted(selected))
    else:
        title = "Body regions"
    if side:
        title += f" ({side} side)"
    return Highlight(
        essential=frozenset(essential),
        spillover=frozenset(spillover),
        selected=frozenset(selected),
        markers=tuple(markers),
        side=side,
        title=title,
        description=description or "Front and back views of every body region.",
    )
