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
# Asked areas whose candidates are remembered (a few hundred ever occur).
MAX_CACHED_AREAS = 4096
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
        self.sort_names = {slug: name.casefold() for slug, name in muscle_names.items()}
        touching = neighbours or {}
        # Regions touching an area from outside it, in a stable order.
        self.around: dict[str, tuple[str, ...]] = {}
        for area, below in self.descendants.items():
            inside = set(below)
            self.around[area] = tuple(
                sorted({n for leaf in below for n in touching.get(leaf, ()) if n not in inside})
            )
        # What each asked area's candidates come to, per muscle: it depends
        # on the area and the zone kinds alone, so it is worked out once.
        self._explained_cache: dict[tuple[Area, bool], dict[str, tuple[Match, float]]] = {}

    def _explained(self, area: Area, include_spillover: bool) -> dict[str, tuple[Match, float]]:
        """Per muscle, its best match in one asked area and that match's
        quality: its strength scaled by how much else of the muscle refers
        there (several trigger points or zones make it a likelier source)."""
        key = (area, include_spillover)
        found = self._explained_cache.get(key)
        if found is not None:
            return found
        best: dict[str, Match] = {}
        support: dict[str, dict[tuple[str, str], float]] = defaultdict(dict)
        for match in self._candidates(area, include_spillover):
            current = best.get(match.muscle)
            if current is None or match.strength > current.strength:
                best[match.muscle] = match
            seen = support[match.muscle]
            zone = (match.trigger_point, match.region)
            seen[zone] = max(seen.get(zone, 0.0), match.strength)
        found = {
            muscle: (match, match.strength * _supported(support[muscle].values()))
            for muscle, match in best.items()
        }
        # Areas are regions and the alternatives of phrases and conditions: a
        # bounded set, but keep the cache bounded whatever is asked.
        if len(self._explained_cache) < MAX_CACHED_AREAS:
            self._explained_cache[key] = found
        return found

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

    def rank(
        self,
        areas: tuple[Area, ...],
        conditions: tuple[str, ...],
        include_spillover: bool,
        named: tuple[str, ...] = (),
        activities: tuple[tuple[str, ...], ...] = (),
        sensed: frozenset[str] = frozenset(),
        sited: frozenset[str] = frozenset(),
        limit: int | None = None,
    ) -> tuple[Ranked, ...]:
        explained = [self._explained(area, include_spillover) for area in areas]
        # Per muscle: how many asked areas it explains, and the sum of the
        # qualities of those matches (in asked order).
        totals: dict[str, list[float]] = {}
        for table in explained:
            for muscle, (_, value) in table.items():
                entry = totals.get(muscle)
                if entry is None:
                    totals[muscle] = [1, value]
                else:
                    entry[0] += 1
                    entry[1] += value

        boosted, activity_score = _boosts(conditions, self.condition_muscles, named, activities)
        if boosted or activity_score or sensed or sited:
            scores = _blended_scores(
                totals,
                len(areas),
                boosted,
                bool(conditions or named),
                activity_score,
                sensed,
                sited,
            )
        else:  # places alone, the common question
            scores = {
                muscle: round(count / len(areas) * (0.5 + 0.5 * quality_sum / count), 4)
                for muscle, (count, quality_sum) in totals.items()
            }
        sort_names = self.sort_names
        order = sorted(scores, key=lambda m: (-scores[m], sort_names[m]))
        # Only the answers asked for are built into results.
        return tuple(
            Ranked(
                muscle,
                scores[muscle],
                tuple(table[muscle][0] for table in explained if muscle in table),
                boosted[muscle][1] if muscle in boosted else None,
            )
            for muscle in order[:limit]
        )


def _boosts(
    conditions: tuple[str, ...],
    condition_muscles: Mapping[str, tuple[str, ...]],
    named: tuple[str, ...],
    activities: tuple[tuple[str, ...], ...],
) -> tuple[dict[str, tuple[float, str | None]], dict[str, float]]:
    """Per muscle, its boost from the asked conditions or from being named
    (with the condition that brought it), and its activity score."""
    condition_score: dict[str, tuple[float, str]] = {}
    for condition in conditions:
        for muscle, value in _listed_values(condition_muscles.get(condition, ())):
            if muscle not in condition_score or value > condition_score[muscle][0]:
                condition_score[muscle] = (value, condition)
    activity_score: dict[str, float] = {}
    for listed in activities:
        for muscle, value in _listed_values(listed):
            activity_score[muscle] = max(value, activity_score.get(muscle, 0.0))
    boosted: dict[str, tuple[float, str | None]] = dict(condition_score)
    # A muscle the question names outright counts like a condition's first muscle.
    boosted.update((muscle, (1.0, None)) for muscle in named)
    return boosted, activity_score


def _blended_scores(
    totals: dict[str, list[float]],
    area_count: int,
    boosted: dict[str, tuple[float, str | None]],
    asks_muscles: bool,
    activity_score: dict[str, float],
    sensed: frozenset[str],
    sited: frozenset[str],
) -> dict[str, float]:
    """Scores when conditions, named muscles, activities, sensations or
    sources take part; only those above zero."""
    scores: dict[str, float] = {}
    for muscle in totals.keys() | boosted.keys():
        count, quality_sum = totals.get(muscle, (0, 0.0))
        region_part = 0.0
        if count:
            region_part = count / area_count * (0.5 + 0.5 * quality_sum / count)
        condition_value = boosted[muscle][0] if muscle in boosted else 0.0
        if asks_muscles and area_count:
            score = (1 - CONDITION_WEIGHT) * region_part + CONDITION_WEIGHT * condition_value
        elif asks_muscles:
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
        score = round(min(score, 1.0), 4)
        if score > 0:
            scores[muscle] = score
    return scores


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
