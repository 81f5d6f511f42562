"""Jobs per second through one job process: the service's jobs, or huey alone.

    python drain.py service PACKAGE COUNT    in the baked project; REDIS_URL or
                                             JOB_DATABASE say where to queue
    python drain.py huey sqlite:PATH COUNT [PACKAGE]   or huey redis:URL COUNT
                                             with PACKAGE, on the service's own
                                             SQLite storage class

Queues COUNT trivial jobs, starts a consumer with one job process, and prints,
as JSON, the jobs finished per second from the first finished job to the last,
so that neither consumer's start-up is counted.
"""

import importlib
import json
import os
import subprocess
import sys
import time
from datetime import datetime

from huey import Huey, RedisHuey, SqliteHuey


def huey_alone(storage, package=None):
    """Return a bare huey on `storage` and its one task, which returns the time."""
    kind, _, where = storage.partition(":")
    if kind == "sqlite" and package:
        sys.path.insert(0, os.getcwd())  # the baked project
        storage_class = importlib.import_module(f"{package}.tasks").DynoDiskStorage
        huey = Huey("alone", storage_class=storage_class, filename=where)
    elif kind == "sqlite":
        huey = SqliteHuey("alone", filename=where)
    else:
        huey = RedisHuey("alone", url=where)
    return huey, huey.task(name="stamp")(time.time)


def drain_service(package, count, _=None):
    sys.path.insert(0, os.getcwd())  # the baked project
    tasks = importlib.import_module(f"{package}.tasks")
    ids = [tasks.submit({"n": 10})["id"] for _ in range(count)]
    command = [sys.executable, "-m", f"{package}.worker"]
    if not os.environ.get("REDIS_URL"):
        command.append("--embedded")

    def finished_at(job_id):
        job = tasks.lookup(job_id)
        if job and job["status"] == "finished":
            return datetime.fromisoformat(job["finished_at"]).timestamp()
        return None

    return run_until_done(command, ids, finished_at)


def drain_huey(storage, count, package=None):
    huey, stamp = huey_alone(storage, package)
    ids = [huey.enqueue(stamp.s()).id for _ in range(count)]
    command = [
        sys.executable,
        __file__,
        "consume",
        storage,
        "0",
        *filter(None, [package]),
    ]

    def finished_at(task_id):
        return huey.result(task_id, preserve=True)

    return run_until_done(command, ids, finished_at)


def run_until_done(command, ids, finished_at, timeout=600):
    """Start the consumer; return the seconds between the first and last job."""
    consumer = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout
        while finished_at(ids[-1]) is None:
            if time.monotonic() > deadline:
                raise SystemExit("drain: the jobs did not finish in time")
            time.sleep(0.05)
        return finished_at(ids[-1]) - finished_at(ids[0])
    finally:
        consumer.terminate()
        consumer.wait(30)


def main():
    mode, target, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    package = sys.argv[4] if len(sys.argv) > 4 else None
    if mode == "consume":
        huey, _ = huey_alone(target, package)
        huey.create_consumer(workers=1, worker_type="process").run()
        return

    drain = drain_service if mode == "service" else drain_huey
    seconds = drain(target, count, package)
    result = {"jobs": count, "seconds": seconds, "per_second": (count - 1) / seconds}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
