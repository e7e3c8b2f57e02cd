"""Where the curated data lives by default: shared by the settings and the
loader, so that neither has to import the other."""

from __future__ import annotations

from pathlib import Path

# A built wheel carries data/ as app/_data (pyproject.toml maps it there); a
# checkout or editable install has no app/_data and reads the repository's data/.
PACKAGED_DATA_DIR = Path(__file__).resolve().parent / "_data"
DEFAULT_DATA_DIR = (
    PACKAGED_DATA_DIR
    if PACKAGED_DATA_DIR.is_dir()
    else Path(__file__).resolve().parents[1] / "data"
)
