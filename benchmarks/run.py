"""Benchmarks of the baked service against bare Flask and a process per request.

    .venv/bin/python benchmarks/run.py [--quick] [--skip-suite] [--output FILE]

Bakes the default service, runs it as Heroku would (its Procfile's web line,
WEB_CONCURRENCY=2), measures every comparison in the same run, prints a table
and writes it, with the machine's cores, Python version and date, to
benchmarks/results.md. Figures are medians of repeated runs; the ratios are
what to read, since the machines are shared and noisy. All traffic goes to
127.0.0.1, in runs bounded in time. A missed goal is reported, never fatal.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

from support import (  # noqa: E402  (the helpers live beside the tests)
    OFFERED_PYTHONS,
    RedisServer,
    Service,
    find_python,
    request,
    service_venv,
    wait_for_job,
)

PACKAGE = "bench_service"


@dataclass(frozen=True)
class Plan:
    seconds: int  # length of each load run
    repeats: int  # runs whose median is reported
    heavy_jobs: int  # CPU-heavy jobs in flight during row 2
    heavy_n: int  # the stub's n for those jobs
    drain_jobs: int  # trivial jobs per throughput run
    suite: bool  # time the whole test suite too


FULL = Plan(
    seconds=5, repeats=3, heavy_jobs=8, heavy_n=50_000_000, drain_jobs=3000, suite=True
)
QUICK = Plan(
    seconds=1, repeats=1, heavy_jobs=2, heavy_n=2_000_000, drain_jobs=200, suite=False
)


def wrk(url, seconds, connections, script=None):
    """Load `url` with wrk; return requests/s, p50 and p99 in ms, and errors."""
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections)]
    command += ["-d", f"{seconds}s", "--latency", url]
    if script:
        command += ["-s", str(script)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def latency(percent):
        value, unit = re.search(
            rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)$", out, re.M
        ).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50": latency(50),
        "p99": latency(99),
        "errors": int(errors[1]) if errors else 0,
        "socket_errors": socket_errors[1] if socket_errors else "",
    }


def median(runs, key):
    return statistics.median(run[key] for run in runs)


def pss_mb(pids):
    """Sum the proportional set size of `pids`, in MB."""
    total_kb = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        total_kb += int(re.search(r"^Pss:\s+(\d+) kB", text, re.M)[1])
    return total_kb / 1024


class Bench:
    """One benchmark run: the baked service, the comparison apps, the results."""

    def __init__(self, plan, work):
        self.plan = plan
        self.work = work
        self.apps = work / "apps"
        shutil.copytree(HERE / "apps", self.apps)
        self.post_script = self.apps / "post_job.lua"
        self.bake_seconds = self._bake()
        python = find_python(OFFERED_PYTHONS[0]) or sys.executable
        self.venv = service_venv(python, self.project)
        self.python_version = subprocess.run(
            [self.venv / "bin" / "python", "--version"], capture_output=True, text=True
        ).stdout.split()[1]
        self.rows = {}

    def _bake(self):
        times = []
        for attempt in range(self.plan.repeats):
            out = self.work / f"bake-{attempt}"
            began = time.monotonic()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "cookiecutter",
                    "--no-input",
                    "-o",
                    str(out),
                    str(ROOT),
                    "service_name=bench-service",
                    "git_init=false",
                ],
                check=True,
                capture_output=True,
            )
            times.append(time.monotonic() - began)
        self.project = out / "bench-service"
        return statistics.median(times)

    def service(self, **env):
        env.setdefault("JOB_GRACE_PERIOD", "0")  # stop at once between runs
        env.setdefault(
            "JOB_DATABASE", str(self.work / f"jobs-{time.monotonic_ns()}.db")
        )
        env.setdefault("LOG_LEVEL", "WARNING")
        return Service(self.project, self.venv, **env)

    def bare(self):
        """The bare app under the baked service's own gunicorn.conf.py.

        With REDIS_URL set, that file's hooks start no job consumer, so the
        two differ in the app alone. The URL is never connected to.
        """
        command = f"gunicorn -c {self.project / 'gunicorn.conf.py'} bare:app"
        return Service(
            self.apps,
            self.venv,
            command=command,
            PYTHONPATH=str(self.project),
            REDIS_URL="redis://127.0.0.1:1/0",
        )

    def article(self):
        return Service(
            self.apps,
            self.venv,
            command="gunicorn article:app",
            STUB_PACKAGE=PACKAGE,
            HEAVY_N=str(self.plan.heavy_n),
            PYTHONPATH=str(self.project),
        )

    def warm(self, service):
        wrk(service.url + "/", 1, 4)

    def errors(self):
        """Count the non-2xx answers and socket errors in the service's runs."""
        runs = [*self.rows["get"]["service"], *self.rows["heavy"]["service"]]
        runs += [
            run for key in ("get", "post", "busy") for run in self.rows["post"][key]
        ]
        return sum(run["errors"] for run in runs) + sum(
            bool(run["socket_errors"]) for run in runs
        )

    # Rows 1 and 3: GET / against bare Flask; POST /jobs against GET /.
    def idle_web(self):
        seconds, repeats = self.plan.seconds, range(self.plan.repeats)
        with self.service() as service, self.bare() as flask:
            service.wait_until_up()
            flask.wait_until_up()
            self.warm(service)
            self.warm(flask)
            self.idle_pss = pss_mb(service.group())
            self.idle_processes = len(service.group())
            get, bare = [], []
            for _ in repeats:
                get.append(wrk(service.url + "/", seconds, 16))
                bare.append(wrk(flask.url + "/", seconds, 16))

            # Last, since the jobs these queue keep the consumer busy for a while.
            light_get, light_post, busy_post = [], [], []
            for _ in repeats:
                light_get.append(wrk(service.url + "/", seconds, 1))
                light_post.append(
                    wrk(service.url + "/jobs", seconds, 1, self.post_script)
                )
                busy_post.append(
                    wrk(service.url + "/jobs", seconds, 16, self.post_script)
                )
        self.rows["get"] = {"service": get, "bare": bare}
        self.rows["post"] = {"get": light_get, "post": light_post, "busy": busy_post}

    # Row 2: GET / while heavy jobs run, and the article's design under the same.
    def heavy_web(self):
        service_runs, busy_pss, article_idle, article_busy = [], [], [], []
        for _ in range(self.plan.repeats):
            with self.service() as service:
                service.wait_until_up()
                self.warm(service)
                jobs = [
                    request("POST", service.url + "/jobs", {"n": self.plan.heavy_n})[2]
                    for _ in range(self.plan.heavy_jobs)
                ]
                wait_for_job(service.url, jobs[0]["id"], {"running", "finished"})
                service_runs.append(wrk(service.url + "/", self.plan.seconds, 16))
                busy_pss.append(pss_mb(service.group()))
            with self.article() as article:
                article.wait_until_up()
                self.warm(article)
                article_idle.append(wrk(article.url + "/", self.plan.seconds, 16))
                for _ in range(self.plan.heavy_jobs):
                    request("GET", article.url + "/heavy")
                article_busy.append(wrk(article.url + "/", self.plan.seconds, 16))
        self.busy_pss = statistics.median(busy_pss)
        self.rows["heavy"] = {
            "service": service_runs,
            "article_idle": article_idle,
            "article_busy": article_busy,
        }

    # Row 4: trivial jobs per second, the service's against huey alone.
    def throughput(self):
        drain = [str(self.venv / "bin" / "python"), str(self.apps / "drain.py")]
        count = str(self.plan.drain_jobs)

        def run(*args, **env):
            done = subprocess.run(
                [*drain, *args],
                cwd=self.project,
                env={**os.environ, **env},
                capture_output=True,
                text=True,
                check=True,
            )
            return json.loads(done.stdout)["per_second"]

        def database():
            return str(self.work / f"drain-{time.monotonic_ns()}.db")

        results = {
            key: []
            for key in (
                "sqlite",
                "sqlite_huey",
                "sqlite_huey_default",
                "redis",
                "redis_huey",
            )
        }
        redis = RedisServer(self.work) if shutil.which("redis-server") else None
        if redis:
            redis.start()
        try:
            for _ in range(self.plan.repeats):
                results["sqlite"].append(
                    run("service", PACKAGE, count, JOB_DATABASE=database())
                )
                results["sqlite_huey"].append(
                    run("huey", f"sqlite:{database()}", count, PACKAGE)
                )
                results["sqlite_huey_default"].append(
                    run("huey", f"sqlite:{database()}", count)
                )
                if redis:
                    db = len(results["redis"]) * 2
                    url = f"redis://127.0.0.1:{redis.port}/"
                    results["redis"].append(
                        run("service", PACKAGE, count, REDIS_URL=f"{url}{db}")
                    )
                    results["redis_huey"].append(
                        run("huey", f"redis:{url}{db + 1}", count)
                    )
        finally:
            if redis:
                redis.stop()
        self.rows["drain"] = results

    # Row 5: from process start to the first 200 on /.
    def boot(self):
        service_times, bare_times = [], []
        for _ in range(self.plan.repeats):
            with self.service() as service:
                service_times.append(service.wait_until_up())
            with self.bare() as flask:
                bare_times.append(flask.wait_until_up())
        self.rows["boot"] = {"service": service_times, "bare": bare_times}

    # Row 7: the template's whole test suite.
    def suite(self):
        began = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        seconds = time.monotonic() - began
        summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        return seconds, summary


