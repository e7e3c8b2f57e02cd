# Generated from tests/openapi.json by datamodel-code-generator: do not edit.
# Refresh with `.venv/bin/python -m tests.contract` (see tests/contract.py).

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, RootModel


class ConditionRef(BaseModel):
    name: Annotated[str, Field(examples=["Tension-type headache"], title="Name")]
    slug: Annotated[str, Field(examples=["tension-type-headache"], title="Slug")]
    url: Annotated[str, Field(examples=["/v1/conditions/tension-type-headache"], title="Url")]


class ConditionSummary(BaseModel):
    name: Annotated[str, Field(title="Name")]
    slug: Annotated[str, Field(title="Slug")]
    synonyms: Annotated[list[str], Field(title="Synonyms")]
    url: Annotated[str, Field(title="Url")]


class Health(BaseModel):
    status: Annotated[Literal["ok"], Field(title="Status")] = "ok"


class MapPointOut(BaseModel):
    view: Annotated[Literal["front", "back", "sole", "head"], Field(title="View")]
    x: Annotated[float, Field(title="X")]
    """
    Distance from the view's midline towards the muscle's side (0-100; 0-200 on the head view).
    """
    y: Annotated[float, Field(title="Y")]
    """
    Distance from the top of the view: of the head on front and back (0-505), of the toes on sole (0-250), of the head on head (0-250).
    """


class MatchedZone(BaseModel):
    kind: Annotated[Literal["essential", "spillover"], Field(title="Kind")]
    region: Annotated[str, Field(examples=["temple"], title="Region")]
    """
    The asked region the zone explains.
    """
    trigger_point: Annotated[str, Field(examples=["temporalis-trp1"], title="Trigger Point")]
    zone: Annotated[str, Field(examples=["temple"], title="Zone")]
    """
    The region of the referral zone itself.
    """


class MuscleGroup(
    RootModel[
        Literal[
            "head",
            "neck",
            "shoulder",
            "upper-back",
            "chest",
            "upper-arm",
            "forearm",
            "hand",
            "abdomen",
            "lower-back",
            "pelvis",
            "hip",
            "thigh",
            "leg",
            "foot",
        ]
    ]
):
    root: Annotated[
        Literal[
            "head",
            "neck",
            "shoulder",
            "upper-back",
            "chest",
            "upper-arm",
            "forearm",
            "hand",
            "abdomen",
            "lower-back",
            "pelvis",
            "hip",
            "thigh",
            "leg",
            "foot",
        ],
        Field(title="MuscleGroup"),
    ]


class MuscleRef(BaseModel):
    aliases: Annotated[list[str], Field(examples=[["temporal muscle"]], title="Aliases")]
    name: Annotated[str, Field(examples=["Temporalis"], title="Name")]
    slug: Annotated[str, Field(examples=["temporalis"], title="Slug")]
    url: Annotated[str, Field(examples=["/v1/muscles/temporalis"], title="Url")]


class MuscleSummary(BaseModel):
    aliases: Annotated[list[str], Field(title="Aliases")]
    group: Annotated[str, Field(examples=["head"], title="Group")]
    name: Annotated[str, Field(title="Name")]
    slug: Annotated[str, Field(title="Slug")]
    url: Annotated[str, Field(title="Url")]


class PageConditionSummary(BaseModel):
    count: Annotated[int, Field(title="Count")]
    """
    How many items match, over all pages.
    """
    next: Annotated[str | None, Field(title="Next")]
    """
    The next page, or null on the last.
    """
    previous: Annotated[str | None, Field(title="Previous")]
    """
    The previous page, or null on the first.
    """
    results: Annotated[list[ConditionSummary], Field(title="Results")]


class PageMuscleSummary(BaseModel):
    count: Annotated[int, Field(title="Count")]
    """
    How many items match, over all pages.
    """
    next: Annotated[str | None, Field(title="Next")]
    """
    The next page, or null on the last.
    """
    previous: Annotated[str | None, Field(title="Previous")]
    """
    The previous page, or null on the first.
    """
    results: Annotated[list[MuscleSummary], Field(title="Results")]


class PainSource(BaseModel):
    body_map_url: Annotated[
        str,
        Field(examples=["/v1/body-map.svg?muscle=temporalis"], title="Body Map Url"),
    ]
    condition: ConditionRef | None
    """
    The asked condition this muscle is associated with, if any.
    """
    matched: Annotated[list[MatchedZone], Field(title="Matched")]
    muscle: MuscleRef
    rank: Annotated[int, Field(examples=[1], ge=1, title="Rank")]
    score: Annotated[float, Field(examples=[0.93], ge=0.0, le=1.0, title="Score")]
    self_care_url: Annotated[
        str, Field(examples=["/v1/muscles/temporalis/self-care"], title="Self Care Url")
    ]
    why: Annotated[
        str,
        Field(
            examples=["Temporalis TrP1 refers pain to the temple (essential zone)."],
            title="Why",
        ),
    ]


