"""Response models: what clients see. Tables live in ``app.data.tables``."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from app.domain import ResourceKind, Side, Urgency, View, ZoneKind

T = TypeVar("T")


class Public(BaseModel):
    model_config = ConfigDict(frozen=True)


class RegionRef(Public):
    slug: str = Field(examples=["temple"])
    name: str = Field(examples=["Temple"])
    url: str = Field(examples=["/v1/regions/temple"])


class MuscleRef(Public):
    slug: str = Field(examples=["temporalis"])
    name: str = Field(examples=["Temporalis"])
    aliases: list[str] = Field(examples=[["temporal muscle"]])
    url: str = Field(examples=["/v1/muscles/temporalis"])


class ConditionRef(Public):
    slug: str = Field(examples=["tension-type-headache"])
    name: str = Field(examples=["Tension-type headache"])
    url: str = Field(examples=["/v1/conditions/tension-type-headache"])


class SourceOut(Public):
    title: str
    url: str | None = None


class Page(Public, Generic[T]):
    count: int = Field(description="How many items match, over all pages.")
    next: str | None = Field(description="The next page, or null on the last.")
    previous: str | None = Field(description="The previous page, or null on the first.")
    results: list[T]


class Zone(Public):
    region: RegionRef
    kind: ZoneKind


class MapPointOut(Public):
    view: View
    x: float = Field(
        description="Distance from the view's midline towards the muscle's side "
        "(0-100; 0-200 on the head view)."
    )
    y: float = Field(
        description="Distance from the top of the view: of the head on front and back (0-505), "
        "of the toes on sole (0-250), of the head on head (0-250)."
    )


class SelfCareOut(Public):
    find: str = Field(description="How to locate the trigger point.")
    treat: str = Field(description="How to release it yourself: technique, pressure, duration.")
    stretch: str | None = Field(description="A gentle stretch, or null where none is safe.")
    perpetuating: list[str] = Field(description="Habits and postures that keep it going.")
    cautions: list[str] = Field(description="Where not to press and when to stop.")


class TriggerPointOut(Public):
    slug: str = Field(examples=["temporalis-trp1"])
    label: str
    location: str
    site: RegionRef = Field(description="The region the trigger point itself lies in.")
    map_point: MapPointOut
    symptoms: list[str]
    aggravating: list[str]
    zones: list[Zone] = Field(description="Where it refers pain: essential zones first.")
    muscle: MuscleRef
    self_care_url: str


class SelfCareEntry(Public):
    slug: str = Field(examples=["upper-trapezius-trp1"])
    label: str
    location: str
    site: RegionRef
    self_care: SelfCareOut | None = Field(description="Null where the dataset has no guidance yet.")


class SelfCarePage(Public):
    muscle: MuscleRef
    trigger_points: list[SelfCareEntry]
    disclaimer: str


class MuscleSummary(Public):
    slug: str
    name: str
    aliases: list[str]
    group: str = Field(examples=["head"])
    url: str


class MuscleDetail(Public):
    slug: str
    name: str
    aliases: list[str]
    group: str
    ontology_id: str | None
    origin: str
    insertion: str
    action: str
    innervation: str
    description: str
    sources: list[SourceOut]
    trigger_points: list[TriggerPointOut]
    conditions: list[ConditionRef]
    url: str
    body_map_url: str = Field(
        description="An SVG body map of this muscle's zones and trigger points.",
        examples=["/v1/body-map.svg?muscle=infraspinatus"],
    )


class RegionNode(Public):
    slug: str
    name: str
    url: str
    sided: bool
    views: list[str]
    children: list[RegionNode]


class RegionTree(Public):
    count: int = Field(description="How many regions exist at all levels.")
    results: list[RegionNode] = Field(description="Top-level regions, children nested.")


class RegionSummary(Public):
    slug: str
    name: str
    url: str
    parent: RegionRef | None
    synonyms: list[str]
    views: list[str]
    sided: bool
    ontology_id: str | None


class RegionMuscle(Public):
    muscle: MuscleRef
    kind: ZoneKind = Field(description="The strongest zone kind by which it refers here.")
    trigger_points: list[str]
    regions: list[str] = Field(description="The region slugs (this one or below) it refers to.")


class RegionDetail(RegionSummary):
    ancestors: list[RegionRef]
    children: list[RegionRef]
    muscles: list[RegionMuscle] = Field(description="Muscles referring here, essential first.")
    body_map_url: str = Field(examples=["/v1/body-map.svg?region=temple"])


class ConditionSummary(Public):
    slug: str
    name: str
    synonyms: list[str]
    url: str


class ConditionDetail(Public):
    slug: str
    name: str
    synonyms: list[str]
    description: str
    regions: list[RegionRef]
    muscles: list[MuscleRef]
    sources: list[SourceOut]
    url: str


class Health(Public):
    status: Literal["ok"] = "ok"


class Readiness(Public):
    status: Literal["ready", "unavailable"]
    database: Literal["ok", "unreachable"]
    dataset_version: str | None
    muscles: int


class ValidationIssue(Public):
    """One reason a request is not valid (a problem's ``errors``)."""

    loc: list[str | int]
    msg: str
    type: str


class Problem(Public):
    """RFC 9457 problem details."""

    type: str = Field(default="about:blank")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[ValidationIssue] | None = None
    suggestions: list[dict[str, Any]] | None = None


class QueryRegion(Public):
    slug: str = Field(examples=["temple"])
    name: str = Field(examples=["Temple"])
    url: str = Field(examples=["/v1/regions/temple"])
    matched_text: str | None = Field(
        default=None, description="The words of `q` understood as this region, if any."
    )


class QueryCondition(Public):
    slug: str
    name: str
    url: str
    matched_text: str | None = None


class QueryTerm(Public):
    """An activity or sensation understood in `q` (from the lexicon)."""

    slug: str = Field(examples=["chewing"])
    name: str = Field(examples=["Chewing and jaw use"])
    matched_text: str = Field(examples=["chew"], description="The words of `q` it came from.")


class UnderstoodQuery(Public):
    q: str | None = Field(examples=["my left temple throbs when I chew, not my ear"])
    regions: list[QueryRegion]
    conditions: list[QueryCondition]
    activities: list[QueryTerm] = Field(
        default_factory=list,
        description="What the question says brings the pain on; it re-orders the muscles "
        "that explain the asked areas, and stands for its usual areas when none is named.",
    )
    sensations: list[QueryTerm] = Field(
        default_factory=list,
        description="How the pain feels; muscles whose trigger points are recorded with "
        "that symptom rank slightly higher.",
    )
    denied: list[QueryRegion] = Field(
        default_factory=list,
        description='Places the question rules out ("not my ear", "used to hurt in my '
        'neck"): not asked.',
    )
    side: Side | None
    include: Literal["spillover", "essential"]


class MatchedZone(Public):
    region: str = Field(examples=["temple"], description="The asked region the zone explains.")
    zone: str = Field(examples=["temple"], description="The region of the referral zone itself.")
    kind: ZoneKind
    trigger_point: str = Field(examples=["temporalis-trp1"])


class PainSource(Public):
    muscle: MuscleRef
    score: float = Field(ge=0, le=1, examples=[0.93])
    rank: int = Field(ge=1, examples=[1])
    matched: list[MatchedZone]
    condition: ConditionRef | None = Field(
        description="The asked condition this muscle is associated with, if any."
    )
    why: str = Field(
        examples=["Temporalis TrP1 refers pain to the temple (essential zone)."],
    )
    self_care_url: str = Field(examples=["/v1/muscles/temporalis/self-care"])
    body_map_url: str = Field(examples=["/v1/body-map.svg?muscle=temporalis"])


class Warning(Public):
    slug: str = Field(examples=["thunderclap-headache"])
    name: str
    urgency: Urgency = Field(
        description="emergency: call emergency services now; urgent: be seen by a doctor "
        "today; soon: see a doctor within days."
    )
    message: str
    recognised: list[str] = Field(
        default_factory=list,
        examples=[["sudden", "worst", "headache"]],
        description="The words of the question that matched each part of the pattern.",
    )


class Suggestion(Public):
    kind: ResourceKind
    slug: str
    name: str
    url: str


class PainSources(Public):
    query: UnderstoodQuery
    results: list[PainSource]
    warnings: list[Warning] = Field(
        description="Red flags: seek medical care before anything else."
    )
    suggestions: list[Suggestion] = Field(
        description="When the question named nothing known: areas and conditions to try."
    )
    body_map_url: str | None = Field(
        description="An SVG body map of the areas the question was understood as."
    )
    disclaimer: str


class SearchHit(Public):
    kind: ResourceKind
    slug: str
    name: str
    url: str
    matched: str = Field(description="The name, synonym or alias that matched.")
    score: float


class SearchResults(Public):
    q: str
    results: list[SearchHit]


class ChoirSegment(Public):
    """A CHOIR Body Map segment and the Painmap regions it covers."""

    code: int = Field(examples=[112], description="The segment number on the CHOIR Body Map.")
    view: View
    side: Side = Field(description="The person's own side.")
    name: str = Field(examples=["Left upper arm (front)"])
    regions: list[RegionRef] = Field(description="The regions it is asked as.")
    pain_sources_url: str = Field(examples=["/v1/pain-sources?choir=112"])


class ChoirScheme(Public):
    """The CHOIR Body Map's segments (never paginated: all 74 at once)."""

    scheme: Literal["choir"] = "choir"
    name: str = Field(examples=["CHOIR Body Map"])
    sources: list[SourceOut]
    count: int
    next: None = None
    previous: None = None
    results: list[ChoirSegment]
