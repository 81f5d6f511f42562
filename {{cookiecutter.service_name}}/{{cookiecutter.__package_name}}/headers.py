"""What every answer carries: a request ID, security headers, the true client.

Heroku's router gives each request an X-Request-ID and appends the client's
address to X-Forwarded-For; the service trusts exactly that one hop.
"""

import re
import uuid

from flask import g, request
from werkzeug.middleware.proxy_fix import ProxyFix

# An ID from the router or the client is kept when it has this shape; any other
# is replaced, so that a client cannot write arbitrary text into the logs.
REQUEST_ID = re.compile(r"[A-Za-z0-9+/=_.-]{20,200}")

SECURITY_HEADERS = {
    # A JSON API: nothing may run, frame, or guess at what it answers.
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
}


def register_proxy(app):
    """Read client address and scheme from the router's headers, one hop deep."""
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_port=1)


def register_request_id(app):
    """Give each request an ID, log it with every line, and answer with it."""

    @app.before_request
    def take_request_id():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.fullmatch(given) else str(uuid.uuid4())

    @app.after_request
    def send_request_id(response):
        response.headers["X-Request-ID"] = g.get("request_id") or str(uuid.uuid4())
        return response


def register_security_headers(app):
    @app.after_request
    def add_security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