class QueryCondition(BaseModel):
    matched_text: Annotated[str | None, Field(title="Matched Text")] = None
    name: Annotated[str, Field(title="Name")]
    slug: Annotated[str, Field(title="Slug")]
    url: Annotated[str, Field(title="Url")]


class QueryRegion(BaseModel):
    matched_text: Annotated[str | None, Field(title="Matched Text")] = None
    """
    The words of `q` understood as this region, if any.
    """
    name: Annotated[str, Field(examples=["Temple"], title="Name")]
    slug: Annotated[str, Field(examples=["temple"], title="Slug")]
    url: Annotated[str, Field(examples=["/v1/regions/temple"], title="Url")]


class QueryTerm(BaseModel):
    """
    An activity or sensation understood in `q` (from the lexicon).
    """

    matched_text: Annotated[str, Field(examples=["chew"], title="Matched Text")]
    """
    The words of `q` it came from.
    """
    name: Annotated[str, Field(examples=["Chewing and jaw use"], title="Name")]
    slug: Annotated[str, Field(examples=["chewing"], title="Slug")]


class Readiness(BaseModel):
    database: Annotated[Literal["ok", "unreachable"], Field(title="Database")]
    dataset_version: Annotated[str | None, Field(title="Dataset Version")]
    muscles: Annotated[int, Field(title="Muscles")]
    status: Annotated[Literal["ready", "unavailable"], Field(title="Status")]


class RegionMuscle(BaseModel):
    kind: Annotated[Literal["essential", "spillover"], Field(title="Kind")]
    """
    The strongest zone kind by which it refers here.
    """
    muscle: MuscleRef
    regions: Annotated[list[str], Field(title="Regions")]
    """
    The region slugs (this one or below) it refers to.
    """
    trigger_points: Annotated[list[str], Field(title="Trigger Points")]


class RegionNode(BaseModel):
    children: Annotated[list[RegionNode], Field(title="Children")]
    name: Annotated[str, Field(title="Name")]
    sided: Annotated[bool, Field(title="Sided")]
    slug: Annotated[str, Field(title="Slug")]
    url: Annotated[str, Field(title="Url")]
    views: Annotated[list[str], Field(title="Views")]


class RegionRef(BaseModel):
    name: Annotated[str, Field(examples=["Temple"], title="Name")]
    slug: Annotated[str, Field(examples=["temple"], title="Slug")]
    url: Annotated[str, Field(examples=["/v1/regions/temple"], title="Url")]


class RegionSummary(BaseModel):
    name: Annotated[str, Field(title="Name")]
    ontology_id: Annotated[str | None, Field(title="Ontology Id")]
    parent: RegionRef | None
    sided: Annotated[bool, Field(title="Sided")]
    slug: Annotated[str, Field(title="Slug")]
    synonyms: Annotated[list[str], Field(title="Synonyms")]
    url: Annotated[str, Field(title="Url")]
    views: Annotated[list[str], Field(title="Views")]


class RegionTree(BaseModel):
    count: Annotated[int, Field(title="Count")]
    """
    How many regions exist at all levels.
    """
    results: Annotated[list[RegionNode], Field(title="Results")]
    """
    Top-level regions, children nested.
    """


class SearchHit(BaseModel):
    kind: Annotated[Literal["region", "condition", "muscle"], Field(title="Kind")]
    matched: Annotated[str, Field(title="Matched")]
    """
    The name, synonym or alias that matched.
    """
    name: Annotated[str, Field(title="Name")]
    score: Annotated[float, Field(title="Score")]
    slug: Annotated[str, Field(title="Slug")]
    url: Annotated[str, Field(title="Url")]


class SearchResults(BaseModel):
    q: Annotated[str, Field(title="Q")]
    results: Annotated[list[SearchHit], Field(title="Results")]


class SelfCareOut(BaseModel):
    cautions: Annotated[list[str], Field(title="Cautions")]
    """
    Where not to press and when to stop.
    """
    find: Annotated[str, Field(title="Find")]
    """
    How to locate the trigger point.
    """
    perpetuating: Annotated[list[str], Field(title="Perpetuating")]
    """
    Habits and postures that keep it going.
    """
    stretch: Annotated[str | None, Field(title="Stretch")]
    """
    A gentle stretch, or null where none is safe.
    """
    treat: Annotated[str, Field(title="Treat")]
    """
    How to release it yourself: technique, pressure, duration.
    """


