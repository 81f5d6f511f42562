"""The greeting and the health check."""

import logging

from flask import Blueprint

from . import tasks
from .config import SERVICE_NAME

log = logging.getLogger(__name__)
blueprint = Blueprint("home", __name__)


@blueprint.get("/")
def greet():
    """Say hello, as the article's first endpoint did."""
    return {"message": f"hello from {SERVICE_NAME}"}


@blueprint.get("/health")
def health():
    """Report whether the service can queue jobs."""
    try:
        queue = tasks.queue_health()
    except Exception as error:
        log.warning("health: job queue unreachable: %s", error)
        return {"status": "degraded", "jobs": {"error": str(error)}}, 503
    return {"status": "ok", "jobs": queue}
