"""The lock files stay in step with pyproject.toml (and clients/python's): every
dependency named there (and each extra asked for) has a pin that satisfies it.
When this fails, refresh them with ``scripts/lock``."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
RUNTIME = [Requirement(line) for line in PROJECT["dependencies"]]
TEST = [Requirement(line) for line in PROJECT["optional-dependencies"]["test"]]
# The README's test command installs the client (clients/python) beside Painmap.
CLIENT_PROJECT = ROOT / "clients" / "python" / "pyproject.toml"
CLIENT = (
    [
        Requirement(line)
        for line in tomllib.loads(CLIENT_PROJECT.read_text())["project"]["dependencies"]
    ]
    if CLIENT_PROJECT.exists()
    else []
)
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)$")


def _pins(name: str) -> dict[str, str]:
    pins: dict[str, str] = {}
    for number, raw in enumerate((ROOT / name).read_text().splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        # pip refuses extras, options and URLs in a constraints file (-c).
        match = PIN.match(line)
        assert match, f"{name}:{number}: {line!r} is not a plain 'name==version' pin"
        pins[canonicalize_name(match[1])] = match[2]
    return pins


def _wanted(requirements: list[Requirement]) -> list[Requirement]:
    """The requirements and, for each extra asked for, what the extra adds
    (read from the installed distribution's metadata)."""
    wanted: list[Requirement] = []
    for requirement in requirements:
        if requirement.url or (requirement.marker and not requirement.marker.evaluate()):
            continue  # a local or direct reference is not pinned by version
        wanted.append(requirement)
        for extra in requirement.extras:
            for line in metadata.requires(requirement.name) or []:
                added = Requirement(line)
                marker = added.marker
                # Only what the extra adds: the rest is the package's own business.
                if marker and marker.evaluate({"extra": extra}) and not marker.evaluate():
                    wanted.append(added)
    return wanted


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [("requirements.lock", RUNTIME), ("requirements-test.lock", RUNTIME + TEST + CLIENT)],
)
def test_every_dependency_has_a_pin_that_satisfies_it(
    lock: str, requirements: list[Requirement]
) -> None:
    pins = _pins(lock)
    wanted = _wanted(requirements)
    assert any(r.extras for r in requirements) and len(wanted) > len(requirements)
    for requirement in wanted:
        pinned = pins.get(canonicalize_name(requirement.name))
        assert pinned is not None, f"{requirement.name} is not in {lock}: run scripts/lock"
        assert requirement.specifier.contains(pinned, prereleases=True), (
            f"{lock} pins {requirement.name}=={pinned}, outside {requirement}: run scripts/lock"
        )


def test_the_two_locks_agree_on_every_runtime_pin() -> None:
    runtime, test = _pins("requirements.lock"), _pins("requirements-test.lock")
    assert {name: test.get(name) for name in runtime} == runtime
