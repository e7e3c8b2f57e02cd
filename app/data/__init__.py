"""The data pipeline: YAML files in data/ -> file models (files) -> validated dataset (dataset) -> database (tables, store, db) -> in-memory catalog (catalog)."""
