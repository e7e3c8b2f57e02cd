"""Database tables (SQLModel). Response models live in ``app.api.schemas``.

The database is the shared store that replicas read the dataset from; the
request path serves from the in-memory catalog built out of it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Region(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    name: str
    parent_id: int | None = Field(default=None, foreign_key="region.id", index=True)
    synonyms: list[str] = _json_list()
    views: list[str] = _json_list()
    sided: bool
    ontology_id: str | None = None
    position: int


class RegionNeighbour(SQLModel, table=True):
    """Two leaf regions that touch on the body surface (stored once, low id first)."""

    __tablename__ = "region_neighbour"

    region_id: int = Field(foreign_key="region.id", primary_key=True)
    neighbour_id: int = Field(foreign_key="region.id", primary_key=True, index=True)


class Muscle(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    name: str
    aliases: list[str] = _json_list()
    group: str = Field(index=True)
    ontology_id: str | None = None
    origin: str
    insertion: str
    action: str
    innervation: str
    description: str
    shared_trigger_points: list[str] = _json_list()


class Condition(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    name: str
    synonyms: list[str] = _json_list()
    description: str


class Source(SQLModel, table=True):
    """A reference behind a muscle or a condition (exactly one of the two)."""

    id: int | None = Field(default=None, primary_key=True)
    muscle_id: int | None = Field(default=None, foreign_key="muscle.id", index=True)
    condition_id: int | None = Field(default=None, foreign_key="condition.id", index=True)
    title: str
    url: str | None = None
    position: int


class TriggerPoint(SQLModel, table=True):
    __tablename__ = "trigger_point"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    muscle_id: int = Field(foreign_key="muscle.id", index=True)
    label: str
    location: str
    site_id: int = Field(foreign_key="region.id")
    map_view: str
    map_x: float
    map_y: float
    symptoms: list[str] = _json_list()
    aggravating: list[str] = _json_list()
    self_care: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    broad_zones: dict[str, str] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    position: int


class ReferralZone(SQLModel, table=True):
    __tablename__ = "referral_zone"
    __table_args__ = (UniqueConstraint("trigger_point_id", "region_id"),)

    id: int | None = Field(default=None, primary_key=True)
    trigger_point_id: int = Field(foreign_key="trigger_point.id", index=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    kind: str = Field(index=True)  # "essential" | "spillover"
    position: int


class ConditionRegion(SQLModel, table=True):
    __tablename__ = "condition_region"

    condition_id: int = Field(foreign_key="condition.id", primary_key=True)
    region_id: int = Field(foreign_key="region.id", primary_key=True, index=True)
    position: int


class ConditionMuscle(SQLModel, table=True):
    __tablename__ = "condition_muscle"

    condition_id: int = Field(foreign_key="condition.id", primary_key=True)
    muscle_id: int = Field(foreign_key="muscle.id", primary_key=True, index=True)
    position: int


class RedFlag(SQLModel, table=True):
    __tablename__ = "red_flag"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    name: str
    patterns: list[list[str]] = _json_list()
    warning: str
    urgency: str
    position: int


class Caution(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    text: str
    regions: list[str] = _json_list()
    landmarks: list[str] = _json_list()
    position: int


class Lexicon(SQLModel, table=True):
    """One row: data/lexicon.yaml as one document (only the lookup reads it,
    always whole)."""

    id: int = Field(default=1, primary_key=True)
    document: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class DatasetInfo(SQLModel, table=True):
    """One row: the version (content hash of data/) that the tables hold."""

    __tablename__ = "dataset_info"

    id: int = Field(default=1, primary_key=True)
    version: str
    loaded_at: str
