"""Health probes, the landing page, and the problem shape for unknown paths."""

from __future__ import annotations

import httpx

from app.dataset import Dataset


def test_healthz(client: httpx.Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_reports_the_loaded_dataset(client: httpx.Client, dataset: Dataset) -> None:
    body = client.get("/readyz").json()
    assert body == {
        "status": "ready",
        "database": "ok",
        "dataset_version": dataset.version,
        "muscles": len(dataset.muscles),
    }


def test_unknown_path_is_a_problem(client: httpx.Client) -> None:
    response = client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_method_not_allowed_is_a_problem(client: httpx.Client) -> None:
    response = client.post("/v1/muscles")
    assert response.status_code == 405
    assert response.json()["title"] == "Method Not Allowed"


def test_landing_page_links_docs(client: httpx.Client) -> None:
    page = client.get("/").text
    assert 'href="/docs"' in page and "never a diagnosis" in page
