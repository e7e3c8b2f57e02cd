"""Move a validated :class:`~app.data.dataset.Dataset` into the database and back.

Loading replaces the whole dataset in one transaction, so a failed load leaves
the previous data untouched; replicas read it back into memory at start-up and
whenever the stored version changes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, inspect, text
from sqlmodel import Session, SQLModel, select

from app.data import tables
from app.data.dataset import Dataset, Region, assemble
from app.data.files import (
    CautionFile,
    ConditionFile,
    LexiconFile,
    MapPoint,
    MuscleFile,
    RedFlagFile,
    SelfCare,
    Source,
    TriggerPointFile,
)

# Children before parents, so deletes respect the foreign keys.
_TABLES_IN_DELETE_ORDER = (
    tables.RegionNeighbour,
    tables.ReferralZone,
    tables.ConditionRegion,
    tables.ConditionMuscle,
    tables.Source,
    tables.TriggerPoint,
    tables.Condition,
    tables.Muscle,
    tables.RedFlag,
    tables.Caution,
    tables.Lexicon,
    tables.DatasetInfo,
)


def create_schema(engine: Engine) -> None:
    """Create the tables; tables of an older layout are dropped first (they
    only ever hold a copy of data/, which the load that follows rewrites)."""
    if not _schema_is_current(engine):
        SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)


def _schema_is_current(engine: Engine) -> bool:
    """Every table that exists has every column the models declare."""
    inspector = inspect(engine)
    for table in SQLModel.metadata.sorted_tables:
        if inspector.has_table(table.name):
            stored = {column["name"] for column in inspector.get_columns(table.name)}
            if not stored.issuperset(table.columns.keys()):
                return False
    return True


def stored_version(engine: Engine) -> str | None:
    """The dataset version in the database, or None when it holds none (or
    holds it in an older table layout)."""
    if not inspect(engine).has_table(tables.DatasetInfo.__tablename__):
        return None
    if not _schema_is_current(engine):
        return None
    with Session(engine) as session:
        info = session.get(tables.DatasetInfo, 1)
        return info.version if info else None


def write_dataset(engine: Engine, dataset: Dataset) -> None:
    """Replace everything in the database with ``dataset``, all or nothing."""
    create_schema(engine)
    with Session(engine) as session, session.begin():
        if engine.dialect.name == "postgresql":
            # Two replicas or operators loading at once take turns.
            session.execute(text("SELECT pg_advisory_xact_lock(424242)"))
        for table in _TABLES_IN_DELETE_ORDER:
            session.execute(delete(table))
        # Regions reference their parents: clear the links first, then the rows.
        session.execute(tables.Region.__table__.update().values(parent_id=None))
        session.execute(delete(tables.Region))
        _insert(session, dataset)


def _insert(session: Session, dataset: Dataset) -> None:
    region_ids: dict[str, int] = {}
    for region in sorted(dataset.regions.values(), key=lambda r: r.position):
        row = tables.Region(
            slug=region.slug,
            name=region.name,
            parent_id=region_ids[region.parent] if region.parent else None,
            synonyms=list(region.synonyms),
            views=list(region.views),
            sided=region.sided,
            ontology_id=region.ontology_id,
            position=region.position,
        )
        session.add(row)
        session.flush()
        region_ids[region.slug] = row.id  # type: ignore[assignment]

    session.add_all(
        tables.RegionNeighbour(region_id=region_ids[a], neighbour_id=region_ids[b])
        for a, b in dataset.neighbour_pairs()
    )

    muscle_ids: dict[str, int] = {}
    for muscle in dataset.muscles.values():
        muscle_row = tables.Muscle(
            **muscle.facts(), shared_trigger_points=list(muscle.shared_trigger_points)
        )
        session.add(muscle_row)
        session.flush()
        muscle_ids[muscle.slug] = muscle_row.id  # type: ignore[assignment]
        session.add_all(_source_rows(muscle.sources, muscle_id=muscle_row.id))
        for position, point in enumerate(muscle.trigger_points):
            point_row = tables.TriggerPoint(
                slug=point.slug,
                muscle_id=muscle_row.id,  # type: ignore[arg-type]
                label=point.label,
                location=point.location,
                site_id=region_ids[point.site],
                map_view=point.map_point.view.value,
                map_x=point.map_point.x,
                map_y=point.map_point.y,
                symptoms=list(point.symptoms),
                aggravating=list(point.aggravating),
                self_care=point.self_care.model_dump() if point.self_care else None,
                broad_zones=dict(point.broad_zones),
                position=position,
            )
            session.add(point_row)
            session.flush()
            zones = [(slug, "essential") for slug in point.essential]
            zones += [(slug, "spillover") for slug in point.spillover]
            session.add_all(
                tables.ReferralZone(
                    trigger_point_id=point_row.id,  # type: ignore[arg-type]
                    region_id=region_ids[slug],
                    kind=kind,
                    position=index,
                )
                for index, (slug, kind) in enumerate(zones)
            )

    for condition in dataset.conditions.values():
        condition_row = tables.Condition(
            slug=condition.slug,
            name=condition.name,
            synonyms=list(condition.synonyms),
            description=condition.description,
        )
        session.add(condition_row)
        session.flush()
        session.add_all(_source_rows(condition.sources, condition_id=condition_row.id))
        session.add_all(
            tables.ConditionRegion(
                condition_id=condition_row.id,  # type: ignore[arg-type]
                region_id=region_ids[slug],
                position=index,
            )
            for index, slug in enumerate(condition.regions)
        )
        session.add_all(
            tables.ConditionMuscle(
                condition_id=condition_row.id,  # type: ignore[arg-type]
                muscle_id=muscle_ids[slug],
                position=index,
            )
            for index, slug in enumerate(condition.muscles)
        )

    session.add_all(
        tables.RedFlag(
            slug=flag.slug,
            name=flag.name,
            patterns=[list(group) for group in flag.patterns],
            warning=flag.warning,
            urgency=flag.urgency,
            position=index,
        )
        for index, flag in enumerate(dataset.red_flags.values())
    )
    session.add_all(
        tables.Caution(
            slug=caution.slug,
            text=caution.text,
            regions=list(caution.regions),
            landmarks=list(caution.landmarks),
            position=index,
        )
        for index, caution in enumerate(dataset.cautions.values())
    )
    if dataset.lexicon is not None:
        session.add(tables.Lexicon(document=dataset.lexicon.model_dump(mode="json")))
    session.add(
        tables.DatasetInfo(version=dataset.version, loaded_at=datetime.now(UTC).isoformat())
    )


def _source_rows(sources: list[Source], **owner: Any) -> list[tables.Source]:
    return [
        tables.Source(title=s.title, url=str(s.url) if s.url else None, position=i, **owner)
        for i, s in enumerate(sources)
    ]


def read_dataset(engine: Engine) -> Dataset:
    """Rebuild the dataset from the database (the replicas' source of truth)."""
    with Session(engine) as session:
        info = session.get(tables.DatasetInfo, 1)
        if info is None:
            raise LookupError("the database holds no dataset; run `painmap load`")
        region_rows = session.exec(select(tables.Region).order_by(tables.Region.position)).all()
        slug_of = {row.id: row.slug for row in region_rows}
        children: dict[str, list[str]] = defaultdict(list)
        for row in region_rows:
            if row.parent_id is not None:
                children[slug_of[row.parent_id]].append(row.slug)
        regions: dict[str, Region] = {}
        for row in region_rows:
            parent = slug_of.get(row.parent_id) if row.parent_id is not None else None
            regions[row.slug] = Region(
                slug=row.slug,
                name=row.name,
                synonyms=tuple(row.synonyms),
                views=tuple(row.views),
                sided=row.sided,
                ontology_id=row.ontology_id,
                parent=parent,
                children=tuple(children[row.slug]),
                depth=0 if parent is None else regions[parent].depth + 1,
                position=row.position,
            )

        sources: dict[tuple[str, int], list[Source]] = defaultdict(list)
        for source in session.exec(select(tables.Source).order_by(tables.Source.position)):
            key = (
                ("muscle", source.muscle_id)
                if source.muscle_id
                else ("condition", source.condition_id)
            )
            sources[key].append(Source(title=source.title, url=source.url))  # type: ignore[arg-type]

        zones: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for zone in session.exec(
            select(tables.ReferralZone).order_by(tables.ReferralZone.position)
        ):
            zones[zone.trigger_point_id][zone.kind].append(slug_of[zone.region_id])

        points: dict[int, list[TriggerPointFile]] = defaultdict(list)
        for point in session.exec(
            select(tables.TriggerPoint).order_by(tables.TriggerPoint.position)
        ):
            points[point.muscle_id].append(
                TriggerPointFile(
                    slug=point.slug,
                    label=point.label,
                    location=point.location,
                    site=slug_of[point.site_id],
                    map_point=MapPoint(view=point.map_view, x=point.map_x, y=point.map_y),  # type: ignore[arg-type]
                    essential=zones[point.id]["essential"],  # type: ignore[index]
                    spillover=zones[point.id]["spillover"],  # type: ignore[index]
                    symptoms=point.symptoms,
                    aggravating=point.aggravating,
                    self_care=SelfCare(**point.self_care) if point.self_care else None,
                    broad_zones=point.broad_zones,
                )
            )

        muscles: dict[str, MuscleFile] = {}
        muscle_slug: dict[int, str] = {}
        for row in session.exec(select(tables.Muscle)):
            muscle_slug[row.id] = row.slug  # type: ignore[index]
            muscles[row.slug] = MuscleFile(
                slug=row.slug,
                name=row.name,
                aliases=row.aliases,
                group=row.group,  # type: ignore[arg-type]
                ontology_id=row.ontology_id,
                origin=row.origin,
                insertion=row.insertion,
                action=row.action,
                innervation=row.innervation,
                description=row.description,
                sources=sources[("muscle", row.id)],  # type: ignore[index]
                trigger_points=points[row.id],  # type: ignore[index]
                shared_trigger_points=row.shared_trigger_points,
            )

        condition_regions: dict[int, list[str]] = defaultdict(list)
        for link in session.exec(
            select(tables.ConditionRegion).order_by(tables.ConditionRegion.position)
        ):
            condition_regions[link.condition_id].append(slug_of[link.region_id])
        condition_muscles: dict[int, list[str]] = defaultdict(list)
        for link in session.exec(
            select(tables.ConditionMuscle).order_by(tables.ConditionMuscle.position)
        ):
            condition_muscles[link.condition_id].append(muscle_slug[link.muscle_id])
        conditions = {
            row.slug: ConditionFile(
                slug=row.slug,
                name=row.name,
                synonyms=row.synonyms,
                description=row.description,
                regions=condition_regions[row.id],  # type: ignore[index]
                muscles=condition_muscles[row.id],  # type: ignore[index]
                sources=sources[("condition", row.id)],  # type: ignore[index]
            )
            for row in session.exec(select(tables.Condition))
        }
        red_flags = {
            row.slug: RedFlagFile(
                slug=row.slug,
                name=row.name,
                patterns=row.patterns,
                warning=row.warning,
                urgency=row.urgency,  # type: ignore[arg-type]
            )
            for row in session.exec(select(tables.RedFlag).order_by(tables.RedFlag.position))
        }
        cautions = {
            row.slug: CautionFile(
                slug=row.slug, text=row.text, regions=row.regions, landmarks=row.landmarks
            )
            for row in session.exec(select(tables.Caution).order_by(tables.Caution.position))
        }
        pairs = [
            (slug_of[link.region_id], slug_of[link.neighbour_id])
            for link in session.exec(select(tables.RegionNeighbour))
        ]
        lexicon_row = session.get(tables.Lexicon, 1)
        lexicon = LexiconFile.model_validate(lexicon_row.document) if lexicon_row else None
        return assemble(
            regions, muscles, conditions, red_flags, cautions, info.version, pairs, lexicon
        )
