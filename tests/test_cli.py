"""The ``painmap`` command: load and export (check is covered in test_dataset)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main as cli
from app.data.dataset import Dataset


@pytest.fixture
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PAINMAP_SQLITE_PATH", str(tmp_path / "cli.sqlite3"))
    return tmp_path


def test_load_then_export_json(isolated_env: Path, dataset: Dataset, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli(["load"]) == 0
    assert f"version {dataset.version}" in capsys.readouterr().out
    out = isolated_env / "dump.json"
    assert cli(["export", "--output", str(out)]) == 0
    dump = json.loads(out.read_text())
    assert dump["version"] == dataset.version
    assert len(dump["muscles"]) == len(dataset.muscles)
    assert len(dump["regions"]) == len(dataset.regions)
    first = dump["muscles"][0]
    assert first["trigger_points"][0]["essential"]


def test_export_csv_has_a_file_per_table(isolated_env: Path, dataset: Dataset) -> None:
    folder = isolated_env / "csv"
    assert cli(["export", "--format", "csv", "--output", str(folder)]) == 0
    with (folder / "referral_zones.csv").open() as handle:
        zones = list(csv.DictReader(handle))
    expected = sum(
        len(p.essential) + len(p.spillover)
        for m in dataset.muscles.values()
        for p in m.trigger_points
    )
    assert len(zones) == expected
    assert {z["kind"] for z in zones} <= {"essential", "spillover"}
    with (folder / "muscles.csv").open() as handle:
        assert len(list(csv.DictReader(handle))) == len(dataset.muscles)


def test_export_csv_needs_a_folder(isolated_env: Path) -> None:
    assert cli(["export", "--format", "csv"]) == 2


def test_python_dash_m_app_runs(isolated_env: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok:")


def test_serve_refuses_bad_data_with_one_clear_line(isolated_env: Path, data_copy: Path) -> None:
    path = data_copy / "muscles" / "soleus.yaml"
    path.write_text(path.read_text().replace("essential: [heel]", "essential: [heal]", 1))
    result = subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(data_copy), "serve", "--port", "9"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "error: data/muscles/soleus.yaml: record 'soleus/soleus-trp1', field 'essential': "
        "unknown region 'heal'"
    ]
