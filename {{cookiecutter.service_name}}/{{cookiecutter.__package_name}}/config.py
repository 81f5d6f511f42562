"""Settings, read from environment variables only, each with an explicit default."""

import os
from dataclasses import dataclass
from pathlib import Path

SERVICE_NAME = "{{ cookiecutter.service_name }}"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(ValueError):
    """An environment variable holds a value the service cannot use."""


def _integer(environ, name, default, low, high):
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ConfigError(
            f"{name}={raw!r} is not allowed: use a whole number from {low} to "
            f"{high}, or unset it for the default ({default})"
        )
    return value


@dataclass(frozen=True)
class Settings:
    """Everything the service can be told; see the README's table."""

    redis_url: str | None = None
    job_workers: int = 1
    job_retries: int = 0
    job_retry_delay: int = 10
    job_result_ttl: int = 86_400
    job_grace_period: int = 20
    job_lost_after: int = 60
    job_database: Path = PROJECT_ROOT / ".data" / "jobs.sqlite3"
    job_queue_max: int = 0
    max_body_bytes: int = 16_384
    log_level: str = "INFO"
    on_heroku: bool = False

    @classmethod
    def from_env(cls, environ=os.environ):
        """Read the settings from `environ`, refusing values out of range."""
        log_level = environ.get("LOG_LEVEL", cls.log_level).strip().upper()
        if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ConfigError(
                f"LOG_LEVEL={log_level!r} is not allowed: use DEBUG, INFO, "
                f"WARNING or ERROR, or unset it for the default ({cls.log_level})"
            )
        redis_url = environ.get("REDIS_URL", "").strip() or None
        if redis_url and not redis_url.startswith(("redis://", "rediss://")):
            raise ConfigError(
                f"REDIS_URL={redis_url.split('@')[-1]!r} is not allowed: use a "
                "redis:// or rediss:// URL, or unset it to run jobs in the web dyno"
            )

        return cls(
            redis_url=redis_url,
            job_workers=_integer(environ, "JOB_WORKERS", cls.job_workers, 1, 64),
            job_retries=_integer(environ, "JOB_RETRIES", cls.job_retries, 0, 100),
            job_retry_delay=_integer(
                environ, "JOB_RETRY_DELAY", cls.job_retry_delay, 0, 86_400
            ),
            job_result_ttl=_integer(
                environ, "JOB_RESULT_TTL", cls.job_result_ttl, 60, 30 * 86_400
            ),
            # Heroku sends SIGKILL 30 s after SIGTERM; leave room to requeue.
            job_grace_period=_integer(
                environ, "JOB_GRACE_PERIOD", cls.job_grace_period, 0, 25
            ),
            job_lost_after=_integer(
                environ, "JOB_LOST_AFTER", cls.job_lost_after, 5, 86_400
            ),
            job_database=Path(environ.get("JOB_DATABASE") or cls.job_database),
            job_queue_max=_integer(
                environ, "JOB_QUEUE_MAX", cls.job_queue_max, 0, 10_000_000
            ),
            max_body_bytes=_integer(
                environ, "MAX_BODY_BYTES", cls.max_body_bytes, 64, 10_485_760
            ),
            log_level=log_level,
            on_heroku="DYNO" in environ,
        )

    @property
    def job_backend(self):
        """Where jobs are queued: "redis" when REDIS_URL is set, else "sqlite"."""
        return "redis" if self.redis_url else "sqlite"
