"""The job consumer inside the web dyno, kept alive by gunicorn's master.

Without REDIS_URL there is no worker dyno: `gunicorn.conf.py` calls `start`
once the master is ready and `stop` as it exits. A thread of the master starts
the consumer as a child process and starts it again whenever it dies.
"""

import logging
import signal
import subprocess  # nosec B404: starts only this package's own worker
import sys
import threading
import time

from .config import Settings

log = logging.getLogger(__name__)

RESTART_DELAY_MAX = 30.0


class Supervisor:
    """Runs `command` as a child process until `stop`, restarting it on exit."""

    def __init__(self, command, grace_period):
        self.command = command
        self.grace_period = grace_period
        self.process = None
        self._lock = threading.Lock()  # no start may slip past a stop
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="jobs", daemon=True)

    def start(self):
        self._thread.start()

    def _run(self):
        delay = 0.5
        while True:
            with self._lock:
                if self._stopping.is_set():
                    return
                # bandit B603: the command is this interpreter and this package.
                self.process = subprocess.Popen(self.command)  # nosec B603
            began = time.monotonic()
            code = self.process.wait()
            if self._stopping.is_set():
                return

            # A consumer that keeps dying at once is retried ever more slowly.
            ran_for = time.monotonic() - began
            if ran_for > RESTART_DELAY_MAX:
                delay = 1.0
            else:
                delay = min(delay * 2, RESTART_DELAY_MAX)
            log.warning(
                "jobs: consumer (pid %s) exited with %s after %.0f s; "
                "starting it again in %.0f s",
                self.process.pid,
                code,
                ran_for,
                delay,
            )
            self._stopping.wait(delay)

    def stop(self):
        """Ask the consumer to finish its jobs, and wait for it to exit."""
        with self._lock:
            self._stopping.set()
            process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(self.grace_period + 5)
        except subprocess.TimeoutExpired:
            log.error("jobs: consumer (pid %s) ignored SIGTERM", process.pid)
            process.kill()
            process.wait()


_supervisor = None


def start(settings=None):
    """Start the embedded consumer unless REDIS_URL sends jobs to worker dynos."""
    global _supervisor
    settings = settings or Settings.from_env()
    if settings.redis_url:
        log.info("jobs: REDIS_URL is set; worker dynos run the jobs")
        return
    if settings.on_heroku:
        log.warning(
            "jobs: REDIS_URL is not set, so jobs are kept in SQLite on this "
            "dyno's disk: they are lost when the dyno restarts, and a second web "
            "dyno would not see them. Add Redis before scaling out."
        )

    package = __name__.rpartition(".")[0]
    command = [sys.executable, "-m", f"{package}.worker", "--embedded"]
    _supervisor = Supervisor(command, settings.job_grace_period)
    _supervisor.start()
    log.info("jobs: embedded consumer started, %d process(es)", settings.job_workers)


def stop():
    """Stop the embedded consumer, if one was started."""
    if _supervisor is not None:
        _supervisor.stop()
