"""The README's promises: two set-up commands, the test command CI runs,
documented settings, and a Dockerfile that installs the built wheel."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from app.config import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def _setup_commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert block is not None and README.index("```sh") < 40, "the README must open with them"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_exactly_two_commands() -> None:
    serve, test = _setup_commands()
    # Each installs with the lock file as constraints (scripts/lock writes both).
    assert serve.endswith("painmap serve") and "pip install -c requirements.lock -e ." in serve
    assert test.endswith("pytest") and "pip install -c requirements-test.lock -e '.[test]'" in test


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert _setup_commands()[1] in ci


def test_every_setting_is_documented() -> None:
    for name, field in Settings.model_fields.items():
        variable = "DATABASE_URL" if name == "database_url" else f"PAINMAP_{name.upper()}"
        assert f"`{variable}`" in README, f"{variable} is not in the README's configuration table"
        del field


def test_dockerfile_installs_the_built_wheel_with_the_lock() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = re.split(r"^FROM ", dockerfile, flags=re.M)[1:]
    assert len(stages) == 2, "a build stage and the final image"
    assert "pip wheel --no-deps --wheel-dir /wheels ." in stages[0]
    assert "COPY --from=build /wheels /wheels" in stages[1]
    assert "pip install --constraint requirements.lock /wheels/painmap-*.whl" in stages[1]
    assert " -e " not in dockerfile and "--editable" not in dockerfile
    # No Docker engine here: at least every path it copies from the context exists
    # and is not left out by .dockerignore.
    ignored = (ROOT / ".dockerignore").read_text().split()
    copied = re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, re.M)
    for source in " ".join(copied).split():
        assert (ROOT / source).exists(), f"COPY {source}: no such path"
        assert source not in ignored, f"COPY {source}: left out by .dockerignore"
    assert "RUN painmap load" in stages[1] and "PAINMAP_SQLITE_PATH=/srv/painmap/var/" in dockerfile
    assert re.search(r"^USER \d+", dockerfile, re.M), "run as a non-root user"
    assert "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile
    assert re.search(r'^CMD \["painmap", "serve", "--host", "0.0.0.0"', dockerfile, re.M)


def test_dockerfile_passes_hadolint() -> None:
    # The test extra installs hadolint beside this interpreter.
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
        "hadolint"
    )
    assert hadolint, "hadolint is missing: pip install -e '.[test]'"
    result = subprocess.run(
        [hadolint, "--failure-threshold", "info", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_curl_examples_answer(client) -> None:  # type: ignore[no-untyped-def]
    urls = re.findall(r"curl (?:-o \S+ )?'http://127\.0\.0\.1:8000([^']+)'", README)
    assert len(urls) >= 8
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"


def test_readme_client_example_runs(server, capsys) -> None:  # type: ignore[no-untyped-def]
    block = re.search(r"```python\n(.*?)```", README, re.S)
    assert block is not None
    code = block.group(1).replace("http://127.0.0.1:8000", server.url)
    exec(compile(code, "README.md", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[0].startswith("1 ")
