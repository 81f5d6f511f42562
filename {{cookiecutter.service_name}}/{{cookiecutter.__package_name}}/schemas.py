"""The shapes of what the API answers, from which /openapi.json is built."""

from typing import Any, Literal

from pydantic import BaseModel, Field


class Greeting(BaseModel):
    message: str = Field(examples=["hello from the service"])


class QueueState(BaseModel):
    backend: Literal["sqlite", "redis"] | None = None
    queued: int | None = Field(default=None, ge=0)
    error: str | None = None


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    jobs: QueueState


class Job(BaseModel):
    """A job's state; `result` once finished, `error` once failed."""

    id: str = Field(description="The job's ID, as in its Location header.")
    status: Literal["queued", "running", "finished", "failed"]
    input: dict[str, Any] | None = Field(description="The parameters it was given.")
    attempts: int = Field(ge=0, description="How many times it has started.")
    created_at: str | None = Field(description="ISO 8601, UTC.")
    started_at: str | None
    finished_at: str | None
    result: Any = Field(default=None, description="What the work returned.")
    error: str | None = Field(default=None, description="Why it failed.")


class ErrorDetail(BaseModel):
    status: int
    message: str = Field(description="What was wrong, and how to put it right.")
    field: str | None = Field(default=None, description="The field at fault.")


class Error(BaseModel):
    """Every error the service answers has this shape."""

    error: ErrorDetail


class JobPath(BaseModel):
    job_id: str = Field(description="The ID that POST /jobs answered.")
