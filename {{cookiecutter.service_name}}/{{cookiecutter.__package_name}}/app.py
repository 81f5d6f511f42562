"""The Flask app factory: the whole service on one screen."""

from flask_openapi3 import Info, OpenAPI

from . import docs, headers, home, jobs, logs
from .config import SERVICE_NAME, Settings
from .errors import refuse_invalid_body, register_error_handlers
from .schemas import Error


def create_app(settings=None):
    """Build the web app from `settings`, read from the environment by default."""
    settings = settings or Settings.from_env()
    logs.configure(settings.log_level)

    app = OpenAPI(
        __name__,
        info=Info(title=SERVICE_NAME, version="1.0.0"),
        doc_ui=False,  # docs.py serves the description and its page
        validation_error_status=400,
        validation_error_model=Error,
        validation_error_callback=refuse_invalid_body,
    )
    register_settings(app, settings)
    headers.register_proxy(app)
    headers.register_request_headers(app)
    register_error_handlers(app)
    register_blueprints(app)
    return app


def register_settings(app, settings):
    app.config["SETTINGS"] = settings
    # Flask answers 413 past this size, before any view reads the body.
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False


def register_blueprints(app):
    app.register_api(home.blueprint)
    app.register_api(jobs.blueprint)
    app.register_blueprint(docs.blueprint)
