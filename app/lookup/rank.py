"""Ranking muscles by how well their referral zones explain the asked areas.

Pure Python over a :class:`LookupIndex`; no I/O. The score of a muscle is

    explained × (0.5 + 0.5 × quality)     (regions part, in [0, 1])

where ``explained`` is the share of asked areas that at least one of its
trigger points refers to, and ``quality`` the mean strength of those matches
(essential 1.0, spillover 0.5; a zone on an ancestor of the asked area counts
less than one on the area itself). So a muscle explaining every asked area
outranks one explaining some, and essential outranks spillover. Conditions add
their associated muscles, earlier-listed ones more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

KIND_WEIGHT = {"essential": 1.0, "spillover": 0.5}
# A zone drawn on a broader region than the one asked ("head" when the
# question is "temple") explains it only partly.
ANCESTOR_FACTOR = 0.6
# People place pain loosely ("front of my hip" for the groin): a zone in a
# region touching the asked one explains it at half strength.
NEIGHBOUR_FACTOR = 0.5
# How much of a match's weight depends on its support: how many of the
# muscle's trigger points and zones refer into the asked area.
SUPPORT_SHARE = 0.15
CONDITION_WEIGHT = 0.3
# An activity ("when I chew") or a sensation ("pins and needles") re-orders
# the muscles that already explain an asked area; it never adds one.
ACTIVITY_WEIGHT = 0.05
SENSATION_WEIGHT = 0.05
# A muscle lying where the question says the pain may come from ("can my
# calf give me heel pain?").
SITE_WEIGHT = 0.1


# One asked area: a region, or several alternatives that count as one (the
# regions a condition involves: any of them explains the complaint).
Area = tuple[str, ...]


@dataclass(frozen=True)
class Referral:
    muscle: str
    trigger_point: str
    region: str
    kind: str


@dataclass(frozen=True)
class Match:
    muscle: str
    area: str  # the asked region the zone explains
    region: str  # the zone's region
    kind: str
    trigger_point: str
    strength: float


@dataclass(frozen=True)
class Ranked:
    muscle: str
    score: float
    matches: tuple[Match, ...]  # best match per explained area, in asked order
    condition: str | None  # the condition that brought it, if any


class LookupIndex:
    """Precomputed relations between regions, zones and muscles."""

    def __init__(
        self,
        referrals: Iterable[Referral],
        descendants: Mapping[str, Sequence[str]],
        ancestors: Mapping[str, Sequence[str]],
        condition_muscles: Mapping[str, Sequence[str]],
        muscle_names: Mapping[str, str],
        neighbours: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.by_region: dict[str, list[Referral]] = defaultdict(list)
        for referral in referrals:
            self.by_region[referral.region].append(referral)
        self.descendants = {slug: tuple(below) for slug, below in descendants.items()}
        self.ancestors = {slug: tuple(chain) for slug, chain in ancestors.items()}
        self.condition_muscles = {slug: tuple(m) for slug, m in condition_muscles.items()}
        self.muscle_names = dict(muscle_names)
        touching = neighbours or {}
        # Regions touching an area from outside it, in a stable order.
        self.around: dict[str, tuple[str, ...]] = {}
        for area, below in self.descendants.items():
            inside = set(below)
            self.around[area] = tuple(
                sorted({n for leaf in below for n in touching.get(leaf, ()) if n not in inside})
            )
        self.rank = lru_cache(maxsize=4096)(self._rank)

    def _candidates(self, group: Area, include_spillover: bool) -> list[Match]:
        matches = []
        for area in group:
            for region in self.descendants[area]:
                for r in self.by_region.get(region, ()):
                    if r.kind == "essential" or include_spillover:
                        matches.append(
                            Match(
                                r.muscle, area, region, r.kind, r.trigger_point, KIND_WEIGHT[r.kind]
                            )
                        )
            for factor, regions in (
                (ANCESTOR_FACTOR, self.ancestors[area]),
                (NEIGHBOUR_FACTOR, self.around[area]),
            ):
                for region in regions:
                    for r in self.by_region.get(region, ()):
                        if r.kind == "essential" or include_spillover:
                            strength = KIND_WEIGHT[r.kind] * factor
                            matches.append(
                                Match(r.muscle, area, region, r.kind, r.trigger_point, strength)
                            )
        return matches

    def _rank(
        self,
        areas: tuple[Area, ...],
        conditions: tuple[str, ...],
        include_spillover: bool,
        named: tuple[str, ...] = (),
        activities: tuple[tuple[str, ...], ...] = (),
        sensed: frozenset[str] = frozenset(),
        sited: frozenset[str] = frozenset(),
    ) -> tuple[Ranked, ...]:
        best: dict[str, dict[Area, Match]] = defaultdict(dict)
        # Every distinct (trigger point, zone) inside an area, with its strength:
        # several trigger points or zones there make the muscle a likelier source.
        support: dict[str, dict[Area, dict[tuple[str, str], float]]] = defaultdict(
            lambda: defaultdict(dict)
        )
        for area in areas:
            for match in self._candidates(area, include_spillover):
                muscle = match.muscle
                current = best[muscle].get(area)
                if current is None or match.strength > current.strength:
                    best[muscle][area] = match
                key = (match.trigger_point, match.region)
                found = support[muscle][area]
                found[key] = max(found.get(key, 0.0), match.strength)

        condition_score: dict[str, tuple[float, str]] = {}
        for condition in conditions:
            for muscle, value in _listed_values(self.condition_muscles.get(condition, ())):
                if muscle not in condition_score or value > condition_score[muscle][0]:
                    condition_score[muscle] = (value, condition)
        activity_score: dict[str, float] = {}
        for listed in activities:
            for muscle, value in _listed_values(listed):
                activity_score[muscle] = max(value, activity_score.get(muscle, 0.0))
        boosted: dict[str, tuple[float, str | None]] = dict(condition_score)
        # A muscle the question names outright counts like a condition's first muscle.
        boosted.update((muscle, (1.0, None)) for muscle in named)

        ranked = []
        for muscle in set(best) | set(boosted):
            by_area = best.get(muscle, {})
            region_part = 0.0
            if areas and by_area:
                explained = len(by_area) / len(areas)
                quality = sum(
                    match.strength * _supported(support[muscle][area].values())
                    for area, match in by_area.items()
                ) / len(by_area)
                region_part = explained * (0.5 + 0.5 * quality)
            condition_value, condition = boosted.get(muscle, (0.0, None))
            if (conditions or named) and areas:
                score = (1 - CONDITION_WEIGHT) * region_part + CONDITION_WEIGHT * condition_value
            elif conditions or named:
                score = condition_value
            else:
                score = region_part
            # In proportion to how well the muscle explains the areas: a
            # neighbour's weak match stays behind a direct one.
            score += region_part * (
                ACTIVITY_WEIGHT * activity_score.get(muscle, 0.0)
                + SENSATION_WEIGHT * (muscle in sensed)
                + SITE_WEIGHT * (muscle in sited)
            )
            matches = tuple(by_area[a] for a in areas if a in by_area)
            ranked.append(Ranked(muscle, round(min(score, 1.0), 4), matches, condition))
        ranked.sort(key=lambda r: (-r.score, self.muscle_names[r.muscle].casefold()))
        return tuple(r for r in ranked if r.score > 0)


def _listed_values(listed: Sequence[str]) -> list[tuple[str, float]]:
    """Muscles listed most associated first: 1.0 for the first, falling to 0.5."""
    return [
        (muscle, 1.0 - 0.5 * position / max(len(listed), 1))
        for position, muscle in enumerate(listed)
    ]


def _supported(strengths: Iterable[float]) -> float:
    """Scale a match by how much else backs it: one essential zone 0.925, two
    0.9625, approaching 1 as more trigger points or zones refer to the area."""
    total = sum(strengths)
    return (1 - SUPPORT_SHARE) + SUPPORT_SHARE * (1 - 0.5**total)
