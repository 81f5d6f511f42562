"""Jobs: the queue they wait in, the task that runs them, and their records.

Without REDIS_URL the queue is a SQLite file of this service's own, and the
consumer runs inside the web dyno; with REDIS_URL it is Redis, shared by every
web and worker dyno. Either way the records live in the queue's storage, so
every process reads the same state.
"""

import logging
import os
import sqlite3
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

import redis
from huey import Huey, RedisExpireHuey
from huey.signals import SIGNAL_INTERRUPTED
from huey.storage import SqliteStorage

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
    return Huey(
        SERVICE_NAME,
        storage_class=DynoDiskStorage,
        filename=str(settings.job_database),
        results=False,
    )


class DynoDiskStorage(SqliteStorage):
    """huey's SQLite storage, syncing to disk at checkpoints, not every commit.

    In WAL mode, synchronous=NORMAL keeps every commit through a crash of any
    process; only a crash of the machine may lose the last ones, and a dyno's
    disk does not outlive its machine anyway. It makes a commit about ten
    times cheaper than huey's default, which syncs each one.
    """

    def _create_connection(self):
        connection = super()._create_connection()
        connection.execute("pragma synchronous=NORMAL")
        return connection


def _key(job_id):
    return f"job:{job_id}"


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
        record = self.huey.get(_key(job_id), peek=True)
        # Redis expires records by itself; SQLite keeps them until read.
        if record and time.time() - record["updated_at"] > self.ttl:
            self.delete(job_id)
            return None
        return record

    def save(self, record):
        """Store `record` as it is, without reading the stored one first."""
        record["updated_at"] = time.time()
        self.huey.put_result(_key(record["id"]), record)

    def update(self, job_id, **changes):
        """Merge `changes` into the record of `job_id` and return it."""
        record = self.get(job_id) or {"id": job_id, "attempts": 0}
        record.update(changes)
        self.save(record)
        return record

    def delete(self, job_id):
        self.huey.delete(_key(job_id))

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


class Heartbeat:
    """Marks the job that this process runs alive, every few seconds.

    One thread per process does it for every job, so a job costs no thread of
    its own; the lock keeps a beat from landing after the job's final state.
    """

    def __init__(self, records):
        self.records = records
        self.job_id = None
        self._lock = threading.Lock()
        self._owner = None

    @contextmanager
    def beating(self, job_id):
        """Beat for `job_id` while the block runs."""
        if self._owner != os.getpid():  # a forked process has no thread yet
            self._owner = os.getpid()
            threading.Thread(target=self._run, name="heartbeat", daemon=True).start()
        self.job_id = job_id
        try:
            yield
        finally:
            with self._lock:
                self.job_id = None

    def _run(self):
        while True:
            time.sleep(self.records.lost_after / 4)
            with self._lock:
                if self.job_id is None:
                    continue
                try:
                    self.records.update(self.job_id, heartbeat_at=time.time())
                except Exception:
                    log.warning("job %s: heartbeat not stored", self.job_id)


settings = Settings.from_env()
huey = make_huey(settings)
records = JobRecords(huey, settings)
heartbeat = Heartbeat(records)


@huey.task(
    retries=settings.job_retries, retry_delay=settings.job_retry_delay, context=True
)
def run_job(params, task=None):
    """Run the heavy work of one job and record how it ended."""
    began = time.time()
    record = records.get(task.id) or {"id": task.id, "attempts": 0}
    attempt = record["attempts"] + 1
    record.update(
        status="running", started_at=began, heartbeat_at=began, attempts=attempt
    )
    records.save(record)

    try:
        with heartbeat.beating(task.id):
            result = heavy.run(params)
    except Exception as error:
        retrying = task.retries > 0
        record.update(
            status="queued" if retrying else "failed",
            error=_describe_error(error),
            finished_at=None if retrying else time.time(),
        )
        records.save(record)
        log.warning("job %s: attempt %d failed: %s", task.id, attempt, error)
        raise

    record.update(status="finished", result=result, finished_at=time.time())
    records.save(record)
    log.info("job %s: finished in %.2f s", task.id, time.time() - began)


@huey.signal(SIGNAL_INTERRUPTED)
def requeue_interrupted(signal_name, task):
    """Put a job that a shutdown cut short back on the queue, to run again."""
    records.update(task.id, status="queued")
    huey.enqueue(task)
    log.warning("job %s: interrupted by shutdown, queued again", task.id)


class QueueUnavailable(Exception):
    """The queue cannot take or show jobs now; str() says why."""


class QueueFull(QueueUnavailable):
    """JOB_QUEUE_MAX jobs are waiting already."""


@contextmanager
def queue_errors():
    """Turn the storage's connection errors into QueueUnavailable."""
    try:
        yield
    except (redis.RedisError, sqlite3.Error, OSError) as error:
        log.warning("jobs: queue unreachable: %s", error)
        raise QueueUnavailable(f"the job queue is unreachable ({error})") from None


def submit(params):
    """Queue a job for `params` and return its public view."""
    task = run_job.s(params)
    record = {
        "id": task.id,
        "status": "queued",
        "input": params,
        "attempts": 0,
        "created_at": time.time(),
    }
    with queue_errors():
        limit = settings.job_queue_max
        if limit and huey.pending_count() >= limit:
            raise QueueFull(f"{limit} jobs are waiting already (JOB_QUEUE_MAX)")
        records.save(record)
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
    with queue_errors():
        record = records.get(job_id)
    return records.describe(record) if record else None


def queue_health():
    """Return where jobs are queued and how many wait; raises if unreachable."""
    return {"backend": settings.job_backend, "queued": huey.pending_count()}
