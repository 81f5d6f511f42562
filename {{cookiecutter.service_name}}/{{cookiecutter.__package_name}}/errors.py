"""One JSON error shape for every failure, so clients never parse HTML."""

import json
import logging

from flask import jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class ApiError(Exception):
    """A refusal with an HTTP status and a message that says how to fix it."""

    def __init__(self, status, message, headers=None, **details):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.details = details


class InvalidInput(ApiError):
    """A job field that breaks its rule; answered with 400."""

    def __init__(self, field, rule, value=None):
        shown = ""
        if value is not None:
            text = json.dumps(value)
            shown = f" (got {text[:40]}{'...' if len(text) > 40 else ''})"
        super().__init__(400, f"field {field!r} {rule}{shown}", field=field)


def error_response(status, message, **details):
    """Answer `status` with the service's error body."""
    body = {"error": {"status": status, "message": message, **details}}
    return jsonify(body), status


def register_error_handlers(app):
    """Turn every exception a request can raise into a JSON answer."""

    @app.errorhandler(ApiError)
    def refused(error):
        response, status = error_response(error.status, error.message, **error.details)
        response.headers.update(error.headers)
        return response, status

    @app.errorhandler(HTTPException)
    def http_error(error):
        response, status = error_response(error.code, error.description)
        # Keep what werkzeug adds, such as Allow on 405 and Retry-After on 503.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response, status

    @app.errorhandler(Exception)
    def crashed(error):
        log.exception("request: unhandled %s", type(error).__name__)
        return error_response(500, "the service failed on this request; see its logs")
