"""The job resource: start heavy work with POST, follow it with GET."""

import json
from contextlib import contextmanager

from flask import request, url_for
from flask_openapi3 import APIBlueprint, Tag

from . import heavy, tasks
from .errors import ApiError
from .schemas import Error, Job, JobPath

blueprint = APIBlueprint(
    "jobs", __name__, url_prefix="/jobs", abp_tags=[Tag(name="jobs")]
)

# Seconds a client is asked to wait when the queue is full or unreachable.
RETRY_AFTER = 5


@blueprint.before_request
def require_json_object():
    """Refuse a POST whose body is not a JSON object, before it is validated."""
    if request.method != "POST":
        return
    if request.mimetype != "application/json":
        raise ApiError(415, "send the job as JSON, with Content-Type: application/json")
    try:
        body = json.loads(request.get_data())
    except ValueError as error:
        raise ApiError(400, f"the body is not valid JSON: {error}") from None
    if not isinstance(body, dict):
        raise ApiError(400, 'the body must be a JSON object, such as {"n": 1000}')


@contextmanager
def unavailable_as_503():
    try:
        yield
    except tasks.QueueUnavailable as error:
        raise ApiError(
            503, f"{error}; try again later", headers={"Retry-After": RETRY_AFTER}
        ) from None


@blueprint.post(
    "",
    responses={202: Job, 400: Error, 413: Error, 415: Error, 503: Error},
)
def create(body: heavy.JobInput):
    """Queue a job and answer at once; the work happens in a job process."""
    with unavailable_as_503():
        job = tasks.submit(body.model_dump())
    return job, 202, {"Location": url_for(".show", job_id=job["id"])}


@blueprint.get("/<job_id>", responses={200: Job, 404: Error, 503: Error})
def show(path: JobPath):
    """Report a job's status, with its result or error once it has ended."""
    with unavailable_as_503():
        job = tasks.lookup(path.job_id)
    if job is None:
        message = f"no job has the id {path.job_id!r}; it may have expired"
        raise ApiError(404, message)
    return job