class SourceOut(BaseModel):
    title: Annotated[str, Field(title="Title")]
    url: Annotated[str | None, Field(title="Url")] = None


class Suggestion(BaseModel):
    kind: Annotated[Literal["region", "condition", "muscle"], Field(title="Kind")]
    name: Annotated[str, Field(title="Name")]
    slug: Annotated[str, Field(title="Slug")]
    url: Annotated[str, Field(title="Url")]


class UnderstoodQuery(BaseModel):
    activities: Annotated[list[QueryTerm] | None, Field(title="Activities")] = None
    """
    What the question says brings the pain on; it re-orders the muscles that explain the asked areas, and stands for its usual areas when none is named.
    """
    conditions: Annotated[list[QueryCondition], Field(title="Conditions")]
    denied: Annotated[list[QueryRegion] | None, Field(title="Denied")] = None
    """
    Places the question rules out ("not my ear", "used to hurt in my neck"): not asked.
    """
    include: Annotated[Literal["spillover", "essential"], Field(title="Include")]
    q: Annotated[
        str | None,
        Field(examples=["my left temple throbs when I chew, not my ear"], title="Q"),
    ]
    regions: Annotated[list[QueryRegion], Field(title="Regions")]
    sensations: Annotated[list[QueryTerm] | None, Field(title="Sensations")] = None
    """
    How the pain feels; muscles whose trigger points are recorded with that symptom rank slightly higher.
    """
    side: Annotated[Literal["left", "right"] | None, Field(title="Side")]


class ValidationIssue(BaseModel):
    """
    One reason a request is not valid (a problem's ``errors``).
    """

    loc: Annotated[list[str | int], Field(title="Loc")]
    msg: Annotated[str, Field(title="Msg")]
    type: Annotated[str, Field(title="Type")]


class Warning(BaseModel):
    message: Annotated[str, Field(title="Message")]
    name: Annotated[str, Field(title="Name")]
    recognised: Annotated[
        list[str] | None,
        Field(examples=[["sudden", "worst", "headache"]], title="Recognised"),
    ] = None
    """
    The words of the question that matched each part of the pattern.
    """
    slug: Annotated[str, Field(examples=["thunderclap-headache"], title="Slug")]
    urgency: Annotated[Literal["emergency", "urgent", "soon"], Field(title="Urgency")]
    """
    emergency: call emergency services now; urgent: be seen by a doctor today; soon: see a doctor within days.
    """


class Zone(BaseModel):
    kind: Annotated[Literal["essential", "spillover"], Field(title="Kind")]
    region: RegionRef


class ChoirSegment(BaseModel):
    """
    A CHOIR Body Map segment and the Painmap regions it covers.
    """

    code: Annotated[int, Field(examples=[112], title="Code")]
    """
    The segment number on the CHOIR Body Map.
    """
    name: Annotated[str, Field(examples=["Left upper arm (front)"], title="Name")]
    pain_sources_url: Annotated[
        str, Field(examples=["/v1/pain-sources?choir=112"], title="Pain Sources Url")
    ]
    regions: Annotated[list[RegionRef], Field(title="Regions")]
    """
    The regions it is asked as.
    """
    side: Annotated[Literal["left", "right"], Field(title="Side")]
    """
    The person's own side.
    """
    view: Annotated[Literal["front", "back", "sole", "head"], Field(title="View")]


class ConditionDetail(BaseModel):
    description: Annotated[str, Field(title="Description")]
    muscles: Annotated[list[MuscleRef], Field(title="Muscles")]
    name: Annotated[str, Field(title="Name")]
    regions: Annotated[list[RegionRef], Field(title="Regions")]
    slug: Annotated[str, Field(title="Slug")]
    sources: Annotated[list[SourceOut], Field(title="Sources")]
    synonyms: Annotated[list[str], Field(title="Synonyms")]
    url: Annotated[str, Field(title="Url")]


class PageRegionSummary(BaseModel):
    count: Annotated[int, Field(title="Count")]
    """
    How many items match, over all pages.
    """
    next: Annotated[str | None, Field(title="Next")]
    """
    The next page, or null on the last.
    """
    previous: Annotated[str | None, Field(title="Previous")]
    """
    The previous page, or null on the first.
    """
    results: Annotated[list[RegionSummary], Field(title="Results")]


class PainSources(BaseModel):
    body_map_url: Annotated[str | None, Field(title="Body Map Url")]
    """
    An SVG body map of the areas the question was understood as.
    """
    disclaimer: Annotated[str, Field(title="Disclaimer")]
    query: UnderstoodQuery
    results: Annotated[list[PainSource], Field(title="Results")]
    suggestions: Annotated[list[Suggestion], Field(title="Suggestions")]
    """
    When the question named nothing known: areas and conditions to try.
    """
    warnings: Annotated[list[Warning], Field(title="Warnings")]
    """
    Red flags: seek medical care before anything else.
    """


