import pytest

from {{ cookiecutter.__package_name }} import tasks
from {{ cookiecutter.__package_name }}.app import create_app
from {{ cookiecutter.__package_name }}.config import Settings


@pytest.fixture
def app():
    """The app with huey in immediate mode: each job runs inside its request."""
    tasks.huey.immediate = True
    yield create_app(Settings())
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
