"""Scaled out: web and worker lines of the Procfile sharing a real redis-server."""

import signal
import time

from support import Service, command_line, redis_command, request, wait_for_job

LONG_JOB = {"n": 50_000_000}


def submit(service, body):
    status, _, job = request("POST", service.url + "/jobs", body)
    assert status == 202, job
    return job


def test_web_alone_only_queues_and_the_worker_line_runs_the_job(
    project, default_venv, redis_server
):
    with Service(project, default_venv, REDIS_URL=redis_server.url) as web:
        web.wait_until_up()
        job = submit(web, {"n": 100_000})
        time.sleep(2)
        waiting = request("GET", f"{web.url}/jobs/{job['id']}")[2]
        health = request("GET", f"{web.url}/health")[2]
        commands = [command_line(pid) for pid in web.group()]

        with Service(project, default_venv, "worker", REDIS_URL=redis_server.url):
            finished = wait_for_job(web.url, job["id"], {"finished", "failed"})

    assert waiting["status"] == "queued"
    assert health["jobs"] == {"backend": "redis", "queued": 1}
    assert finished["result"] == {"n": 100_000, "primes_below_n": 9592}
    assert not any("--embedded" in command for command in commands)


def test_every_web_process_reads_the_same_state(project, default_venv, redis_server):
    env = {"REDIS_URL": redis_server.url}
    with (
        Service(project, default_venv, **env) as first,
        Service(project, default_venv, **env) as second,
        Service(project, default_venv, "worker", **env),
    ):
        first.wait_until_up()
        second.wait_until_up()
        job = submit(first, {"n": 1000})

        finished = wait_for_job(second.url, job["id"], {"finished", "failed"})

    assert finished["status"] == "finished"


def test_restarted_web_still_reads_the_job(project, default_venv, redis_server):
    env = {"REDIS_URL": redis_server.url}
    with (
        Service(project, default_venv, **env) as web,
        Service(project, default_venv, "worker", **env),
    ):
        web.wait_until_up()
        job = submit(web, {"n": 1000})
        wait_for_job(web.url, job["id"], {"finished"})
        web.stop()  # as Heroku restarts a dyno: SIGTERM, while the worker runs on

    with Service(project, default_venv, **env) as again:
        again.wait_until_up()
        shown = request("GET", f"{again.url}/jobs/{job['id']}")[2]

    assert shown["status"] == "finished"
    assert shown["result"] == {"n": 1000, "primes_below_n": 168}


def test_sigterm_to_a_worker_mid_job_puts_it_back_for_the_next(
    project, default_venv, redis_server
):
    env = {"REDIS_URL": redis_server.url, "JOB_GRACE_PERIOD": "0"}
    with Service(project, default_venv, **env) as web:
        web.wait_until_up()
        with Service(project, default_venv, "worker", **env) as worker:
            job = submit(web, LONG_JOB)
            wait_for_job(web.url, job["id"], {"running"})

            took = worker.stop(signal.SIGTERM)
        requeued = request("GET", f"{web.url}/jobs/{job['id']}")[2]

        with Service(project, default_venv, "worker", **env):
            finished = wait_for_job(web.url, job["id"], {"finished", "failed"})

    assert took < 25
    assert requeued["status"] == "queued"
    assert finished["status"] == "finished"
    assert finished["attempts"] == 2


def test_tls_url_with_a_self_signed_certificate_works(
    project, default_venv, tls_redis_server
):
    env = {"REDIS_URL": tls_redis_server.url}
    assert env["REDIS_URL"].startswith("rediss://")
    with (
        Service(project, default_venv, **env) as web,
        Service(project, default_venv, "worker", **env),
    ):
        web.wait_until_up()
        job = submit(web, {"n": 1000})

        finished = wait_for_job(web.url, job["id"], {"finished", "failed"})

    assert finished["status"] == "finished"


def test_health_reports_degraded_when_redis_is_unreachable(project, default_venv):
    env = {"REDIS_URL": "redis://127.0.0.1:1/0"}
    with Service(project, default_venv, **env) as web:
        web.wait_until_up()

        status, _, health = request("GET", f"{web.url}/health")

    assert status == 503
    assert health["status"] == "degraded"


def test_job_state_expires_after_the_configured_lifetime(
    project, default_venv, redis_server
):
    env = {"REDIS_URL": redis_server.url, "JOB_RESULT_TTL": "120"}
    with (
        Service(project, default_venv, **env) as web,
        Service(project, default_venv, "worker", **env),
    ):
        web.wait_until_up()
        job = submit(web, {"n": 1000})
        wait_for_job(web.url, job["id"], {"finished"})

    keys = redis_command(redis_server.port, "KEYS", f"*job:{job['id']}")
    key = keys.splitlines()[-1]
    ttl = int(redis_command(redis_server.port, "TTL", key).strip(":\r\n"))

    assert job["id"] in key
    assert 0 < ttl <= 120


def test_redis_outage_answers_503_then_recovers_without_losing_jobs(
    project, default_venv, redis_server
):
    env = {"REDIS_URL": redis_server.url}
    with Service(project, default_venv, **env) as web:
        web.wait_until_up()
        accepted = [submit(web, {"n": 1000})["id"] for _ in range(3)]
        redis_command(redis_server.port, "SHUTDOWN", "SAVE")
        redis_server.process.wait(10)

        refused = request("POST", web.url + "/jobs", {"n": 10})
        degraded = request("GET", web.url + "/health")
        redis_server.start()
        recovered = request("POST", web.url + "/jobs", {"n": 10})
        healthy = request("GET", web.url + "/health")
        with Service(project, default_venv, "worker", **env):
            jobs = [
                wait_for_job(web.url, job_id, {"finished", "failed"})
                for job_id in [*accepted, recovered[2]["id"]]
            ]

    status, headers, error = refused
    assert status == 503
    assert headers["Retry-After"] == "5"
    assert headers["Content-Type"] == "application/json"
    assert "unreachable" in error["error"]["message"]
    assert degraded[0] == 503 and degraded[2]["status"] == "degraded"
    assert recovered[0] == 202
    assert healthy[0] == 200 and healthy[2]["status"] == "ok"
    assert [job["status"] for job in jobs] == ["finished"] * 4


def test_queue_past_its_maximum_answers_503_and_the_web_keeps_answering(
    project, default_venv, redis_server
):
    env = {"REDIS_URL": redis_server.url, "JOB_QUEUE_MAX": "2"}
    with Service(project, default_venv, **env) as web:
        web.wait_until_up()
        first = [request("POST", web.url + "/jobs", {"n": 10})[0] for _ in range(2)]

        status, headers, error = request("POST", web.url + "/jobs", {"n": 10})
        root = request("GET", web.url + "/")[0]

    assert first == [202, 202]
    assert status == 503 and headers["Retry-After"] == "5"
    assert "JOB_QUEUE_MAX" in error["error"]["message"]
    assert root == 200
