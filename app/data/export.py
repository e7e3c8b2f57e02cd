"""Dump the whole dataset as one JSON document or as CSV files, one per table."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from app.data.files import ConditionFile, MuscleFile, Source, TriggerPointFile
from app.domain import Dataset, Region

CSV_TABLES = (
    "regions",
    "muscles",
    "trigger_points",
    "referral_zones",
    "sources",
    "conditions",
    "condition_regions",
    "condition_muscles",
    "red_flags",
)


def as_json(dataset: Dataset) -> dict[str, Any]:
    return {
        "version": dataset.version,
        "regions": [
            {
                "slug": r.slug,
                "name": r.name,
                "parent": r.parent,
                "synonyms": list(r.synonyms),
                "views": list(r.views),
                "sided": r.sided,
                "ontology_id": r.ontology_id,
            }
            for r in sorted(dataset.regions.values(), key=lambda r: r.position)
        ],
        "muscles": [m.model_dump(mode="json") for m in dataset.muscles.values()],
        "conditions": [c.model_dump(mode="json") for c in dataset.conditions.values()],
        "red_flags": [f.model_dump(mode="json") for f in dataset.red_flags.values()],
        "cautions": [c.model_dump(mode="json") for c in dataset.cautions.values()],
        "lexicon": dataset.lexicon.model_dump(mode="json") if dataset.lexicon else None,
    }


Row = dict[str, Any]
Tables = dict[str, list[Row]]


def _rows(dataset: Dataset) -> Tables:
    """Every table of the CSV export, each a list of rows."""
    tables: Tables = {name: [] for name in CSV_TABLES}
    regions = sorted(dataset.regions.values(), key=lambda r: r.position)
    tables["regions"] = [_region_row(region) for region in regions]
    for muscle in dataset.muscles.values():
        _add_muscle(tables, muscle)
    for condition in dataset.conditions.values():
        _add_condition(tables, condition)
    tables["red_flags"] = [
        {"slug": flag.slug, "name": flag.name, "urgency": flag.urgency, "warning": flag.warning}
        for flag in dataset.red_flags.values()
    ]
    return tables


def _region_row(region: Region) -> Row:
    return {
        "slug": region.slug,
        "name": region.name,
        "parent": region.parent or "",
        "synonyms": _joined(region.synonyms),
        "views": _joined(region.views),
        "sided": region.sided,
        "ontology_id": region.ontology_id or "",
    }


def _add_muscle(tables: Tables, muscle: MuscleFile) -> None:
    """A muscle's row and those of its sources, trigger points and zones."""
    tables["muscles"].append(
        {
            "slug": muscle.slug,
            "name": muscle.name,
            "aliases": _joined(muscle.aliases),
            "group": muscle.group.value,
            "ontology_id": muscle.ontology_id or "",
            "origin": muscle.origin,
            "insertion": muscle.insertion,
            "action": muscle.action,
            "innervation": muscle.innervation,
            "description": muscle.description,
            "shared_trigger_points": _joined(muscle.shared_trigger_points),
        }
    )
    tables["sources"].extend(_source_rows(f"muscle:{muscle.slug}", muscle.sources))
    for point in muscle.trigger_points:
        tables["trigger_points"].append(_trigger_point_row(muscle, point))
        for kind, slugs in (("essential", point.essential), ("spillover", point.spillover)):
            tables["referral_zones"].extend(
                {"trigger_point": point.slug, "region": slug, "kind": kind} for slug in slugs
            )


def _trigger_point_row(muscle: MuscleFile, point: TriggerPointFile) -> Row:
    return {
        "slug": point.slug,
        "muscle": muscle.slug,
        "label": point.label,
        "location": point.location,
        "site": point.site,
        "map_view": point.map_point.view.value,
        "map_x": point.map_point.x,
        "map_y": point.map_point.y,
        "symptoms": _joined(point.symptoms),
        "aggravating": _joined(point.aggravating),
    }


def _add_condition(tables: Tables, condition: ConditionFile) -> None:
    """A condition's row and those of its regions, muscles and sources."""
    tables["conditions"].append(
        {
            "slug": condition.slug,
            "name": condition.name,
            "synonyms": _joined(condition.synonyms),
            "description": condition.description,
        }
    )
    tables["condition_regions"].extend(
        {"condition": condition.slug, "region": slug} for slug in condition.regions
    )
    tables["condition_muscles"].extend(
        {"condition": condition.slug, "muscle": slug} for slug in condition.muscles
    )
    tables["sources"].extend(_source_rows(f"condition:{condition.slug}", condition.sources))


def _source_rows(owner: str, sources: Iterable[Source]) -> list[Row]:
    return [{"owner": owner, "title": s.title, "url": s.url or ""} for s in sources]


def _joined(values: Iterable[str]) -> str:
    return "; ".join(values)


def write_csv(dataset: Dataset, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in _rows(dataset).items():
        path = directory / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            if rows:
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
        written.append(path)
    return written


def write_json(dataset: Dataset, path: Path | None) -> str:
    text = json.dumps(as_json(dataset), ensure_ascii=False, indent=2)
    if path is not None:
        path.write_text(text + "\n", encoding="utf-8")
    return text
