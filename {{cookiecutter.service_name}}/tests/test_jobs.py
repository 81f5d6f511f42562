import dataclasses
import time

import pytest
import redis

from {{ cookiecutter.__package_name }} import heavy, tasks


def test_post_answers_202_with_location_and_id(submit):
    response = submit({"n": 100})

    assert response.status_code == 202
    job = response.get_json()
    assert job["status"] == "queued"
    assert response.headers["Location"] == f"/jobs/{job['id']}"


def test_job_finishes_with_the_prime_count(client, submit):
    job = submit({"n": 100}).get_json()

    response = client.get(f"/jobs/{job['id']}")

    assert response.status_code == 200
    finished = response.get_json()
    assert finished["status"] == "finished"
    assert finished["result"] == {"n": 100, "primes_below_n": 25}
    assert finished["attempts"] == 1
    assert finished["finished_at"] >= finished["started_at"] >= finished["created_at"]
    assert "error" not in finished


def test_job_waits_as_queued_until_a_worker_takes_it(client, submit, monkeypatch):
    monkeypatch.setattr(tasks.huey, "enqueue", lambda task: None)
    job = submit({"n": 100}).get_json()

    shown = client.get(f"/jobs/{job['id']}").get_json()

    assert shown["status"] == "queued"
    assert shown["started_at"] is None
    assert "result" not in shown


@pytest.mark.parametrize(
    ("silent_for", "status"),
    [
        pytest.param(0, "running", id="heartbeat-fresh"),
        pytest.param(tasks.settings.job_lost_after + 1, "failed", id="heartbeat-lost"),
    ],
)
def test_running_job_reads_failed_once_its_heartbeat_stops(client, silent_for, status):
    beat = time.time() - silent_for
    job_id = "0b8f4a56-8d1a-4e47-9a8e-8a4a0d9f0c11"
    tasks.records.update(
        job_id, status="running", input={"n": 5}, created_at=beat, heartbeat_at=beat
    )

    shown = client.get(f"/jobs/{job_id}").get_json()

    assert shown["status"] == status
    assert ("error" in shown) == (status == "failed")
    assert shown.get("error", "lost:").startswith("lost:")


def test_exception_in_job_marks_it_failed_with_message(client, submit, monkeypatch):
    def explode(params):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(heavy, "run", explode)
    job = submit({"n": 100}).get_json()

    failed = client.get(f"/jobs/{job['id']}").get_json()

    assert failed["status"] == "failed"
    assert failed["error"] == "RuntimeError: the disk is full"
    assert "Traceback" not in failed["error"]


def test_failed_job_is_retried_when_retries_are_set(client, submit, monkeypatch):
    outcomes = [RuntimeError("flaky"), None]

    def flaky(params):
        outcome = outcomes.pop(0)
        if outcome:
            raise outcome
        return "second time lucky"

    monkeypatch.setattr(heavy, "run", flaky)
    monkeypatch.setattr(tasks.run_job.task_class, "default_retries", 1)
    monkeypatch.setattr(tasks.run_job.task_class, "default_retry_delay", 0)
    job = submit({"n": 100}).get_json()

    shown = client.get(f"/jobs/{job['id']}").get_json()

    assert shown["status"] == "finished"
    assert shown["attempts"] == 2
    assert shown["result"] == "second time lucky"


def test_job_interrupted_by_shutdown_runs_again(client, submit, monkeypatch):
    outcomes = [KeyboardInterrupt(), None]

    def interrupted_once(params):
        outcome = outcomes.pop(0)
        if outcome:
            raise outcome
        return "ran again"

    monkeypatch.setattr(heavy, "run", interrupted_once)
    job = submit({"n": 100}).get_json()

    shown = client.get(f"/jobs/{job['id']}").get_json()

    assert shown["status"] == "finished"
    assert shown["attempts"] == 2


@pytest.mark.parametrize(
    "job_id", ["6f1e0c3a-2b4d-4e5f-8a9b-0c1d2e3f4a5b", "not-a-uuid", "%00"]
)
def test_unknown_job_id_answers_json_404(client, job_id):
    response = client.get(f"/jobs/{job_id}")

    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({}, "n", id="missing"),
        pytest.param({"n": "12"}, "n", id="string"),
        pytest.param({"n": True}, "n", id="boolean"),
        pytest.param({"n": 12.5}, "n", id="float"),
        pytest.param({"n": None}, "n", id="null"),
        pytest.param({"n": 0}, "n", id="zero"),
        pytest.param({"n": -3}, "n", id="negative"),
        pytest.param({"n": heavy.N_MAX + 1}, "n", id="too-large"),
        pytest.param({"n": 10, "m": 1}, "m", id="unknown-field"),
    ],
)
def test_bad_field_answers_400_naming_it(submit, body, field):
    response = submit(body)

    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == field
    assert repr(field) in error["message"]


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"{not json", id="malformed"),
        pytest.param(b"\xff\xfe\xfa", id="not-utf8"),
        pytest.param(b"[1, 2]", id="array"),
        pytest.param(b"null", id="null"),
        pytest.param(b'"n"', id="string"),
    ],
)
def test_body_that_is_not_a_json_object_answers_400(client, raw):
    response = client.post("/jobs", data=raw, content_type="application/json")

    assert response.status_code == 400
    assert response.is_json
    assert response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", None]
)
def test_wrong_content_type_answers_415(client, content_type):
    response = client.post("/jobs", data='{"n": 10}', content_type=content_type)

    assert response.status_code == 415
    assert response.is_json


def test_body_over_the_limit_answers_413(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = b'{"n": 10, "pad": "' + b"x" * limit + b'"}'

    response = client.post("/jobs", data=body, content_type="application/json")

    assert response.status_code == 413
    assert response.is_json


def test_full_queue_answers_503_with_retry_after(submit, monkeypatch):
    monkeypatch.setattr(
        tasks, "settings", dataclasses.replace(tasks.settings, job_queue_max=1)
    )
    monkeypatch.setattr(tasks.huey, "pending_count", lambda: 1)

    response = submit({"n": 10})

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "JOB_QUEUE_MAX" in response.get_json()["error"]["message"]


def test_unreachable_queue_answers_503_and_keeps_no_record(submit, monkeypatch):
    saved = []
    real_save = tasks.records.save

    def refuse(task):
        raise redis.ConnectionError("Connection refused")

    monkeypatch.setattr(
        tasks.records, "save", lambda record: saved.append(record) or real_save(record)
    )
    monkeypatch.setattr(tasks.huey, "enqueue", refuse)

    response = submit({"n": 10})

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "unreachable" in response.get_json()["error"]["message"]
    assert tasks.records.get(saved[0]["id"]) is None
