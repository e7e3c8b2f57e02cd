"""The database table: each dataset version as one JSON document.

The service reads the whole dataset at start-up and when a new version is
loaded, never a record at a time, so one row holds all of it. The column is
``json`` on PostgreSQL (not ``jsonb``): the text is kept as written, key order
included, which the lexicon's rewrites and the responses depend on, and SQL
can still reach into it (``document -> 'muscles'``). For one table per kind of
record, ``painmap export --format csv`` writes CSV files.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, MetaData, String, Table

metadata = MetaData(naming_convention={"pk": "pk_%(table_name)s"})

dataset_table = Table(
    "painmap_dataset",
    metadata,
    # The content hash of data/ (the ETag); the table holds one version, the
    # one every replica serves.
    Column("version", String, primary_key=True),
    Column("built_at", DateTime(timezone=True), nullable=False),
    Column("document", JSON, nullable=False),
)

# The table-per-record layout of earlier releases, children before parents;
# a database that still has it is rebuilt in this layout.
LEGACY_TABLES = (
    "region_neighbour",
    "referral_zone",
    "condition_region",
    "condition_muscle",
    "source",
    "trigger_point",
    "condition",
    "muscle",
    "red_flag",
    "caution",
    "lexicon",
    "region",
    "dataset_info",
    "painmap_build_manifest",
)
