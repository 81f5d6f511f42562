"""The baked project's own tests pass, on every offered Python present here."""

import subprocess

import pytest
from support import OFFERED_PYTHONS, find_python, service_venv


@pytest.mark.parametrize("version", OFFERED_PYTHONS, ids=lambda v: f"py{v}")
def test_baked_tests_pass_with_pinned_requirements(cookies, version):
    python = find_python(version)
    if python is None:
        pytest.skip(f"python{version} is not installed here, so it cannot be tested")
    result = cookies.bake(
        extra_context={
            "service_name": "orders-api",
            "python_version": version,
            "git_init": False,
        }
    )
    assert result.exit_code == 0, result.exception
    venv = service_venv(python, result.project_path)

    done = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=result.project_path,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert " passed" in done.stdout.splitlines()[-1]
