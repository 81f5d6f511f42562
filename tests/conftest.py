import os
import shutil
import subprocess
import sys

import pytest
from support import OFFERED_PYTHONS, TEMPLATE, RedisServer, find_python, service_venv

DEFAULT_PYTHON = OFFERED_PYTHONS[0]


def bake_cli(output_dir, *answers, stdin=None):
    """Run the cookiecutter CLI on the template, as an adopter does."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--output-dir",
            str(output_dir),
            *([] if stdin is not None else ["--no-input"]),
            str(TEMPLATE),
            *answers,
        ],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="session")
def baked_default(tmp_path_factory):
    """The default service, baked once with the CLI for the tests that run it."""
    output = tmp_path_factory.mktemp("default")
    done = bake_cli(output, "service_name=orders-api", "git_init=false")
    assert done.returncode == 0, done.stderr
    return output / "orders-api"


@pytest.fixture(scope="session")
def default_venv(baked_default):
    python = find_python(DEFAULT_PYTHON)
    if python is None:
        pytest.fail(f"python{DEFAULT_PYTHON}, the template's default, is not installed")
    return service_venv(python, baked_default)


@pytest.fixture
def project(baked_default, tmp_path):
    """A fresh copy of the default service, with a queue of its own."""
    copy = tmp_path / "orders-api"
    shutil.copytree(
        baked_default, copy, ignore=shutil.ignore_patterns(".data", ".*.log")
    )
    return copy


def require(*tools):
    """Skip the test, with the reason, unless `tools` are on PATH.

    With REQUIRE_TOOLS=1, as CI sets it, a missing tool fails the test instead.
    """
    missing = [tool for tool in tools if not shutil.which(tool)]
    if missing:
        reason = f"{' and '.join(missing)} not installed (Debian packages of that name)"
        if os.environ.get("REQUIRE_TOOLS") == "1":
            pytest.fail(f"{reason}, and REQUIRE_TOOLS=1 forbids skipping")
        pytest.skip(reason)


def _start_redis(folder, tls):
    require("redis-server", "openssl")
    return RedisServer(folder, tls=tls).start()


@pytest.fixture
def redis_server(tmp_path):
    """A real redis-server on 127.0.0.1, started for one test."""
    server = _start_redis(tmp_path, tls=False)
    yield server
    server.stop()


@pytest.fixture
def tls_redis_server(tmp_path):
    """A redis-server that speaks only TLS, with a self-signed certificate."""
    server = _start_redis(tmp_path, tls=True)
    yield server
    server.stop()


def pytest_report_header():
    found = {v: find_python(v) for v in OFFERED_PYTHONS}
    return [f"offered Pythons: {found}"]
