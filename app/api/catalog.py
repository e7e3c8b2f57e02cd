"""The in-memory catalog: every resource the API serves, built once per
dataset version so that requests do no SQL and little work."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from urllib.parse import urlencode

from rapidfuzz import fuzz, process, utils

from app.api.messages import SELF_CARE_DISCLAIMER
from app.api.schemas import (
    ConditionDetail,
    ConditionRef,
    ConditionSummary,
    MapPointOut,
    MuscleDetail,
    MuscleRef,
    MuscleSummary,
    RegionDetail,
    RegionMuscle,
    RegionNode,
    RegionRef,
    RegionSummary,
    RegionTree,
    SelfCareEntry,
    SelfCareOut,
    SelfCarePage,
    SourceOut,
    TriggerPointOut,
    Zone,
)
from app.data.files import BodyMapFile, ConditionFile, MuscleFile, TriggerPointFile
from app.domain import Dataset, NotFound, ResourceKind
from app.lookup.engine import LookupEngine
from app.lookup.rank import Referral
from app.web.bodymap import BodyMap

API_PREFIX = "/v1"

# A searchable text: the resource it names and its position among that
# resource's names.
SearchKey = tuple[ResourceKind, str, int]


def muscle_url(slug: str) -> str:
    return f"{API_PREFIX}/muscles/{slug}"


def region_url(slug: str) -> str:
    return f"{API_PREFIX}/regions/{slug}"


def condition_url(slug: str) -> str:
    return f"{API_PREFIX}/conditions/{slug}"


def body_map_url(**params: str) -> str:
    return f"{API_PREFIX}/body-map.svg?{urlencode(params)}"


def self_care_url(muscle_slug: str, point_slug: str | None = None) -> str:
    url = f"{muscle_url(muscle_slug)}/self-care"
    return f"{url}#{point_slug}" if point_slug else url


class Catalog:
    def __init__(self, dataset: Dataset, geometry: BodyMapFile | None = None) -> None:
        self.dataset = dataset
        self.version = dataset.version
        self.body_map = BodyMap(geometry or BodyMapFile(outline={}, regions={}), dataset)
        self.region_refs = {
            slug: RegionRef(slug=slug, name=r.name, url=region_url(slug))
            for slug, r in dataset.regions.items()
        }
        self.muscle_refs = {
            slug: MuscleRef(slug=slug, name=m.name, aliases=list(m.aliases), url=muscle_url(slug))
            for slug, m in dataset.muscles.items()
        }
        self.condition_refs = {
            slug: ConditionRef(slug=slug, name=c.name, url=condition_url(slug))
            for slug, c in dataset.conditions.items()
        }
        # The lookup engine indexes every referral by region; region pages reuse it.
        self.engine = LookupEngine(dataset)
        self.conditions_by_muscle: dict[str, list[str]] = defaultdict(list)
        for condition in dataset.conditions.values():
            for slug in condition.muscles:
                self.conditions_by_muscle[slug].append(condition.slug)

        self.muscle_summaries = [
            self._muscle_summary(m)
            for m in sorted(dataset.muscles.values(), key=lambda m: m.name.casefold())
        ]
        self.owner = {p.slug: m for m in dataset.muscles.values() for p in m.trigger_points}
        self.muscle_details = {slug: self._muscle_detail(m) for slug, m in dataset.muscles.items()}
        self.trigger_points = {
            tp.slug: tp for detail in self.muscle_details.values() for tp in detail.trigger_points
        }
        self.self_care_pages = {m.slug: self._self_care_page(m) for m in dataset.muscles.values()}

        ordered_regions = sorted(dataset.regions.values(), key=lambda r: r.position)
        self.region_summaries = [self._region_summary(r.slug) for r in ordered_regions]
        self.region_tree = RegionTree(
            count=len(dataset.regions),
            results=[self._region_node(r.slug) for r in ordered_regions if r.parent is None],
        )
        self.region_details = {r.slug: self._region_detail(r.slug) for r in ordered_regions}

        self.condition_summaries = [
            ConditionSummary(
                slug=c.slug, name=c.name, synonyms=list(c.synonyms), url=condition_url(c.slug)
            )
            for c in sorted(dataset.conditions.values(), key=lambda c: c.name.casefold())
        ]
        self.condition_details = {
            c.slug: self._condition_detail(c) for c in dataset.conditions.values()
        }

        self.search_choices, self.search_labels = self._search_vocabulary()

    def _search_vocabulary(self) -> tuple[dict[SearchKey, str], dict[SearchKey, str]]:
        """Every name, synonym and alias (``labels``) and its form for fuzzy
        matching (``choices``), both keyed by kind, slug and position."""
        labels: dict[SearchKey, str] = {}
        named: list[tuple[ResourceKind, str, list[str]]] = [
            *(("muscle", m.slug, [m.name, *m.aliases]) for m in self.dataset.muscles.values()),
            *(("region", r.slug, [r.name, *r.synonyms]) for r in self.dataset.regions.values()),
            *(
                ("condition", c.slug, [c.name, *c.synonyms])
                for c in self.dataset.conditions.values()
            ),
        ]
        for kind, slug, texts in named:
            for position, text in enumerate(texts):
                labels[(kind, slug, position)] = text
        return {key: utils.default_process(text) for key, text in labels.items()}, labels

    # -- muscles ---------------------------------------------------------

    def _muscle_summary(self, muscle: MuscleFile) -> MuscleSummary:
        return MuscleSummary(
            slug=muscle.slug,
            name=muscle.name,
            aliases=list(muscle.aliases),
            group=muscle.group.value,
            url=muscle_url(muscle.slug),
        )

    def _self_care_page(self, muscle: MuscleFile) -> SelfCarePage:
        return SelfCarePage(
            muscle=self.muscle_refs[muscle.slug],
            trigger_points=[
                SelfCareEntry(
                    slug=p.slug,
                    label=p.label,
                    location=p.location,
                    site=self.region_refs[p.site],
                    self_care=self.self_care(p),
                )
                for p in self.dataset.points_of(muscle)
            ],
            disclaimer=SELF_CARE_DISCLAIMER,
        )

    def self_care(self, point: TriggerPointFile) -> SelfCareOut | None:
        if point.self_care is None:
            return None
        region_cautions = [c.text for c in self.dataset.cautions_for(point)]
        care = point.self_care
        return SelfCareOut(
            find=care.find,
            treat=care.treat,
            stretch=care.stretch,
            perpetuating=list(care.perpetuating),
            cautions=[*care.cautions, *region_cautions],
        )

    def _trigger_point(self, muscle: MuscleFile, point: TriggerPointFile) -> TriggerPointOut:
        zones = [Zone(region=self.region_refs[s], kind="essential") for s in point.essential]
        zones += [Zone(region=self.region_refs[s], kind="spillover") for s in point.spillover]
        return TriggerPointOut(
            slug=point.slug,
            label=point.label,
            location=point.location,
            site=self.region_refs[point.site],
            map_point=MapPointOut(
                view=point.map_point.view.value, x=point.map_point.x, y=point.map_point.y
            ),
            symptoms=list(point.symptoms),
            aggravating=list(point.aggravating),
            zones=zones,
            muscle=self.muscle_refs[muscle.slug],
            self_care_url=self_care_url(muscle.slug, point.slug),
        )

    def _muscle_detail(self, muscle: MuscleFile) -> MuscleDetail:
        return MuscleDetail(
            **muscle.facts(),
            sources=[
                SourceOut(title=s.title, url=str(s.url) if s.url else None) for s in muscle.sources
            ],
            trigger_points=[
                self._trigger_point(self.owner[p.slug], p) for p in self.dataset.points_of(muscle)
            ],
            conditions=[
                self.condition_refs[c] for c in self.conditions_by_muscle.get(muscle.slug, [])
            ],
            url=muscle_url(muscle.slug),
            body_map_url=body_map_url(muscle=muscle.slug),
        )

    def muscles(self, group: str | None = None, region: str | None = None) -> list[MuscleSummary]:
        items = self.muscle_summaries
        if group is not None:
            items = [m for m in items if m.group == group]
        if region is not None:
            referring = {r.muscle for r in self._referrals_within(region)}
            items = [m for m in items if m.slug in referring]
        return items

    # -- regions ---------------------------------------------------------

    def _referrals_within(self, region: str) -> list[Referral]:
        return [
            referral
            for slug in sorted(self.dataset.descendants(region))
            for referral in self.engine.index.by_region.get(slug, [])
        ]

    def _region_node(self, slug: str) -> RegionNode:
        region = self.dataset.regions[slug]
        return RegionNode(
            slug=slug,
            name=region.name,
            url=region_url(slug),
            sided=region.sided,
            views=list(region.views),
            children=[self._region_node(child) for child in region.children],
        )

    def _region_summary(self, slug: str) -> RegionSummary:
        region = self.dataset.regions[slug]
        return RegionSummary(
            slug=slug,
            name=region.name,
            url=region_url(slug),
            parent=self.region_refs[region.parent] if region.parent else None,
            synonyms=list(region.synonyms),
            views=list(region.views),
            sided=region.sided,
            ontology_id=region.ontology_id,
        )

    def _region_detail(self, slug: str) -> RegionDetail:
        region = self.dataset.regions[slug]
        by_muscle: dict[str, list[Referral]] = defaultdict(list)
        for referral in self._referrals_within(slug):
            by_muscle[referral.muscle].append(referral)
        muscles = []
        for muscle_slug, referrals in by_muscle.items():
            essential = any(r.kind == "essential" for r in referrals)
            muscles.append(
                RegionMuscle(
                    muscle=self.muscle_refs[muscle_slug],
                    kind="essential" if essential else "spillover",
                    trigger_points=sorted({r.trigger_point for r in referrals}),
                    regions=sorted({r.region for r in referrals}),
                )
            )
        muscles.sort(key=lambda m: (m.kind != "essential", m.muscle.name.casefold()))
        summary = self._region_summary(slug)
        return RegionDetail(
            **summary.model_dump(exclude={"parent"}),
            parent=summary.parent,
            ancestors=[self.region_refs[a] for a in self.dataset.ancestors(slug)],
            children=[self.region_refs[c] for c in region.children],
            muscles=muscles,
            body_map_url=body_map_url(region=slug),
        )

    # -- conditions ------------------------------------------------------

    def _condition_detail(self, condition: ConditionFile) -> ConditionDetail:
        return ConditionDetail(
            slug=condition.slug,
            name=condition.name,
            synonyms=list(condition.synonyms),
            description=condition.description,
            regions=[self.region_refs[s] for s in condition.regions],
            muscles=[self.muscle_refs[s] for s in condition.muscles],
            sources=[
                SourceOut(title=s.title, url=str(s.url) if s.url else None)
                for s in condition.sources
            ],
            url=condition_url(condition.slug),
        )

    # -- suggestions -----------------------------------------------------

    def refs(self, kind: str) -> Mapping[str, MuscleRef | RegionRef | ConditionRef]:
        """The references of one resource kind (``muscle``, ``region`` or ``condition``)."""
        by_kind: dict[str, Mapping[str, MuscleRef | RegionRef | ConditionRef]] = {
            "muscle": self.muscle_refs,
            "region": self.region_refs,
            "condition": self.condition_refs,
        }
        return by_kind[kind]

    def require(self, kind: ResourceKind, slugs: Iterable[str]) -> None:
        """Raise :class:`NotFound`, with close matches, for the first unknown slug."""
        refs = self.refs(kind)
        for slug in slugs:
            if slug not in refs:
                raise NotFound(kind, slug, self.suggest(kind, slug))

    def suggest(self, kind: str, text: str, limit: int = 5) -> list[dict[str, str]]:
        """Close matches for an unknown slug, by slug, name and synonyms."""
        refs = self.refs(kind)
        names: dict[str, str] = {}
        for slug, ref in refs.items():
            names[slug] = slug
            names[f"{slug}\x00name"] = ref.name.casefold()
        query = text.casefold().replace("_", "-")
        matches = process.extract(
            query, names, scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=60
        )
        seen: list[str] = []
        for _, _, key in matches:
            slug = key.split("\x00")[0]
            if slug not in seen:
                seen.append(slug)
        return [{"slug": s, "name": refs[s].name, "url": refs[s].url} for s in seen[:limit]]
