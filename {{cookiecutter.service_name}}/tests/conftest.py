import re

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from {{ cookiecutter.__package_name }} import docs, tasks
from {{ cookiecutter.__package_name }}.app import create_app
from {{ cookiecutter.__package_name }}.config import Settings


class DescribedClient(FlaskClient):
    """A test client that checks every answer against /openapi.json."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        check_against_description(self.application, response)
        return response


def check_against_description(app, response):
    """Fail unless a documented operation's answer matches its schema."""
    spec = docs.describe(app)
    method, path = response.request.method.lower(), response.request.path
    for template, operations in spec["paths"].items():
        pattern = re.sub(r"\{\w+\}", "[^/]+", template)
        if re.fullmatch(pattern, path) and method in operations:
            break
    else:
        return  # no such operation: werkzeug's 404 or 405, checked elsewhere

    answers = operations[method]["responses"]
    status = str(response.status_code)
    assert status in answers, f"{method.upper()} {path}: {status} is undocumented"
    reference = answers[status]["content"]["application/json"]["schema"]["$ref"]
    registry = Registry().with_resource("urn:spec", DRAFT202012.create_resource(spec))
    validator = Draft202012Validator(
        {"$ref": "urn:spec" + reference}, registry=registry
    )
    validator.validate(response.get_json())


@pytest.fixture
def app():
    """The app with huey in immediate mode: each job runs inside its request."""
    tasks.huey.immediate = True
    app = create_app(Settings())
    app.test_client_class = DescribedClient
    yield app
    tasks.huey.immediate = False


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def submit(client):
    """POST a job body as JSON and return the response."""

    def post(body):
        return client.post("/jobs", json=body)

    return post
