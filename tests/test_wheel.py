"""The built wheel is the whole service: installed (not editable) into a new
virtualenv with requirements.lock, it checks, loads and serves the curated data
it carries, from a folder that is not the repository.

Slow (a build, and an install from the package index or pip's cache), so it
runs only when asked for: ``pytest -m wheel``, a CI stage of its own."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.data.dataset import Dataset

pytestmark = pytest.mark.wheel

ROOT = Path(__file__).resolve().parent.parent
# Exactly what the Dockerfile's build stage copies (its first FROM … to the
# next), so this build proves that stage has all the wheel needs.
_BUILD_STAGE = re.split(r"^FROM ", (ROOT / "Dockerfile").read_text(), flags=re.M)[1]
SOURCES = " ".join(re.findall(r"^COPY (?!--)(.+) \S+$", _BUILD_STAGE, re.M)).split()


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    cwd: Path  # an empty folder outside the repository
    cache: Path  # XDG_CACHE_HOME: where the SQLite file should land

    def env(self) -> dict[str, str]:
        # Nothing from this session may point the installed copy at the repository.
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("PAINMAP_")
            and key not in {"DATABASE_URL", "PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}
        }
        env["XDG_CACHE_HOME"] = str(self.cache)
        return env

    def run(self, *command: str) -> str:
        done = subprocess.run(
            [str(self.venv / "bin" / command[0]), *command[1:]],
            cwd=self.cwd,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
        return done.stdout


def _run(*command: str | Path, cwd: Path | None = None) -> None:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, f"{command}: {done.stdout[-3000:]}{done.stderr[-3000:]}"


@pytest.fixture(scope="module")
def installed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Installed:
    if "wheel" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("slow: runs with -m wheel (its own CI stage)")
    tmp = tmp_path_factory.mktemp("wheel")
    # Build from a copy, as the Docker build stage does: no stale build/ folder
    # of the repository's can slip deleted files into the wheel.
    source = tmp / "source"
    source.mkdir()
    assert {"pyproject.toml", "app", "data"} <= set(SOURCES), SOURCES
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(ROOT / name, source / name)
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", tmp / "dist", source)
    (wheel,) = (tmp / "dist").glob("painmap-*.whl")
    _run(sys.executable, "-m", "venv", tmp / "venv")
    _run(tmp / "venv" / "bin" / "pip", "install", "-c", ROOT / "requirements.lock", wheel)
    (tmp / "elsewhere").mkdir()
    return Installed(wheel, tmp / "venv", tmp / "elsewhere", tmp / "cache")


def test_the_wheel_carries_every_data_file_as_package_data(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = wheel.namelist()
    packaged = {name.removeprefix("app/_data/") for name in names if name.startswith("app/_data/")}
    curated = {path.relative_to(ROOT / "data").as_posix() for path in (ROOT / "data").rglob("*")}
    assert packaged == {name for name in curated if (ROOT / "data" / name).is_file()}
    assert "muscles/infraspinatus.yaml" in packaged
    assert not [name for name in names if name.startswith(("data/", "tests/"))]


def test_the_installed_copy_reads_its_own_data(installed: Installed, dataset: Dataset) -> None:
    code = "import app.paths as p, app.config as c; print(p.DEFAULT_DATA_DIR); print(c.Settings().sqlite_path)"
    data_dir, sqlite_path = installed.run("python", "-c", code).split()
    assert Path(data_dir).is_relative_to(installed.venv) and data_dir.endswith("app/_data")
    assert Path(sqlite_path) == installed.cache / "painmap" / "painmap.sqlite3"
    # The same data as the checkout's, byte for byte (the version is its hash).
    assert f"(version {dataset.version})" in installed.run("painmap", "check")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture(scope="module")
def served(installed: Installed) -> Iterator[str]:
    """``painmap load`` then ``painmap serve``, as the Docker image runs them."""
    loaded = installed.run("painmap", "load")
    assert "loaded dataset version" in loaded and str(installed.cache) in loaded
    port = _free_port()
    log = (installed.cwd / "serve.log").open("w")
    server = subprocess.Popen(
        [str(installed.venv / "bin" / "painmap"), "serve", "--port", str(port)],
        cwd=installed.cwd,
        env=installed.env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (installed.cwd / "serve.log").read_text()
            try:
                if _get(url + "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "not ready in 60 s"
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_the_installed_service_answers_a_lookup(served: str) -> None:
    status, body = _get(served + "/v1/pain-sources?q=where+might+a+headache+be+coming+from")
    assert status == 200, body
    answer = json.loads(body)
    assert answer["results"] and answer["disclaimer"]
    assert all(result["muscle"]["slug"] for result in answer["results"])
    assert _get(served + "/v1/muscles/infraspinatus")[0] == 200


def test_the_installed_service_serves_the_explorer_and_docs(served: str) -> None:
    for path in ("/", "/docs", "/openapi.json"):
        status, body = _get(served + path)
        assert status == 200 and body, path
