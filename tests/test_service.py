"""The baked service started as Heroku starts it: the Procfile through bash -c."""

import os
import re
import signal
import subprocess
import time

import pytest
from support import (
    Service,
    command_line,
    parent_pid,
    procfile_command,
    request,
    wait_for_job,
)

LONG_JOB = {"n": 50_000_000}  # a few seconds of CPU in the stub


def submit(service, body):
    status, headers, job = request("POST", service.url + "/jobs", body)
    assert status == 202, job
    assert headers["Location"] == f"/jobs/{job['id']}"
    return job


@pytest.fixture
def web(project, default_venv):
    with Service(project, default_venv, "web") as service:
        service.wait_until_up()
        yield service


def test_web_boots_with_two_workers_and_a_job_consumer(web):
    deadline = time.monotonic() + 10
    while True:
        commands = [command_line(pid) for pid in web.group()]
        gunicorns = [c for c in commands if "gunicorn" in c]
        consumers = [c for c in commands if "worker --embedded" in c]
        if (len(gunicorns) >= 3 and consumers) or time.monotonic() > deadline:
            break
        time.sleep(0.1)

    assert len(gunicorns) == 3  # the master and WEB_CONCURRENCY=2 workers
    assert consumers  # the consumer and its job process(es)


def test_root_answers_within_seconds_of_start(project, default_venv):
    with Service(project, default_venv, "web") as service:
        took = service.wait_until_up(timeout=15)

        status, _, body = request("GET", service.url + "/")

    assert status == 200 and "hello" in body["message"]
    assert took < 10


def test_readme_local_run_with_honcho_answers(project, default_venv):
    honcho = f". {default_venv}/bin/activate && exec honcho start web"
    # As typed in a shell: nothing of the virtual environment is on PATH yet.
    service = Service(project, default_venv, command=honcho, PATH=os.environ["PATH"])
    example = (project / ".env.example").read_text()
    dotenv = re.sub(r"^PORT=.*$", f"PORT={service.port}", example, flags=re.M)
    (project / ".env").write_text(dotenv)

    with service:
        service.wait_until_up()

    assert "web.1 started" in service.log()


def test_sigterm_to_the_group_ends_every_process_well_inside_30s(web):
    submit(web, {"n": 1000})

    took = web.stop(signal.SIGTERM)

    assert took < 25


def test_job_is_polled_to_finished_with_the_right_result(web):
    job = submit(web, {"n": 100_000})

    finished = wait_for_job(web.url, job["id"], {"finished", "failed"})

    assert finished["status"] == "finished"
    assert finished["result"] == {"n": 100_000, "primes_below_n": 9592}


def test_job_is_visible_through_every_gunicorn_worker(project, default_venv):
    # Each worker serves one request and is replaced, so no two requests share a
    # process; the access log says which process served which.
    options = "--max-requests 1 --access-logformat '%(p)s %(m)s %(U)s %(s)s'"
    with Service(project, default_venv, GUNICORN_CMD_ARGS=options) as service:
        service.wait_until_up()
        job = submit(service, {"n": 10})
        path = f"/jobs/{job['id']}"

        answers = [request("GET", service.url + path)[0] for _ in range(6)]
        served = dict(
            re.findall(
                rf"^<(\d+)> (?:POST /jobs|GET {path}) (\d+)$", service.log(), re.M
            )
        )
        posted_by = re.search(r"^<(\d+)> POST /jobs 202$", service.log(), re.M)[1]

    assert answers == [200] * 6
    readers = {pid for pid in served if pid != posted_by}
    assert readers, served  # processes that did not take the POST found the job


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        pytest.param(b'{"n": 10}', {"Content-Type": "text/plain"}, 415, id="415"),
        pytest.param(
            b"x" * 20_000, {"Content-Type": "application/json"}, 413, id="413"
        ),
        pytest.param(
            b"{oops", {"Content-Type": "application/json"}, 400, id="malformed"
        ),
        pytest.param(b"[]", {"Content-Type": "application/json"}, 400, id="array"),
        pytest.param(
            b'{"n": true}', {"Content-Type": "application/json"}, 400, id="bool"
        ),
        pytest.param(
            b'{"n": 0}', {"Content-Type": "application/json"}, 400, id="range"
        ),
        pytest.param(b"{}", {"Content-Type": "application/json"}, 400, id="missing"),
    ],
)
def test_bad_body_gets_a_json_error(web, body, headers, status):
    answer, response_headers, error = request("POST", web.url + "/jobs", body, headers)

    assert answer == status
    assert response_headers["Content-Type"] == "application/json"
    assert error["error"]["status"] == status


def test_answers_carry_request_id_and_security_headers(web):
    given = "0123456789abcdef0123456789abcdef"

    status, headers, _ = request("GET", web.url + "/", headers={"X-Request-ID": given})
    time.sleep(0.2)

    assert status == 200
    assert headers["X-Request-ID"] == given
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert f"request_id={given}" in web.log()


