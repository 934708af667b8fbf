"""Schemathesis against the app's own OpenAPI schema, every operation: no 5xx, and every answer
(status code, content type, headers, body) is one the schema documents.

Bounded so the file runs in well under a minute on two cores: a few dozen generated cases per
operation (schema examples, boundary "coverage" cases, then random positive and negative
ones), no deadline, a fixed seed and derandomized Hypothesis so a failure reproduces.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from cinerec.api.app import create_app
from cinerec.api.state import ServiceState

# A schema-valid request may still name nothing (404 with suggestions) or make no sense
# (422: a title without a letter or digit, an unknown genre): both are documented answers.
CONFIG = SchemathesisConfig.from_str(
    """
seed = 20240601

[checks]
positive_data_acceptance.expected-statuses = ["2xx", "404", "422"]
"""
)

# The schema does not depend on the catalogue: take it from an app that is never started
# (`/openapi.json` serves exactly `app.openapi()`); the cases run against the demo app below.
schema = schemathesis.openapi.from_dict(create_app().openapi(), config=CONFIG)


@pytest.fixture(scope="module")
def served_app(demo_state: ServiceState) -> Iterator[FastAPI]:
    yield create_app(state=demo_state)


def test_schema_documents_the_error_answers() -> None:
    """Each operation that takes parameters documents its real 422 body (a sentence or a list
    of issues), not FastAPI's default, and each lookup its 404 with suggestions."""
    spec = create_app().openapi()
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in operation["responses"], (method, path)
            if "{" in path and path != "/api/v1/views/stats":
                body = operation["responses"]["404"]["content"]["application/json"]
                key = "suggestions" if path.startswith("/api/") else "sugerencias"
                name = body["schema"]["$ref"].rsplit("/", 1)[-1]
                assert key in spec["components"]["schemas"][name]["required"], (method, path)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_operation_conforms_to_schema(case: schemathesis.Case, served_app: FastAPI) -> None:
    response = case.call_and_validate(app=served_app)
    assert response.status_code < 500


def test_a_malformed_json_body_is_the_documented_422(demo_client: TestClient) -> None:
    """The schema states what the server answers: 422 with a list of issues, never 400."""
    spec = create_app().openapi()
    operation = spec["paths"]["/api/v1/recommendations"]["post"]
    assert "400" not in operation["responses"]
    documented = operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    assert documented.endswith("/InvalidInput")
    for body in (b"{not json", b"", b"[1, 2", b'{"liked": "862"', b"\xff\x14\x01\xfe"):
        response = demo_client.post(
            "/api/v1/recommendations", content=body, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 422, body
        detail = response.json()["detail"]
        assert isinstance(detail, list) and {"loc", "msg", "type"} <= set(detail[0]), detail
    statuses = {
        code for ops in spec["paths"].values() for op in ops.values() for code in op["responses"]
    }
    assert "400" not in statuses


def test_docs_pages_name_no_other_host(demo_client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        page = demo_client.get(path)
        assert page.status_code == 200
        assert "http://" not in page.text and "https://" not in page.text, path
    assert "img-src 'self'" in demo_client.get("/redoc").headers["content-security-policy"]
    asset = demo_client.get("/static/docs/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.content) > 500_000
