"""Move a validated :class:`~app.domain.Dataset` into the database and back,
as one JSON document (see :mod:`app.data.tables`).

Writing replaces the stored version in one transaction, so readers see the
old dataset or the new one, never a mix, and a failed write leaves the old one
in place. Reading is one pydantic pass over the document's text: the records
are checked against the file models again, the cross-references (which
``load_dataset`` checked before the write) are not.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    Text,
    cast,
    delete,
    insert,
    inspect,
    select,
    text,
)

from app.data.dataset import assemble
from app.data.files import CautionFile, ConditionFile, LexiconFile, MuscleFile, RedFlagFile
from app.data.tables import LEGACY_TABLES, dataset_table, metadata
from app.domain import Dataset, Region

T = TypeVar("T")


class DatasetDocument(BaseModel):
    """What the ``document`` column holds: the dataset's records in order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    regions: list[Region]
    muscles: list[MuscleFile]
    conditions: list[ConditionFile]
    red_flags: list[RedFlagFile]
    cautions: list[CautionFile]
    neighbours: list[tuple[str, str]]
    lexicon: LexiconFile | None


class UnreadableDataset(ValueError):
    """The stored document does not fit this release's models (an older or
    newer painmap wrote it, or it was edited by hand)."""


def to_document(dataset: Dataset) -> DatasetDocument:
    return DatasetDocument(
        version=dataset.version,
        regions=list(dataset.regions.values()),
        muscles=list(dataset.muscles.values()),
        conditions=list(dataset.conditions.values()),
        red_flags=list(dataset.red_flags.values()),
        cautions=list(dataset.cautions.values()),
        neighbours=dataset.neighbour_pairs(),
        lexicon=dataset.lexicon,
    )


def from_document(document: DatasetDocument) -> Dataset:
    return assemble(
        {region.slug: region for region in document.regions},
        {muscle.slug: muscle for muscle in document.muscles},
        {condition.slug: condition for condition in document.conditions},
        {flag.slug: flag for flag in document.red_flags},
        {caution.slug: caution for caution in document.cautions},
        document.version,
        document.neighbours,
        document.lexicon,
    )


def _layout_is_current(bind: Engine | Connection) -> bool:
    """The dataset table exists with every column this release declares."""
    inspector = inspect(bind)
    if not inspector.has_table(dataset_table.name):
        return False
    stored = {column["name"] for column in inspector.get_columns(dataset_table.name)}
    return stored.issuperset(dataset_table.columns.keys())


def stored_version(engine: Engine) -> str | None:
    """The version the database holds, or None when it holds none in this
    layout (an empty database, or the tables of an earlier release)."""
    if not _layout_is_current(engine):
        return None
    with engine.connect() as connection:
        return connection.execute(_current(dataset_table.c.version)).scalar()


def _current(column: ColumnElement[T]) -> Select[T]:
    """Select ``column`` of the current version: the only row (a write
    replaces it), or the newest should someone have added one by hand."""
    return select(column).order_by(dataset_table.c.built_at.desc()).limit(1)


def read_dataset(engine: Engine) -> Dataset:
    """The stored dataset, as it was written (the replicas' source of truth)."""
    with engine.connect() as connection:
        # The text as stored, parsed once by pydantic rather than by the
        # driver first and pydantic again.
        raw = connection.execute(_current(cast(dataset_table.c.document, Text))).scalar()
    if raw is None:
        raise LookupError("the database holds no dataset; run `painmap load`")
    try:
        return from_document(DatasetDocument.model_validate_json(raw))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "document"
        raise UnreadableDataset(
            f"the stored dataset does not fit this release ({where}: {first['msg']})"
        ) from None


def write_dataset(engine: Engine, dataset: Dataset) -> None:
    """Replace the stored dataset with ``dataset``, all or nothing."""
    document = to_document(dataset).model_dump(mode="json")
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Two replicas or operators loading at once take turns.
            connection.execute(text("SELECT pg_advisory_xact_lock(424242)"))
        _create_schema(connection)
        connection.execute(delete(dataset_table))
        connection.execute(
            insert(dataset_table).values(
                version=dataset.version, built_at=datetime.now(UTC), document=document
            )
        )


def _create_schema(connection: Connection) -> None:
    """Create the table; drop the tables of an earlier layout first (they
    only ever held a copy of data/, which the write that follows replaces)."""
    existing = set(inspect(connection).get_table_names())
    if {"dataset_info", "trigger_point"} <= existing:
        for name in LEGACY_TABLES:
            if name in existing:
                connection.execute(text(f'DROP TABLE "{name}"'))
    if dataset_table.name in existing and not _layout_is_current(connection):
        dataset_table.drop(connection)
    metadata.create_all(connection)
