"""Logging to stdout, one JSON object per line, as Heroku's log router expects."""

import json
import logging
import sys
from datetime import UTC, datetime

from flask import g, has_request_context, request


class JsonLines(logging.Formatter):
    """Formats a record as one line of JSON, with its request and traceback."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            entry["request_id"] = g.get("request_id")
            entry["client"] = request.remote_addr
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(level):
    """Send every log record of this process to stdout at `level` and above."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonLines())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)

    # huey logs every task at INFO; the service logs each job's outcome itself.
    logging.getLogger("huey").setLevel(max(root.level, logging.WARNING))