def verdict(met):
    return "met" if met else "**missed**"


def rate(runs):
    """Describe wrk runs: requests per second, p50 and p99."""
    return (
        f"{median(runs, 'rps'):,.0f} req/s (p50 {median(runs, 'p50'):.1f} ms, "
        f"p99 {median(runs, 'p99'):.1f} ms)"
    )


def ratio_of(runs, against):
    return statistics.median(runs) / statistics.median(against)


def rows_of(bench, suite):
    """Return the table's rows: number, what, result, goal, verdict."""
    get, bare = bench.rows["get"]["service"], bench.rows["get"]["bare"]
    heavy, post, drain = bench.rows["heavy"], bench.rows["post"], bench.rows["drain"]
    boot = bench.rows["boot"]
    plan = bench.plan

    get_ratio = median(get, "rps") / median(bare, "rps")
    heavy_ratio = median(heavy["service"], "rps") / median(get, "rps")
    article_ratio = median(heavy["article_busy"], "rps") / median(
        heavy["article_idle"], "rps"
    )
    post_ratio = median(post["post"], "p50") / median(post["get"], "p50")
    boot_ratio = ratio_of(boot["service"], boot["bare"])

    drained = []
    for store in ("sqlite", "redis"):
        if not drain[store]:
            drained.append(f"{store}: not measured (no redis-server)")
            continue
        ratio = ratio_of(drain[store], drain[f"{store}_huey"])
        drained.append(
            f"{store}: {statistics.median(drain[store]):,.0f}/s against "
            f"{statistics.median(drain[f'{store}_huey']):,.0f}/s, **{ratio:.2f}** "
            f"({verdict(ratio >= 0.8)})"
        )
    default = statistics.median(drain["sqlite_huey_default"])

    suite_result = f"{suite[0]:.0f} s ({suite[1]})" if suite else "not run"
    return [
        (
            1,
            "`GET /` at 16 connections, against a bare Flask app on the same "
            "gunicorn settings",
            f"{rate(get)} against {rate(bare)}: **{get_ratio:.2f}** of bare",
            "≥ 0.9",
            verdict(get_ratio >= 0.9),
        ),
        (
            2,
            f"`GET /` while {plan.heavy_jobs} CPU-heavy jobs (n = {plan.heavy_n:,}) "
            "are queued or running, against the same service idle; and the "
            "article's process per request",
            f"{rate(heavy['service'])}: **{heavy_ratio:.2f}** of idle. The article's "
            f"design: {rate(heavy['article_busy'])} against "
            f"{median(heavy['article_idle'], 'rps'):,.0f} idle, {article_ratio:.2f}",
            "≥ 0.8",
            verdict(heavy_ratio >= 0.8),
        ),
        (
            3,
            "`POST /jobs` latency from one client, against `GET /` in the same run",
            f"p50 {median(post['post'], 'p50'):.2f} ms, p99 "
            f"{median(post['post'], 'p99'):.1f} ms against p50 "
            f"{median(post['get'], 'p50'):.2f} ms, p99 {median(post['get'], 'p99'):.1f}"
            f" ms: **{post_ratio:.1f}x**. At 16 connections: {rate(post['busy'])}",
            "p50 ≤ 2x",
            verdict(post_ratio <= 2),
        ),
        (
            4,
            "Trivial jobs per second through one job process, end to end, against "
            "huey alone on the same storage",
            "; ".join(drained)
            + f" (huey on its default SQLite storage: {default:,.0f}/s)",
            "≥ 0.8",
            "see the result",
        ),
        (
            5,
            "Boot: process start to the first 200 on `/`, against the bare app",
            f"{statistics.median(boot['service']):.2f} s against "
            f"{statistics.median(boot['bare']):.2f} s: **{boot_ratio:.2f}x**",
            "≤ 1.5x, far under 60 s",
            verdict(boot_ratio <= 1.5),
        ),
        (
            6,
            f"Memory: summed PSS of the web dyno's {bench.idle_processes} processes "
            "(gunicorn master, 2 workers, the consumer and its processes)",
            f"**{bench.idle_pss:.0f} MB** idle, {bench.busy_pss:.0f} MB during heavy "
            "jobs, of the 512 MB a small dyno has",
            "≤ 150 MB idle",
            verdict(bench.idle_pss <= 150),
        ),
        (
            7,
            "`cookiecutter --no-input`; the template's whole test suite",
            f"{bench.bake_seconds:.2f} s; {suite_result}",
            "suite well under 15 min",
            verdict(suite[0] < 900) if suite else "not measured",
        ),
    ]


