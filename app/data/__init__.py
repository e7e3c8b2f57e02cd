"""The data pipeline, one step a module: ``data/*.yaml`` → ``files`` (the files
as curators write them) → ``dataset`` (validated, cross-checked
:class:`app.domain.Dataset`) → ``store`` and ``tables`` (one JSON document per
dataset version) → ``db`` (engines, the embedded SQLite build, start-up reads).
``app.api.catalog`` turns a Dataset into the resources the API serves."""
