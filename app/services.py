"""Service functions behind the lookup routes: validate what the pure core
cannot, call it, and shape its answer into response models."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from rapidfuzz import fuzz, process, utils

from app.bodymap import Highlight, Marker, Side
from app.catalog import Catalog, body_map_url, self_care_url
from app.errors import ProblemException
from app.lookup.rank import Ranked
from app.lookup.understanding import Mention
from app.messages import DISCLAIMER
from app.schemas import (
    MatchedZone,
    PainSource,
    PainSources,
    QueryCondition,
    QueryRegion,
    QueryTerm,
    SearchHit,
    SearchResults,
    Suggestion,
    UnderstoodQuery,
    Warning,
)

MAX_QUESTION_LENGTH = 500


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


def explain(catalog: Catalog, ranked: Ranked) -> str:
    """One sentence naming the trigger points and zones behind a result."""
    muscle = catalog.muscle_refs[ranked.muscle].name
    condition = catalog.dataset.conditions[ranked.condition] if ranked.condition else None
    if not ranked.matches:
        if condition is None:  # named in the question, refers to none of the asked areas
            return f"{muscle} is named in the question."
        return (
            f"{muscle} is one of the muscles most associated with {_lower_first(condition.name)}."
        )
    regions = catalog.dataset.regions
    zones = [
        f"{_place(regions[m.region].name)} ({m.kind} zone, "
        f"{_point_name(catalog, ranked.muscle, m.trigger_point)})"
        for m in ranked.matches
    ]
    listed = zones[0] if len(zones) == 1 else ", ".join(zones[:-1]) + " and " + zones[-1]
    sentence = f"Trigger points in {_lower_first(muscle)} refer pain to {listed}"
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
) -> PainSources:
    question = _question(q)
    if not question and not regions and not conditions:
        raise ProblemException(422, "Ask something: give q, region or condition.")
    catalog.require("region", regions)
    catalog.require("condition", conditions)

    answer = catalog.engine.answer(
        question, regions, conditions, side, include_spillover=include == "spillover"
    )
    matched_text = {m.term.slug: m.text for m in answer.understanding.regions}
    condition_text = {m.term.slug: m.text for m in answer.understanding.conditions}
    results = [
        PainSource(
            muscle=catalog.muscle_refs[r.muscle],
            score=r.score,
            rank=position,
            matched=[
                MatchedZone(
                    region=m.area, zone=m.region, kind=m.kind, trigger_point=m.trigger_point
                )  # type: ignore[arg-type]
                for m in r.matches
            ],
            condition=catalog.condition_refs[r.condition] if r.condition else None,
            why=explain(catalog, r),
            self_care_url=self_care_url(r.muscle),
            body_map_url=body_map_url(muscle=r.muscle),
        )
        for position, r in enumerate(answer.ranked[:limit], start=1)
    ]
    suggestions: list[Suggestion] = []
    if not answer.areas and not answer.conditions:
        suggestions = [
            _suggestion(catalog, t.kind, t.slug) for t in catalog.engine.suggest(question)
        ]
        if not suggestions:
            suggestions = [
                _suggestion(catalog, "region", slug)
                for slug in ("head", "neck", "shoulder", "lower-back", "knee")
            ]
    return PainSources(
        query=UnderstoodQuery(
            q=q,
            regions=[
                QueryRegion(**catalog.region_refs[s].model_dump(), matched_text=matched_text.get(s))
                for s in answer.areas
            ],
            conditions=[
                QueryCondition(
                    **catalog.condition_refs[s].model_dump(), matched_text=condition_text.get(s)
                )
                for s in answer.conditions
            ],
            activities=[_term(catalog, m) for m in answer.understanding.activities],
            sensations=[_term(catalog, m) for m in answer.understanding.sensations],
            denied=[
                QueryRegion(**catalog.region_refs[m.term.slug].model_dump(), matched_text=m.text)
                for m in answer.understanding.denied
                if m.term.kind == "region"
            ],
            side=answer.side,  # type: ignore[arg-type]
            include=include,  # type: ignore[arg-type]
        ),
        results=results,
        warnings=[
            Warning(
                slug=f.rule.slug,
                name=f.rule.name,
                urgency=f.rule.urgency,  # type: ignore[arg-type]
                message=f.rule.warning,
                recognised=list(f.recognised),
            )
            for f in answer.red_flags
        ],
        suggestions=suggestions,
        body_map_url=_question_map_url(answer.areas, answer.side, q, regions, conditions),
        disclaimer=DISCLAIMER,
    )


def _term(catalog: Catalog, mention: Mention) -> QueryTerm:
    return QueryTerm(
        slug=mention.term.slug,
        name=catalog.engine.term_name(mention.term),
        matched_text=mention.text,
    )


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
    params = [("q", q)] if q and not regions and not conditions else [("region", a) for a in areas]
    if side:
        params.append(("side", side))
    return f"{body_map_url()}{urlencode(params)}"


def _question(q: str | None) -> str:
    question = (q or "").strip()
    if len(question) > MAX_QUESTION_LENGTH:
        raise ProblemException(422, f"q is longer than {MAX_QUESTION_LENGTH} characters.")
    return question


def _suggestion(catalog: Catalog, kind: str, slug: str) -> Suggestion:
    ref = catalog.refs(kind)[slug]
    return Suggestion(kind=kind, slug=slug, name=ref.name, url=ref.url)  # type: ignore[arg-type]


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
        ref = _suggestion(catalog, kind, slug)
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
