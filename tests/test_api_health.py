"""Health probes, the landing page, and the problem shape for unknown paths
(in process)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from app.data.dataset import Dataset
from app.main import create_app
from tests.support import AppInProcess, prebuilt_settings


def test_healthz(app_client: httpx.Client) -> None:
    response = app_client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_reports_the_loaded_dataset(app_client: httpx.Client, dataset: Dataset) -> None:
    body = app_client.get("/readyz").json()
    assert body == {
        "status": "ready",
        "database": "ok",
        "dataset_version": dataset.version,
        "muscles": len(dataset.muscles),
    }


def test_unknown_path_is_a_problem(app_client: httpx.Client) -> None:
    response = app_client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_method_not_allowed_is_a_problem(app_client: httpx.Client) -> None:
    response = app_client.post("/v1/muscles")
    assert response.status_code == 405
    assert response.json()["title"] == "Method Not Allowed"


def test_landing_page_links_docs_map_and_a_lookup(app_client: httpx.Client) -> None:
    page = app_client.get("/").text
    assert "never a diagnosis" in page
    links = [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+)"', page)]
    assert "/docs" in links
    assert any(link.startswith("/v1/body-map.svg") for link in links)
    assert any(link.startswith("/v1/pain-sources?q=") for link in links)
    for link in links:
        assert app_client.get(link).status_code == 200, link


def test_unexpected_errors_are_problems_without_traces(tmp_path: Path, built_sqlite: Path) -> None:
    settings = prebuilt_settings(tmp_path, built_sqlite)
    app = create_app(settings)

    @app.get("/v1/boom")
    async def boom() -> None:
        raise RuntimeError("secret internal detail")

    with AppInProcess(settings, app=app) as running, running.client() as http:
        response = http.get("/v1/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Internal Server Error"
    assert "secret" not in response.text and "Traceback" not in response.text
