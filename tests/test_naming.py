"""The service name: its rule, its messages, and that a refusal writes nothing."""

import keyword

import pytest
from conftest import bake_cli

from hooks import naming

BAD_NAMES = [
    pytest.param("", id="empty"),
    pytest.param("my service", id="space"),
    pytest.param("MyService", id="capitals"),
    pytest.param("9lives", id="leading-digit"),
    pytest.param("-orders", id="leading-dash"),
    pytest.param("orders.api", id="dot"),
    pytest.param("orders/api", id="slash"),
    pytest.param("café", id="accent"),
    pytest.param("orders\napi", id="newline"),
    pytest.param("orders-api\n", id="trailing-newline"),
    pytest.param("a" * 31, id="31-characters"),
    pytest.param("class", id="python-keyword"),
    pytest.param("json", id="stdlib-module"),
    pytest.param("flask", id="dependency"),
    pytest.param("tests", id="tests-folder"),
]


@pytest.mark.parametrize("name", ["a", "orders-api", "api2", "x" * 30, "my--api-"])
def test_package_name_turns_dashes_into_underscores(name):
    package = naming.package_name(name)

    assert package == name.replace("-", "_")
    assert package.isidentifier()
    assert not keyword.iskeyword(package)


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_name_message_names_value_rule_and_a_valid_fix(name):
    with pytest.raises(naming.InvalidName) as refusal:
        naming.package_name(name)

    message = str(refusal.value)
    suggestion = message.rpartition("(try '")[2].rstrip("')")
    assert repr(name) in message or not name
    assert "\n" not in message
    assert naming.package_name(suggestion) == suggestion.replace("-", "_")


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("My Service", "my-service"),
        ("café", "cafe"),
        ("9lives", "lives"),
        ("flask", "flask-service"),
        ("a" * 40, "a" * 30),
        ("!!!", "my-service"),
    ],
)
def test_refusal_suggests_the_closest_valid_name(name, suggestion):
    with pytest.raises(naming.InvalidName) as refusal:
        naming.package_name(name)

    assert str(refusal.value).endswith(f"(try {suggestion!r})")


@pytest.mark.parametrize("name", BAD_NAMES)
def test_cli_refuses_bad_name_with_one_line_and_writes_nothing(tmp_path, name):
    output = tmp_path / "out" / "nested"

    done = bake_cli(output, f"service_name={name}")

    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in done.stdout + done.stderr
    assert list(tmp_path.iterdir()) == []


def test_interactive_bad_name_is_refused_before_the_next_question(tmp_path):
    done = bake_cli(tmp_path / "out", stdin="My Service\n")

    assert done.returncode == 1
    assert "'My Service' is not a valid service name" in done.stderr
    assert "[2/" not in done.stdout
    assert not (tmp_path / "out").exists()


def test_missing_name_is_refused_as_required(tmp_path):
    done = bake_cli(tmp_path / "out")

    assert done.returncode == 1
    assert "a service name is required" in done.stderr


def test_every_module_the_service_installs_is_a_taken_name(default_venv):
    """A package named like an installed module would be imported instead of it."""
    site = next(default_venv.glob("lib/python3.*/site-packages"))
    installed = {
        path.name.removesuffix(".py")
        for path in site.iterdir()
        if path.suffix not in {".pth", ".dist-info"}
        and not path.name.startswith(("_", "."))
        and (path.is_dir() or path.suffix == ".py")
    }

    assert installed - naming.TAKEN_NAMES == set()