def test_unknown_job_id_answers_404_json(web):
    status, headers, error = request("GET", web.url + "/jobs/no-such-job")

    assert status == 404
    assert headers["Content-Type"] == "application/json"
    assert "no-such-job" in error["error"]["message"]


def test_worker_line_refuses_to_start_without_redis(project, default_venv):
    done = subprocess.run(
        ["bash", "-c", procfile_command(project, "worker")],
        cwd=project,
        env={"PATH": f"{default_venv / 'bin'}:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode != 0
    assert "REDIS_URL is not set" in done.stderr
    assert "inside the web dyno" in done.stderr


def test_heroku_without_redis_warns_once_at_boot(project, default_venv):
    with Service(project, default_venv, DYNO="web.1") as service:
        service.wait_until_up()
        time.sleep(0.5)

        warnings = service.log().count("REDIS_URL is not set")

    assert warnings == 1


def test_job_running_at_sigterm_finishes_within_the_grace_period(project, default_venv):
    with Service(project, default_venv, JOB_GRACE_PERIOD="20") as service:
        service.wait_until_up()
        job = submit(service, LONG_JOB)
        wait_for_job(service.url, job["id"], {"running"})

        took = service.stop(signal.SIGTERM)

    with Service(project, default_venv) as again:
        again.wait_until_up()
        shown = wait_for_job(again.url, job["id"], {"finished", "failed", "queued"})
    assert took < 25
    assert shown["status"] == "finished"
    assert shown["attempts"] == 1


def test_job_cut_short_by_sigterm_runs_again_after_restart(project, default_venv):
    with Service(project, default_venv, JOB_GRACE_PERIOD="0") as service:
        service.wait_until_up()
        job = submit(service, LONG_JOB)
        wait_for_job(service.url, job["id"], {"running"})

        service.stop(signal.SIGTERM)

    assert "interrupted by shutdown, queued again" in service.log()
    with Service(project, default_venv) as again:
        again.wait_until_up()
        shown = wait_for_job(again.url, job["id"], {"finished", "failed"})
    assert shown["status"] == "finished"
    assert shown["attempts"] == 2


def test_job_lost_to_sigkill_reads_failed_with_a_reason(project, default_venv):
    with Service(project, default_venv, JOB_LOST_AFTER="5") as service:
        service.wait_until_up()
        job = submit(service, LONG_JOB)
        wait_for_job(service.url, job["id"], {"running"})

        service.stop(signal.SIGKILL)

    with Service(project, default_venv, JOB_LOST_AFTER="5") as again:
        again.wait_until_up()
        shown = wait_for_job(again.url, job["id"], {"finished", "failed"}, timeout=30)
    assert shown["status"] == "failed"
    assert shown["error"].startswith("lost:")


def test_killed_web_worker_is_replaced_and_accepted_jobs_finish(web):
    accepted = [submit(web, {"n": 100_000})["id"] for _ in range(5)]
    workers = [
        pid
        for pid in web.group()
        if parent_pid(pid) == web.process.pid and "gunicorn" in command_line(pid)
    ]

    subprocess.run(["kill", "-KILL", str(workers[0])], check=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        now = [
            pid
            for pid in web.group()
            if parent_pid(pid) == web.process.pid and "gunicorn" in command_line(pid)
        ]
        if len(now) == 2 and workers[0] not in now:
            break
        time.sleep(0.1)

    assert workers[0] not in now and len(now) == 2
    assert request("GET", web.url + "/")[0] == 200
    for job_id in accepted:
        assert (
            wait_for_job(web.url, job_id, {"finished", "failed"})["status"]
            == "finished"
        )


def test_killed_embedded_consumer_is_started_again_without_orphans(web):
    def consumers():
        """Map each process of the embedded consumer to its parent."""
        return {
            pid: parent_pid(pid)
            for pid in web.group()
            if "--embedded" in command_line(pid)
        }

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(consumers()) < 3:
        time.sleep(0.1)  # the consumer forks its scheduler and job process
    before = consumers()
    main = [pid for pid, parent in before.items() if parent == web.process.pid]
    assert len(main) == 1 and len(before) == 3

    subprocess.run(["kill", "-KILL", str(main[0])], check=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and set(consumers()) & set(before):
        time.sleep(0.2)

    job = submit(web, {"n": 1000})
    finished = wait_for_job(web.url, job["id"], {"finished", "failed"}, timeout=30)
    assert not set(consumers()) & set(before), "processes of the old consumer remain"
    assert any(parent == web.process.pid for parent in consumers().values())
    assert finished["status"] == "finished"
    assert "jobs: consumer (pid" in web.log()
