"""The loader: the real data loads, and each kind of mistake in a file is
reported with the file, the record and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.cli import main as cli
from app.data.dataset import DataError, dataset_version, load_dataset


def edit_yaml(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def test_real_data_loads(dataset) -> None:  # type: ignore[no-untyped-def]
    assert len(dataset.muscles) >= 100
    assert "upper-trapezius" in dataset.muscles
    assert dataset.descendants("head") >= {"head", "temple", "upper-teeth"}
    assert dataset.ancestors("upper-teeth") == ["teeth", "jaw", "head"]


def test_version_follows_content(data_copy: Path) -> None:
    before = dataset_version(data_copy)
    path = data_copy / "muscles" / "upper-trapezius.yaml"
    path.write_text(path.read_text().replace("Upper trapezius", "Upper trapezius muscle", 1))
    assert dataset_version(data_copy) != before
    assert load_dataset(data_copy).version == dataset_version(data_copy)


def _error(data_dir: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        load_dataset(data_dir)
    return caught.value


def test_unknown_region_is_named(data_copy: Path) -> None:
    path = data_copy / "muscles" / "upper-trapezius.yaml"
    edit_yaml(path, lambda d: d["trigger_points"][0]["essential"].append("templee"))
    error = _error(data_copy)
    assert error.file == "data/muscles/upper-trapezius.yaml"
    assert error.record == "upper-trapezius/upper-trapezius-trp1"
    assert error.field == "essential"
    assert "templee" in str(error)


def test_duplicate_trigger_point_slug(data_copy: Path) -> None:
    path = data_copy / "muscles" / "upper-trapezius.yaml"
    edit_yaml(path, lambda d: d["trigger_points"].append(dict(d["trigger_points"][0])))
    error = _error(data_copy)
    assert error.record == "upper-trapezius/upper-trapezius-trp1"
    assert error.field == "slug"
    assert "duplicate trigger point slug" in error.message


def test_duplicate_condition_slug(data_copy: Path) -> None:
    path = data_copy / "conditions.yaml"
    edit_yaml(path, lambda d: d.append(dict(d[0])))
    error = _error(data_copy)
    assert error.file == "data/conditions.yaml"
    assert error.field == "slug"
    assert "duplicate condition slug" in error.message


def test_duplicate_region_slug(data_copy: Path) -> None:
    path = data_copy / "regions.yaml"
    edit_yaml(path, lambda d: d[0]["children"].append(dict(d[0]["children"][0])))
    error = _error(data_copy)
    assert error.file == "data/regions.yaml"
    assert error.record == "forehead"
    assert "duplicate region slug" in error.message


def test_trigger_point_without_essential_zone(data_copy: Path) -> None:
    path = data_copy / "muscles" / "upper-trapezius.yaml"
    edit_yaml(path, lambda d: d["trigger_points"][1].update(essential=[]))
    error = _error(data_copy)
    assert error.record == "upper-trapezius"
    assert error.field == "trigger_points[upper-trapezius-trp2].essential"


def test_muscle_without_source(data_copy: Path) -> None:
    path = data_copy / "muscles" / "upper-trapezius.yaml"
    edit_yaml(path, lambda d: d.update(sources=[]))
    error = _error(data_copy)
    assert (error.record, error.field) == ("upper-trapezius", "sources")


def test_identifiers_must_be_ascii_slugs(data_copy: Path) -> None:
    conditions = data_copy / "conditions.yaml"
    edit_yaml(conditions, lambda d: d[0].update(slug="Tension-Headache"))
    error = _error(data_copy)
    assert (error.file, error.field) == ("data/conditions.yaml", "slug")
    assert "'Tension-Headache' is not a lower-case ascii kebab-case slug" in error.message
    edit_yaml(conditions, lambda d: d[0].update(slug="tension-type-headache"))
    muscle = data_copy / "muscles" / "upper-trapezius.yaml"
    edit_yaml(muscle, lambda d: d["trigger_points"][0].update(slug="upper-trapezius-trp1é"))
    error = _error(data_copy)
    assert error.file == "data/muscles/upper-trapezius.yaml"
    assert error.field is not None and error.field.endswith(".slug")
    assert "kebab-case slug" in error.message


def test_unknown_field_is_a_typo(data_copy: Path) -> None:
    path = data_copy / "muscles" / "upper-trapezius.yaml"
    edit_yaml(path, lambda d: d.update(innervaton="typo"))
    error = _error(data_copy)
    assert error.field == "innervaton"


def test_file_name_must_match_slug(data_copy: Path) -> None:
    path = data_copy / "muscles" / "upper-trapezius.yaml"
    edit_yaml(path, lambda d: d.update(slug="upper-traps"))
    error = _error(data_copy)
    assert error.field == "slug"
    assert "file name" in error.message


def test_zone_both_essential_and_spillover(data_copy: Path) -> None:
    path = data_copy / "muscles" / "upper-trapezius.yaml"
    edit_yaml(path, lambda d: d["trigger_points"][0]["spillover"].append("temple"))
    error = _error(data_copy)
    assert "both essential and spillover" in error.message


def test_broken_yaml(data_copy: Path) -> None:
    (data_copy / "muscles" / "upper-trapezius.yaml").write_text("slug: [unclosed\n")
    error = _error(data_copy)
    assert error.file == "data/muscles/upper-trapezius.yaml"
    assert "not valid YAML" in error.message


def test_condition_with_unknown_muscle(data_copy: Path) -> None:
    path = data_copy / "conditions.yaml"
    edit_yaml(path, lambda d: d[0]["muscles"].append("no-such-muscle"))
    error = _error(data_copy)
    assert error.file == "data/conditions.yaml"
    assert error.field == "muscles"
    assert "no-such-muscle" in error.message


def test_check_command_reports_and_fails(data_copy: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli(["--data-dir", str(data_copy), "check"]) == 0
    assert "ok:" in capsys.readouterr().out
    edit_yaml(data_copy / "muscles" / "upper-trapezius.yaml", lambda d: d.update(sources=[]))
    assert cli(["--data-dir", str(data_copy), "check"]) == 1
    err = capsys.readouterr().err
    assert "data/muscles/upper-trapezius.yaml" in err and "'sources'" in err


def test_check_single_file(data_copy: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = data_copy / "muscles" / "upper-trapezius.yaml"
    assert cli(["--data-dir", str(data_copy), "check", str(path)]) == 0
    edit_yaml(path, lambda d: d["trigger_points"][0].update(site="nowhere"))
    assert cli(["--data-dir", str(data_copy), "check", str(path)]) == 1
    assert "unknown region 'nowhere'" in capsys.readouterr().err