class Problem(BaseModel):
    """
    RFC 9457 problem details.
    """

    detail: Annotated[str | None, Field(title="Detail")] = None
    errors: Annotated[list[ValidationIssue] | None, Field(title="Errors")] = None
    instance: Annotated[str | None, Field(title="Instance")] = None
    status: Annotated[int, Field(title="Status")]
    suggestions: Annotated[list[dict[str, Any]] | None, Field(title="Suggestions")] = None
    title: Annotated[str, Field(title="Title")]
    type: Annotated[str | None, Field(title="Type")] = "about:blank"


class RegionDetail(BaseModel):
    ancestors: Annotated[list[RegionRef], Field(title="Ancestors")]
    body_map_url: Annotated[
        str, Field(examples=["/v1/body-map.svg?region=temple"], title="Body Map Url")
    ]
    children: Annotated[list[RegionRef], Field(title="Children")]
    muscles: Annotated[list[RegionMuscle], Field(title="Muscles")]
    """
    Muscles referring here, essential first.
    """
    name: Annotated[str, Field(title="Name")]
    ontology_id: Annotated[str | None, Field(title="Ontology Id")]
    parent: RegionRef | None
    sided: Annotated[bool, Field(title="Sided")]
    slug: Annotated[str, Field(title="Slug")]
    synonyms: Annotated[list[str], Field(title="Synonyms")]
    url: Annotated[str, Field(title="Url")]
    views: Annotated[list[str], Field(title="Views")]


class SelfCareEntry(BaseModel):
    label: Annotated[str, Field(title="Label")]
    location: Annotated[str, Field(title="Location")]
    self_care: SelfCareOut | None
    """
    Null where the dataset has no guidance yet.
    """
    site: RegionRef
    slug: Annotated[str, Field(examples=["upper-trapezius-trp1"], title="Slug")]


class SelfCarePage(BaseModel):
    disclaimer: Annotated[str, Field(title="Disclaimer")]
    muscle: MuscleRef
    trigger_points: Annotated[list[SelfCareEntry], Field(title="Trigger Points")]


class TriggerPointOut(BaseModel):
    aggravating: Annotated[list[str], Field(title="Aggravating")]
    label: Annotated[str, Field(title="Label")]
    location: Annotated[str, Field(title="Location")]
    map_point: MapPointOut
    muscle: MuscleRef
    self_care_url: Annotated[str, Field(title="Self Care Url")]
    site: RegionRef
    """
    The region the trigger point itself lies in.
    """
    slug: Annotated[str, Field(examples=["temporalis-trp1"], title="Slug")]
    symptoms: Annotated[list[str], Field(title="Symptoms")]
    zones: Annotated[list[Zone], Field(title="Zones")]
    """
    Where it refers pain: essential zones first.
    """


class ChoirScheme(BaseModel):
    """
    The CHOIR Body Map's segments (never paginated: all 74 at once).
    """

    count: Annotated[int, Field(title="Count")]
    name: Annotated[str, Field(examples=["CHOIR Body Map"], title="Name")]
    next: Annotated[None, Field(title="Next")] = None
    previous: Annotated[None, Field(title="Previous")] = None
    results: Annotated[list[ChoirSegment], Field(title="Results")]
    scheme: Annotated[Literal["choir"], Field(title="Scheme")] = "choir"
    sources: Annotated[list[SourceOut], Field(title="Sources")]


class MuscleDetail(BaseModel):
    action: Annotated[str, Field(title="Action")]
    aliases: Annotated[list[str], Field(title="Aliases")]
    body_map_url: Annotated[
        str,
        Field(examples=["/v1/body-map.svg?muscle=infraspinatus"], title="Body Map Url"),
    ]
    """
    An SVG body map of this muscle's zones and trigger points.
    """
    conditions: Annotated[list[ConditionRef], Field(title="Conditions")]
    description: Annotated[str, Field(title="Description")]
    group: Annotated[str, Field(title="Group")]
    innervation: Annotated[str, Field(title="Innervation")]
    insertion: Annotated[str, Field(title="Insertion")]
    name: Annotated[str, Field(title="Name")]
    ontology_id: Annotated[str | None, Field(title="Ontology Id")]
    origin: Annotated[str, Field(title="Origin")]
    slug: Annotated[str, Field(title="Slug")]
    sources: Annotated[list[SourceOut], Field(title="Sources")]
    trigger_points: Annotated[list[TriggerPointOut], Field(title="Trigger Points")]
    url: Annotated[str, Field(title="Url")]


RegionNode.model_rebuild()
