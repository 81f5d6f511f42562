"""Jobs: the queue they wait in, the task that runs them, and their records.

Without REDIS_URL the queue is a SQLite file of this service's own, and the
consumer runs inside the web dyno; with REDIS_URL it is Redis, shared by every
web and worker dyno. Either way the records live in the queue's storage, so
every process reads the same state.
"""

import logging
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

import redis
from huey import RedisExpireHuey, SqliteHuey
from huey.signals import SIGNAL_INTERRUPTED

from . import heavy
from .config import SERVICE_NAME, Settings

log = logging.getLogger(__name__)


def make_huey(settings):
    """Return the queue that `settings` ask for."""
    if settings.redis_url:
        # Heroku's Key-Value Store uses TLS with a self-signed certificate;
        # redis-py refuses the option on plain redis:// URLs.
        tls = {}
        if settings.redis_url.startswith("rediss://"):
            tls["ssl_cert_reqs"] = None
        pool = redis.ConnectionPool.from_url(
            settings.redis_url, socket_connect_timeout=5, socket_timeout=10, **tls
        )
        return RedisExpireHuey(
            SERVICE_NAME,
            connection_pool=pool,
            expire_time=settings.job_result_ttl,
            results=False,
        )

    settings.job_database.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(SERVICE_NAME, filename=str(settings.job_database), results=False)


def _timestamp(seconds):
    return datetime.fromtimestamp(seconds, UTC).isoformat() if seconds else None


def _describe_error(error):
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class JobRecords:
    """The state of each job, kept in the queue's storage under `job:<id>`."""

    def __init__(self, huey, settings):
        self.huey = huey
        self.ttl = settings.job_result_ttl
        self.lost_after = settings.job_lost_after

    def get(self, job_id):
        """Return the stored record of `job_id`, or None once it has expired."""
        record = self.huey.get(f"job:{job_id}", peek=True)
        # Redis expires records by itself; SQLite keeps them until read.
        if record and time.time() - record["updated_at"] > self.ttl:
            self.huey.delete(f"job:{job_id}")
            return None
        return record

    def update(self, job_id, **changes):
        """Merge `changes` into the record of `job_id` and return it."""
        record = self.get(job_id) or {"id": job_id, "attempts": 0}
        record.update(changes, updated_at=time.time())
        self.huey.put_result(f"job:{job_id}", record)
        return record

    def delete(self, job_id):
        self.huey.delete(f"job:{job_id}")

    def describe(self, record):
        """Return the public view of a record, with lost jobs shown as failed."""
        status, error = record["status"], record.get("error")
        silent_for = time.time() - record.get("heartbeat_at", 0)
        if status == "running" and silent_for > self.lost_after:
            status = "failed"
            error = (
                f"lost: no sign of life from its process for {silent_for:.0f} s "
                "(killed, out of memory or cut off by a restart); submit it again"
            )

        view = {
            "id": record["id"],
            "status": status,
            "input": record.get("input"),
            "attempts": record["attempts"],
            "created_at": _timestamp(record.get("created_at")),
            "started_at": _timestamp(record.get("started_at")),
            "finished_at": _timestamp(record.get("finished_at")),
        }
        if status == "finished":
            view["result"] = record["result"]
        if status == "failed":
            view["error"] = error
        return view

    @contextmanager
    def heartbeat(self, job_id):
        """Mark `job_id` alive every few seconds while the block runs."""
        stop = threading.Event()

        def beat():
            while not stop.wait(self.lost_after / 4):
                try:
                    self.update(job_id, heartbeat_at=time.time())
                except Exception:
                    log.warning("job %s: heartbeat not stored", job_id, exc_info=True)

        thread = threading.Thread(target=beat, name=f"heartbeat-{job_id}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()


settings = Settings.from_env()
huey = make_huey(settings)
records = JobRecords(huey, settings)


@huey.task(
    retries=settings.job_retries, retry_delay=settings.job_retry_delay, context=True
)
def run_job(params, task=None):
    """Run the heavy work of one job and record how it ended."""
    began = time.time()
    attempt = (records.get(task.id) or {}).get("attempts", 0) + 1
    records.update(
        task.id,
        status="running",
        started_at=began,
        heartbeat_at=began,
        attempts=attempt,
    )

    try:
        with records.heartbeat(task.id):
            result = heavy.run(params)
    except Exception as error:
        retrying = task.retries > 0
        records.update(
            task.id,
            status="queued" if retrying else "failed",
            error=_describe_error(error),
            finished_at=None if retrying else time.time(),
        )
        log.warning("job %s: attempt %d failed: %s", task.id, attempt, error)
        raise

    records.update(task.id, status="finished", result=result, finished_at=time.time())
    log.info("job %s: finished in %.2f s", task.id, time.time() - began)


@huey.signal(SIGNAL_INTERRUPTED)
def requeue_interrupted(signal_name, task):
    """Put a job that a shutdown cut short back on the queue, to run again."""
    records.update(task.id, status="queued")
    huey.enqueue(task)
    log.warning("job %s: interrupted by shutdown, queued again", task.id)


def submit(params):
    """Queue a job for `params` and return its public view."""
    task = run_job.s(params)
    record = records.update(
        task.id, status="queued", input=params, created_at=time.time()
    )
    try:
        huey.enqueue(task)
    except Exception:
        # A job that never reached the queue must not read "queued" forever.
        records.delete(task.id)
        raise
    log.info("job %s: queued", task.id)
    return records.describe(record)


def lookup(job_id):
    """Return the public view of `job_id`, or None if there is no such job."""
    try:
        uuid.UUID(job_id)
    except ValueError:
        return None
    record = records.get(job_id)
    return records.describe(record) if record else None


def queue_health():
    """Return where jobs are queued and how many wait; raises if unreachable."""
    return {"backend": settings.job_backend, "queued": huey.pending_count()}
