import json
import logging
import os
import subprocess
import sys

from {{ cookiecutter.__package_name }} import logs

WORKER = "{{ cookiecutter.__package_name }}.worker"


def test_worker_refuses_to_start_without_redis():
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}

    done = subprocess.run(
        [sys.executable, "-m", WORKER],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 2
    assert "REDIS_URL is not set" in done.stderr
    assert "inside the web dyno" in done.stderr


def test_log_lines_are_one_json_object_each(capsys):
    logs.configure("INFO")
    try:
        raise ValueError("first line\nsecond line")
    except ValueError:
        logging.getLogger("demo").exception("demo: failed")

    lines = capsys.readouterr().out.splitlines()

    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["message"] == "demo: failed"
    assert "second line" in entry["exception"]


def test_job_retries_come_from_the_environment():
    env = {**os.environ, "JOB_RETRIES": "3", "JOB_RETRY_DELAY": "7"}
    probe = "from {{ cookiecutter.__package_name }}.tasks import run_job as r; "
    probe += "print(r.retries, r.retry_delay)"

    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True
    )

    assert done.stdout.split() == ["3", "7"], done.stderr
