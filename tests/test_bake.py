"""Every combination of answers bakes a clean project that passes its own lint."""

import itertools
import json
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import bake_cli
from cookiecutter.exceptions import UndefinedVariableInTemplate
from cookiecutter.main import cookiecutter
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, TemplateError
from support import OFFERED_PYTHONS, TEMPLATE

LICENSES = ["MIT", "Apache-2.0", "BSD-3-Clause", "none"]
LEFTOVER = re.compile(r"\{\{|\{%|cookiecutter\.")
RUFF = [sys.executable, "-m", "ruff"]

COMBINATIONS = [
    pytest.param(
        {
            "python_version": python,
            "license": licence,
            "github_actions": actions,
            "git_init": git,
        },
        id=f"py{python}-{licence}-{'actions' if actions else 'no-actions'}"
        f"-{'git' if git else 'no-git'}",
    )
    for python, licence, actions, git in itertools.product(
        OFFERED_PYTHONS, LICENSES, [True, False], [True, False]
    )
]


def project_files(root):
    return [p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts]


def bake(cookies, **answers):
    result = cookies.bake(extra_context={"service_name": "orders-api", **answers})
    assert result.exit_code == 0, result.exception
    return result.project_path


@pytest.mark.parametrize("answers", COMBINATIONS)
def test_every_combination_bakes_clean_and_lint_free(cookies, answers):
    root = bake(cookies, **answers)

    for path in project_files(root):
        relative = path.relative_to(root)
        assert not LEFTOVER.search(str(relative)), relative
        assert not LEFTOVER.search(path.read_text()), relative
    assert (root / ".python-version").read_text() == f"{answers['python_version']}\n"
    assert (root / "LICENSE").exists() == (answers["license"] != "none")
    assert not (root / "licenses").exists()
    assert (root / ".github").exists() == answers["github_actions"]
    assert (root / ".git").exists() == answers["git_init"]
    for check in (["check", "."], ["format", "--check", "."]):
        done = subprocess.run(RUFF + check, cwd=root, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("licence", "heading", "names_holder"),
    [
        ("MIT", "MIT License", True),
        ("BSD-3-Clause", "BSD 3-Clause License", True),
        ("Apache-2.0", "Apache License", False),
    ],
)
def test_licence_is_the_chosen_text(cookies, licence, heading, names_holder):
    root = bake(cookies, license=licence, author_name="Ada Lovelace")

    text = (root / "LICENSE").read_text()

    assert heading in text
    assert ("Ada Lovelace" in text) == names_holder


def test_git_init_makes_a_first_commit_of_every_file(cookies):
    root = bake(cookies, author_name='Ada "The Countess" Lovelace')

    log = subprocess.run(
        ["git", "log", "--format=%an|%s"], cwd=root, capture_output=True, text=True
    )
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=root, capture_output=True, text=True
    ).stdout.split()

    assert log.stdout.strip() == 'Ada "The Countess" Lovelace|Bake the service'
    assert "Procfile" in tracked and "orders_api/app.py" in tracked
    assert not subprocess.run(
        ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True
    ).stdout


HOSTILE_TEXT = [
    pytest.param("Says \"hi\" and 'bye'", id="quotes"),
    pytest.param("C:\\path\\to\\n and \\u0041 \\", id="backslashes"),
    pytest.param("first line\nsecond line\r\n", id="newlines"),
    pytest.param("Ünïcödé – 日本語 – emoji 🚀", id="non-ascii"),
    pytest.param("</script><b>&amp;", id="markup"),
    pytest.param("key: value # not a comment", id="yaml-syntax"),
    pytest.param('"""; import os; """', id="python-syntax"),
]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_hostile_free_text_renders_valid_files(cookies, text):
    root = bake(cookies, description=text, author_name=text, author_email=text)

    assert_structured_files_parse(root)
    # cookiecutter renders command-line answers with Jinja, which turns CRLF into LF.
    expected = text.replace("\r\n", "\n")
    assert json.loads((root / "app.json").read_text())["description"] == expected


def test_jinja_syntax_typed_at_the_prompt_stays_literal(tmp_path):
    """Answers typed at a prompt are data; cookiecutter renders only defaults."""
    text = "{{ cookiecutter.service_name }} {% if x %}"
    answers = ["jinja-answers", text, text, text, "", "", "", "n"]
    done = bake_cli(tmp_path, stdin="\n".join(answers) + "\n")

    assert done.returncode == 0, done.stderr
    root = tmp_path / "jinja-answers"
    assert json.loads((root / "app.json").read_text())["description"] == text
    assert_structured_files_parse(root)


