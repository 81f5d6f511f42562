"""The job resource: start heavy work with POST, follow it with GET."""

import json
from contextlib import contextmanager

from flask import Blueprint, request, url_for

from . import heavy, tasks
from .errors import ApiError

blueprint = Blueprint("jobs", __name__, url_prefix="/jobs")


def read_json_object():
    """Return the request body as a dict, or raise the ApiError that explains."""
    if request.mimetype != "application/json":
        raise ApiError(415, "send the job as JSON, with Content-Type: application/json")
    try:
        body = json.loads(request.get_data(cache=False))
    except ValueError as error:
        raise ApiError(400, f"the body is not valid JSON: {error}") from None
    if not isinstance(body, dict):
        raise ApiError(400, 'the body must be a JSON object, such as {"n": 1000}')
    return body


# Seconds a client is asked to wait when the queue is full or unreachable.
RETRY_AFTER = 5


@contextmanager
def unavailable_as_503():
    try:
        yield
    except tasks.QueueUnavailable as error:
        raise ApiError(
            503, f"{error}; try again later", headers={"Retry-After": RETRY_AFTER}
        ) from None


@blueprint.post("")
def create():
    """Queue a job and answer at once; the work happens in a job process."""
    params = heavy.validate(read_json_object())
    with unavailable_as_503():
        job = tasks.submit(params)
    return job, 202, {"Location": url_for(".show", job_id=job["id"])}


@blueprint.get("/<job_id>")
def show(job_id):
    """Report a job's status, with its result or error once it has ended."""
    with unavailable_as_503():
        job = tasks.lookup(job_id)
    if job is None:
        raise ApiError(404, f"no job has the id {job_id!r}; it may have expired")
    return job
