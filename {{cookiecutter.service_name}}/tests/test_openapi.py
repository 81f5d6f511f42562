import pytest
from jsonschema import ValidationError

from {{ cookiecutter.__package_name }} import tasks


def test_openapi_document_describes_every_endpoint(client):
    spec = client.get("/openapi.json").get_json()

    assert spec["openapi"].startswith("3.1")
    assert set(spec["paths"]) == {"/", "/health", "/jobs", "/jobs/{job_id}"}
    post = spec["paths"]["/jobs"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/JobInput"}
    assert {"202", "400", "413", "415", "503"} <= set(post["responses"])
    job_input = spec["components"]["schemas"]["JobInput"]
    assert job_input["properties"]["n"]["maximum"] == 50_000_000
    assert job_input["additionalProperties"] is False


def test_docs_page_uses_only_the_service_own_assets(client):
    page = client.get("/docs")
    with client.get("/swagger/js/swagger-ui-bundle.js") as script:
        size = len(script.data)

    assert page.status_code == 200
    assert "swagger-ui" in page.get_data(as_text=True)
    assert "https://" not in page.get_data(as_text=True)
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert size > 100_000


def test_described_client_catches_an_answer_off_the_description(client, monkeypatch):
    monkeypatch.setattr(tasks, "lookup", lambda job_id: {"status": "lost"})

    with pytest.raises(ValidationError):
        client.get("/jobs/6f1e0c3a-2b4d-4e5f-8a9b-0c1d2e3f4a5b")
