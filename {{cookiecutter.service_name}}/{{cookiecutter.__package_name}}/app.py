"""The Flask app factory: the whole service on one screen."""

from flask import Flask

from . import headers, home, jobs, logs
from .config import Settings
from .errors import register_error_handlers


def create_app(settings=None):
    """Build the web app from `settings`, read from the environment by default."""
    settings = settings or Settings.from_env()
    logs.configure(settings.log_level)

    app = Flask(__name__)
    register_settings(app, settings)
    headers.register_proxy(app)
    headers.register_request_id(app)
    headers.register_security_headers(app)
    register_error_handlers(app)
    register_blueprints(app)
    return app


def register_settings(app, settings):
    app.config["SETTINGS"] = settings
    # Flask answers 413 past this size, before any view reads the body.
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False


def register_blueprints(app):
    app.register_blueprint(home.blueprint)
    app.register_blueprint(jobs.blueprint)
