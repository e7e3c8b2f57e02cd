"""Read ``data/``, validate every file and every cross-reference, and return
one immutable :class:`Dataset`.

A bad file raises :class:`DataError` naming the file, the record and the field,
so ``painmap check``, ``painmap load`` and start-up all fail the same way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from app.data.files import (
    VIEW_BOXES,
    BodyMapFile,
    CautionFile,
    ChoirFile,
    ConditionFile,
    LexiconFile,
    MuscleFile,
    NeighbourPair,
    RedFlagFile,
    RegionFile,
    View,
)
from app.domain import CHOIR_SEGMENTS, Dataset, Region
from app.paths import DEFAULT_DATA_DIR

_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ModelT = TypeVar("ModelT", bound=BaseModel)


class _Slugged(Protocol):
    @property
    def slug(self) -> str: ...


SluggedT = TypeVar("SluggedT", bound=_Slugged)


class DataError(ValueError):
    """A problem in ``data/``, located as precisely as we can."""

    def __init__(self, file: str, record: str | None, field: str | None, message: str) -> None:
        self.file, self.record, self.field, self.message = file, record, field, message
        where = file
        if record:
            where += f": record {record!r}"
        if field:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")


def _read_yaml(path: Path, root: Path) -> Any:
    return _yaml(_read_text(path, root), _rel(path, root))


def _read_text(path: Path, root: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(_rel(path, root), None, None, f"cannot be read: {exc}") from exc


def _yaml(text: str, file: str) -> Any:
    try:
        return yaml.load(text, Loader=_YamlLoader)
    except yaml.YAMLError as exc:
        raise DataError(file, None, None, f"is not valid YAML: {exc}") from exc


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _record_name(raw: Any, index: int | None) -> str | None:
    slug = raw.get("slug") if isinstance(raw, dict) else None
    if isinstance(slug, str):
        return slug
    return None if index is None else f"#{index + 1}"


def _parse(model: type[ModelT], raw: Any, file: str, record: str | None) -> ModelT:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(part) for part in first["loc"]) or None
        # Nested records (a trigger point inside a muscle) are named by slug.
        if isinstance(raw, dict) and first["loc"]:
            loc = _describe_location(raw, first["loc"]) or loc
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise DataError(file, record, loc, f"{first['msg']}{more}") from exc


def _describe_location(raw: dict[str, Any], loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    node: Any = raw
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
            slug = node.get("slug") if isinstance(node, dict) else None
            parts[-1] = f"{parts[-1]}[{slug or part}]" if parts else str(part)
        else:
            parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts)


def _load_list(path: Path, root: Path, model: type[ModelT]) -> list[tuple[ModelT, str]]:
    raw = _read_yaml(path, root)
    file = _rel(path, root)
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise DataError(file, None, None, "must be a YAML list of records")
    return [(_parse(model, item, file, _record_name(item, i)), file) for i, item in enumerate(raw)]


def _load_optional(path: Path, root: Path, model: type[ModelT]) -> list[tuple[ModelT, str]]:
    return _load_list(path, root, model) if path.exists() else []


def _unique(items: Iterable[tuple[SluggedT, str]], kind: str) -> dict[str, SluggedT]:
    seen: dict[str, SluggedT] = {}
    for item, file in items:
        slug = item.slug
        if slug in seen:
            raise DataError(file, slug, "slug", f"duplicate {kind} slug {slug!r}")
        seen[slug] = item
    return seen


def _flatten_regions(nodes: list[tuple[RegionFile, str]]) -> dict[str, Region]:
    regions: dict[str, Region] = {}

    def visit(node: RegionFile, file: str, parent: str | None, depth: int) -> None:
        if node.slug in regions:
            raise DataError(file, node.slug, "slug", f"duplicate region slug {node.slug!r}")
        regions[node.slug] = Region(
            slug=node.slug,
            name=node.name,
            synonyms=tuple(node.synonyms),
            views=tuple(v.value for v in node.views),
            sided=node.sided,
            ontology_id=node.ontology_id,
            parent=parent,
            children=tuple(child.slug for child in node.children),
            depth=depth,
            position=len(regions),
        )
        for child in node.children:
            visit(child, file, node.slug, depth + 1)

    for node, file in nodes:
        visit(node, file, None, 0)
    return regions


def _descendant_map(regions: dict[str, Region]) -> dict[str, frozenset[str]]:
    result: dict[str, frozenset[str]] = {}

    def collect(slug: str) -> frozenset[str]:
        if slug not in result:
            below = {slug}
            for child in regions[slug].children:
                below |= collect(child)
            result[slug] = frozenset(below)
        return result[slug]

    for slug in regions:
        collect(slug)
    return result


def _check_region_refs(
    slugs: Iterable[str], regions: dict[str, Region], file: str, record: str, field: str
) -> None:
    for slug in slugs:
        if slug not in regions:
            raise DataError(file, record, field, f"unknown region {slug!r}")


def dataset_version(root: Path) -> str:
    """The content hash of data/, cheap enough to compute on every start."""
    return _version(data_files(Path(root)))


def _version(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def data_files(root: Path) -> list[Path]:
    """Every file that makes up the dataset, in a stable order."""
    files = [root / name for name in ("regions.yaml", "conditions.yaml", "red_flags.yaml")]
    files += [root / "cautions.yaml", root / "neighbours.yaml", root / "lexicon.yaml"]
    files.append(root / "bodymap.yaml")  # a changed map is a new version (ETag, reload)
    files.append(root / "choir.yaml")
    files.extend(sorted((root / "muscles").glob("*.yaml")))
    return [path for path in files if path.exists()]


def _load_muscle(path: Path, root: Path) -> tuple[MuscleFile, str]:
    file = _rel(path, root)
    raw = _read_yaml(path, root)
    muscle = _parse(MuscleFile, raw, file, _record_name(raw, None) or path.stem)
    if muscle.slug != path.stem:
        raise DataError(file, muscle.slug, "slug", f"must match the file name {path.stem!r}")
    return muscle, file


def _check_muscle_regions(muscle: MuscleFile, file: str, regions: dict[str, Region]) -> None:
    for point in muscle.trigger_points:
        record = f"{muscle.slug}/{point.slug}"
        if not point.slug.startswith(f"{muscle.slug}-"):
            raise DataError(file, record, "slug", f"must start with '{muscle.slug}-'")
        _check_region_refs(point.essential, regions, file, record, "essential")
        _check_region_refs(point.spillover, regions, file, record, "spillover")
        _check_region_refs([point.site], regions, file, record, "site")
        if point.self_care:
            _check_region_refs(point.self_care.near, regions, file, record, "self_care.near")


def check_muscle_file(path: Path, root: Path = DEFAULT_DATA_DIR) -> MuscleFile:
    """Validate one muscle file against the region tree alone (for curators
    working on a few files while others are mid-edit)."""
    regions = _flatten_regions(_load_list(root / "regions.yaml", root, RegionFile))
    muscle, file = _load_muscle(Path(path).resolve(), root)
    _check_muscle_regions(muscle, file, regions)
    return muscle


def load_dataset(root: Path = DEFAULT_DATA_DIR) -> Dataset:
    root = Path(root)
    regions_path = root / "regions.yaml"
    if not regions_path.exists():
        raise DataError(_rel(regions_path, root), None, None, "is missing")
    regions = _flatten_regions(_load_list(regions_path, root, RegionFile))

    muscles = _load_muscles(root, regions)
    conditions = _load_conditions(root, regions, muscles)
    red_flags = _unique(_load_optional(root / "red_flags.yaml", root, RedFlagFile), "red flag")
    caution_items = _load_optional(root / "cautions.yaml", root, CautionFile)
    cautions = _unique(caution_items, "caution")
    for caution, file in caution_items:
        _check_region_refs(caution.regions, regions, file, caution.slug, "regions")

    neighbours_path = root / "neighbours.yaml"
    pairs = _load_pairs(neighbours_path, root, regions) if neighbours_path.exists() else []
    lexicon = _load_lexicon(root / "lexicon.yaml", root, regions, muscles)
    load_bodymap(root, regions)
    load_choir(root, regions)
    return assemble(
        regions,
        muscles,
        conditions,
        red_flags,
        cautions,
        _version(data_files(root)),
        pairs,
        lexicon,
    )


def _load_muscles(root: Path, regions: dict[str, Region]) -> dict[str, MuscleFile]:
    """Every ``muscles/*.yaml``, each trigger point owned by one muscle and
    every shared one owned by another."""
    muscle_items = [_load_muscle(path, root) for path in sorted((root / "muscles").glob("*.yaml"))]
    muscles = _unique(muscle_items, "muscle")
    point_owner: dict[str, str] = {}
    for muscle, file in muscle_items:
        _check_muscle_regions(muscle, file, regions)
        for point in muscle.trigger_points:
            record = f"{muscle.slug}/{point.slug}"
            if point.slug in point_owner:
                raise DataError(
                    file,
                    record,
                    "slug",
                    f"duplicate trigger point slug (also in {point_owner[point.slug]!r})",
                )
            point_owner[point.slug] = muscle.slug
    for muscle, file in muscle_items:
        for slug in muscle.shared_trigger_points:
            if point_owner.get(slug, muscle.slug) == muscle.slug:
                raise DataError(
                    file,
                    muscle.slug,
                    "shared_trigger_points",
                    f"{slug!r} is no trigger point of another muscle",
                )
    return muscles


def _load_conditions(
    root: Path, regions: dict[str, Region], muscles: dict[str, MuscleFile]
) -> dict[str, ConditionFile]:
    condition_items = _load_optional(root / "conditions.yaml", root, ConditionFile)
    conditions = _unique(condition_items, "condition")
    for condition, file in condition_items:
        _check_region_refs(condition.regions, regions, file, condition.slug, "regions")
        for slug in condition.muscles:
            if slug not in muscles:
                raise DataError(file, condition.slug, "muscles", f"unknown muscle {slug!r}")
    return conditions


@lru_cache(maxsize=2)
def _parsed_bodymap(text: str, file: str) -> BodyMapFile:
    """``bodymap.yaml`` parsed and its shapes checked, once per text:
    ``painmap serve`` checks it before the server starts and the app loads it
    again (parsing the YAML takes a fifth of a second)."""
    geometry = _parse(BodyMapFile, _yaml(text, file), file, None)
    for slug, shapes in geometry.regions.items():
        for view in View:
            _check_shapes(file, slug, view, shapes.on(view))
    return geometry


def load_bodymap(root: Path, regions: dict[str, Region] | None = None) -> BodyMapFile:
    """``data/bodymap.yaml`` validated, its shapes checked against the region
    tree when given (an empty map when the file is absent)."""
    path = Path(root) / "bodymap.yaml"
    if not path.exists():
        return BodyMapFile(outline={}, regions={})
    file = _rel(path, Path(root))
    geometry = _parsed_bodymap(_read_text(path, Path(root)), file)
    if regions is None:
        return geometry
    for slug, shapes in geometry.regions.items():
        region = regions.get(slug)
        if region is None:
            raise DataError(file, slug, "regions", f"unknown region {slug!r}")
        if region.children:
            raise DataError(file, slug, "regions", "only leaf regions are drawn")
        for view in View:
            if shapes.on(view) and view.value not in region.views:
                raise DataError(
                    file,
                    slug,
                    view.value,
                    f"is drawn on the {view.value} view, "
                    f"which regions.yaml does not list for it ({', '.join(region.views)})",
                )
    return geometry


def _check_shapes(file: str, slug: str, view: View, polygons: list[list[list[float]]]) -> None:
    """Every point of a shape lies in its view's box."""
    box = VIEW_BOXES[view]
    for polygon in polygons:
        for x, y in polygon:
            if abs(x) > box.half_width or not 0 <= y <= box.height:
                raise DataError(
                    file,
                    slug,
                    view.value,
                    f"point ({x:g}, {y:g}) lies outside the "
                    f"{view.value} view (x within ±{box.half_width:g}, y 0-{box.height:g})",
                )


def load_choir(root: Path, regions: dict[str, Region] | None = None) -> ChoirFile:
    """``data/choir.yaml`` validated: every segment once, on its view, naming
    known regions (an empty scheme when the file is absent)."""
    path = Path(root) / "choir.yaml"
    if not path.exists():
        return ChoirFile.model_construct(
            scheme="choir", name="CHOIR Body Map", sources=[], segments=[]
        )
    file = _rel(path, Path(root))
    choir = _parse(ChoirFile, _read_yaml(path, Path(root)), file, None)
    seen: set[int] = set()
    for segment in choir.segments:
        record = str(segment.code)
        if segment.code not in CHOIR_SEGMENTS or segment.code in seen:
            raise DataError(file, record, "code", "is not a CHOIR segment number or is repeated")
        if segment.view != ("front" if segment.code < 200 else "back"):
            raise DataError(file, record, "view", "front segments are 1xx, back segments 2xx")
        if regions is not None:
            _check_region_refs(segment.regions, regions, file, record, "regions")
        seen.add(segment.code)
    if missing := sorted(CHOIR_SEGMENTS - seen):
        raise DataError(file, None, "segments", f"missing segment(s) {missing}")
    return choir


def _load_lexicon(
    path: Path, root: Path, regions: dict[str, Region], muscles: dict[str, MuscleFile]
) -> LexiconFile | None:
    if not path.exists():
        return None
    file = _rel(path, root)
    lexicon = _parse(LexiconFile, _read_yaml(path, root), file, None)
    for activity in lexicon.activities:
        record = f"activities/{activity.slug}"
        _check_region_refs(activity.regions, regions, file, record, "regions")
        for slug in activity.muscles:
            if slug not in muscles:
                raise DataError(file, record, "muscles", f"unknown muscle {slug!r}")
    for kind, items in (("activity", lexicon.activities), ("sensation", lexicon.sensations)):
        _unique(((item, file) for item in items), kind)
    return lexicon


def _load_pairs(path: Path, root: Path, regions: dict[str, Region]) -> list[tuple[str, str]]:
    file = _rel(path, root)
    raw = _read_yaml(path, root) or []
    if not isinstance(raw, list):
        raise DataError(file, None, None, "must be a YAML list of [region, region] pairs")
    pairs: list[tuple[str, str]] = []
    seen: set[frozenset[str]] = set()
    for index, item in enumerate(raw):
        record = f"#{index + 1}"
        pair = _parse_pair(item, file, record)
        for slug in pair:
            if slug not in regions:
                raise DataError(file, record, None, f"unknown region {slug!r}")
            if regions[slug].children:
                raise DataError(file, record, None, f"{slug!r} is not a leaf region")
        key = frozenset(pair)
        if len(key) == 1 or key in seen:
            raise DataError(file, record, None, f"{list(pair)} is a self-pair or listed twice")
        seen.add(key)
        pairs.append(pair)
    return pairs


def _parse_pair(item: Any, file: str, record: str) -> tuple[str, str]:
    try:
        first, second = TypeAdapter(NeighbourPair).validate_python(item)
    except ValidationError as exc:
        raise DataError(file, record, None, exc.errors()[0]["msg"]) from exc
    return first, second


def assemble(
    regions: dict[str, Region],
    muscles: dict[str, MuscleFile],
    conditions: dict[str, ConditionFile],
    red_flags: dict[str, RedFlagFile],
    cautions: dict[str, CautionFile],
    version: str,
    neighbour_pairs: Iterable[tuple[str, str]] = (),
    lexicon: LexiconFile | None = None,
) -> Dataset:
    """The one way a :class:`Dataset` is made, from files or from the database."""
    neighbours: dict[str, set[str]] = {}
    for first, second in neighbour_pairs:
        neighbours.setdefault(first, set()).add(second)
        neighbours.setdefault(second, set()).add(first)
    points = {p.slug: p for m in muscles.values() for p in m.trigger_points}
    shared = {slug: points[slug] for m in muscles.values() for slug in m.shared_trigger_points}
    return Dataset(
        regions=regions,
        muscles=dict(sorted(muscles.items())),
        conditions=dict(sorted(conditions.items())),
        red_flags=red_flags,
        cautions=cautions,
        version=version,
        neighbours={slug: frozenset(near) for slug, near in sorted(neighbours.items())},
        lexicon=lexicon,
        _shared_points=shared,
        _descendants=_descendant_map(regions),
    )
