"""The greeting and the health check."""

import logging

from flask_openapi3 import APIBlueprint, Tag

from . import tasks
from .config import SERVICE_NAME
from .schemas import Greeting, Health

log = logging.getLogger(__name__)
blueprint = APIBlueprint("home", __name__, abp_tags=[Tag(name="service")])


@blueprint.get("/", responses={200: Greeting})
def greet():
    """Say hello, as the article's first endpoint did."""
    return {"message": f"hello from {SERVICE_NAME}"}


@blueprint.get("/health", responses={200: Health, 503: Health})
def health():
    """Report whether the service can queue jobs."""
    try:
        queue = tasks.queue_health()
    except Exception as error:
        log.warning("health: job queue unreachable: %s", error)
        return {"status": "degraded", "jobs": {"error": str(error)}}, 503
    return {"status": "ok", "jobs": queue}
