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
from typing import NamedTuple

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


class Ranked(NamedTuple):  # ten per answer: a tuple is quicker to build
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
        parts = _region_parts(explained, len(areas))
        boosted, activity_score = _boosts(conditions, self.condition_muscles, named, activities)
        if boosted or activity_score or sensed or sited:
            raw = _blended_scores(
                parts,
                len(areas),
                boosted,
                bool(conditions or named),
                activity_score,
                sensed,
                sited,
            )
            # Blended scores count only above zero (once rounded).
            scores = {m: score for m, score in _leading_scores(raw, limit).items() if score > 0}
        else:  # places alone, the common question
            scores = _leading_scores(parts, limit)
        sort_names = self.sort_names
        order = sorted(scores, key=lambda m: (-scores[m], sort_names[m], m))
        return tuple(
            [
                Ranked(
                    muscle,
                    scores[muscle],
                    tuple([table[muscle][0] for table in explained if muscle in table]),
                    boosted[muscle][1] if muscle in boosted else None,
                )
                for muscle in order[:limit]
            ]
        )


def _region_parts(
    explained: Sequence[Mapping[str, tuple[Match, float]]], area_count: int
) -> dict[str, float]:
    """Per muscle, the regions part of its score: the share of asked areas it
    explains × (0.5 + 0.5 × the mean quality of those matches, summed in
    asked order)."""
    if not explained:
        return {}
    first, *rest = explained
    counts = dict.fromkeys(first, 1)
    sums = {muscle: value for muscle, (_, value) in first.items()}
    for table in rest:
        for muscle, (_, value) in table.items():
            if muscle in counts:
                counts[muscle] += 1
                sums[muscle] += value
            else:
                counts[muscle] = 1
                sums[muscle] = value
    return {
        muscle: count / area_count * (0.5 + 0.5 * sums[muscle] / count)
        for muscle, count in counts.items()
    }


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
    parts: dict[str, float],
    area_count: int,
    boosted: dict[str, tuple[float, str | None]],
    asks_muscles: bool,
    activity_score: dict[str, float],
    sensed: frozenset[str],
    sited: frozenset[str],
) -> dict[str, float]:
    """Scores, not yet rounded, when conditions, named muscles, activities,
    sensations or sources take part."""
    if not asks_muscles:
        # Only the muscles an activity, sensation or source names move; the
        # others keep their regions part (adding nothing to it changes nothing).
        scores = dict(parts)
        for muscle in (activity_score.keys() | sensed | sited) & parts.keys():
            scores[muscle] = min(
                parts[muscle] + _reordering(parts[muscle], muscle, activity_score, sensed, sited),
                1.0,
            )
        return scores
    scores = {}
    for muscle in parts.keys() | boosted.keys():
        region_part = parts.get(muscle, 0.0)
        condition_value = boosted[muscle][0] if muscle in boosted else 0.0
        if area_count:
            score = (1 - CONDITION_WEIGHT) * region_part + CONDITION_WEIGHT * condition_value
        else:
            score = condition_value
        score += _reordering(region_part, muscle, activity_score, sensed, sited)
        scores[muscle] = min(score, 1.0)
    return scores


def _reordering(
    region_part: float,
    muscle: str,
    activity_score: dict[str, float],
    sensed: frozenset[str],
    sited: frozenset[str],
) -> float:
    """What activities, sensations and sources add: in proportion to how well
    the muscle explains the areas, so a neighbour's weak match stays behind a
    direct one."""
    return region_part * (
        ACTIVITY_WEIGHT * activity_score.get(muscle, 0.0)
        + SENSATION_WEIGHT * (muscle in sensed)
        + SITE_WEIGHT * (muscle in sited)
    )


def _leading_scores(raw: dict[str, float], limit: int | None) -> dict[str, float]:
    """The scores, rounded to four places, of the muscles that can be among
    the first ``limit`` once rounded (ties in a rounded score go by name).
    Rounding never reorders, so only the best raw scores are rounded: down
    to the ``limit``-th rounded score and every tie with it."""
    if limit is None or len(raw) <= limit:
        return {muscle: round(score, 4) for muscle, score in raw.items()}
    kept: dict[str, float] = {}
    last = -1.0
    for muscle in sorted(raw, key=raw.__getitem__, reverse=True):
        score = round(raw[muscle], 4)
        if len(kept) >= limit and score < last:
            break
        kept[muscle] = last = score
    return kept


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
