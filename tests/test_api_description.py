"""The baked service's API description, checked from outside as a client would."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require
from support import Service


@pytest.fixture
def web(project, default_venv):
    with Service(project, default_venv, LOG_LEVEL="WARNING") as service:
        service.wait_until_up()
        yield service


def test_docs_page_lists_the_job_endpoints_in_headless_chromium(web, tmp_path):
    require("chromium")

    page = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=15000",
            "--dump-dom",
            f"{web.url}/docs",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout

    assert 'data-path="/jobs"' in page
    assert 'data-path="/jobs/{job_id}"' in page
    assert 'opblock-summary-method">POST' in page


def test_schemathesis_finds_no_failure_against_the_description(web, tmp_path):
    schemathesis = shutil.which("schemathesis") or Path(sys.executable).parent / (
        "schemathesis"
    )

    done = subprocess.run(
        [
            str(schemathesis),
            "run",
            f"{web.url}/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            "100",
            "--request-timeout",
            "10",
            "--seed",
            "1",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert done.returncode == 0, done.stdout[-4000:]
    assert "No issues found" in done.stdout
