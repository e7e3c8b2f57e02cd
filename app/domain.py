"""The domain every layer shares: the validated dataset, its regions, the
closed vocabularies (sides, views, zone kinds, urgencies) and the error for
an unknown resource.

Nothing here reads files or knows HTTP. The loader (``app.data.dataset``)
builds a :class:`Dataset`; the lookup core, the catalog and the API read it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    # The dataset carries the validated records as the file models describe
    # them (frozen pydantic models); only their types are needed here.
    from app.data.files import (
        CautionFile,
        ConditionFile,
        LexiconFile,
        MuscleFile,
        RedFlagFile,
        TriggerPointFile,
    )

Side = Literal["left", "right"]  # the person's own side
View = Literal["front", "back", "sole", "head"]  # a body-map figure
ZoneKind = Literal["essential", "spillover"]
Urgency = Literal["emergency", "urgent", "soon"]
ResourceKind = Literal["region", "condition", "muscle"]

# CHOIR Body Map segment numbers (data/choir.yaml): front 101-136, back 201-238.
CHOIR_SEGMENTS = frozenset([*range(101, 137), *range(201, 239)])


class NotFound(LookupError):
    """No resource of ``kind`` has the slug ``key``; ``suggestions`` are the
    close matches (each with its ``slug``, ``name`` and ``url``)."""

    def __init__(
        self, kind: ResourceKind, key: str, suggestions: Sequence[Mapping[str, str]] = ()
    ) -> None:
        super().__init__(f"no {kind} has the slug {key!r}")
        self.kind = kind
        self.key = key
        self.suggestions = list(suggestions)


@dataclass(frozen=True)
class Region:
    """A body area of the region tree, flattened: its place in the tree is
    given by ``parent``, ``children`` and ``depth``."""

    slug: str
    name: str
    synonyms: tuple[str, ...]
    views: tuple[str, ...]
    sided: bool
    ontology_id: str | None
    parent: str | None
    children: tuple[str, ...]
    depth: int
    position: int  # order in the file, for stable listings


@dataclass(frozen=True)
class Dataset:
    regions: dict[str, Region]
    muscles: dict[str, MuscleFile]
    conditions: dict[str, ConditionFile]
    red_flags: dict[str, RedFlagFile]
    cautions: dict[str, CautionFile]
    version: str
    # Leaf regions that touch on the body surface (data/neighbours.yaml).
    neighbours: dict[str, frozenset[str]] = field(default_factory=dict)
    _shared_points: dict[str, TriggerPointFile] = field(default_factory=dict, repr=False)
    # The language of questions (data/lexicon.yaml); None when the folder has none.
    lexicon: LexiconFile | None = None
    _descendants: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def descendants(self, slug: str) -> frozenset[str]:
        """The region itself and every region below it."""
        return self._descendants[slug]

    def ancestors(self, slug: str) -> list[str]:
        chain = []
        parent = self.regions[slug].parent
        while parent is not None:
            chain.append(parent)
            parent = self.regions[parent].parent
        return chain

    def trigger_points(self) -> Iterator[tuple[MuscleFile, TriggerPointFile]]:
        """Every (muscle, trigger point) pair, shared points once per muscle."""
        for muscle in self.muscles.values():
            for point in self.points_of(muscle):
                yield muscle, point

    def points_of(self, muscle: MuscleFile) -> list[TriggerPointFile]:
        """A muscle's own trigger points, then those it shares with another."""
        shared = [self._shared_points[slug] for slug in muscle.shared_trigger_points]
        return [*muscle.trigger_points, *shared]

    def neighbour_pairs(self) -> list[tuple[str, str]]:
        """Each touching pair once, in a stable order."""
        return sorted(
            (first, second)
            for first, near in self.neighbours.items()
            for second in near
            if first < second
        )

    def cautions_for(self, point: TriggerPointFile) -> list[CautionFile]:
        """The region cautions a trigger point's self-care shows: those of its
        site and of every region its technique works near, or above them."""
        near = point.self_care.near if point.self_care else []
        around = {a for r in (point.site, *near) for a in (r, *self.ancestors(r))}
        return [c for c in self.cautions.values() if around.intersection(c.regions)]
