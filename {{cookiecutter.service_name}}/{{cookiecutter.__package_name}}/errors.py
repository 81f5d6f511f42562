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


def error_response(status, message, **details):
    """Answer `status` with the service's error body."""
    body = {"error": {"status": status, "message": message, **details}}
    return jsonify(body), status


def refuse_invalid_body(error):
    """Answer a body that breaks the API's declaration with 400, naming the field.

    flask-openapi3 calls this with pydantic's ValidationError; the first
    problem is reported, in words that say what the field must be.
    """
    problem = error.errors()[0]
    field = ".".join(str(part) for part in problem["loc"]) or "body"
    rules = f"/openapi.json describes the body ({error.title})"
    if problem["type"] == "missing":
        message = f"field {field!r} is required; {rules}"
    elif problem["type"] == "extra_forbidden":
        message = f"field {field!r} is not accepted; {rules}"
    else:
        got = json.dumps(problem.get("input"), default=str)
        shown = got if len(got) <= 40 else got[:40] + "..."
        message = f"field {field!r}: {problem['msg'].lower()} (got {shown})"
    response, status = error_response(400, message, field=field)
    response.status_code = status
    return response


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
