"""The interactive docs work offline, and the OpenAPI document describes
every endpoint with a summary, a description and examples."""

from __future__ import annotations

import re

import httpx

EXTERNAL = re.compile(r"""(?:src|href)=["']?(?:https?:)?//""")


def test_docs_pages_reference_no_external_host(client: httpx.Client) -> None:
    for path in ("/docs", "/redoc"):
        page = client.get(path)
        assert page.status_code == 200
        assert not EXTERNAL.search(page.text), f"{path} loads something from another host"
        for asset in re.findall(r"""(?:src|href)=["']?([^"' >]+)""", page.text):
            assert asset.startswith("/"), asset
            assert client.get(asset).status_code == 200, asset


def test_swagger_bundle_is_served(client: httpx.Client) -> None:
    bundle = client.get("/static-offline-docs/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.content) > 100_000


def test_every_operation_is_documented_with_examples(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    operations = [
        (path, method, op) for path, item in spec["paths"].items() for method, op in item.items()
    ]
    assert len(operations) >= 12
    for path, method, op in operations:
        where = f"{method.upper()} {path}"
        assert op.get("summary"), where
        assert op.get("description"), where
        assert op.get("tags"), where
        (ok,) = op["responses"]["200"]["content"].values()
        assert "example" in ok or "examples" in ok, f"{where} has no response example"


def test_examples_are_real_answers(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    example = spec["paths"]["/v1/muscles/{slug}"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["example"]
    assert example == client.get(example["url"]).json()


def test_lookup_parameters_have_request_examples(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    parameters = {p["name"]: p for p in spec["paths"]["/v1/pain-sources"]["get"]["parameters"]}
    examples = parameters["q"]["examples"]
    assert len(examples) >= 3
    for example in examples.values():
        answer = client.get("/v1/pain-sources", params={"q": example["value"]})
        assert answer.status_code == 200 and answer.json()["results"], example["value"]
    assert parameters["region"]["examples"]
