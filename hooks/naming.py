"""The rules for a service name, checked as soon as the name is typed.

cookiecutter renders the private `__package_name` answer right after
`service_name`, through the `package_name` filter registered here, so a bad name
is refused before any other question is asked and before anything is written.
"""

import keyword
import re
import sys
import unicodedata

from jinja2.ext import Extension

MAX_LENGTH = 30

# Heroku's rule for app names; \Z rather than $ so that a trailing newline fails.
HEROKU_NAME = re.compile(r"[a-z][a-z0-9-]*\Z")

RULE = (
    "use lowercase letters, digits and dashes, starting with a letter, "
    f"at most {MAX_LENGTH} characters (Heroku's rule for app names)"
)

# Import names of what the rendered service installs, and of folders it keeps
# beside its package; a package of the same name would be imported instead.
TAKEN_NAMES = frozenset(
    {
        "annotated_types",
        "attr",
        "attrs",
        "blinker",
        "click",
        "flask",
        "flask_openapi3",
        "flask_openapi3_swagger",
        "gunicorn",
        "honcho",
        "huey",
        "iniconfig",
        "itsdangerous",
        "jinja2",
        "jsonschema",
        "jsonschema_specifications",
        "markupsafe",
        "packaging",
        "pip",
        "pluggy",
        "py",
        "pydantic",
        "pydantic_core",
        "pygments",
        "pytest",
        "redis",
        "referencing",
        "rpds",
        "ruff",
        "tests",
        "typing_extensions",
        "typing_inspection",
        "werkzeug",
    }
)


class InvalidName(ValueError):
    """A service name that Heroku or Python would refuse; str() is the message."""


def suggest(name):
    """Return a name close to `name` that follows the rule."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.decode().lower())
    slug = slug.lstrip("-0123456789")[:MAX_LENGTH].strip("-")
    return slug or "my-service"


def package_name(name):
    """Return the Python package name for `name`, or raise InvalidName."""
    shown = repr(name)
    if not name:
        raise InvalidName(f"a service name is required: {RULE} (try 'orders-api')")
    if len(name) > MAX_LENGTH or not HEROKU_NAME.match(name):
        raise InvalidName(
            f"{shown} is not a valid service name: {RULE} (try {suggest(name)!r})"
        )

    package = name.replace("-", "_")
    fix = f"(try {suggest(name + '-service')!r})"
    if keyword.iskeyword(package):
        reason = f"{package!r} is a Python keyword and cannot name a package"
    elif package in sys.stdlib_module_names:
        reason = f"its package {package!r} would hide Python's own module of that name"
    elif package in TAKEN_NAMES:
        reason = f"its package {package!r} would hide the {package!r} the service uses"
    else:
        return package
    raise InvalidName(f"{shown} is not a valid service name: {reason} {fix}")


def _package_name_or_exit(name):
    try:
        return package_name(name)
    except InvalidName as refusal:
        # A message, not a traceback: cookiecutter has written nothing yet.
        print(f"Error: {refusal}", file=sys.stderr)
        raise SystemExit(1) from None


class NamingExtension(Extension):
    """Adds the `package_name` filter that cookiecutter.json applies."""

    def __init__(self, environment):
        super().__init__(environment)
        environment.filters["package_name"] = _package_name_or_exit
