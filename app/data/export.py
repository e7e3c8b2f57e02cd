"""Dump the whole dataset as one JSON document or as CSV files, one per table."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from app.data.dataset import Dataset

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


def _rows(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    joined = "; ".join
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in CSV_TABLES}
    for region in sorted(dataset.regions.values(), key=lambda r: r.position):
        tables["regions"].append(
            {
                "slug": region.slug,
                "name": region.name,
                "parent": region.parent or "",
                "synonyms": joined(region.synonyms),
                "views": joined(region.views),
                "sided": region.sided,
                "ontology_id": region.ontology_id or "",
            }
        )
    for muscle in dataset.muscles.values():
        tables["muscles"].append(
            {
                "slug": muscle.slug,
                "name": muscle.name,
                "aliases": joined(muscle.aliases),
                "group": muscle.group.value,
                "ontology_id": muscle.ontology_id or "",
                "origin": muscle.origin,
                "insertion": muscle.insertion,
                "action": muscle.action,
                "innervation": muscle.innervation,
                "description": muscle.description,
                "shared_trigger_points": joined(muscle.shared_trigger_points),
            }
        )
        for source in muscle.sources:
            tables["sources"].append(
                {"owner": f"muscle:{muscle.slug}", "title": source.title, "url": source.url or ""}
            )
        for point in muscle.trigger_points:
            tables["trigger_points"].append(
                {
                    "slug": point.slug,
                    "muscle": muscle.slug,
                    "label": point.label,
                    "location": point.location,
                    "site": point.site,
                    "map_view": point.map_point.view.value,
                    "map_x": point.map_point.x,
                    "map_y": point.map_point.y,
                    "symptoms": joined(point.symptoms),
                    "aggravating": joined(point.aggravating),
                }
            )
            for kind, slugs in (("essential", point.essential), ("spillover", point.spillover)):
                tables["referral_zones"].extend(
                    {"trigger_point": point.slug, "region": slug, "kind": kind} for slug in slugs
                )
    for condition in dataset.conditions.values():
        tables["conditions"].append(
            {
                "slug": condition.slug,
                "name": condition.name,
                "synonyms": joined(condition.synonyms),
                "description": condition.description,
            }
        )
        tables["condition_regions"].extend(
            {"condition": condition.slug, "region": slug} for slug in condition.regions
        )
        tables["condition_muscles"].extend(
            {"condition": condition.slug, "muscle": slug} for slug in condition.muscles
        )
        for source in condition.sources:
            tables["sources"].append(
                {
                    "owner": f"condition:{condition.slug}",
                    "title": source.title,
                    "url": source.url or "",
                }
            )
    for flag in dataset.red_flags.values():
        tables["red_flags"].append(
            {"slug": flag.slug, "name": flag.name, "urgency": flag.urgency, "warning": flag.warning}
        )
    return tables


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
