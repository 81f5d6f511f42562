"""The job consumer: `python -m <package>.worker`, the Procfile's worker line.

With REDIS_URL set it runs on worker dynos. Without it, gunicorn's master starts
it inside the web dyno with `--embedded` (see `embedded`), and the worker line
refuses to start, since a separate dyno could not see the web dyno's queue.
"""

import argparse
import logging
import os
import signal
import sys

from huey.consumer import Consumer, Scheduler, Worker

from . import logs
from .config import ConfigError, Settings

log = logging.getLogger(f"{__package__}.worker")

NO_REDIS = (
    "worker: REDIS_URL is not set, and without Redis jobs run inside the web "
    "dyno, so this process has nothing to do. To run jobs on worker dynos, add "
    "Redis (heroku addons:create heroku-redis:mini) and scale worker=1."
)

# Jobs run below the web workers' priority, so CPU-heavy work cannot starve them.
EMBEDDED_NICENESS = 10


_signals_before_start = []


def _remember_signal(signum, frame):
    _signals_before_start.append(signum)


class _ExitWithConsumer:
    """Stops a job or scheduler process once the consumer that forked it is gone.

    Those processes ignore SIGTERM (the consumer decides when they stop), so
    without this a consumer killed with SIGKILL would leave them running.
    """

    def initialize(self):
        self._consumer_pid = os.getppid()
        super().initialize()

    def loop(self, now=None):
        if os.getppid() != self._consumer_pid:
            raise KeyboardInterrupt  # huey ends the process cleanly on this
        return super().loop(now)


class _Worker(_ExitWithConsumer, Worker):
    pass


class _Scheduler(_ExitWithConsumer, Scheduler):
    pass


class GracefulConsumer(Consumer):
    """A huey consumer that stops gracefully on SIGTERM, whenever it comes.

    Heroku sends SIGTERM to every process of a dyno, and gunicorn's master
    passes one on as it exits: huey would take a second one as "stop now" and
    cut short the grace period that running jobs are owed. A SIGTERM that
    arrives while the consumer is still starting is kept for when it has.
    """

    worker_class = _Worker
    scheduler_class = _Scheduler

    def start(self):
        super().start()
        if _signals_before_start:
            self._handle_signal(_signals_before_start[0], None)

    def _handle_signal(self, signum, frame):
        self._signum = signum
        self._restart, self._graceful = self._signal_actions[signum]


def main(argv=None):
    signal.signal(signal.SIGTERM, _remember_signal)
    parser = argparse.ArgumentParser(description="Run queued jobs.")
    parser.add_argument(
        "--embedded",
        action="store_true",
        help="run inside the web dyno, as gunicorn's master does without REDIS_URL",
    )
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except ConfigError as error:
        print(f"worker: {error}", file=sys.stderr)
        return 2
    logs.configure(settings.log_level)

    if not settings.redis_url and not args.embedded:
        print(NO_REDIS, file=sys.stderr)
        return 2
    if args.embedded:
        os.nice(EMBEDDED_NICENESS)

    from .tasks import huey  # after the checks: importing it opens the queue

    consumer = GracefulConsumer(
        huey,
        workers=settings.job_workers,
        worker_type="process",
        graceful_signal="TERM",
        shutdown_timeout=settings.job_grace_period,
        health_check_interval=5,
    )
    log.info(
        "worker: consuming %s jobs with %d process(es)",
        settings.job_backend,
        settings.job_workers,
    )
    consumer.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
