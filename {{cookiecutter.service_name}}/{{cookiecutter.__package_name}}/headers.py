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

# A JSON API: nothing may run, frame, or guess at what it answers.
CONTENT_POLICY = "default-src 'none'; frame-ancestors 'none'"
SECURITY_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
    ("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),
]


def register_proxy(app):
    """Read client address and scheme from the router's headers, one hop deep."""
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_port=1)


def register_request_headers(app):
    """Give each request an ID for its log lines; answer with it and the
    security headers, keeping a Content-Security-Policy that a view set."""

    @app.before_request
    def take_request_id():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.fullmatch(given) else str(uuid.uuid4())

    @app.after_request
    def add_headers(response):
        # Headers.extend appends without searching: these are not there yet.
        headers = response.headers
        headers.extend(SECURITY_HEADERS)
        headers.add("X-Request-ID", g.get("request_id") or str(uuid.uuid4()))
        if "Content-Security-Policy" not in headers:
            headers.add("Content-Security-Policy", CONTENT_POLICY)
        return response
