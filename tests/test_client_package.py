"""painmap-client is its own distribution: built from clients/python/, it
ships its types (py.typed), depends on httpx and pydantic only (and the
httpx retry transport), never imports the server, and passes mypy --strict."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

from tests.contract import ROOT, tool

PACKAGE = ROOT / "clients" / "python"


def _wheel(tmp_path: Path) -> zipfile.ZipFile:
    source = tmp_path / "source"  # a copy: building leaves files behind
    shutil.copytree(PACKAGE, source, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q"]
    subprocess.run(
        [*pip, "-w", str(tmp_path / "dist"), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("painmap_client-*.whl")
    return zipfile.ZipFile(wheel)


def test_wheel_ships_types_and_depends_on_httpx_and_pydantic_only(tmp_path: Path) -> None:
    with _wheel(tmp_path) as wheel:
        names = set(wheel.namelist())
        assert {
            "painmap_client/py.typed",
            "painmap_client/models.py",
            "painmap_client/_sync/client.py",
            "painmap_client/_async/client.py",
        } <= names
        assert not any(name.startswith("app/") for name in names)
        (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        message = Parser().parsestr(wheel.read(metadata).decode())
    requires = {r.split(">")[0].split("=")[0].strip() for r in message.get_all("Requires-Dist")}
    assert message["Name"] == "painmap-client"
    assert requires == {"httpx", "pydantic", "httpx-retries"}


def test_client_never_imports_the_server() -> None:
    code = (
        "import sys, painmap_client\n"
        "server = sorted(m for m in sys.modules if m == 'app' or m.startswith(('app.', 'fastapi',"
        " 'sqlmodel', 'psycopg')))\n"
        "assert not server, server\n"
    )
    # From the client's folder, so the repository's own packages are not on the path.
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PACKAGE, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_client_passes_mypy_strict(tmp_path: Path) -> None:
    result = subprocess.run(
        [tool("mypy"), "--strict", "--cache-dir", str(tmp_path), "painmap_client"],
        cwd=PACKAGE,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
