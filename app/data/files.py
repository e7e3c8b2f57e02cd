"""Pydantic models of the human-edited files in ``data/``.

These describe the files exactly as curators write them; ``app.data.dataset`` reads
them, checks the cross-references and turns them into one validated dataset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, model_validator

from app.domain import Side, Urgency

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ONTOLOGY_PATTERN = re.compile(r"^(FMA:\d{3,7}|UBERON:\d{7})$")


def _check_slug(value: str) -> str:
    if not SLUG_PATTERN.match(value):
        raise ValueError(f"{value!r} is not a lower-case ascii kebab-case slug")
    return value


def _check_ontology_id(value: str) -> str:
    if not ONTOLOGY_PATTERN.match(value):
        raise ValueError(f"{value!r} is not an ontology id like 'FMA:12345' or 'UBERON:0001234'")
    return value


def _check_unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    for value in values:
        key = value.casefold()
        if key in seen:
            raise ValueError(f"{value!r} is listed twice")
        seen.add(key)
    return values


Slug = Annotated[str, AfterValidator(_check_slug)]
OntologyId = Annotated[str, AfterValidator(_check_ontology_id)]
Text = Annotated[str, Field(min_length=1)]
UniqueTexts = Annotated[list[Text], AfterValidator(_check_unique)]


class Strict(BaseModel):
    """Unknown keys are typos in a curated file, so they are errors."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class View(StrEnum):
    """A body-map figure: the whole body from the front and from behind, the
    soles of both feet (as footprints), and the head and neck seen from each side."""

    front = "front"
    back = "back"
    sole = "sole"
    head = "head"


@dataclass(frozen=True)
class ViewBox:
    """A view's drawing box: x runs from -half_width to half_width about the
    view's midline, y from 0 down to height."""

    half_width: float
    height: float


# Front and back hold the whole figure; the sole and head views are close-ups
# at a larger scale, each side in its own half (see data/README.md).
# Keyed by the enum, looked up with the plain names too (a StrEnum is its str).
VIEW_BOXES: dict[str, ViewBox] = {
    View.front: ViewBox(100, 505),
    View.back: ViewBox(100, 505),
    View.sole: ViewBox(100, 250),
    View.head: ViewBox(200, 250),
}


class MuscleGroup(StrEnum):
    head = "head"
    neck = "neck"
    shoulder = "shoulder"
    upper_back = "upper-back"
    chest = "chest"
    upper_arm = "upper-arm"
    forearm = "forearm"
    hand = "hand"
    abdomen = "abdomen"
    lower_back = "lower-back"
    pelvis = "pelvis"
    hip = "hip"
    thigh = "thigh"
    leg = "leg"
    foot = "foot"


class RegionFile(Strict):
    """One node of ``data/regions.yaml``; children nest."""

    slug: Slug
    name: Text
    synonyms: UniqueTexts = []
    views: Annotated[list[View], Field(min_length=1)]
    sided: bool
    ontology_id: OntologyId | None = None
    children: list[RegionFile] = []


class Source(Strict):
    title: Text
    url: HttpUrl | None = None


class MapPoint(Strict):
    """A point on the body-map outline (see data/README.md for the coordinates).

    ``x`` is the distance from the midline towards the muscle's own side, so one
    point serves the left and the right muscle by mirroring.
    """

    view: View
    x: Annotated[float, Field(ge=0, le=200)]
    y: Annotated[float, Field(ge=0, le=505)]

    @model_validator(mode="after")
    def _inside_view(self) -> MapPoint:
        box = VIEW_BOXES[self.view]
        if self.x > box.half_width or self.y > box.height:
            raise ValueError(
                f"({self.x}, {self.y}) lies outside the {self.view.value} view "
                f"(x 0-{box.half_width:g}, y 0-{box.height:g})"
            )
        return self


class SelfCare(Strict):
    find: Text
    treat: Text
    stretch: Text | None = None
    perpetuating: Annotated[list[Text], Field(min_length=1)]
    cautions: list[Text] = []
    # Regions the technique presses on besides the trigger point's own site
    # (obturator internus is reached from the sit bone towards the pelvic
    # floor): their region cautions apply too.
    near: list[Slug] = []


class TriggerPointFile(Strict):
    slug: Slug
    label: Text
    location: Text
    # The region the trigger point itself lies in: region-level self-care
    # cautions (data/cautions.yaml) attach through it.
    site: Slug
    map_point: MapPoint
    essential: Annotated[list[Slug], Field(min_length=1)]
    spillover: list[Slug] = []
    symptoms: Annotated[list[Text], Field(min_length=1)]
    aggravating: Annotated[list[Text], Field(min_length=1)]
    self_care: SelfCare | None = None
    # Zones drawn on a parent region on purpose, each with why the pattern
    # covers the whole of it rather than one of its parts.
    broad_zones: dict[Slug, Text] = {}

    @model_validator(mode="after")
    def _zones_are_distinct(self) -> TriggerPointFile:
        _check_unique(self.essential)
        _check_unique(self.spillover)
        both = set(self.essential) & set(self.spillover)
        if both:
            raise ValueError(f"region(s) {sorted(both)} listed as both essential and spillover")
        stray = set(self.broad_zones) - set(self.essential) - set(self.spillover)
        if stray:
            raise ValueError(f"broad_zones names region(s) {sorted(stray)} that are no zone")
        return self


