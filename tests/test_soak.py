"""A bounded soak on 127.0.0.1: mixed GET / and POST /jobs at full rate."""

import ast
import os
import re
import subprocess
import threading
import time
from pathlib import Path

from conftest import require
from support import Service, request

SOAK_SECONDS = int(os.environ.get("SOAK_SECONDS", "60"))
COUNT_RECORDS = """
import collections, pickle, sys
sys.path.insert(0, ".")
from orders_api import tasks
rows = tasks.huey.storage.sql(
    "select value from kv where queue = ? and key like 'job:%'",
    (tasks.huey.name,), results=True,
)
print(dict(collections.Counter(pickle.loads(value)["status"] for value, in rows)))
"""


def footprint(service):
    """Return the service's process count, open descriptors and PSS in kB."""
    pids = service.group()
    fds = sum(len(os.listdir(f"/proc/{pid}/fd")) for pid in pids)
    pss = sum(
        int(
            re.search(
                r"^Pss:\s+(\d+)", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M
            )[1]
        )
        for pid in pids
    )
    return len(pids), fds, pss


def test_soak_has_no_5xx_loses_no_job_and_leaks_nothing(project, default_venv):
    require("wrk")
    with Service(project, default_venv, LOG_LEVEL="WARNING") as web:
        web.wait_until_up()
        time.sleep(2)  # the consumer and its processes start
        before = footprint(web)
        samples = []
        sampling = threading.Event()

        def sample():
            while not sampling.wait(SOAK_SECONDS / 6):
                samples.append(footprint(web)[2])

        sampler = threading.Thread(target=sample)
        sampler.start()
        load = subprocess.run(
            [
                "wrk",
                "-t2",
                "-c16",
                f"-d{SOAK_SECONDS}s",
                "-s",
                str(Path(__file__).with_name("soak.lua")),
                web.url,
            ],
            capture_output=True,
            text=True,
            timeout=SOAK_SECONDS + 60,
        )
        sampling.set()
        sampler.join()

        deadline = time.monotonic() + 300
        while request("GET", web.url + "/health")[2]["jobs"]["queued"]:
            assert time.monotonic() < deadline, "the queue did not drain"
            time.sleep(1)
        time.sleep(2)  # the last job finishes
        statuses = subprocess.run(
            [str(default_venv / "bin" / "python"), "-c", COUNT_RECORDS],
            cwd=project,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        after = footprint(web)

    accepted, errors = map(
        int, re.search(r"accepted=(\d+) server_errors=(\d+)", load.stdout).groups()
    )
    print(
        f"soak: {load.stdout}\nstatuses: {statuses}\nbefore {before} after {after} "
        f"pss samples {samples}"
    )
    assert errors == 0
    assert "Non-2xx" not in load.stdout
    assert accepted > 1000
    finished = ast.literal_eval(statuses)
    assert set(finished) == {"finished"}, finished  # none queued, running or failed
    # wrk stops counting at the deadline; up to one request per connection is
    # accepted but unanswered by then.
    assert accepted <= finished["finished"] <= accepted + 16
    assert after[0] == before[0]  # no process gained or lost
    assert after[1] <= before[1] + 10  # no descriptor leaked
    # SQLite's page caches (8 MB a connection, three connections) fill as the
    # queue grows, mostly in the first half; past that, growth must stay under
    # two caches' worth, where a leak of 1 kB a job would add about 25 MB.
    assert samples[-1] - samples[len(samples) // 2] < 16 * 1024, samples