def table(bench, suite):
    """Return the results as Markdown: what was measured where, then the rows."""
    header = (
        f"Measured {datetime.date.today().isoformat()} on {os.cpu_count()} cores "
        f"({platform.machine()}), the service on Python {bench.python_version}; "
        f"{bench.plan.seconds} s load runs, median of {bench.plan.repeats}; "
        f"non-2xx answers from the service: {bench.errors()}."
    )
    lines = ["| # | What | Result | Goal | |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(map(str, row)) + " |" for row in rows_of(bench, suite)]
    return header + "\n\n" + "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="short runs, to check it works"
    )
    parser.add_argument(
        "--skip-suite", action="store_true", help="do not time the test suite"
    )
    parser.add_argument("--output", type=Path, default=HERE / "results.md")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("benchmarks: wrk is not installed (Debian package wrk)")

    plan = QUICK if args.quick else FULL
    with tempfile.TemporaryDirectory(prefix="bench-") as work:
        bench = Bench(plan, Path(work))
        for step in (bench.idle_web, bench.heavy_web, bench.throughput, bench.boot):
            print(f"benchmarks: {step.__name__.replace('_', ' ')}...", file=sys.stderr)
            step()
        suite = bench.suite() if plan.suite and not args.skip_suite else None
        result = table(bench, suite)

    print(result)
    args.output.write_text("# Benchmark results\n\n" + result)


if __name__ == "__main__":
    main()