class MuscleFile(Strict):
    """One file ``data/muscles/<slug>.yaml``."""

    slug: Slug
    name: Text
    aliases: UniqueTexts = []
    group: MuscleGroup
    ontology_id: OntologyId | None = None
    origin: Text
    insertion: Text
    action: Text
    innervation: Text
    description: Text
    sources: Annotated[list[Source], Field(min_length=1)]
    trigger_points: list[TriggerPointFile] = []
    # Trigger points recorded under another muscle that lie in this one too
    # (the Manual's posterior cervical TrP1 sits in both semispinalis cervicis
    # and the multifidi): one record, counted for both muscles.
    shared_trigger_points: UniqueTexts = []

    @model_validator(mode="after")
    def _has_a_trigger_point(self) -> MuscleFile:
        if not self.trigger_points and not self.shared_trigger_points:
            raise ValueError("a muscle needs trigger_points or shared_trigger_points")
        return self

    def facts(self) -> dict[str, Any]:
        """The muscle's own fields, as plain values (tables and responses share them)."""
        return self.model_dump(
            mode="json", exclude={"sources", "trigger_points", "shared_trigger_points"}
        )


class ConditionFile(Strict):
    slug: Slug
    name: Text
    synonyms: UniqueTexts = []
    description: Text
    regions: Annotated[list[Slug], Field(min_length=1)]
    muscles: Annotated[list[Slug], Field(min_length=1)]
    sources: Annotated[list[Source], Field(min_length=1)]


class RedFlagFile(Strict):
    slug: Slug
    name: Text
    # Each pattern is a list of alternatives groups: all groups must match, one
    # phrase of each group is enough ("sudden" AND "worst headache").
    patterns: Annotated[list[list[Text]], Field(min_length=1)]
    warning: Text
    urgency: Urgency


NeighbourPair = Annotated[list[Slug], Field(min_length=2, max_length=2)]


class CautionFile(Strict):
    """A self-care caution attached to regions: every trigger point whose
    ``site`` is one of these regions (or below one) shows it."""

    slug: Slug
    text: Text
    regions: Annotated[list[Slug], Field(min_length=1)]
    # Words that, in a trigger point's find/treat text, mean the technique works
    # near this caution's structures ("pulse", "pelvic floor"): the data tests
    # require such a trigger point to be within reach of the caution.
    landmarks: UniqueTexts = []


class Activity(Strict):
    """Something people do that brings a pain on ("when I chew"): it points at
    the muscles the references list for it, and stands for its regions when
    the question names no place."""

    slug: Slug
    name: Text
    phrases: Annotated[UniqueTexts, Field(min_length=1)]
    regions: Annotated[list[Slug], Field(min_length=1)]
    muscles: Annotated[list[Slug], Field(min_length=1)]
    sources: Annotated[list[Source], Field(min_length=1)]


class Sensation(Strict):
    """A way pain feels ("pins and needles"): echoed back, and matched against
    the symptoms the data records for each trigger point."""

    slug: Slug
    name: Text
    phrases: Annotated[UniqueTexts, Field(min_length=1)]
    # Words that, in a trigger point's symptoms, mean it causes this sensation.
    symptom_words: Annotated[UniqueTexts, Field(min_length=1)]


class Negation(Strict):
    """How people say a place or a symptom is not the one they mean."""

    # Words that deny what follows them in the same clause ("no", "never").
    before: Annotated[UniqueTexts, Field(min_length=1)]
    # Words that deny what just precedes them ("bladder fine", "legs ok").
    after: UniqueTexts = []
    # Words that may stand between a denying word and what it denies ("no
    # pain in my knee": pain, in); any other word ends the denial.
    bridge: UniqueTexts = []
    # Words that end a clause as punctuation does ("not my back but my hip").
    clause_breaks: UniqueTexts = []
    # Words that, earlier in the clause, turn a denying word into part of the
    # complaint ("can't sit without pain in my tailbone").
    cancelling: UniqueTexts = []


class LexiconFile(Strict):
    """``data/lexicon.yaml``: the language of questions beyond the names and
    synonyms of regions, conditions and muscles."""

    # Whole-word rewrites applied before anything else, to questions and
    # phrases alike: txt-speak, abbreviations, spelling variants ("thru":
    # "through", "shldr": "shoulder"); a key of several words rewrites them
    # together ("it band": "iliotibial band", which filler would else make "band").
    rewrites: dict[Text, Text] = {}
    # Orientation words by what they mean ("inner": [inside, medial]): a place
    # named with one reads as the region whose own name uses any of them.
    orientations: dict[Text, UniqueTexts] = {}
    # Words of people's lives that are context, never a place ("barista"):
    # spelling correction leaves them alone.
    context_words: UniqueTexts = []
    negation: Negation
    activities: list[Activity] = []
    sensations: list[Sensation] = []


Point = Annotated[list[Annotated[float, Field(ge=-200, le=505)]], Field(min_length=2, max_length=2)]
Polygon = Annotated[list[Point], Field(min_length=3)]


class RegionShapes(Strict):
    """A leaf region's polygons on each view it is drawn on."""

    front: list[Polygon] = []
    back: list[Polygon] = []
    sole: list[Polygon] = []
    head: list[Polygon] = []

    def on(self, view: View | str) -> list[Polygon]:
        shapes: list[Polygon] = getattr(self, View(view).value)
        return shapes


class BodyMapFile(Strict):
    """``data/bodymap.yaml``: the drawing, an outline and region shapes per
    view. x is measured from the view's midline; shapes of sided regions are
    drawn once, on the right (positive x), and mirrored for the left."""

    outline: dict[View, Text]
    regions: dict[Slug, RegionShapes]


class ChoirSegmentFile(Strict):
    code: int
    view: View
    side: Side
    name: Text
    regions: Annotated[list[Slug], Field(min_length=1)]


class ChoirFile(Strict):
    """``data/choir.yaml``: CHOIR Body Map segments and the regions each covers."""

    scheme: Literal["choir"]
    name: Text
    sources: Annotated[list[Source], Field(min_length=1)]
    segments: list[ChoirSegmentFile]
