"""Start-up, readiness and the embedded build when things around the
service go wrong: an absent or hanging database, a garbage SQLite file, an
unwritable folder, a full disk, a damaged build, a broken body map."""

from __future__ import annotations

import gc
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine

from app.cli import main as cli
from app.data.dataset import DataError, dataset_version, load_dataset
from app.data.db import ensure_embedded_sqlite, make_db_engine
from app.data.store import stored_version
from tests.support import AppInProcess, LiveServer, embedded_settings, free_port


def _painmap(*args: str, env: dict[str, str], preexec=None, timeout: float = 60):  # type: ignore[no-untyped-def]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PAINMAP_")}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        env={**clean, "PYTHONDONTWRITEBYTECODE": "1", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        preexec_fn=preexec,
    )


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", "-journal")))


# 9. An absent database: a few tries with back-off, one line each, then one
# clear error and a non-zero exit; no traceback.
def test_start_up_retries_an_absent_database_then_fails_in_one_line(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://painmap:secret@127.0.0.1:{free_port()}/painmap"
    started = time.monotonic()
    result = _painmap(
        "serve",
        "--port",
        str(free_port()),
        env={
            "DATABASE_URL": url,
            "PAINMAP_DB_CONNECT_ATTEMPTS": "3",
            "PAINMAP_DB_CONNECT_BACKOFF": "0.2",
        },
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    tries = [line for line in result.stdout.splitlines() if "not reachable (attempt" in line]
    assert len(tries) == 2, result.stdout
    assert "attempt 1 of 3" in tries[0] and "retrying in 0.2 s" in tries[0]
    assert "retrying in 0.4 s" in tries[1] and "secret" not in output
    (error,) = result.stderr.strip().splitlines()
    assert error.startswith("error: cannot reach the database") and "after 3 attempt(s)" in error
    assert 0.6 <= elapsed < 30


# 9. /readyz answers within about a second whatever the database does, and
# only says ready when the database holds a dataset.
def test_readyz_answers_within_a_bound_when_the_database_hangs(tmp_path: Path) -> None:
    def hanging() -> sqlite3.Connection:
        time.sleep(2.5)
        return sqlite3.connect(":memory:")

    with (
        LiveServer(embedded_settings(tmp_path)) as live,
        httpx.Client(base_url=live.url, timeout=10) as http,
    ):
        assert http.get("/readyz").status_code == 200
        working = live.app.state.db_engine
        live.app.state.db_engine = create_engine("sqlite://", creator=hanging)
        try:
            for _ in range(2):
                started = time.monotonic()
                response = http.get("/readyz")
                assert time.monotonic() - started < 1.6
                assert response.status_code == 503
                assert response.json()["database"] == "unreachable"
            assert http.get("/v1/muscles/soleus").status_code == 200
        finally:
            live.app.state.db_engine = working
        deadline = time.monotonic() + 10
        while http.get("/readyz").status_code != 200:  # recovers by itself
            assert time.monotonic() < deadline
            time.sleep(0.2)


def test_readyz_is_unavailable_when_the_sqlite_file_is_garbage(tmp_path: Path) -> None:
    settings = embedded_settings(tmp_path)
    with (
        LiveServer(settings) as live,
        httpx.Client(base_url=live.url, timeout=10) as http,
    ):
        assert http.get("/readyz").status_code == 200
        size = settings.sqlite_path.stat().st_size
        settings.sqlite_path.write_bytes(b"garbage!" * (size // 8))
        response = http.get("/readyz")
        assert response.status_code == 503 and response.json()["status"] == "unavailable"
        assert http.get("/v1/muscles/soleus").status_code == 200  # memory still answers


# 10. A build that cannot be written: one clear line, exit code 1, nothing left.
def test_a_directory_at_the_sqlite_path_is_one_clear_error(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "painmap.sqlite3"
    target.mkdir()
    expected = f"error: cannot build the SQLite file {target}: a directory is in the way"
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PAINMAP_SQLITE_PATH", str(target))
    assert cli(["load"]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [expected]
    served = _painmap("serve", "--port", str(free_port()), env={"PAINMAP_SQLITE_PATH": str(target)})
    assert served.returncode == 1 and served.stderr.strip().splitlines() == [expected]
    assert _leftovers(tmp_path) == []


def _read_only_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        (folder / "probe").touch()
    except OSError:
        return folder
    (folder / "probe").unlink()  # root ignores modes: use a read-only file system
    for candidate in (Path("/sys/fs"), Path("/proc/sys")):
        try:
            (candidate / "painmap-probe").touch()
        except OSError:
            return candidate
    pytest.skip("no read-only folder to try")


def test_a_read_only_folder_is_one_clear_error(tmp_path: Path) -> None:
    folder = _read_only_folder(tmp_path)
    target = folder / "painmap.sqlite3"
    result = _painmap("load", env={"PAINMAP_SQLITE_PATH": str(target)})
    assert result.returncode == 1, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: cannot build the SQLite file {target}: ")
    assert "not writable" in line
    assert not any(p.name.endswith(".tmp") for p in folder.iterdir())


def test_a_full_disk_is_one_clear_error_and_leaves_nothing(tmp_path: Path) -> None:
    def small_disk() -> None:
        # Writing past 256 KiB fails as on a full disk (EFBIG, not a signal).
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))

    target = tmp_path / "painmap.sqlite3"
    result = _painmap("load", env={"PAINMAP_SQLITE_PATH": str(target)}, preexec=small_disk)
    assert result.returncode == 1, result.stdout + result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: cannot build the SQLite file {target}: ")
    assert "full" in line, line
    assert _leftovers(tmp_path) == [] and not target.exists()


def test_a_damaged_build_is_rebuilt_at_start_up(tmp_path: Path) -> None:
    settings = embedded_settings(tmp_path)
    ensure_embedded_sqlite(settings)
    with sqlite3.connect(settings.sqlite_path) as connection:
        # The right version, but a document cut short.
        connection.execute("UPDATE painmap_dataset SET document = substr(document, 1, 5000)")
    with LiveServer(settings) as live, httpx.Client(base_url=live.url) as http:
        assert http.get("/readyz").status_code == 200
        assert http.get("/v1/muscles/soleus").status_code == 200
    built = settings.sqlite_path.stat().st_mtime_ns
    ensure_embedded_sqlite(settings)  # whole now: left alone
    assert settings.sqlite_path.stat().st_mtime_ns == built


# 11. The body map is validated by check and is part of the dataset version.
def test_check_validates_the_body_map(data_copy: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = data_copy / "bodymap.yaml"
    original = path.read_text()
    path.write_text(original.replace("\n  heel:", "\n  heal:", 1))
    assert "\n  heal:" in path.read_text()
    assert cli(["--data-dir", str(data_copy), "check"]) == 1
    assert capsys.readouterr().err.strip() == (
        "error: data/bodymap.yaml: record 'heal', field 'regions': unknown region 'heal'"
    )
    path.write_text("regions: [unclosed\n")
    assert cli(["--data-dir", str(data_copy), "check"]) == 1
    assert capsys.readouterr().err.startswith("error: data/bodymap.yaml: is not valid YAML")
    with pytest.raises(DataError, match="bodymap"):
        load_dataset(data_copy)


def test_serve_refuses_a_broken_body_map_with_one_line(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "bodymap.yaml").write_text("outline: {}\nregions: {heel: {front: 3}}\n")
    result = _painmap(
        "--data-dir",
        str(data_copy),
        "serve",
        "--port",
        str(free_port()),
        env={"PAINMAP_SQLITE_PATH": str(tmp_path / "db.sqlite3")},
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: data/bodymap.yaml")


def test_a_changed_body_map_is_a_new_version_and_is_reloaded(
    tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dataset_version(data_copy)
    settings = embedded_settings(tmp_path, data_copy).model_copy(update={"reload_interval": 0.2})
    with LiveServer(settings) as live, httpx.Client(base_url=live.url) as http:
        old = http.get("/v1/body-map.svg", params={"region": "heel"})
        path = data_copy / "bodymap.yaml"
        # The heel drawn a little lower.
        path.write_text(
            path.read_text().replace("[[[14.6, 474], [24, 474]", "[[[14.6, 476.3], [24, 476.3]", 1)
        )
        assert dataset_version(data_copy) != before
        monkeypatch.setenv("PAINMAP_SQLITE_PATH", str(settings.sqlite_path))
        monkeypatch.delenv("DATABASE_URL", raising=False)
        assert cli(["--data-dir", str(data_copy), "load"]) == 0
        deadline = time.monotonic() + 10
        while (new := http.get("/v1/body-map.svg", params={"region": "heel"})).headers[
            "etag"
        ] == old.headers["etag"]:
            assert time.monotonic() < deadline, "the new map was never served"
            time.sleep(0.1)
        assert new.headers["etag"] == f'W/"{dataset_version(data_copy)}"'
        assert new.text != old.text and "502.3" in new.text  # 476.3 + the 26 px header
    engine = make_db_engine(settings.effective_database_url)
    assert stored_version(engine) == dataset_version(data_copy)
    engine.dispose()


def test_the_collector_runs_again_once_the_dataset_is_loaded(tmp_path: Path) -> None:
    # Start-up rests the collector while loading; it must be on afterwards
    # (a service without it would keep every cycle it ever made), with what
    # was loaded kept out of its passes.
    frozen = gc.get_freeze_count()
    with AppInProcess(embedded_settings(tmp_path)):
        assert gc.isenabled()
        assert gc.get_freeze_count() - frozen > 100_000
