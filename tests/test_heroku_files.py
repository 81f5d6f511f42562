"""The baked files obey the platform facts that a first deploy depends on."""

import itertools
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

# The keys and shapes that Heroku documents for app.json; unknown keys fail.
APP_JSON_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "maxLength": 30, "pattern": "^[a-z][a-z0-9-]*$"},
        "description": {"type": "string"},
        "keywords": {"type": "array", "items": {"type": "string"}},
        "repository": {"type": "string"},
        "logo": {"type": "string"},
        "success_url": {"type": "string"},
        "scripts": {"$ref": "#/$defs/scripts"},
        "buildpacks": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["url"],
                "properties": {"url": {"type": "string"}},
                "additionalProperties": False,
            },
        },
        "env": {
            "type": "object",
            "additionalProperties": {
                "anyOf": [
                    {"type": "string"},
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "description": {"type": "string"},
                            "value": {"type": "string"},
                            "required": {"type": "boolean"},
                            "generator": {"enum": ["secret"]},
                        },
                    },
                ]
            },
        },
        "formation": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["quantity"],
                "properties": {
                    "quantity": {"type": "integer", "minimum": 0},
                    "size": {"type": "string"},
                },
            },
        },
        "addons": {
            "type": "array",
            "items": {
                "anyOf": [
                    {"type": "string"},
                    {
                        "type": "object",
                        "required": ["plan"],
                        "properties": {
                            "plan": {"type": "string"},
                            "as": {"type": "string"},
                            "options": {"type": "object"},
                        },
                    },
                ]
            },
        },
        "environments": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "test": {"$ref": "#/$defs/environment"},
                "review": {"$ref": "#/$defs/environment"},
            },
        },
    },
    "$defs": {
        "scripts": {"type": "object", "additionalProperties": {"type": "string"}},
        "environment": {
            "type": "object",
            "properties": {"scripts": {"$ref": "#/$defs/scripts"}},
        },
    },
}
RETIRED_PLANS = re.compile(r"hobby-dev|hobby-basic|:free$|premium-0")
PACKAGE_MANAGER_FILES = [
    "requirements.txt",
    "uv.lock",
    "poetry.lock",
    "Pipfile",
    "Pipfile.lock",
    "pyproject.toml",
]


@pytest.fixture(scope="module")
def project(baked_default):
    return baked_default


def procfile_types(project):
    return [
        line.split(":")[0] for line in (project / "Procfile").read_text().splitlines()
    ]


def test_procfile_has_lf_endings_and_valid_lines(project):
    raw = (project / "Procfile").read_bytes()

    assert b"\r" not in raw and raw.endswith(b"\n")
    for line in raw.decode().splitlines():
        assert re.fullmatch(r"[a-z][a-z0-9_-]*: \S.*", line), line
    assert procfile_types(project) == ["web", "worker"]


def test_web_line_leaves_settings_to_the_config_file(project):
    web = (project / "Procfile").read_text().splitlines()[0]

    assert web == "web: gunicorn"
    assert (project / "gunicorn.conf.py").exists()


def test_gitattributes_keep_procfile_lf(project):
    attributes = (project / ".gitattributes").read_text()

    assert re.search(r"^Procfile .*eol=lf", attributes, re.MULTILINE)


def test_exactly_one_package_manager_file_and_no_runtime_txt(project):
    present = [name for name in PACKAGE_MANAGER_FILES if (project / name).exists()]

    assert present == ["requirements.txt"]
    assert not (project / "runtime.txt").exists()


def test_python_version_holds_a_major_version(project):
    assert re.fullmatch(r"3\.1[1-4]\n", (project / ".python-version").read_text())


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-test.txt"])
def test_requirements_are_fully_pinned(project, name):
    lines = (project / name).read_text().splitlines()
    requirements = [line for line in lines if line and not line.startswith("#")]

    for line in requirements:
        assert line.startswith("-r ") or re.fullmatch(r"[a-z0-9-]+==[\w.]+", line), line


def test_app_json_follows_the_documented_schema(project):
    app = json.loads((project / "app.json").read_text())

    jsonschema.validate(app, APP_JSON_SCHEMA)
    assert app["name"] == project.name
    assert set(app["formation"]) <= set(procfile_types(project))
    assert "web" in app["formation"]
    assert "test" in app["environments"]["test"]["scripts"]
    for addon in app["addons"]:
        plan = addon if isinstance(addon, str) else addon["plan"]
        assert not RETIRED_PLANS.search(plan), plan


def test_app_json_environment_covers_every_variable_it_names(project):
    readme = (project / "README.md").read_text()
    app = json.loads((project / "app.json").read_text())

    for variable in app["env"]:
        assert f"`{variable}`" in readme, variable


def test_every_setting_is_in_the_readme_table(project):
    readme = (project / "README.md").read_text()
    config = (project / "orders_api" / "config.py").read_text()

    read = re.findall(
        r'environ(?:\.get\(|,\s*)"([A-Z_]+)"|"([A-Z_]+)" in environ', config
    )

    assert len(read) >= 10
    for variable in filter(None, itertools.chain.from_iterable(read)):
        assert f"| `{variable}` |" in readme, variable


def test_workflow_installs_from_python_version_and_runs_lint_and_tests(project):
    workflow = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())

    steps = workflow["jobs"]["test"]["steps"]
    setup = next(
        s for s in steps if s.get("uses", "").startswith("actions/setup-python")
    )
    commands = " ".join(s.get("run", "") for s in steps)
    assert setup["with"]["python-version-file"] == ".python-version"
    assert "ruff check" in commands and "ruff format --check" in commands
    assert "pytest" in commands


def test_workflow_passes_actionlint(project):
    actionlint = (
        shutil.which("actionlint") or Path(sys.executable).parent / "actionlint"
    )

    done = subprocess.run(
        [actionlint, "-no-color", ".github/workflows/ci.yml"],
        cwd=project,
        capture_output=True,
        text=True,
    )

    assert done.returncode == 0, done.stdout + done.stderr
