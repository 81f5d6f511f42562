import json
import uuid

import pytest

from {{ cookiecutter.__package_name }} import logs


def test_every_answer_has_security_headers(client):
    for response in (client.get("/"), client.get("/missing"), client.post("/jobs")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-store"


def test_request_id_from_the_router_is_sent_back(client):
    given = str(uuid.uuid4())

    response = client.get("/", headers={"X-Request-ID": given})

    assert response.headers["X-Request-ID"] == given


@pytest.mark.parametrize("given", [None, "short", "x" * 201, "spaces are not allowed"])
def test_missing_or_malformed_request_id_is_replaced(client, given):
    headers = {"X-Request-ID": given} if given else {}

    response = client.get("/", headers=headers)

    assert uuid.UUID(response.headers["X-Request-ID"])


def test_logs_carry_request_id_and_client_one_hop_deep(client, capsys):
    logs.configure("INFO")  # onto the stdout that capsys reads
    given = str(uuid.uuid4())
    forwarded = "203.0.113.9, 198.51.100.7"  # what the client forged, then the router

    client.post(
        "/jobs",
        json={"n": 10},
        headers={"X-Request-ID": given, "X-Forwarded-For": forwarded},
    )

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    queued = next(line for line in lines if line["message"].endswith(": queued"))
    assert queued["request_id"] == given
    assert queued["client"] == "198.51.100.7"