def assert_structured_files_parse(root):
    parsers = {
        ".json": json.loads,
        ".toml": tomllib.loads,
        ".yml": yaml.safe_load,
        ".py": lambda source: compile(source, "baked", "exec"),
    }
    for path in project_files(root):
        parse = parsers.get(path.suffix)
        if parse:
            parse(path.read_text())


def render_hook(tmp_path, **answers):
    """Render the post-generation hook as cookiecutter does, with `answers`."""
    context = {
        "license": "MIT",
        "github_actions": True,
        "git_init": False,
        "author_name": "Ada",
        "author_email": "ada@example.com",
        **answers,
    }
    source = (TEMPLATE / "hooks" / "post_gen_project.py").read_text()
    hook = tmp_path / "post_gen_project.py"
    hook.write_text(Environment().from_string(source).render(cookiecutter=context))
    return hook


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_rendered_hook_keeps_hostile_answers_as_data(tmp_path, text):
    hook = render_hook(tmp_path, author_name=text, author_email=text)

    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import runpy; g = runpy.run_path({str(hook)!r}); "
            "print(repr((g['AUTHOR_NAME'], g['AUTHOR_EMAIL'])))",
        ],
        capture_output=True,
        text=True,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == repr((text, text))


def test_hook_removes_unchosen_paths_and_keeps_the_licence(tmp_path):
    hook = render_hook(tmp_path, license="BSD-3-Clause", github_actions=False)
    project = tmp_path / "project"
    (project / ".github" / "workflows").mkdir(parents=True)
    (project / "licenses").mkdir()
    for name in LICENSES[:-1]:
        (project / "licenses" / name).write_text(name)

    done = subprocess.run([sys.executable, str(hook)], cwd=project)

    assert done.returncode == 0
    assert sorted(p.name for p in project.iterdir()) == ["LICENSE"]
    assert (project / "LICENSE").read_text() == "BSD-3-Clause"


def test_failing_git_warns_in_one_sentence_and_keeps_the_project(tmp_path):
    hook = render_hook(tmp_path, git_init=True, license="none")
    project = tmp_path / "project"
    (project / "licenses").mkdir(parents=True)
    (project / "Procfile").write_text("web: gunicorn\n")
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "git").symlink_to(shutil.which("false"))

    done = subprocess.run(
        [sys.executable, str(hook)],
        cwd=project,
        capture_output=True,
        text=True,
        env={"PATH": str(fake_bin)},
    )

    assert done.returncode == 0
    assert done.stderr.startswith("Warning: the project is ready but has no git")
    assert len(done.stderr.strip().splitlines()) == 1
    assert (project / "Procfile").exists()


def test_failing_hook_explains_itself_without_a_traceback(tmp_path):
    hook = render_hook(tmp_path, license="MIT")
    project = tmp_path / "project"
    project.mkdir()  # no licenses/ folder: the hook cannot place the licence

    done = subprocess.run(
        [sys.executable, str(hook)], cwd=project, capture_output=True, text=True
    )

    assert done.returncode == 1
    assert done.stderr.startswith("Error: could not finish the project:")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "name", ["a", "api2", "my-order-service", "abcdefghij-klmnopqrst-uvwxyz1234"[:30]]
)
def test_names_of_any_length_bake_lint_free(cookies, name):
    result = cookies.bake(extra_context={"service_name": name, "git_init": False})

    assert result.exit_code == 0, result.exception
    assert (result.project_path / name.replace("-", "_") / "app.py").exists()
    for check in (["check", "."], ["format", "--check", "."]):
        done = subprocess.run(
            RUFF + check, cwd=result.project_path, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr


@settings(max_examples=40, deadline=None)
@given(text=st.text(max_size=40))
def test_any_free_text_renders_valid_files_or_is_refused(text):
    """Command-line answers go through Jinja: they bake, or stop with a message."""
    with tempfile.TemporaryDirectory() as output:
        try:
            cookiecutter(
                str(TEMPLATE),
                no_input=True,
                output_dir=output,
                extra_context={
                    "service_name": "free-text",
                    "description": text,
                    "author_name": text,
                    "git_init": False,
                },
            )
        except (TemplateError, UndefinedVariableInTemplate) as refusal:
            assert str(refusal)
            assert not (Path(output) / "free-text").exists()
            return

        root = Path(output) / "free-text"
        assert_structured_files_parse(root)
        description = json.loads((root / "app.json").read_text())["description"]
        if not re.search(r"\{[{%#]", text):  # text that Jinja keeps as it is
            assert description == text.replace("\r\n", "\n").replace("\r", "\n")
